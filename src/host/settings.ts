/**
 * Reads Patchbay's VS Code settings into the shapes the core wants, respecting workspace
 * trust in code as well as in package.json: settings that move requests (user-only, scope
 * `application`) are read from user settings alone, and the ones that shape requests
 * (`restrictedConfigurations`) take a workspace's value only when the workspace is trusted.
 */
import * as vscode from 'vscode';
import type { ChatSettings } from '../core/chatServices';
import type { ProviderDeclaration } from '../core/config/configTypes';

const SECTION = 'patchbay';

export function readBackendSettings(): ChatSettings {
  const generation: ChatSettings['generation'] = {};
  const temperature = trustedValue<number | null>('temperature', null);
  const maxTokens = trustedValue<number | null>('maxTokens', null);
  const topP = trustedValue<number | null>('topP', null);
  const stop = trustedValue<string[]>('stop', []);
  if (typeof temperature === 'number') generation.temperature = temperature;
  if (typeof maxTokens === 'number') generation.maxTokens = maxTokens;
  if (typeof topP === 'number') generation.topP = topP;
  if (Array.isArray(stop) && stop.length > 0) generation.stop = stop.filter((item) => typeof item === 'string');
  const systemPrompt = trustedValue<string>('systemPrompt', '');
  const discoverLocalServers = userValue<boolean>('discoverLocalServers', true);
  const idleTimeoutSeconds = userValue<number>('streamIdleTimeoutSeconds', 120);
  return {
    discoverLocalServers: discoverLocalServers !== false,
    idleTimeoutMs: Math.max(1, typeof idleTimeoutSeconds === 'number' ? idleTimeoutSeconds : 120) * 1000,
    generation,
    ...(typeof systemPrompt === 'string' && systemPrompt.trim() !== '' ? { systemPrompt } : {}),
  };
}

/** `patchbay.endpoints` is user-level only (scope: application): a workspace cannot move it. */
export function readEndpointSettings(): ProviderDeclaration[] {
  const value = userValue<unknown[]>('endpoints', []);
  return Array.isArray(value) ? value.filter(isDeclaration) : [];
}

/** The user's own value (user settings), whatever a workspace or folder says. */
/** Whether Patchbay's models are offered to VS Code (`vscode.lm`): the user's setting only. */
export function offersModelsToVsCode(): boolean {
  return userValue<boolean>('vscodeModels', true) !== false;
}

/** Whether Patchbay's tools are offered to VS Code's agent mode: the user's setting only. */
export function offersToolsToVsCode(): boolean {
  return userValue<boolean>('vscodeTools', true) !== false;
}

function userValue<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(SECTION).inspect<T>(key)?.globalValue ?? fallback;
}

/** The effective value in a trusted workspace; in an untrusted one, the user's own. */
function trustedValue<T>(key: string, fallback: T): T {
  return vscode.workspace.isTrusted ? vscode.workspace.getConfiguration(SECTION).get<T>(key, fallback) : userValue(key, fallback);
}

function isDeclaration(value: unknown): value is ProviderDeclaration {
  const record = value as Partial<ProviderDeclaration> | null;
  return typeof record?.id === 'string' && typeof record.type === 'string' && typeof record.baseUrl === 'string' && /^https?:\/\//.test(record.baseUrl);
}

export function affectsPatchbay(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
