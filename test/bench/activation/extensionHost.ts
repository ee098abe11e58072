/**
 * The extension host of a window: code-server forks one per window connection
 * (`bootstrap-fork --type=extensionHost`) under the process we started, and ends it when the
 * window closes. It is found by walking that pid's descendants, never by name.
 */
import { commandLine, cpuTicks, descendantsOf } from './processTree';

/** The live extension hosts under `serverPid`. */
export function extensionHosts(serverPid: number): number[] {
  return descendantsOf(serverPid).filter((pid) => commandLine(pid).includes('--type=extensionHost'));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for the new window's extension host (the one not in `hostsBefore`) to appear and go
 * quiet (under 2 ticks of CPU in `quietMs`), and returns its pid.
 */
export async function waitForQuietExtensionHost(serverPid: number, hostsBefore: ReadonlySet<number>, timeoutMs = 20_000, quietMs = 500): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const host = extensionHosts(serverPid).find((pid) => !hostsBefore.has(pid));
    if (host === undefined) {
      await sleep(100);
      continue;
    }
    const before = cpuTicks(host);
    await sleep(quietMs);
    const after = cpuTicks(host);
    if (before !== undefined && after !== undefined && after - before < 2) return host;
  }
  throw new Error('the window’s extension host did not start and go quiet');
}
