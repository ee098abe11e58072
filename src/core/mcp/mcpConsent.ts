/**
 * A workspace's stdio MCP server is a program that runs on the user's machine: it starts
 * only after the user allowed it, in a prompt showing the exact command, arguments, working
 * folder and the names of the environment variables it gets. The answer is remembered per
 * workspace under a fingerprint of exactly those, so changing any of them asks again
 * (the same pattern as the workspace's other requests, workspaceConsent.ts).
 */
import { createHash } from 'node:crypto';
import { WorkspaceConsent } from '../config/workspaceConsent';
import type { McpServerDefinition, McpStdioTransport } from './mcpDefinitions';

/** What the prompt shows: everything the fingerprint covers (env values are not shown: they may hold secrets). */
export interface McpStartView {
  name: string;
  file: string;
  command: string;
  args: readonly string[];
  /** The folder it runs in (the workspace folder unless `cwd` says otherwise). */
  cwd: string;
  envNames: readonly string[];
}

/** Where answers are kept (per workspace) and how the user is asked. */
export interface McpConsentPort {
  remembered(): Readonly<Record<string, boolean>>;
  remember(decisions: Readonly<Record<string, boolean>>): void;
  /** true: start it; false: do not; undefined: dismissed (declined for this window only). */
  askToStartServer(view: McpStartView): Promise<boolean | undefined>;
}

export function mcpStartView(server: McpServerDefinition & { transport: McpStdioTransport }, defaultCwd: string): McpStartView {
  const { command, args, env, cwd } = server.transport;
  return { name: server.name, file: server.file, command, args, cwd: cwd ?? defaultCwd, envNames: Object.keys(env).sort() };
}

export function mcpStartFingerprint(view: McpStartView): string {
  const exact = JSON.stringify([view.command, view.args, view.cwd, [...view.envNames].sort()]);
  return createHash('sha256').update(exact).digest('hex');
}

export class McpStartConsent {
  private readonly consent: WorkspaceConsent<McpStartView>;

  constructor(port: () => McpConsentPort | undefined) {
    this.consent = new WorkspaceConsent<McpStartView>(
      () => {
        const inner = port();
        if (!inner) return undefined;
        return {
          remembered: () => inner.remembered(),
          remember: (decisions) => inner.remember(decisions),
          // One server per prompt: each is its own program.
          ask: (items) => (items[0] ? inner.askToStartServer(items[0]) : Promise.resolve(false)),
        };
      },
      (view) => `mcp-start:${view.name}:${mcpStartFingerprint(view)}`,
      (a, b) => a.name.localeCompare(b.name),
    );
  }

  /** The answer so far: undefined when not asked yet (false without a way to ask). */
  known(view: McpStartView): boolean | undefined {
    return this.consent.known(view);
  }

  /** Forgets the answer about this exact server, so it is asked about again. */
  forget(view: McpStartView): void {
    this.consent.forget(view);
  }

  allowed(view: McpStartView): Promise<boolean> {
    return this.consent.accepted(view, () => []);
  }
}
