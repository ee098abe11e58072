/** The ripgrep that the code-server under `.tools/` ships, as the extension finds it under VS Code's appRoot; undefined when none is installed. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ripgrepCandidates } from '../../src/core/workspace/ripgrep';

export function shippedRipgrep(): string | undefined {
  const tools = path.resolve(__dirname, '../../.tools');
  const installs = existsSync(tools) ? readdirSync(tools).filter((name) => name.startsWith('code-server')) : [];
  for (const install of installs.sort().reverse()) {
    const appRoot = path.join(tools, install, 'node_modules', 'code-server', 'lib', 'vscode');
    const found = ripgrepCandidates(appRoot).find((candidate) => existsSync(candidate));
    if (found) return found;
  }
  return undefined;
}
