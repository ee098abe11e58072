import { cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

export const fixtures = path.resolve(__dirname, 'fixtures');

export interface SpecServer {
  /** http://127.0.0.1:port */
  origin: string;
  port: number;
  /** The Host header of each request, with its path. */
  requests: { host: string | undefined; path: string }[];
  connections: number;
  close(): Promise<void>;
}

/** A server on 127.0.0.1 answering with the handler; it records what it was asked. */
export async function startSpecServer(handler: http.RequestListener): Promise<SpecServer> {
  const server = http.createServer((request, response) => {
    state.requests.push({ host: request.headers.host, path: request.url ?? '' });
    handler(request, response);
  });
  const state: SpecServer = {
    origin: '',
    port: 0,
    requests: [],
    connections: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  server.on('connection', () => state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  state.origin = `http://127.0.0.1:${state.port}`;
  return state;
}

/** Serves the files of a fixture folder by name. */
export function serveFolder(folder: string): http.RequestListener {
  return (request, response) => {
    const name = path.basename(new URL(request.url ?? '/', 'http://x').pathname);
    readFile(path.join(folder, name)).then(
      (body) => response.writeHead(200, { 'content-type': name.endsWith('.json') ? 'application/json' : 'text/yaml' }).end(body),
      () => response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}'),
    );
  };
}

/** A port nothing listens on (a server was there a moment ago). */
export async function closedPort(): Promise<number> {
  const server = await startSpecServer(() => undefined);
  await server.close();
  return server.port;
}

/** A copy of a fixture folder in a temporary folder, with PORT in its JSON files replaced. */
export async function fixtureCopy(name: string, port?: number): Promise<{ root: string; folder: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'patchbay-specload-'));
  const folder = path.join(root, name);
  await cp(path.join(fixtures, name), folder, { recursive: true });
  if (port !== undefined) {
    for (const file of await readdir(folder)) {
      if (!file.endsWith('.json')) continue;
      const text = await readFile(path.join(folder, file), 'utf8');
      await writeFile(path.join(folder, file), text.replaceAll('PORT', String(port)));
    }
  }
  return { root, folder };
}
