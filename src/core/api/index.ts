/**
 * Patchbay's plugin API: everything a plugin author needs, and nothing else.
 *
 * This file is self-contained (no imports, no runtime code) because it ships as is, as
 * `patchbay-plugin.d.ts`, for plugin authors' editors. The bundled plugins use exactly
 * these types. A plugin exports `activate(context)` and optionally `deactivate()`.
 */

// ---------------------------------------------------------------------------------------
// The plugin module and its context

export interface PatchbayPluginModule {
  activate(context: PluginContext): void | Promise<void>;
  deactivate?(): void | Promise<void>;
  /** For single-file plugins: the settings schema (folder plugins put it in package.json). */
  configSchema?: PluginConfigSchema;
}

export interface Disposable {
  dispose(): void;
}

export interface PluginContext {
  readonly pluginId: string;
  /** Writes to the Patchbay output channel under the plugin's id. */
  readonly log: PluginLogger;
  /** The plugin's settings: values from config.yaml over the schema's defaults, already checked. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Secrets saved for this plugin (its secret settings, set with "Patchbay: Configure Plugin"). */
  readonly secrets: PluginSecrets;
  readonly wire: WireHelpers;
  /** A kind of server that endpoints in config.yaml can name with `type:`. */
  registerProviderType(definition: ProviderTypeDefinition): Disposable;
  /** A provider that needs no endpoint configuration. */
  registerProvider(definition: StandaloneProviderDefinition): Disposable;
  /** A function the model may call. */
  registerTool(definition: ToolDefinition): Disposable;
  /** Changes requests before the provider, streamed events, or finished answers. */
  registerFilter(definition: FilterDefinition): Disposable;
  /** A button on each answer that runs plugin code with that message. */
  registerAction(definition: ActionDefinition): Disposable;
  /** An entry in "Patchbay: Run Plugin Command". */
  registerCommand(definition: CommandDefinition): Disposable;
  /** A slash command in the chat input. */
  registerPromptTemplate(definition: PromptTemplateDefinition): Disposable;
  /** An `@name` mention in the chat and an "Add Context" entry: its result becomes a context chip. */
  registerContextProvider(definition: ContextProviderDefinition): Disposable;
  /** What Patchbay offers plugins besides registering: small, typed ports to the editor. */
  readonly services: PluginServices;
  /** Slash commands `/prefix:name` whose templates the plugin loads from its own source when used. */
  registerTemplateLoader(definition: TemplateLoaderDefinition): Disposable;
  /**
   * An error the chat shows exactly as given, with a hint and recovery buttons. Anything
   * else a plugin throws is classified by the core (HTTP status, connection failure...).
   */
  problem(kind: ProblemKind, message: string, details?: ProblemDetails): Error;
}

export interface PluginLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface PluginSecrets {
  get(key: string): Promise<string | undefined>;
}

/** Passed to every call into a plugin: cancelled on Stop, on timeout, or when the plugin unloads. */
export interface CallContext {
  signal: AbortSignal;
  log: PluginLogger;
  /**
   * Where a long call reports how far it got (an MCP tool's `notifications/progress`), for the
   * tool's card; absent when nobody shows it.
   */
  reportProgress?(progress: CallProgress): void;
  /**
   * Images the call's result carries (an MCP tool's), as `data:image/…;base64,` URIs, for the
   * tool's card; anything else is dropped. Absent when nobody shows them.
   */
  reportImages?(dataUris: readonly string[]): void;
  /**
   * During an answer (a filter's `inlet` and `stream`, a provider's `chat`, a tool's `invoke`):
   * a status line under the answer while the plugin works ("searching docs…"); `{ done: true }`
   * clears it, and so does the end of the answer. At most 200 characters are shown; a plugin's
   * emits beyond 20 a second are dropped. Absent outside an answer.
   */
  status?(text: string, options?: { done?: boolean }): void;
  /**
   * During an answer: a source for the answer's "Sources" list, shown after it, saved with the
   * conversation and exported with it. A link must be `http:` or `https:` (any other is shown
   * as text); at most 50 sources an answer. Absent outside an answer.
   */
  cite?(citation: Citation): void;
  /**
   * During a tool call: the call's card shows the proposal (`services.workspace.proposeEdit`'s
   * receipt id, a proposal of this plugin) with Accept and Reject. Absent where no card shows it.
   */
  showProposal?(proposalId: string): void;
}

