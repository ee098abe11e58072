/**
 * The chat's side of plugins' context providers: which `@name` mentions there are, a provider's
 * suggestions for what is typed after its name, and its context for a query as a chip's
 * attachment. Calls follow the plugin-call rules (pluginCalls.ts): a hang past the timeout
 * marks the plugin failed, a throw is the call's own and reaches the user as a clear error.
 * A provider that says how resolving looks as an HTTP request (`describeResolve`) is approved
 * like a tool's call, by the user's `toolApproval` rules under `plugin.name`.
 */
import type { ContextProviderDefinition, ContextSuggestion } from '../api';
import type { ContextAttachment } from '../chat/conversation';
import { describeError, PatchbayError } from '../errors';
import type { ContributionRegistry, Listed } from '../plugins/contributionRegistry';
import { ANSWER_PATH_TIMEOUT_MS, PluginCaller, type PluginCallRules } from '../plugins/pluginCalls';
import { alwaysAllowKey, isAlwaysAllowed, type ToolOwner } from '../tools/alwaysAllowed';
import type { ToolDecision } from '../tools/toolDecision';
import { approvalVerdict, canAlwaysAllow, combinedVerdict, workspaceVerdict, type ToolApprovalRules, type WorkspaceApprovalRules } from '../tools/toolPolicy';

/** Like a file: a chat message is no place for a megabyte of text. */
export const MAX_CONTEXT_CHARACTERS = 100_000;
/** Suggestions sit on the typing path; resolving is an action the user waits for. */
export const COMPLETE_TIMEOUT_MS = ANSWER_PATH_TIMEOUT_MS;
export const RESOLVE_TIMEOUT_MS = 30_000;
const MAX_SUGGESTIONS = 20;

/** A provider as the chat lists it. */
export interface ContextProviderChoice {
  /** What follows the `@`: the provider's name, or `plugin.name` when two plugins use it. */
  name: string;
  description: string;
  plugin: string;
  queryHint?: string;
}

/** What the user is asked before a provider fetches something their rules say to ask about. */
export interface ContextApprovalQuestion {
  /** `@name`. */
  mention: string;
  plugin: string;
  method: string;
  url: string;
  /** "Always allow" may be offered (a reading request). */
  canAlwaysAllow: boolean;
}

export interface ContextProvidersDeps {
  registry: ContributionRegistry;
  callRules: PluginCallRules;
  /** The user's approval rules and the workspace's (which may only make them stricter here). */
  approval(): { rules: ToolApprovalRules; workspaceRules?: WorkspaceApprovalRules };
  alwaysAllowed(): ReadonlySet<string>;
  rememberAlwaysAllowed(key: string): void;
  /** Whose a provider's owner is, for "Always allow". */
  loadedPlugin(owner: string): ToolOwner | undefined;
  /** Asks the user; absent (no editor), a request the rules ask about is refused. */
  askApproval?(question: ContextApprovalQuestion): Promise<ToolDecision>;
}

export class ContextProviders {
  private readonly caller: PluginCaller;

  constructor(private readonly deps: ContextProvidersDeps) {
    this.caller = new PluginCaller(deps.callRules);
  }

  list(): ContextProviderChoice[] {
    return this.deps.registry.contextProviders().map(({ listedName, owner, definition }) => ({
      name: listedName,
      description: definition.description,
      plugin: owner,
      ...(definition.queryHint ? { queryHint: definition.queryHint } : {}),
    }));
  }

  /** The provider's suggestions for a query; none when it has no `complete`, or it fails (logged). */
  async suggest(name: string, query: string, signal?: AbortSignal): Promise<ContextSuggestion[]> {
    const provider = this.find(name);
    const complete = provider.definition.complete;
    if (!complete) return [];
    try {
      const suggestions = await this.caller.call(provider.owner, `the suggestions of @${name}`, (context) => complete.call(provider.definition, query, context), {
        timeoutMs: COMPLETE_TIMEOUT_MS,
        ...(signal ? { signal } : {}),
      });
      return checkedSuggestions(suggestions);
    } catch (error) {
      this.deps.callRules.loggerFor(provider.owner).warn(`@${name} could not suggest anything for "${query.slice(0, 200)}": ${describeError(error)}`);
      return [];
    }
  }

