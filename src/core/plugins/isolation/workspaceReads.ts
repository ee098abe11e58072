/**
 * The workspace's read services (`context.services.workspace.readFile` and the rest) across
 * the worker: in the worker each becomes a request to the host, and the host answers it with
 * the plugin's own services. Only plain data crosses; a search's signal cannot, so the plugin
 * stops waiting when it aborts and the host's search ends at its own cap and time limit.
 */
import type { WorkspaceServices, WorkspaceTextQuery } from '../../api';

export type WorkspaceReadCall =
  | { method: 'readFile'; path: string; range?: { startLine?: number; endLine?: number } }
  | { method: 'listFiles'; options?: { glob?: string; folder?: string } }
  | { method: 'searchText'; query: WorkspaceTextQuery }
  | { method: 'getProblems'; path?: string }
  | { method: 'getSelection' };

type ReadServices = Pick<WorkspaceServices, 'readFile' | 'listFiles' | 'searchText' | 'getProblems' | 'getSelection'>;

/** The read services as a plugin in the worker has them. */
export function workspaceReadsInWorker(ask: (call: WorkspaceReadCall) => Promise<unknown>, untilAborted: <T>(work: Promise<T>, signal: AbortSignal | undefined) => Promise<T>): ReadServices {
  return {
    readFile: (path, range) => ask({ method: 'readFile', path: String(path), ...(range ? { range: structuredClone(range) } : {}) }) as ReturnType<ReadServices['readFile']>,
    listFiles: (options) => ask({ method: 'listFiles', ...(options ? { options: structuredClone(options) } : {}) }) as ReturnType<ReadServices['listFiles']>,
    searchText: (query, options) => untilAborted(ask({ method: 'searchText', query: structuredClone(query) }) as ReturnType<ReadServices['searchText']>, options?.signal),
    getProblems: (path) => ask({ method: 'getProblems', ...(path !== undefined ? { path: String(path) } : {}) }) as ReturnType<ReadServices['getProblems']>,
    getSelection: () => ask({ method: 'getSelection' }) as ReturnType<ReadServices['getSelection']>,
  };
}

/** The host's answer to a worker's read request, from the plugin's services. */
export function answerWorkspaceRead(services: ReadServices | undefined, call: WorkspaceReadCall): Promise<unknown> | undefined {
  switch (call.method) {
    case 'readFile':
      return services?.readFile(call.path, call.range);
    case 'listFiles':
      return services?.listFiles(call.options);
    case 'searchText':
      return services?.searchText(call.query);
    case 'getProblems':
      return services?.getProblems(call.path);
    case 'getSelection':
      return services?.getSelection();
  }
}