/** A source a plugin used for an answer (see `CallContext.cite`). */
export interface Citation {
  /** At most 200 characters. */
  title: string;
  /** An `http:` or `https:` URL, at most 2,048 characters. */
  url?: string;
  /** A short quote from the source, at most 500 characters. */
  snippet?: string;
}

/**
 * What a provider's `listModels` and `chat` (and a provider instance's) receive: an
 * AbortSignal — so a provider written as `chat(request, signal)` passes it to `fetch` as
 * before — that is also a CallContext: `signal` (itself) and `log`, so
 * `chat(request, { signal, log })` works too.
 */
export type CallSignal = AbortSignal & CallContext;

/** How far a call got: `progress` of `total` when the total is known, with an optional message. */
export interface CallProgress {
  progress: number;
  total?: number;
  message?: string;
}

// ---------------------------------------------------------------------------------------
// Settings ("valves")

/**
 * A JSON Schema of type object. Each property may carry `secret: true`: its value is kept in
 * VS Code's secret storage, never in a file, and still arrives in `context.config`.
 */
export interface PluginConfigSchema {
  type: 'object';
  properties: Record<string, PluginConfigProperty>;
  required?: string[];
  [keyword: string]: unknown;
}

export interface PluginConfigProperty {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  description?: string;
  default?: unknown;
  enum?: unknown[];
  secret?: boolean;
  [keyword: string]: unknown;
}

// ---------------------------------------------------------------------------------------
// Providers

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** On an assistant message: the tools it called. */
  toolCalls?: ToolCall[];
  /** On a tool message: the id of the call it answers. */
  toolCallId?: string;
  /** On a tool message: the name of the tool that answered. */
  name?: string;
  /**
   * On a user message: images the user attached, for models that read them. A provider that
   * knows nothing of images may ignore the field: the text in `content` stands on its own.
   */
  images?: ChatImage[];
}

/** An image with a question: PNG, JPEG, GIF or WebP, checked by its bytes, at most 5 MB. */
export interface ChatImage {
  mimeType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  /** The image's bytes, base64 (no `data:` prefix). */
  data: string;
}

/** A call the model made, with its arguments as the JSON text the model wrote. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** A tool as offered to the model. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: JsonSchema;
}

/** Generation options a user sets; a provider passes on the ones its server understands. */
export interface GenerationOptions {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
}

export interface ChatRequest {
  /** The model id as the provider listed it. */
  model: string;
  messages: ChatMessage[];
  options: GenerationOptions;
  /**
   * Tools the model may call natively (OpenAI `tools`, Ollama `tools`). Sent only to a
   * provider that says it passes them on (`supportsTools: true` on its definition, or
   * `capabilities.tools: true` on the model); any other gets the tools described in its
   * messages and answers with `<tool_call>` blocks in its text instead. A provider that
   * declares support but finds the server refuses tools should throw the server's error;
   * the core then falls back to describing them in the prompt.
   */
  tools?: ToolSpec[];
}

/**
 * What a provider yields while streaming. Ending the iterator means the answer is complete;
 * when the server's stream stops early, throw instead (the core keeps the partial answer,
 * marks it incomplete and offers Retry).
 */
