/**
 * Decides, for each answer, which tools the model is offered and how (the provider's own
 * tool calling, or described in the prompt), and carries out the calls it makes: approval
 * through the chat's cards, then the tool under the plugin-call rules.
 */
import type { CallContext, PluginLogger, ToolDefinition } from '../api';
import type { EmitsForPlugins } from '../plugins/answerEmitter';
import type { ModelRef } from '../providers/modelRef';
import type { ToolCallProposal, ToolCallView } from './toolCallView';
import type { ToolSession } from './toolSession';
import type { PatchbayError } from '../errors';
import type { Listed } from '../plugins/contributionRegistry';
import type { PluginService } from '../plugins/pluginService';
import type { ModelService } from '../providers/modelService';
import { PluginCaller } from '../plugins/pluginCalls';
import { refusesNativeTools } from './promptToolCalls';
import { alwaysAllowKey, isAlwaysAllowed, type ToolOwner } from './alwaysAllowed';
import { chooseTools, defaultToolBudget, type ToolBudget } from './toolSelection';
import { isToolOn } from './toolToggles';
import { runToolCall, type CallReports, type ToolDecision } from './toolRunner';
import { defaultApprovalRules, type ToolApprovalRules, type WorkspaceApprovalRules } from './toolPolicy';
import { looseningItem, looseningItems, WorkspaceLoosening, type WorkspaceLooseningPort } from './workspaceLoosening';

export type ToolCallingMode = 'native' | 'prompt' | 'off';

/** Rounds of tool calls in one answer unless the user's config says otherwise. */
export const defaultMaxRounds = 5;

export interface ToolCallingSettings {
  /** The user's own approval rules. */
  approval: ToolApprovalRules;
  /** The workspace's: may only make approval stricter, unless the user accepts a loosening. */
  workspaceApproval?: WorkspaceApprovalRules;
  maxRounds: number;
  budget: ToolBudget;
  /** Per model id: how it calls tools, overriding what Patchbay works out. */
  modelModes: Readonly<Record<string, ToolCallingMode>>;
  /** How long one tool may run. */
  timeoutMs: number;
  /** Characters of a tool's result the model is given. */
  maxResultChars: number;
}

export interface ToolSessionsDeps {
  /** What the loaded plugins registered, who they are, and the rules for calling their code. */
  plugins: Pick<PluginService, 'registry' | 'callRules' | 'isCodePlugin'> & {
    /** Whose a tool's owner is (a plugin, or an MCP server), for "Always allow". */
    loadedPlugin(owner: string): ToolOwner | undefined;
  };
  /** What the server said a model can do. */
  models: Pick<ModelService, 'supportsTools' | 'providerTakesTools'>;
  settings(): ToolCallingSettings;
  /** The user's "Always allow" choices, as keys made by `alwaysAllowKey`. */
  alwaysAllowed(): ReadonlySet<string>;
  rememberAlwaysAllowed(key: string): void;
  /** Keeps and asks for the user's consent to a workspace loosening approval; without it, none counts. */
  workspaceLoosening?(): WorkspaceLooseningPort | undefined;
  /** Whether the workspace is trusted: tools that require it are offered only then (not at all when unknown). */
  workspaceTrusted?(): boolean | undefined;
  /** Proposed edits, for the cards of the calls that made them. */
  proposalOf?(proposalId: string, owner: string): ToolCallProposal | undefined;
  log: PluginLogger;
}

export const defaultToolCalling: ToolCallingSettings = {
  approval: defaultApprovalRules,
  maxRounds: defaultMaxRounds,
  budget: defaultToolBudget,
  modelModes: {},
  timeoutMs: 60_000,
  maxResultChars: 16_000,
};

export class ToolSessions {
  /** Models that turned out not to take native tools, by `provider/model`. */
  private readonly promptOnly = new Set<string>();
  private readonly pending = new Map<string, (decision: ToolDecision) => void>();
  private readonly loosening: WorkspaceLoosening;

