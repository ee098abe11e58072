/**
 * Patchbay's models in VS Code's own AI (`vscode.lm`, vendor `patchbay`): VS Code's chat model
 * picker and any extension's `selectChatModels` see every model Patchbay lists, and a request
 * to one runs through Patchbay's pipeline (core/languageModels). This file only translates
 * between the API's classes and the core's plain parts. VS Code's stable API has no thinking
 * part yet, so a model's reasoning is not passed on (it is never mixed into the text).
 */
import * as vscode from 'vscode';
import { withDefaults } from '../core/providers/modelAliases';
import type { ChatServices } from '../core/chatServices';
import { FilterChain } from '../core/chat/filterChain';
import type * as EditorAnswers from '../core/languageModels/answerForEditor';
import type { EditorAnswerPart } from '../core/languageModels/answerForEditor';
import { coalescedParts } from '../core/languageModels/coalescedParts';
import { chatRequestFor, type EditorMessage, type EditorPart } from '../core/languageModels/editorRequest';
import { modelOfOfferedId, offeredModels } from '../core/languageModels/offeredModels';
import { TokenCounter } from '../core/languageModels/tokenCount';
import type { PatchbayError } from '../core/errors';
import type { Logger } from '../core/ports';
import type { ModelRef } from '../core/providers/modelRef';
import type { Redactor } from '../core/util/redactor';
import { offersModelsToVsCode, readBackendSettings } from './settings';

/** Answering is a late module (esbuild.mjs): loaded with the first request, not while VS Code activates Patchbay. */
const editorAnswers = () => require('../core/languageModels/answerForEditor') as typeof EditorAnswers;

export const LANGUAGE_MODEL_VENDOR = 'patchbay';

export interface LanguageModelDeps {
  services: ChatServices;
  redactor: Redactor;
  log: Logger;
  /** config.yaml's `models.<id>.contextLength`. */
  contextLengthOf(modelId: string): number | undefined;
  /** What listing the models waits for before it starts Patchbay's work (see core/util/startupGate.ts). */
  afterStartup(): Promise<void>;
}

/** Registers the provider where VS Code has the API (1.104 and later); nothing otherwise. */
export function registerLanguageModels(deps: LanguageModelDeps): vscode.Disposable {
  if (typeof vscode.lm.registerLanguageModelChatProvider !== 'function') return new vscode.Disposable(() => undefined);
  const changed = new vscode.EventEmitter<void>();
  const subscriptions = [
    changed,
    deps.services.models.onModelsChanged(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration('patchbay.vscodeModels') && changed.fire()),
    vscode.lm.registerLanguageModelChatProvider(LANGUAGE_MODEL_VENDOR, new PatchbayLanguageModels(deps, changed.event)),
  ];
  return new vscode.Disposable(() => subscriptions.forEach((item) => item.dispose()));
}

class PatchbayLanguageModels implements vscode.LanguageModelChatProvider {
  private readonly tokens = new TokenCounter({ fetch });

  constructor(
    private readonly deps: LanguageModelDeps,
    readonly onDidChangeLanguageModelChatInformation: vscode.Event<void>,
  ) {}

  async provideLanguageModelChatInformation(): Promise<vscode.LanguageModelChatInformation[]> {
    if (!offersModelsToVsCode()) return [];
    const { services } = this.deps;
    await this.deps.afterStartup();
    await services.start();
    const { groups } = await services.models.listed();
    const maxAnswerTokens = readBackendSettings().generation.maxTokens;
    return offeredModels(groups, { contextLengthOf: (id) => this.deps.contextLengthOf(id), toolsOff: (ref) => this.deps.services.tools.modeFor(ref, ref.modelId) === 'off', ...(maxAnswerTokens !== undefined ? { maxAnswerTokens } : {}) }).map((model) => ({
      id: model.id,
      name: model.name,
      family: model.family,
      version: model.version,
      detail: model.detail,
      tooltip: `${model.name} · ${model.detail} (Patchbay)`,
      maxInputTokens: model.maxInputTokens,
      maxOutputTokens: model.maxOutputTokens,
      capabilities: { toolCalling: model.toolCalling, imageInput: model.imageInput },
    }));
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const ref = modelOfOfferedId(model.id);
    if (!ref || !offersModelsToVsCode()) throw vscode.LanguageModelError.NotFound(`Patchbay has no model "${model.id}"`);
    const { services, redactor } = this.deps;
    const controller = new AbortController();
    const cancelled = token.onCancellationRequested(() => controller.abort(new Error('cancelled by the caller')));
    try {
      const resolved = await services.models.resolve(ref).catch((error: unknown) => {
        throw vscode.LanguageModelError.NotFound(redactor.redact(error instanceof Error ? error.message : String(error)));
      });
      const settings = readBackendSettings();
      // An alias answers with its target, its config.yaml defaults under the settings and the caller's options.
      const request = chatRequestFor(resolved.modelId, messages.map(editorMessageOf), { ...(options.tools ? { tools: options.tools } : {}), ...(options.modelOptions ? { modelOptions: options.modelOptions } : {}) }, withDefaults(settings.generation, resolved.defaults?.generation));
      const parts = coalescedParts((part) => {
        const reported = responsePartOf(part);
        if (reported) progress.report(reported);
      });
      try {
        await editorAnswers().answerForEditor({
          resolved,
          request,
          filters: new FilterChain(services.plugins.registry.filters(), services.plugins.callRules),
          signal: controller.signal,
          idleTimeoutMs: settings.idleTimeoutMs,
          ...toolModeFor(services, ref),
          report: (part) => parts.push(part),
        });
      } finally {
        parts.flush();
      }
    } catch (error) {
      if (error instanceof vscode.LanguageModelError) throw error;
      if (error instanceof editorAnswers().EditorModelError) throw languageModelError(error.code, redactor.redact(error.message));
      throw new vscode.LanguageModelError(redactor.redact(error instanceof Error ? error.message : String(error)));
    } finally {
      cancelled.dispose();
    }
  }