export type ChatStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  /** The model declined to answer (OpenAI's `refusal`); shown apart from the answer, marked as a refusal. */
  | { type: 'refusal'; text: string }
  /** A complete tool call (a provider assembles streamed pieces before yielding it). */
  | { type: 'toolCall'; call: ToolCall }
  | { type: 'usage'; inputTokens?: number; outputTokens?: number }
  /**
   * Why the server ended the answer, as it said it: `stop`, `tool_calls`, `length` (the token
   * limit cut it off: the core marks the answer so and offers Continue), `content_filter`.
   */
  | { type: 'finish'; reason: string };

export interface ModelInfo {
  id: string;
  /** Shown in the picker; defaults to the id. */
  label?: string;
  /** The model's context window in tokens, when the server tells. */
  contextLength?: number;
  /** Extra facts for the picker (family, size, quantization...). */
  details?: string;
  /**
   * What the model can do, when the server tells; absent means unknown. `tools: true` gets
   * native `request.tools` even from a provider without `supportsTools`; `false` never does.
   * `vision: false` makes the chat refuse a question with images for the model before sending
   * it; `true` or absent sends them (config.yaml's `vision:` for the model goes over both).
   */
  capabilities?: { tools?: boolean; vision?: boolean };
}

export interface ProviderInstance {
  listModels(signal: CallSignal): Promise<ModelInfo[]>;
  chat(request: ChatRequest, signal: CallSignal): AsyncIterable<ChatStreamEvent>;
  /** For servers that manage their own models (Ollama): download, delete, describe. */
  modelManagement?: ModelManagement;
  /** Called when the endpoint is removed or the plugin unloads. */
  dispose?(): void;
}

export interface ModelManagement {
  /** Downloads a model, reporting progress; must stop when the signal aborts. */
  pull(name: string, onProgress: (progress: PullProgress) => void, signal: AbortSignal): Promise<void>;
  delete(name: string, signal: AbortSignal): Promise<void>;
  /** Facts to show about a model, label -> value (family, parameters, quantization, context length...). */
  details(name: string, signal: AbortSignal): Promise<Record<string, string>>;
}

export interface PullProgress {
  status: string;
  /** Bytes done and in all, when the server says. */
  completed?: number;
  total?: number;
}

/** One configured (or discovered) server a provider type talks to. */
export interface EndpointConfig {
  id: string;
  label: string;
  type: string;
  baseUrl: string;
  /** Provider-specific extras from config.yaml (`options:`), passed through untouched. */
  options: Record<string, unknown>;
}

/** What the core gives a provider instance: it never reads keys or settings itself. */
export interface EndpointServices {
  /** The API key saved for this endpoint's origin, if any (never a key saved for another origin). */
  getApiKey(): Promise<string | undefined>;
  /**
   * The endpoint's `headers:` from config.yaml, secret references filled in; send them with
   * every request. Throws a clear error when a referenced secret is not set.
   */
  headers(): Promise<Record<string, string>>;
  /** `fetch` that the core logs (method, URL, status; never headers); pass it to HTTP clients. */
  fetch: typeof fetch;
  log: PluginLogger;
}

/** A well-known local server the core probes without configuration. */
export interface LocalServerHint {
  id: string;
  label: string;
  baseUrl: string;
  /** How to start that server; shown when it cannot be reached. */
  startHint: string;
}

export interface ProviderTypeDefinition {
  /** The value of `type:` in config.yaml, e.g. `openai-compatible`. */
  type: string;
  displayName: string;
  /** Default ports to probe. Probing calls `listModels` with a short timeout. */
  localServers?: LocalServerHint[];
  /** Hint for a connection failure on an endpoint that is not one of `localServers`. */
  startHint?: string;
  /** Hint for a model the server does not have. `{model}` is replaced. */
  missingModelHint?: string;
  /**
   * The instances pass `request.tools` to their server and yield `toolCall` events. Without
   * it, tools are described in the prompt (see `ChatRequest.tools`).
   */
  supportsTools?: boolean;
  create(endpoint: EndpointConfig, services: EndpointServices): ProviderInstance;
}

