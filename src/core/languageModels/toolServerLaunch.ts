/**
 * How VS Code starts Patchbay's tool server: the bridge bundle (toolServerBridge.ts) run by the
 * extension host's own runtime, told the port and token of this start in its environment.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const PORT_VARIABLE = 'PATCHBAY_TOOL_SERVER_PORT';
export const TOKEN_VARIABLE = 'PATCHBAY_TOOL_SERVER_TOKEN';

export interface BridgeLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export function bridgeLaunch(running: { port: number; token: string }, bridgePath = defaultBridgePath()): BridgeLaunch {
  return {
    // The runtime running Patchbay: Node in a remote or code-server extension host, Electron
    // (run as Node) in the desktop one; a `node` on PATH may be missing or another version.
    command: process.execPath,
    args: [bridgePath],
    env: { ELECTRON_RUN_AS_NODE: '1', [PORT_VARIABLE]: String(running.port), [TOKEN_VARIABLE]: running.token },
  };
}

/** dist/toolServerBridge.js beside the extension's bundle; from source (the unit tests) the one built into dist/. */
function defaultBridgePath(): string {
  const besideBundle = path.join(__dirname, 'toolServerBridge.js');
  return existsSync(besideBundle) ? besideBundle : path.resolve(__dirname, '../../../dist/toolServerBridge.js');
}