  constructor(private readonly deps: ToolSessionsDeps) {
    this.loosening = new WorkspaceLoosening(() => deps.workspaceLoosening?.());
  }

  /**
   * How a model gets tools: natively in `request.tools`, described in the prompt, or not at all
   * (the user's `toolCalling.models` setting says off). A provider that never said it passes
   * tools on would drop them silently, so its models get them in the prompt.
   */
  modeFor(model: ModelRef | undefined, modelId: string): ToolCallingMode {
    const settings = this.deps.settings();
    const key = modelKey(model, modelId);
    const configured = settings.modelModes[modelId] ?? settings.modelModes[key];
    if (configured === 'off') return 'off';
    if (!this.deps.models.providerTakesTools(model, modelId)) return 'prompt';
    return configured ?? (this.promptOnly.has(key) || this.deps.models.supportsTools(model, modelId) === false ? 'prompt' : 'native');
  }

  /**
   * After a failure with native tools: when it says the model cannot take them (and the user
   * chose no mode for it), the model gets them in the prompt from now on; whether it did.
   */
  learnPromptOnly(model: ModelRef | undefined, modelId: string, problem: PatchbayError): boolean {
    const settings = this.deps.settings();
    const key = modelKey(model, modelId);
    if ((settings.modelModes[modelId] ?? settings.modelModes[key]) !== undefined || !refusesNativeTools(problem)) return false;
    this.deps.log.info(`${key} cannot take native tools (${problem.message}); describing them in the prompt from now on`);
    this.promptOnly.add(key);
    return true;
  }

  /**
   * The tools for one answer, or undefined when there are none or tools are off for the model.
   * `maxToolTokens` (from the model's window) lowers the budget, so tools never crowd out the
   * conversation on a small window.
   */
  create(context: { modelId: string; model?: ModelRef; question: string; emits?: EmitsForPlugins; toolsOff?: readonly string[]; maxToolTokens?: number }): ToolSession | undefined {
    const toolsOff = context.toolsOff ?? [];
    // Unknown (no editor around) is neither: tools that need trust are left out, nothing else is.
    const trust = this.deps.workspaceTrusted?.();
    const all = this.deps.plugins.registry.tools().filter((tool) => isToolOn(toolsOff, tool) && (trust === true || tool.definition.requiresTrustedWorkspace !== true) && (trust !== false || tool.definition.readOnly === true));
    if (all.length === 0) return undefined;
    const settings = this.deps.settings();
    const chosenMode = this.modeFor(context.model, context.modelId);
    if (chosenMode === 'off') return undefined;
    const budget = context.maxToolTokens === undefined ? settings.budget : { ...settings.budget, maxTokens: Math.min(settings.budget.maxTokens, context.maxToolTokens) };
    const { offered, total } = chooseTools(all, context.question, budget);
    if (offered.length === 0) return undefined;
    let mode: 'native' | 'prompt' = chosenMode;
    const byName = new Map(offered.map((tool) => [tool.listedName, tool]));
    const session: ToolSession = {
      mode,
      specs: offered.map((tool) => ({ name: tool.listedName, description: tool.definition.description, parameters: tool.definition.parameters })),
      offered: { names: offered.map((tool) => tool.listedName), total, mode },
      maxRounds: settings.maxRounds,
      fallbackToPrompt: (problem: PatchbayError) => {
        if (mode !== 'native' || !this.learnPromptOnly(context.model, context.modelId, problem)) return false;
        mode = 'prompt';
        session.mode = 'prompt';
        session.offered = { ...session.offered, mode: 'prompt' };
        return true;
      },
      run: async (call, signal, update) => {
        const result = await runToolCall(call, byName, {
          rules: settings.approval,
          ...(settings.workspaceApproval ? { workspaceRules: settings.workspaceApproval } : {}),
          looseningAccepted: async (name, user, workspace) => {
            const item = looseningItem(name, user, workspace);
            if (!item || !settings.workspaceApproval) return false;
            const workspaceRules = settings.workspaceApproval;
            const everyTool = this.deps.plugins.registry.tools();
            const readOnlyOwn = new Set(everyTool.filter((tool) => tool.definition.readOnly === true && this.isOwnPlugin(tool.owner)).map((tool) => `${tool.owner}.${tool.definition.name}`));
            const names = everyTool.map((tool) => `${tool.owner}.${tool.definition.name}`);
            return this.loosening.accepted(item, () => looseningItems(names, settings.approval, workspaceRules, (tool) => readOnlyOwn.has(tool)));
          },
          alwaysAllowed: this.alwaysAllowedNow(offered),
          approve: (view, abort) => this.waitForDecision(view, abort),
          rememberAlwaysAllowed: (name) => this.rememberAlwaysAllowed(offered, name),
          invoke: (tool, args, abort, report) => this.invoke(tool, args, abort, settings.timeoutMs, report, context.emits),
          update,
          maxResultChars: settings.maxResultChars,
          reportToolProblem: (tool, problem) => this.deps.plugins.registry.reportToolProblem(tool.owner, tool.definition.name, problem),
          ...(this.deps.proposalOf ? { proposalOf: this.deps.proposalOf } : {}),
          isOwnPlugin: (owner) => this.isOwnPlugin(owner),
          untrusted: trust === false,
        }, signal);
        return result.content;
      },
    };
    return session;
  }