export interface StandaloneProviderDefinition {
  /** Unique among providers; shown as the model picker's group. */
  id: string;
  label: string;
  /** `chat` passes `request.tools` on and yields `toolCall` events (see `ChatRequest.tools`). */
  supportsTools?: boolean;
  listModels(signal: CallSignal): Promise<ModelInfo[]>;
  chat(request: ChatRequest, signal: CallSignal): AsyncIterable<ChatStreamEvent>;
}

// ---------------------------------------------------------------------------------------
// Tools

/** A JSON Schema (draft 2020-12 / OpenAPI 3.1 style). */
export type JsonSchema = { [keyword: string]: unknown };

export interface ToolDefinition {
  /** Letters, digits, `_` and `-`, at most 64 characters (what model APIs accept). */
  name: string;
  description: string;
  /**
   * A JSON Schema of type object describing the arguments; the core checks arguments
   * against it before `invoke`. May be a getter: it is read only when the tool is offered.
   */
  parameters: JsonSchema;
  /** Returns what the model sees: a string, or anything JSON can carry. */
  invoke(args: Record<string, unknown>, context: CallContext): Promise<unknown>;
  /**
   * How a call looks as an HTTP request, for the approval card and the approval policy
   * (GET and HEAD may be always allowed; other methods are asked every time).
   */
  describeCall?(args: Record<string, unknown>): { method: string; url: string };
  /** Offered to the model only in a trusted workspace (a tool that proposes changes to its files). */
  requiresTrustedWorkspace?: boolean;
  /**
   * The tool only reads (nothing is changed, nothing is sent anywhere). A read-only tool of the
   * user's own plugins (bundled or global) runs without asking unless the user's rules say
   * otherwise (`toolApproval.deny`, `toolApproval.ask`, `default: deny`); a workspace plugin's
   * claim never loosens approval (it is asked about, and may be "always allowed"). In an
   * untrusted workspace only read-only tools are offered, each call asked about.
   */
  readOnly?: boolean;
}

// ---------------------------------------------------------------------------------------
// Filters (in the style of Open WebUI): request in, each streamed event, answer out

export interface FilterDefinition {
  /** Unique within the plugin. */
  id: string;
  /** Lower runs first (default 0); ties run in plugin id order. Each inlet and outlet call has 10 s. */
  priority?: number;
  /** Change the request before it goes to the provider: edit it in place, or return a new one. */
  inlet?(request: ChatRequest, context: CallContext): void | ChatRequest | Promise<void | ChatRequest>;
  /**
   * See or change each streamed piece of the answer. Return the event (changed or not), an
   * array to split it, or null to drop it. Runs on every token, so keep it fast and synchronous.
   * `context.signal` is the answer's (aborted on Stop).
   */
  stream?(event: FilterStreamEvent, context: CallContext): FilterStreamEvent | FilterStreamEvent[] | null | void;
  /** Change the finished answer. */
  outlet?(answer: FinishedAnswer, context: CallContext): void | FinishedAnswer | Promise<void | FinishedAnswer>;
}

export type FilterStreamEvent = { type: 'text'; text: string } | { type: 'reasoning'; text: string };

export interface FinishedAnswer {
  content: string;
  reasoning: string;
  /** The model that answered. */
  model: string;
}

// ---------------------------------------------------------------------------------------
// Actions, commands, prompt templates

export interface ActionDefinition {
  /** Unique within the plugin. */
  id: string;
  /** The button's label on each answer. */
  label: string;
  run(message: ActionMessage, context: CallContext): Promise<void | ActionResult>;
}

export interface ActionMessage {
  content: string;
  reasoning: string;
  model?: string;
  /** The question this message answers. */
  question: string;
}

/**
 * What an action or command asks Patchbay to do; any number of these at once, each checked
 * first (a result with an unknown field, the wrong type or too much text is refused whole with
 * an error naming the field). Texts are at most 1,000,000 characters unless said otherwise.
 */
