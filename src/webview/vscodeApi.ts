/**
 * The webview's only channel to the extension host. `acquireVsCodeApi` may be called once per
 * page load, so it is called here and nowhere else.
 */
import type { WebviewToHost } from '../protocol/messages';

/** Small UI state kept across the webview being hidden and shown; the host owns the conversation. */
export interface UiState {
  draft?: string;
}

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: UiState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function postToHost(message: WebviewToHost): void {
  api.postMessage(message);
}

export function loadUiState(): UiState {
  const state = api.getState();
  if (typeof state !== 'object' || state === null) return {};
  const draft = (state as { draft?: unknown }).draft;
  return typeof draft === 'string' ? { draft } : {};
}

export function saveUiState(state: UiState): void {
  api.setState(state);
}
