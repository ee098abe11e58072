/**
 * Serves the real chat webview's page (src/host/chatPageHtml.ts: its CSP, markup, the built
 * webview.css, webview.js and the highlight.js it loads later), with the probe script before the
 * bundle. Served over http from 127.0.0.1 rather than set as content, so the CSP and the resource
 * loads work as they do in a webview.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chatPageHtml } from '../../../src/host/chatPageHtml';

export interface BenchServer {
  /** The page's address. */
  url: string;
  close(): Promise<void>;
}

async function buildProbe(): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [path.join(__dirname, 'pageProbe.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('the probe did not build');
  return output.text;
}

export async function startBenchServer(buildDir: string): Promise<BenchServer> {
  const probe = await buildProbe();
  const [script, highlighter, style] = await Promise.all(
    ['webview.js', 'highlight.js', 'webview.css'].map((file) => readFile(path.join(buildDir, file), 'utf8')),
  );
  let origin = '';
  const server: Server = createServer((request, response) => {
    const files: Record<string, [string, string]> = {
      // A fresh nonce per load, as the real page gets.
      '/': ['text/html', chatPageHtml({
        resourceOrigin: origin,
        nonce: randomBytes(18).toString('base64'),
        styleUri: '/webview.css',
        scriptUris: ['/probe.js', '/webview.js'],
      })],
      '/probe.js': ['text/javascript', probe],
      '/webview.js': ['text/javascript', script ?? ''],
      '/highlight.js': ['text/javascript', highlighter ?? ''],
      '/webview.css': ['text/css', style ?? ''],
    };
    const file = files[new URL(request.url ?? '/', origin).pathname];
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': `${file[0]}; charset=utf-8`,
      'cache-control': 'no-store',
      // Cross-origin isolation gives performance.now() 5 µs steps instead of 100 µs: a delta's
      // render is about a millisecond. It changes nothing the webview does.
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    }).end(file[1]);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