export interface ActionResult {
  /** Shown to the user as a notification (at most 10,000 characters). */
  notify?: string;
  /** Replaces the text of the answer the action ran on (saved in history). Actions only. */
  replaceMessage?: string;
  /** Appended to the text of the answer the action ran on (saved in history). Actions only. */
  appendToMessage?: string;
  /** Inserted into the editor last used, replacing its selections, as one undo step. */
  insertText?: string;
  /** Opens a new untitled document; `language` is a VS Code language id (`python`, `markdown`). */
  openDocument?: { content: string; language?: string };
  /** A context chip for the next question, like an added file (`content` at most 100,000 characters). */
  addContext?: { title: string; content: string };
  /** A follow-up question: put into the chat input, or asked at once with `send: true`. */
  followUp?: { text: string; send?: boolean };
}

export interface CommandDefinition {
  /** Unique within the plugin. */
  id: string;
  title: string;
  run(context: CallContext): Promise<void | ActionResult>;
}

export interface PromptTemplateDefinition {
  /** Typed after a slash in the chat input: `/name`. Letters, digits, `-` and `_`. */
  name: string;
  description: string;
  /**
   * The text sent in place of `/name rest`: a string in which `{{input}}` is replaced by the
   * rest of the line, or a function of it (given a CallContext; it has 10 s).
   */
  template: string | ((input: string, context: CallContext) => string | Promise<string>);
}

/**
 * Templates from a source of the plugin's (a repository, a wiki, a folder of its own), typed
 * as `/prefix:name rest of the line`. Each call gets a CallContext and has 10 s.
 */
export interface TemplateLoaderDefinition {
  /** What goes before the colon. Letters, digits, `-` and `_`; one plugin's per chat. */
  prefix: string;
  description: string;
  /** The names to offer in the slash completion (asked when the loader registers, and on reload). */
  list?(context: CallContext): TemplateListing[] | Promise<TemplateListing[]>;
  /** The template called `name`: the shape of a prompt template, its `template` text; undefined when there is none. */
  load(name: string, context: CallContext): LoadedTemplate | undefined | Promise<LoadedTemplate | undefined>;
}

export interface TemplateListing {
  name: string;
  description?: string;
}

export interface LoadedTemplate {
  /** `{{input}}` is replaced by the rest of the line (without it, the input is appended). */
  template: string;
  description?: string;
  /** A model id (or alias) to answer with, as a template file's `model:`. */
  model?: string;
}

// ---------------------------------------------------------------------------------------
// Context providers (`@name` mentions whose result goes with the next question)

export interface ContextProviderDefinition {
  /** Typed after `@` in the chat: letters, digits, `-` and `_`, at most 40. Unique within the plugin. */
  name: string;
  /** Shown next to `@name` in the chat's list. */
  description: string;
  /**
   * What to type after `@name` (e.g. "a URL"). Without it, choosing `@name` adds its context at
   * once, resolved with an empty query.
   */
  queryHint?: string;
  /** Suggestions for what has been typed after `@name`, best first (it has 10 s; a failure shows none). */
  complete?(query: string, context: CallContext): ContextSuggestion[] | Promise<ContextSuggestion[]>;
  /** The context for a query: its text goes to the model with the next question (it has 30 s). */
  resolve(query: string, context: CallContext): ContextItem | Promise<ContextItem>;
  /**
   * How resolving this query looks as an HTTP request (a provider that fetches a page). When
   * given, `resolve` runs only if the user's `toolApproval` rules allow `plugin.name` for that
   * method, and asks the user first when they say "ask" — as for a tool's call.
   */
  describeResolve?(query: string): { method: string; url: string } | undefined | Promise<{ method: string; url: string } | undefined>;
}

export interface ContextSuggestion {
  /** What `resolve` receives when the user picks this suggestion. */
  query: string;
  /** Shown in the list; defaults to the query. */
  label?: string;
  description?: string;
}

