/**
 * The stand-ins an isolated plugin's registrations become on the real plugin context: the
 * worker sends a definition as data with each function as a handle, and the stand-in's
 * functions call those handles, so the runtime's rules apply to them like to any plugin's.
 */
import type {
  ActionDefinition,
  CallContext,
  CallSignal,
  JsonSchema,
  ChatRequest,
  CommandDefinition,
  ContextItem,
  ContextProviderDefinition,
  ContextSuggestion,
  Disposable,
  EndpointConfig,
  EndpointServices,
  FilterDefinition,
  ModelInfo,
  ModelManagement,
  PluginContext,
  PullProgress,
  PromptTemplateDefinition,
  ProviderInstance,
  ProviderTypeDefinition,
  StandaloneProviderDefinition,
  TemplateLoaderDefinition,
  TemplateListing,
  LoadedTemplate,
  ToolDefinition,
} from '../../api';
import { streamsInBatches } from './batchedStreamFilter';
import { describesCallInWorker, isCallShape } from './describedInWorker';
import type { WorkerCalls } from './workerCalls';
import { isFunctionHandle, MANAGEMENT, SCHEMA_TEXT, type CallShape, type ContributionKind, type FunctionHandle } from './workerMessages';

export class StandIns {
  /** The services of each provider instance made in the worker, which asks them for its API key. */
  private readonly endpointServices = new Map<number, EndpointServices>();

  constructor(private readonly calls: WorkerCalls) {}

  endpointOf(instance: number): EndpointServices | undefined {
    return this.endpointServices.get(instance);
  }

  /** The worker stopped: its instances are gone. */
  forgetEndpoints(): void {
    this.endpointServices.clear();
  }

  /** Registers on the real context a stand-in whose functions call the worker's. */
  registerOn(context: PluginContext, kind: ContributionKind, descriptor: Record<string, unknown>): Disposable {
    const { calls } = this;
    const handle = (name: string): number | undefined => {
      const value = descriptor[name];
      return isFunctionHandle(value) ? value.handle : undefined;
    };
    const data = Object.fromEntries(Object.entries(descriptor).filter(([, value]) => !isFunctionHandle(value)));
    const required = (name: string): number => {
      const found = handle(name);
      if (found === undefined) throw new Error(`the ${kind} has no "${name}" function`);
      return found;
    };
    switch (kind) {
      case 'tool': {
        const invoke = required('invoke');
        const describe = handle('describeCall');
        // `describeCall` answers synchronously, which a worker cannot: the worker sent what it
        // says for no arguments (method and URL template), and the arguments are filled in here.
        const { callShape, [SCHEMA_TEXT]: schemaText, ...definition } = data;
        const shape = isCallShape(callShape) ? callShape : undefined;
        const tool = {
          ...definition,
          ...(shape ? { describeCall: (args: Record<string, unknown>) => describedCall(shape, args) } : {}),
          invoke: (args: Record<string, unknown>, call: CallContext) => calls.call(invoke, [args], 'context', call.signal, { emits: call }),
          ...(describe !== undefined ? { [describesCallInWorker]: (args: Record<string, unknown>) => calls.call(describe, [args], 'none') } : {}),
        } as ToolDefinition;
        if (typeof schemaText === 'string') defineSchemaFromText(tool, schemaText);
        return context.registerTool(tool);
      }
      case 'filter': {
        const [inlet, stream, outlet] = [handle('inlet'), handle('stream'), handle('outlet')];
        return context.registerFilter({
          ...data,
          ...(inlet !== undefined ? { inlet: (request: unknown, call: CallContext) => calls.call(inlet, [request], 'context', call.signal, { editsArgument: true, emits: call }) } : {}),
          ...(outlet !== undefined ? { outlet: (answer: unknown, call: { signal: AbortSignal }) => calls.call(outlet, [answer], 'context', call.signal, { editsArgument: true }) } : {}),
          ...(stream !== undefined
            ? { [streamsInBatches]: (pieces: readonly unknown[], call: CallContext) => calls.call(stream, [pieces], 'context', call.signal, { eachOf: true, emits: call }) as Promise<unknown[][]> }
            : {}),
          // The data came from the worker and is checked by the registry, like any definition.
        } as unknown as FilterDefinition);
      }
      case 'action': {
        const run = required('run');
        return context.registerAction({ ...data, run: (message, call) => calls.call(run, [message], 'context', call.signal) } as ActionDefinition);
      }
      case 'command': {
        const run = required('run');
        return context.registerCommand({ ...data, run: (call) => calls.call(run, [], 'context', call.signal) } as CommandDefinition);
      }
      case 'promptTemplate': {
        const template = handle('template');
        return context.registerPromptTemplate({
          ...data,
          ...(template !== undefined ? { template: (input: string, call: CallContext) => calls.call(template, [input], 'context', call.signal) as Promise<string> } : {}),
        } as PromptTemplateDefinition);
      }
      case 'contextProvider': {
        const [resolve, complete, describeResolve] = [required('resolve'), handle('complete'), handle('describeResolve')];
        return context.registerContextProvider({
          ...data,
          resolve: (query: string, call: CallContext) => calls.call(resolve, [query], 'context', call.signal) as Promise<ContextItem>,
          ...(complete !== undefined ? { complete: (query: string, call: CallContext) => calls.call(complete, [query], 'context', call.signal) as Promise<ContextSuggestion[]> } : {}),
          ...(describeResolve !== undefined ? { describeResolve: (query: string) => calls.call(describeResolve, [query], 'none') as Promise<{ method: string; url: string } | undefined> } : {}),
          // The data came from the worker and is checked by the registry, like any definition.
        } as ContextProviderDefinition);
      }
      case 'templateLoader': {
        const [load, list] = [required('load'), handle('list')];
        return context.registerTemplateLoader({
          ...data,
          load: (name: string, call: CallContext) => calls.call(load, [name], 'context', call.signal) as Promise<LoadedTemplate | undefined>,
          ...(list !== undefined ? { list: (call: CallContext) => calls.call(list, [], 'context', call.signal) as Promise<TemplateListing[]> } : {}),
        } as TemplateLoaderDefinition);
      }
      case 'provider': {
        const [listModels, chat] = [required('listModels'), required('chat')];
        return context.registerProvider({
          ...data,
          id: data.id as string,
          label: data.label as string,
          listModels: async (signal: AbortSignal) => (await calls.call(listModels, [], 'signal', signal)) as ModelInfo[],
          chat: (request: ChatRequest, signal: CallSignal) => calls.stream(Promise.resolve(chat), [request], signal, signal),
        } as StandaloneProviderDefinition);
      }
      case 'providerType': {
        const create = required('create');
        return context.registerProviderType({
          ...data,
          create: (endpoint: EndpointConfig, services: EndpointServices) => this.instance(create, endpoint, services),
        } as ProviderTypeDefinition);
      }
    }
  }

