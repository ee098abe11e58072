/**
 * A small HTTP API on 127.0.0.1 for testing OpenAPI tools against a real server: an
 * inventory with items, a protected route, a 5 MB response, a binary one and one that never
 * answers. It serves its own OpenAPI description, and records every request. Routes under
 * `/echo/` answer any request with what they received, for tests that check how a call went
 * out; `/photo/untyped` and `/photo/as-text` send an image without a truthful content type;
 * `/moved` redirects to `redirectTarget`.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ApiRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export const INVENTORY_API_KEY = 'inventory-key-123';

export class InventoryApi {
  readonly requests: ApiRequest[] = [];
  readonly items = new Map<number, { id: number; name: string; stock: number }>([
    [1, { id: 1, name: 'Left-handed screwdriver', stock: 3 }],
    [2, { id: 2, name: 'Tartan paint', stock: 0 }],
  ]);
  /** Where `/moved` redirects to. */
  redirectTarget = 'http://127.0.0.1:9/';
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: http.Server, readonly url: string) {}

  static async start(): Promise<InventoryApi> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = new InventoryApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connection', (socket) => {
      api.sockets.add(socket);
      socket.on('close', () => api.sockets.delete(socket));
    });
    server.on('request', (req, res) => api.handle(req, res));
    return api;
  }

  /** The API's own description, pointing at wherever it runs. */
  spec(): string {
    return `openapi: 3.0.3
info: {title: Inventory, version: "1.0"}
servers:
  - url: ${this.url}
components:
  securitySchemes:
    inventoryKey: {type: apiKey, in: header, name: X-API-Key}
paths:
  /items/{itemId}:
    get:
      operationId: getItem
      summary: Look up one item of the inventory by its id
      parameters:
        - {name: itemId, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses: {"200": {description: the item}}
    delete:
      operationId: deleteItem
      summary: Remove an item from the inventory
      parameters:
        - {name: itemId, in: path, required: true, schema: {type: integer}}
      responses: {"204": {description: removed}}
  /items:
    get:
      operationId: listItems
      summary: List the items of the inventory
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
      responses: {"200": {description: the items}}
    post:
      operationId: addItem
      summary: Add an item to the inventory
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                stock: {type: integer, default: 0}
      responses: {"201": {description: added}}
  /secure/report:
    get:
      operationId: secureReport
      summary: A report that needs the API key
      security: [{inventoryKey: []}]
      responses: {"200": {description: the report}}
  /big:
    get: {operationId: bigExport, summary: A very large export, responses: {"200": {description: 5 MB}}}
  /logo:
    get: {operationId: getLogo, summary: The logo image, responses: {"200": {description: png}}}
  /slow:
    get: {operationId: slowReport, summary: A report that never finishes, responses: {"200": {description: never}}}
`;
  }

  /** An OpenAI-style `ai-plugin.json` for this API, with the spec in `openapi.yaml` beside it. */
  static pluginManifest(): Record<string, unknown> {
    return {
      schema_version: 'v1',
      name_for_human: 'Inventory',
      name_for_model: 'inventory',
      description_for_human: 'The shop inventory',
      description_for_model: 'Look up and change items in the shop inventory.',
      auth: { type: 'none' },
      api: { type: 'openapi', url: 'openapi.yaml' },
    };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url);
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const item = /^\/items\/(\d+)$/.exec(url.pathname);
      if (url.pathname === '/openapi.yaml') {
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end(this.spec());
      } else if (item && req.method === 'GET') {
        const found = this.items.get(Number(item[1]));
        if (found) json(200, found);
        else json(404, { error: `no item ${item[1]}` });
      } else if (item && req.method === 'DELETE') {
        this.items.delete(Number(item[1]));
        res.writeHead(204).end();
      } else if (url.pathname === '/items' && req.method === 'GET') {
        json(200, [...this.items.values()].slice(0, Number(url.searchParams.get('limit') ?? 100)));
      } else if (url.pathname === '/items' && req.method === 'POST') {
        const added = { id: this.items.size + 1, stock: 0, ...(JSON.parse(body || '{}') as object) } as { id: number; name: string; stock: number };
        this.items.set(added.id, added);
        json(201, added);
      } else if (url.pathname === '/secure/report') {
        if (req.headers['x-api-key'] === INVENTORY_API_KEY) json(200, { report: 'all good' });
        else json(401, { error: 'missing or wrong X-API-Key' });
      } else if (url.pathname === '/big') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(5 * 1024 * 1024) });
        const line = `${'x'.repeat(1023)}\n`;
        for (let i = 0; i < 5 * 1024; i++) res.write(line);
        res.end();
      } else if (url.pathname === '/logo') {
        const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length) });
        res.end(png);
      } else if (url.pathname.startsWith('/echo/')) {
        json(200, { method: req.method, path: `${url.pathname}${url.search}` });
      } else if (url.pathname === '/photo/untyped' || url.pathname === '/photo/as-text') {
        const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), Buffer.alloc(64, 0x9c)]);
        res.writeHead(200, url.pathname === '/photo/as-text' ? { 'content-type': 'text/plain' } : {});
        res.end(png);
      } else if (url.pathname === '/latin1') {
        res.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' });
        res.end(Buffer.from('Caf\xe9 cr\xe8me', 'latin1'));
      } else if (url.pathname === '/moved') {
        res.writeHead(302, { location: this.redirectTarget }).end();
      } else if (url.pathname === '/slow') {
        res.writeHead(200, { 'content-type': 'application/json' });
        // never ends
      } else {
        json(404, { error: 'no such route' });
      }
    });
  }
}
