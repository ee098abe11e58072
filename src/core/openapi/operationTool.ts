/** One operation as a tool: its name, its arguments' schema, what the approval card shows, and the call. */
import type { ToolDefinition } from '../api';
import { argumentSchema } from './argumentSchema';
import { prepareRequest, sendRequest, ToolCallError, type ToolCallOptions } from './httpCall';
import type { ArgumentBinding, Operation } from './operationTypes';
import { toolDescription } from './operations';
import type { RefResolver } from './refResolver';
import { applyAuth, type AuthRequirement } from './requestAuth';
import { serverUrl } from './serverUrl';
import type { SpecDocument } from './specDocument';

interface ToolContext {
  name: string;
  spec: SpecDocument;
  resolver: RefResolver;
  baseUrl: string;
  /** The user's base URL from config.yaml: it wins over the spec's servers. */
  override: string | undefined;
  trustedOrigin: string;
  auth: AuthRequirement | undefined;
  pluginDescription: string | undefined;
  config: Readonly<Record<string, unknown>>;
  limits: ToolCallOptions;
}

export function operationTool(operation: Operation, context: ToolContext): ToolDefinition {
  let built: { schema: Record<string, unknown>; bindings: ArgumentBinding[] } | undefined;
  // The argument schema of a big API's operation can be large: build it when first needed.
  const arguments_ = () => (built ??= argumentSchema(operation, context.resolver));
  const operationBase = context.override ?? (operation.servers ? serverUrl(context.spec, undefined, operation.servers) : undefined) ?? context.baseUrl;
  const request = (args: Record<string, unknown>) =>
    prepareRequest(operation.method, operationBase, operation.path, arguments_().bindings, args, operation.body?.contentType);
  return {
    name: context.name,
    description: toolDescription(operation, context.pluginDescription),
    get parameters() {
      return arguments_().schema;
    },
    describeCall(args) {
      try {
        const prepared = request(args);
        return { method: prepared.method, url: prepared.url.href };
      } catch {
        return { method: operation.method.toUpperCase(), url: `${operationBase}${operation.path}` };
      }
    },
    async invoke(args, call) {
      const prepared = request(args);
      if (context.auth) {
        const secret = context.config[context.auth.secretField];
        if (typeof secret !== 'string' || secret === '') {
          throw new ToolCallError(`this API needs "${context.auth.secretField}", which is not set; the user can set it with "Patchbay: Configure Plugin"`);
        }
        applyAuth(prepared, context.auth, secret, context.trustedOrigin);
      }
      return sendRequest(prepared, call.signal, context.limits);
    },
  };
}

/**
 * The tools of a plugin whose `name_for_model` had to be made valid (OpenAssistant's plugins
 * say "Web Retriever") are named "<name>_<operation>": ChatGPT-style plugins were shown to the
 * model inside the plugin's namespace, and an operation called "get_instructions" says little
 * on its own among other plugins' tools. Such a plugin did not load before, so no setting or
 * habit refers to its plain names; plugins with a valid name keep theirs. Only when every name
 * stays valid (64 characters at most) and distinct; otherwise the plain names are kept.
 */
export function prefixedToolNames(operations: readonly Operation[], modelName: string): Map<Operation, string> | undefined {
  const names = new Map<Operation, string>();
  for (const operation of operations) {
    const name = operation.toolName.toLowerCase().startsWith(`${modelName.toLowerCase()}_`) ? operation.toolName : `${modelName}_${operation.toolName}`;
    if (name.length > 64) return undefined;
    names.set(operation, name);
  }
  return new Set(names.values()).size === names.size ? names : undefined;
}