export interface ContextItem {
  /** The chip's label, e.g. `Diff of the working tree`. */
  title: string;
  /** What the model reads. Longer text is cut at 100,000 characters. */
  text: string;
  /** Where the text came from, shown in the chip's tooltip. */
  uri?: string;
  /** The text's language (for its fence), e.g. `diff`, `markdown`. */
  language?: string;
}

/** Narrow ports to the editor that plugins may use; the core's plugins cannot import `vscode`. */
export interface PluginServices {
  readonly workspace: WorkspaceServices;
  readonly web: WebServices;
}

export interface WebServices {
  /**
   * GETs a page through Patchbay's guarded fetch: the host name resolved and every address
   * checked before connecting (link-local and cloud metadata addresses refused), redirects
   * followed only within the origin, at most 5 MB read, 20 s. It does not ask the user: a
   * context provider that fetches declares it with `describeResolve`. Throws a clear error
   * when the page cannot be had; an HTTP error status is returned, not thrown.
   */
  fetchPage(url: string, options?: { signal?: AbortSignal; accept?: string }): Promise<FetchedPage>;
}

export interface FetchedPage {
  /** Where the body came from, after redirects. */
  url: string;
  status: number;
  statusText: string;
  /** The `content-type` header as sent, `''` when there is none. */
  contentType: string;
  /** The body decoded as text (in the charset the page names, UTF-8 otherwise). */
  text: string;
  /** The page was larger than 5 MB and only its start was read. */
  truncated: boolean;
}

export interface WorkspaceServices {
  /**
   * The working tree's changes (staged and unstaged, against HEAD) of each workspace folder
   * that is in a git repository, as unified diff text; `''` when nothing changed. Read through
   * VS Code's git extension when it is present, else with `git diff`. Throws a clear error
   * when no folder is in a git repository.
   */
  gitDiff(): Promise<string>;
  /**
   * Proposes a change to one file of the workspace for the user's review; nothing is written.
   * VS Code's diff editor opens with the file's text against the proposed one, and the user
   * accepts (applied as one undo step) or rejects it there, or on the tool call's card when the
   * tool passes the receipt's id to `call.showProposal`. Resolves at once with the receipt; the
   * decision comes later. `path` is relative to the workspace folder (or absolute inside one).
   * Throws a clear error, meant for the model, when the path is outside the workspace folders
   * (or a `.env*` file the user did not attach), a search text is not found or found more than
   * once, a diff's hunk does not match, or the workspace is not trusted.
   */
  proposeEdit(change: ProposedFileChange): Promise<EditProposalReceipt>;

  // Reading the workspace. Paths are relative to a workspace folder (or `folderName/...` in a
  // multi-root workspace, or absolute inside one); a path leading outside the folders (`..`, a
  // symbolic link out) is refused, as are files ignored by `.gitignore`, VS Code's
  // `files.exclude` and `.env*` files, unless the user attached them to the conversation.
  // Each throws a clear error, meant for the model, naming the path.

  /**
   * A file's text (the editor's, unsaved changes included, when it is open): lines
   * `startLine`..`endLine` (1-based, inclusive), at most 400 lines and 100 KB a call. A file over
   * 1 MB read without a range gives its size, line count and outline instead.
   */
  readFile(path: string, range?: { startLine?: number; endLine?: number }): Promise<WorkspaceFileRead>;
  /** The workspace's files (or one folder's, or those matching a glob), sorted, at most 500. */
  listFiles(options?: { glob?: string; folder?: string }): Promise<WorkspaceFileList>;
  /**
   * Searches the files' text with VS Code's ripgrep: at most 200 matches in 50 files. `signal`
   * stops the search. Throws a clear error when ripgrep cannot be found.
   */
  searchText(query: WorkspaceTextQuery, options?: { signal?: AbortSignal }): Promise<WorkspaceTextMatches>;
  /** The editor's diagnostics of one file, or of the workspace; at most 200, errors first. */
  getProblems(path?: string): Promise<WorkspaceProblems>;
  /** The active editor's file, selection and selected text (at most 20,000 characters); undefined without an editor. */
  getSelection(): Promise<EditorSelection | undefined>;
}

