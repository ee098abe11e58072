/**
 * The messages between the extension host and a plugin's worker. A plugin's functions never
 * cross: each one stays in the worker under a numbered handle, and the host calls it by
 * sending the handle with plain (structured-clone) arguments.
 */
import type { PluginConfigSchema, ProblemDetails, ProblemKind, ProposedFileChange } from '../../api';
import type { PluginCandidate } from '../pluginCandidate';
import type { WorkspaceReadCall } from './workspaceReads';

/** Where a function of a registered definition stays: in the worker, under this number. */
export interface FunctionHandle {
  handle: number;
}

export type ContributionKind = 'providerType' | 'provider' | 'tool' | 'filter' | 'action' | 'command' | 'promptTemplate' | 'contextProvider' | 'templateLoader';

/** What the worker appends to a call's arguments: a CallContext, an AbortSignal, or nothing. */
export type CallPass = 'context' | 'signal' | 'none';

/** What the host asks of one plugin in a worker (its lane). */
export type LaneRequest =
  | { type: 'load'; entryPath: string; generation: number; fence?: string }
  /** An OpenAPI plugin: its files are read, parsed and listed in the worker. */
  | { type: 'prepare'; candidate: PluginCandidate }
  | { type: 'activate'; pluginId: string; config: Record<string, unknown> }
  | {
      type: 'call';
      id: number;
      handle: number;
      args: unknown[];
      pass: CallPass;
      /** The function is an async iterable: its items come back as `events` batches. */
      stream?: boolean;
      /** A stream filter: applied to each item of args[0] in order, answering what each became. */
      eachOf?: boolean;
      /** The function may change args[0] in place and return nothing (a filter's inlet or outlet). */
      editsArgument?: boolean;
      /** A provider type's `create`: the new instance's functions come back as handles. */
      instance?: number;
      /** The call may show a status line and cite sources (it runs during an answer): its context gets `status` and `cite`. */
      emits?: boolean;
    }
  | { type: 'cancel'; id: number; reason: string }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: CrossingError }
  | { type: 'deactivate' };

/** What one plugin in a worker (its lane) tells the host. */
export type LaneReport =
  | { type: 'loaded'; configSchema?: PluginConfigSchema }
  | { type: 'prepared'; configSchema: PluginConfigSchema; baseUrl: string }
  | { type: 'activated' }
  /** Loading or activating the plugin threw. */
  | { type: 'stepFailed'; error: CrossingError }
  | RegistrationMessage
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: CrossingError }
  | { type: 'events'; id: number; events: unknown[] }
  /** A call's `status` or `cite` during an answer; the host checks and caps what arrives. */
  | { type: 'emit'; id: number; emit: CrossingEmit }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  /** A request a provider instance made with `services.fetch`: method, URL and outcome, for the debug log. */
  | { type: 'fetched'; line: string }
  | { type: 'request'; id: number; what: 'secret'; key: string }
  | { type: 'request'; id: number; what: 'apiKey' | 'headers'; instance: number }
  /** A port of `context.services` (see the API's PluginServices), answered by the host's. */
  | { type: 'request'; id: number; what: 'gitDiff' }
  | { type: 'request'; id: number; what: 'fetchPage'; url: string; accept?: string }
  | { type: 'request'; id: number; what: 'proposeEdit'; change: ProposedFileChange }
  | { type: 'request'; id: number; what: 'workspaceRead'; call: WorkspaceReadCall }
  | { type: 'deactivated' };

/**
 * A worker may hold several plugins of one source, each in a numbered lane; the host's
 * heartbeat and the worker's answer to it are the worker's own.
 */
export type HostToWorker = { type: 'lane'; lane: number; message: LaneRequest } | { type: 'ping' };

export interface LaneEnvelope {
  lane: number;
  message: LaneReport;
}

export type WorkerToHost =
  | ({ type: 'lane' } & LaneEnvelope)
  /** Messages sent close together (a spec's thousand tool registrations), in one. */
  | { type: 'lanes'; envelopes: LaneEnvelope[] }
  | { type: 'pong' };

export type RegistrationMessage =
  | { type: 'register'; registration: number; kind: ContributionKind; descriptor: Record<string, unknown> }
  | { type: 'unregister'; registration: number };

/** What a plugin emitted, as plain data (only the fields the API declares, texts or absent). */
export type CrossingEmit =
  | { kind: 'status'; text: string | null; done: boolean }
  | { kind: 'cite'; citation: { title?: string; url?: string; snippet?: string } }
  /** A tool call's `showProposal`: the card shows that proposal's Accept and Reject. */
  | { kind: 'proposal'; proposalId: string };

/** An error as it crosses: a plugin's `context.problem(...)` keeps its kind and details. */
export interface CrossingError {
  name: string;
  message: string;
  kind?: ProblemKind;
  details?: Omit<ProblemDetails, 'cause'>;
}

export function isFunctionHandle(value: unknown): value is FunctionHandle {
  return typeof value === 'object' && value !== null && typeof (value as FunctionHandle).handle === 'number' && Object.keys(value).length === 1;
}

/**
 * What a tool's `describeCall` says for no arguments (an OpenAPI tool's method and URL
 * template): sent as data, since the approval card asks for it synchronously.
 */
export interface CallShape {
  method: string;
  url: string;
}

/** The descriptor field that carries a tool's `parameters` as JSON text (see pluginWorker.ts). */
export const SCHEMA_TEXT = 'parametersJson';

/** The handle names a provider instance's model management crosses under (see pluginWorker.ts). */
export const MANAGEMENT = { pull: 'modelManagement.pull', delete: 'modelManagement.delete', details: 'modelManagement.details' } as const;
