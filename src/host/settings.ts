/** Reads Patchbay's VS Code settings into the shapes the core wants. */
import * as vscode from 'vscode';
import type { BackendSettings } from '../core/chatBackend';
import type { ProviderDeclaration } from '../core/config/configTypes';

const SECTION = 'patchbay';

export function readBackendSettings(): BackendSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const generation: BackendSettings['generation'] = {};
  const temperature = config.get<number | null>('temperature', null);
  const maxTokens = config.get<number | null>('maxTokens', null);
  const topP = config.get<number | null>('topP', null);
  const stop = config.get<string[]>('stop', []);
  if (typeof temperature === 'number') generation.temperature = temperature;
  if (typeof maxTokens === 'number') generation.maxTokens = maxTokens;
  if (typeof topP === 'number') generation.topP = topP;
  if (Array.isArray(stop) && stop.length > 0) generation.stop = stop.filter((item) => typeof item === 'string');
  const systemPrompt = config.get<string>('systemPrompt', '');
  return {
    discoverLocalServers: config.get<boolean>('discoverLocalServers', true),
    idleTimeoutMs: Math.max(1, config.get<number>('streamIdleTimeoutSeconds', 120)) * 1000,
    generation,
    ...(systemPrompt.trim() !== '' ? { systemPrompt } : {}),
  };
}

/** `patchbay.endpoints` is user-level only (scope: application): a workspace cannot move it. */
export function readEndpointSettings(): ProviderDeclaration[] {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown[]>('endpoints');
  const value = inspected?.globalValue ?? [];
  return Array.isArray(value) ? value.filter(isDeclaration) : [];
}

function isDeclaration(value: unknown): value is ProviderDeclaration {
  const record = value as Partial<ProviderDeclaration> | null;
  return typeof record?.id === 'string' && typeof record.type === 'string' && typeof record.baseUrl === 'string' && /^https?:\/\//.test(record.baseUrl);
}

export function affectsPatchbay(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SECTION);
}