  /** A provider instance made in the worker; the API's `create` is synchronous, so it answers once the worker has made it. */
  private instance(create: number, endpoint: unknown, services: EndpointServices): ProviderInstance {
    const { calls } = this;
    const instance = calls.newId();
    this.endpointServices.set(instance, services);
    const made = calls.call(create, [endpoint], 'none', undefined, { instance }) as Promise<Record<string, FunctionHandle | undefined>>;
    made.catch(() => undefined);
    const handleOf = async (name: string): Promise<number> => {
      const found = (await made)[name];
      if (!found) throw new Error(`the provider instance has no "${name}" function`);
      return found.handle;
    };
    let handles: Record<string, FunctionHandle | undefined> | undefined;
    made.then((found) => (handles = found)).catch(() => undefined);
    // The instance's model management is known once the worker has made it: `create` returns at once.
    const management: ModelManagement = {
      pull: async (name, onProgress, signal) => {
        for await (const progress of calls.stream(handleOf(MANAGEMENT.pull), [name], signal)) onProgress(progress as unknown as PullProgress);
      },
      delete: async (name, signal) => void (await calls.call(await handleOf(MANAGEMENT.delete), [name], 'signal', signal)),
      details: async (name, signal) => (await calls.call(await handleOf(MANAGEMENT.details), [name], 'signal', signal)) as Record<string, string>,
    };
    return {
      listModels: async (signal) => (await calls.call(await handleOf('listModels'), [], 'signal', signal)) as ModelInfo[],
      chat: (request, signal) => calls.stream(handleOf('chat'), [request], signal, signal),
      get modelManagement() {
        return handles?.[MANAGEMENT.pull] ? management : undefined;
      },
      dispose: () => {
        this.endpointServices.delete(instance);
        void made.then((found) => found.dispose && calls.call(found.dispose.handle, [], 'none')).catch(() => undefined);
      },
      // Undefined from the getter reads as "no model management", as an absent property does.
    } as ProviderInstance;
  }
}

/** `parameters` parsed from the worker's JSON text when first read (the registry takes a getter as lazy). */
function defineSchemaFromText(tool: ToolDefinition, text: string): void {
  let parsed: JsonSchema | undefined;
  Object.defineProperty(tool, 'parameters', {
    get: () => (parsed ??= JSON.parse(text) as JsonSchema),
    enumerable: true,
    configurable: true,
  });
}


/** The URL template's `{name}`s filled in with the call's arguments (those it has). */
function describedCall(shape: CallShape, args: Record<string, unknown>): CallShape {
  const url = shape.url.replace(/\{([^}]+)\}/g, (template, name: string) => {
    const value = args[name];
    return value === undefined || value === null || typeof value === 'object' ? template : encodeURIComponent(String(value));
  });
  return { method: shape.method.toUpperCase(), url };
}