  /** The user's own plugin (bundled or global), whose read-only tools run without asking. */
  private isOwnPlugin(owner: string): boolean {
    const source = this.deps.plugins.loadedPlugin(owner)?.source;
    return source === 'bundled' || source === 'global';
  }

  /** The user answered a tool call's approval card. */
  decide(callId: string, decision: ToolDecision): void {
    const resolve = this.pending.get(callId);
    if (!resolve) return;
    this.pending.delete(callId);
    resolve(decision);
  }

  /** The qualified names among `tools` the user chose "Always allow" for, for the plugins they belong to now. */
  private alwaysAllowedNow(tools: readonly Listed<ToolDefinition>[]): Set<string> {
    const remembered = this.deps.alwaysAllowed();
    const names = tools.map((tool) => ({ owner: this.deps.plugins.loadedPlugin(tool.owner), name: `${tool.owner}.${tool.definition.name}` }));
    return new Set(names.filter(({ owner, name }) => isAlwaysAllowed(remembered, owner, name)).map(({ name }) => name));
  }

  private rememberAlwaysAllowed(tools: readonly Listed<ToolDefinition>[], qualifiedName: string): void {
    const tool = tools.find((item) => `${item.owner}.${item.definition.name}` === qualifiedName);
    const owner = tool ? this.deps.plugins.loadedPlugin(tool.owner) : undefined;
    if (owner) this.deps.rememberAlwaysAllowed(alwaysAllowKey(owner, qualifiedName));
  }

  private waitForDecision(view: ToolCallView, signal: AbortSignal): Promise<ToolDecision> {
    return new Promise<ToolDecision>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.pending.delete(view.id);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(view.id, (decision) => {
        signal.removeEventListener('abort', onAbort);
        resolve(decision);
      });
    });
  }

  private invoke(tool: Listed<ToolDefinition>, args: Record<string, unknown>, signal: AbortSignal, timeoutMs: number, report: CallReports, emits?: EmitsForPlugins): Promise<unknown> {
    const caller = new PluginCaller({ ...this.deps.plugins.callRules, timeoutMs });
    // A hang in a plugin's own code marks it failed; a slow API is only this call's failure.
    const failsPluginOn = this.deps.plugins.isCodePlugin(tool.owner) ? 'hang' : 'never';
    const invoke = (context: CallContext) => tool.definition.invoke(args, { ...context, reportProgress: report.progress, reportImages: report.images, showProposal: report.proposal, ...emits?.for(tool.owner) });
    return caller.call(tool.owner, `tool "${tool.definition.name}"`, invoke, { signal, failsPluginOn });
  }
}

function modelKey(model: ModelRef | undefined, modelId: string): string {
  return `${model?.providerId ?? ''}/${modelId}`;
}