  /** The provider's context for a query, as a chip's attachment; a clear error when it cannot be had. */
  async resolve(name: string, query: string, signal?: AbortSignal): Promise<ContextAttachment> {
    const provider = this.find(name);
    const mention = `@${name}${query === '' ? '' : ` ${query.length > 200 ? `${query.slice(0, 200)}…` : query}`}`;
    const fail = (why: string, cause?: unknown): PatchbayError =>
      new PatchbayError('plugin', `${mention} was not added: ${why}`, { actions: ['showLogs'], ...(cause === undefined ? {} : { cause }) });
    try {
      await this.approve(provider, name, mention, query);
    } catch (error) {
      throw error instanceof PatchbayError ? error : fail(describeError(error), error);
    }
    let item: unknown;
    try {
      item = await this.caller.call(provider.owner, `@${name}`, (context) => provider.definition.resolve(query, context), {
        timeoutMs: RESOLVE_TIMEOUT_MS,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      throw fail(describeError(error), error);
    }
    const problem = itemProblem(item);
    if (problem) throw fail(`plugin "${provider.owner}" returned ${problem}`);
    const { title, text, uri, language } = item as { title: string; text: string; uri?: string; language?: string };
    const cut = text.length > MAX_CONTEXT_CHARACTERS
      ? `${text.slice(0, MAX_CONTEXT_CHARACTERS)}\n[… the rest (${(text.length - MAX_CONTEXT_CHARACTERS).toLocaleString('en-US')} characters) is left out …]`
      : text;
    return {
      kind: 'plugin',
      label: uri && !title.includes(uri) ? `${title} (${uri})` : title,
      ...(language ? { language } : {}),
      text: cut,
    };
  }

  private find(name: string): Listed<ContextProviderDefinition> {
    const provider = this.deps.registry.contextProviders().find((item) => item.listedName === name);
    if (!provider) throw new PatchbayError('plugin', `There is no context provider @${name} (its plugin may have been unloaded or disabled).`);
    return provider;
  }

  /** Resolving that fetches runs only as the user's rules say, as a tool's call would. */
  private async approve(provider: Listed<ContextProviderDefinition>, name: string, mention: string, query: string): Promise<void> {
    const describe = provider.definition.describeResolve;
    if (!describe) return;
    const described = await this.caller.call(provider.owner, `how @${name} fetches`, () => describe.call(provider.definition, query), { timeoutMs: COMPLETE_TIMEOUT_MS });
    if (described === undefined) return;
    if (typeof described !== 'object' || described === null || typeof described.method !== 'string' || typeof described.url !== 'string') {
      throw new Error('its describeResolve did not return { method, url }');
    }
    const method = described.method.toUpperCase();
    const qualifiedName = `${provider.owner}.${provider.definition.name}`;
    const owner = this.deps.loadedPlugin(provider.owner);
    const allowed = isAlwaysAllowed(this.deps.alwaysAllowed(), owner, qualifiedName) ? new Set([qualifiedName]) : new Set<string>();
    const { rules, workspaceRules } = this.deps.approval();
    // A workspace's rules may only make this stricter: there is no card to accept a loosening on.
    const verdict = combinedVerdict(approvalVerdict(qualifiedName, method, rules, allowed), workspaceRules ? workspaceVerdict(qualifiedName, workspaceRules) : undefined, false);
    if (verdict.decision === 'allow') return;
    if (verdict.decision === 'deny') throw new PatchbayError('plugin', `${mention} was not added: ${method} ${described.url} is ${verdict.reason} (as "${qualifiedName}").`);
    const decision = this.deps.askApproval
      ? await this.deps.askApproval({ mention: `@${name}`, plugin: provider.owner, method, url: described.url, canAlwaysAllow: canAlwaysAllow(method) })
      : 'deny';
    if (decision === 'deny') throw new PatchbayError('plugin', `${mention} was not added: you did not allow ${method} ${described.url}.`);
    if (decision === 'always' && owner && canAlwaysAllow(method)) this.deps.rememberAlwaysAllowed(alwaysAllowKey(owner, qualifiedName));
  }
}

/** What is wrong with a provider's result, or undefined when it is a ContextItem. */
function itemProblem(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return `${item === null ? 'null' : typeof item} instead of { title, text }`;
  const { title, text, uri, language } = item as Record<string, unknown>;
  if (typeof title !== 'string' || title.trim() === '') return 'no "title" (a non-empty string)';
  if (typeof text !== 'string') return 'no "text" (a string)';
  if (uri !== undefined && typeof uri !== 'string') return 'a "uri" that is not a string';
  if (language !== undefined && typeof language !== 'string') return 'a "language" that is not a string';
  return undefined;
}

/** The well-formed suggestions, at most MAX_SUGGESTIONS; anything else is left out. */
function checkedSuggestions(value: unknown): ContextSuggestion[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((item): item is ContextSuggestion => typeof item === 'object' && item !== null && typeof (item as ContextSuggestion).query === 'string')
    .slice(0, MAX_SUGGESTIONS)
    .map((item) => ({
      query: item.query,
      ...(typeof item.label === 'string' ? { label: item.label } : {}),
      ...(typeof item.description === 'string' ? { description: item.description } : {}),
    }));
}
