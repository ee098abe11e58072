/**
 * Workspace tools: what a model may do with the workspace's files, through the plugin API
 * only (`context.services.workspace`), like any other plugin.
 */
import type { PluginContext } from '../../../src/core/api';
import { registerEditTools } from './editTools';
import { registerReadTools } from './readTools';

export function activate(context: PluginContext): void {
  registerEditTools(context);
  registerReadTools(context);
}