/** What `readFile` gives: lines of text, or for a large file read whole, its outline. */
export type WorkspaceFileRead =
  | {
      kind: 'text';
      /** As the chat shows it (relative to its workspace folder). */
      path: string;
      startLine: number;
      endLine: number;
      totalLines: number;
      text: string;
      /** The text is the editor's, with changes not saved yet. */
      unsaved: boolean;
      /** What the caps cut, and how to read on; absent when nothing was cut. */
      cut?: string;
    }
  | { kind: 'outline'; path: string; bytes: number; totalLines: number; outline: { line: number; text: string }[] }
  | { kind: 'binary'; path: string; bytes: number };

export interface WorkspaceFileList {
  files: string[];
  /** How many matched (more than `files` holds when the list was cut). */
  total: number;
}

export interface WorkspaceTextQuery {
  query: string;
  isRegex?: boolean;
  caseSensitive?: boolean;
  /** Only files matching this glob (as in .gitignore), e.g. `*.ts` or `src/**`. */
  glob?: string;
}

export interface WorkspaceTextMatches {
  matches: { path: string; line: number; text: string }[];
  /** The caps stopped the search: there may be more. */
  truncated: boolean;
}

export interface WorkspaceProblems {
  problems: { path: string; line: number; severity: 'error' | 'warning' | 'information' | 'hint'; source?: string; message: string }[];
  total: number;
}

export interface EditorSelection {
  path: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  truncated: boolean;
}

/**
 * A change to one file: search/replace pairs (each `search` must occur exactly once), a
 * unified diff of that one file, or the whole text of a file that does not exist yet.
 */
export type ProposedFileChange =
  | { path: string; edits: { search: string; replace: string }[] }
  | { path: string; diff: string }
  | { path: string; content: string; create: true };

export interface EditProposalReceipt {
  /** For `call.showProposal`. */
  id: string;
  /** The file, as the chat shows it (relative to its workspace folder). */
  path: string;
  /** Lines added and removed, e.g. `+3 −1 lines`. */
  summary: string;
}

// ---------------------------------------------------------------------------------------
// Helpers the core provides, and its errors

/** `error`: an `event: error` with the server's message (from its JSON `error.message`, or its text). */
export type SseJsonItem = { kind: 'data'; value: unknown } | { kind: 'done' } | { kind: 'error'; message: string };

/** Byte-level parsing the core does for plugins, robust to the quirks real servers have. */
export interface WireHelpers {
  /**
   * JSON payloads of an SSE stream (`data: ...` events), tolerant of missing spaces, CRLF,
   * comments, events without blank lines between them and chunks split at any byte.
   * `[DONE]` arrives as `{ kind: 'done' }`.
   */
  sseJson(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncIterable<SseJsonItem>;
  /** One JSON value per non-empty line. */
  ndjson(body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>): AsyncIterable<unknown>;
}

export type ProblemKind =
  | 'connection'
  | 'auth'
  | 'model-not-found'
  | 'rate-limited'
  | 'server'
  | 'stalled'
  | 'interrupted'
  | 'wrong-endpoint'
  | 'bad-request'
  /** The chat refused a request because an answer is still streaming. */
  | 'busy'
  | 'cancelled'
  /** The answer reached the token limit (`finish_reason: "length"`): kept, and can be continued. */
  | 'token-limit'
  | 'plugin'
  | 'config'
  | 'unknown';

/** Buttons the chat may offer next to an error. */
export type RecoveryActionId = 'retry' | 'continue' | 'setApiKey' | 'selectModel' | 'refreshModels' | 'openConfig' | 'openSettings' | 'showLogs';

export interface ProblemDetails {
  /** What the user can do about it, in one or two sentences. */
  hint?: string;
  actions?: RecoveryActionId[];
  status?: number;
  url?: string;
  retryAfterMs?: number;
  cause?: unknown;
}