  async provideTokenCount(model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage, token: vscode.CancellationToken): Promise<number> {
    const ref = modelOfOfferedId(model.id);
    const content = typeof text === 'string' ? text : editorMessageOf(text).parts.map(partText).join('\n');
    if (!ref) return this.tokens.count(content, model.id, undefined);
    const controller = new AbortController();
    const cancelled = token.onCancellationRequested(() => controller.abort());
    try {
      const resolved = await this.deps.services.models.resolve(ref);
      const baseUrl = resolved.failureContext.baseUrl;
      const apiKey = /^https?:/.test(baseUrl) ? await this.deps.services.models.apiKeys.get(baseUrl) : undefined;
      return await this.tokens.count(content, ref.modelId, baseUrl, { signal: controller.signal, ...(apiKey ? { apiKey } : {}) });
    } catch {
      return this.tokens.count(content, ref.modelId, undefined);
    } finally {
      cancelled.dispose();
    }
  }
}

function editorMessageOf(message: vscode.LanguageModelChatRequestMessage): EditorMessage {
  const role = message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : message.role === vscode.LanguageModelChatMessageRole.User ? 'user' : 'system';
  const parts: EditorPart[] = [];
  for (const part of message.content) {
    if (part instanceof vscode.LanguageModelTextPart) parts.push({ kind: 'text', text: part.value });
    else if (part instanceof vscode.LanguageModelToolCallPart) parts.push({ kind: 'toolCall', callId: part.callId, name: part.name, input: part.input });
    else if (part instanceof vscode.LanguageModelToolResultPart) parts.push({ kind: 'toolResult', callId: part.callId, text: part.content.map(resultText).join('') });
  }
  return { role, parts };
}

function resultText(part: unknown): string {
  if (part instanceof vscode.LanguageModelTextPart) return part.value;
  return typeof part === 'string' ? part : JSON.stringify(part);
}

function partText(part: EditorPart): string {
  return part.kind === 'text' ? part.text : part.kind === 'toolResult' ? part.text : `${part.name}(${JSON.stringify(part.input)})`;
}

function responsePartOf(part: EditorAnswerPart): vscode.LanguageModelResponsePart | undefined {
  switch (part.kind) {
    case 'text':
      return new vscode.LanguageModelTextPart(part.text);
    case 'toolCall':
      return new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
    case 'thinking':
      return undefined;
  }
}

function languageModelError(code: EditorAnswers.EditorModelError['code'], message: string): vscode.LanguageModelError {
  switch (code) {
    case 'NoPermissions':
      return vscode.LanguageModelError.NoPermissions(message);
    case 'NotFound':
      return vscode.LanguageModelError.NotFound(message);
    case 'Blocked':
      return vscode.LanguageModelError.Blocked(message);
    case 'Unknown':
      return new vscode.LanguageModelError(message);
  }
}

/**
 * How the model takes a caller's tools, as in Patchbay's chat. A model the user turned tools off
 * for is offered without tool calling, so VS Code sends it none; a caller that still does gets
 * them described in the prompt rather than dropped.
 */
function toolModeFor(services: ChatServices, ref: ModelRef): { toolMode: 'native' | 'prompt'; learnPromptOnly(problem: PatchbayError): boolean } {
  const mode = services.tools.modeFor(ref, ref.modelId);
  return { toolMode: mode === 'native' ? 'native' : 'prompt', learnPromptOnly: (problem) => services.tools.learnPromptOnly(ref, ref.modelId, problem) };
}
