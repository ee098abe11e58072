/**
 * The global `~/.patchbay/config.yaml` (PATCHBAY_HOME moves `~/.patchbay`) and each
 * workspace folder's `.patchbay/config.yaml`. Problems are shown in the Problems panel at
 * their line and column; a file with errors leaves its last good version in force, so a
 * typo never takes the chat down. Workspace files are read only in a trusted workspace.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfigProblem, PatchbayConfig, TextRange } from '../core/config/configTypes';
import { mergeModelOverrides, mergePluginSections, type MergedPlugins } from '../core/config/mergeConfig';
import { mergeToolCalling } from '../core/tools/toolCallingConfig';
import { declaredSpecCandidates } from '../core/openapi/declaredSpecs';
import type { PluginCandidate } from '../core/plugins/discovery';
import type { ToolCallingSettings } from '../core/tools/toolSessions';
import type * as ConfigParsing from '../core/config/parseConfig';
import type { PluginRecord } from '../core/plugins/pluginRuntime';
import type { Logger } from '../core/ports';
import { DisposableStore } from '../core/util/disposables';
import type { EndpointLayer, RefusedEndpoint } from '../core/providers/endpointLayers';
import type { ModelEntryProblem, ModelLayer } from '../core/providers/modelAliases';
import type * as McpDeclarationFiles from '../core/mcp/mcpDeclarationFiles';
import type { McpDeclarationFile } from '../core/mcp/mcpDeclarationFiles';
import type { McpDefinitions } from '../core/mcp/mcpDefinitions';

// Late modules (see esbuild.mjs): parsed on the first config read, after the chat has opened, not while VS Code activates Patchbay.
const configParsing = () => require('../core/config/parseConfig') as typeof ConfigParsing;
const mcpDeclarationFiles = () => require('../core/mcp/mcpDeclarationFiles') as typeof McpDeclarationFiles;

export function patchbayHome(): string {
  const override = process.env['PATCHBAY_HOME'];
  return override && override.trim() !== '' ? path.resolve(override) : path.join(os.homedir(), '.patchbay');
}

export function globalConfigUri(): vscode.Uri {
  return vscode.Uri.file(path.join(patchbayHome(), 'config.yaml'));
}

export function workspaceConfigUri(folder: vscode.WorkspaceFolder): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, '.patchbay', 'config.yaml');
}

export function workspaceMcpJsonUri(folder: vscode.WorkspaceFolder): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json');
}

/** A workspace folder's `.vscode/mcp.json`, as last read (undefined: there is none). */
interface McpJsonFile {
  uri: vscode.Uri;
  folder: string;
  text: string | undefined;
}

interface LoadedFile {
  uri: vscode.Uri;
  source: 'global-config' | 'workspace-config';
  lastGood: PatchbayConfig | undefined;
  locate(path: readonly (string | number)[]): TextRange | undefined;
  fileProblems: vscode.Diagnostic[];
}

export class ConfigFiles implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('patchbay');
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private files: LoadedFile[] = [];
  private pluginDiagnostics = new Map<string, vscode.Diagnostic[]>();
  private endpointDiagnostics = new Map<string, vscode.Diagnostic[]>();
  private modelDiagnostics = new Map<string, vscode.Diagnostic[]>();
  private mcpJsonFiles: McpJsonFile[] = [];
  private mcp: McpDefinitions = { servers: [], problems: [] };
  private mcpDiagnostics = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  private readonly disposables = new DisposableStore();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  private watching = false;

  constructor(private readonly log: Logger) {
    this.disposables.add(this.diagnostics);
    this.disposables.add(this.changed);
  }

  /** Follows changes to the files from now on (once the chat has started: not at activation). */
  startWatching(): void {
    if (this.watching) return;
    this.watching = true;
    this.watch(new vscode.RelativePattern(vscode.Uri.file(patchbayHome()), 'config.yaml'));
    this.watch('**/.patchbay/config.yaml');
    this.watch('**/.vscode/mcp.json');
    this.disposables.add(vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleReload()));
    this.disposables.add(vscode.workspace.onDidGrantWorkspaceTrust(() => this.scheduleReload()));
  }

  /** Endpoint layers, least specific first: global, then each workspace folder. */
  endpointLayers(): EndpointLayer[] {
    return this.files.map((file) => ({ source: file.source, providers: file.lastGood?.providers ?? [], file: file.uri.toString() }));
  }

  plugins(): MergedPlugins {
    return mergePluginSections(this.files.map((file) => file.lastGood));
  }

  modelOverrides(): Record<string, { contextLength?: number; vision?: boolean }> {
    return mergeModelOverrides(this.files.map((file) => file.lastGood));
  }

  /** `models:` of each file (aliases and per-model defaults), least specific first. */
  modelLayers(): ModelLayer[] {
    return this.files.flatMap((file) => (file.lastGood?.models ? [{ source: file.source, models: file.lastGood.models, file: file.uri.toString() }] : []));
  }

  toolCalling(): Partial<ToolCallingSettings> {
    return mergeToolCalling(this.files.map((file) => file.lastGood));
  }

  /** Specs under `tools:`, relative paths resolved against the config file's own folder. */
  toolSpecCandidates(): PluginCandidate[] {
    return this.files.flatMap((file) =>
      declaredSpecCandidates(file.lastGood?.tools ?? [], path.dirname(file.uri.fsPath), file.source === 'workspace-config' ? 'workspace' : 'global'),
    );
  }

  /** The MCP servers of all files, merged (a workspace's only when it is trusted). */
  mcpDefinitions(): McpDefinitions {
    return this.mcp;
  }

  async reload(): Promise<void> {
    const wanted: { uri: vscode.Uri; source: LoadedFile['source'] }[] = [{ uri: globalConfigUri(), source: 'global-config' }];
    if (vscode.workspace.isTrusted) {
      for (const folder of vscode.workspace.workspaceFolders ?? []) wanted.push({ uri: workspaceConfigUri(folder), source: 'workspace-config' });
    } else if ((vscode.workspace.workspaceFolders ?? []).length > 0) {
      this.log.info('workspace is not trusted: its .patchbay/config.yaml is not read');
    }
    const previous = new Map(this.files.map((file) => [file.uri.toString(), file]));
    const next: LoadedFile[] = [];
    for (const { uri, source } of wanted) {
      const file = previous.get(uri.toString()) ?? { uri, source, lastGood: undefined, locate: () => undefined, fileProblems: [] };
      await this.readInto(file);
      next.push(file);
    }
    for (const [key, file] of previous) if (!next.some((item) => item.uri.toString() === key)) this.diagnostics.delete(file.uri);
    this.files = next;
    await this.readMcpJsonFiles();
    this.updateMcp();
    this.publish();
  }

  /**
   * Shows plugins' settings problems at the value in the most specific file that sets it
   * (or at the plugin's `plugins.config` entry when the value is missing).
   */
  showPluginProblems(records: readonly PluginRecord[]): void {
    this.pluginDiagnostics = new Map();
    for (const record of records) {
      for (const problem of record.settingsProblems) {
        const place = this.locateSetting(record.candidate.id, problem.field);
        if (!place) continue;
        const diagnostic = toDiagnostic({ ...place.range, severity: problem.severity, message: `plugin "${record.candidate.id}": ${problem.message}` });
        const key = place.file.uri.toString();
        this.pluginDiagnostics.set(key, [...(this.pluginDiagnostics.get(key) ?? []), diagnostic]);
      }
    }
    this.publish();
  }

  /** Shows each refused workspace endpoint at its `id` in its file (an empty list clears them). */
  showEndpointProblems(refused: readonly RefusedEndpoint[]): void {
    this.endpointDiagnostics = new Map();
    for (const entry of refused) {
      const file = this.files.find((item) => item.uri.toString() === entry.file);
      const range = file?.locate(['providers', entry.index, 'id']) ?? file?.locate(['providers', entry.index]);
      if (!file || !range) continue;
      const key = file.uri.toString();
      this.endpointDiagnostics.set(key, [...(this.endpointDiagnostics.get(key) ?? []), toDiagnostic({ ...range, severity: 'error', message: entry.message })]);
    }
    this.publish();
  }

  /** Shows each refused or broken `models:` entry at its `use:` (or its name) in its file (an empty list clears them). */
  showModelProblems(problems: readonly ModelEntryProblem[]): void {
    this.modelDiagnostics = new Map();
    for (const problem of problems) {
      const file = this.files.find((item) => item.uri.toString() === problem.file);
      const range = (problem.field ? file?.locate(['models', problem.name, problem.field]) : undefined) ?? file?.locate(['models', problem.name]);
      if (!file || !range) continue;
      const key = file.uri.toString();
      this.modelDiagnostics.set(key, [...(this.modelDiagnostics.get(key) ?? []), toDiagnostic({ ...range, severity: 'error', message: problem.message })]);
    }
    this.publish();
  }

  /** Applies an edit to the global or the first workspace folder's config file, creating it if needed. */
  async edit(scope: 'global' | 'workspace', change: (text: string) => string): Promise<vscode.Uri> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const uri = scope === 'workspace' && folder ? workspaceConfigUri(folder) : globalConfigUri();
    let text = '';
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
    }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(change(text)));
    await this.reload();
    return uri;
  }

  dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.disposables.dispose();
  }

  private locateSetting(pluginId: string, field: string): { file: LoadedFile; range: TextRange } | undefined {
    const head = field.split(/[.[]/)[0] ?? '';
    for (const file of [...this.files].reverse()) {
      const range =
        (head ? file.locate(['plugins', 'config', pluginId, head]) : undefined) ?? file.locate(['plugins', 'config', pluginId]);
      if (range) return { file, range };
    }
    return undefined;
  }

  private async readInto(file: LoadedFile): Promise<void> {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file.uri));
    } catch {
      // No file means no settings from it.
      file.lastGood = undefined;
      file.locate = () => undefined;
      file.fileProblems = [];
      return;
    }
    const { config, problems, locate } = configParsing().parseConfig(text);
    file.fileProblems = problems.map(toDiagnostic);
    if (config) {
      file.lastGood = config;
      file.locate = locate;
    } else {
      this.log.warn(`${file.uri.fsPath} has errors; ${file.lastGood ? 'the last good version stays in force' : 'it is ignored until fixed'}: ${problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('; ')}`);
    }
  }

  private async readMcpJsonFiles(): Promise<void> {
    const folders = vscode.workspace.isTrusted ? (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file') : [];
    const next: McpJsonFile[] = [];
    for (const folder of folders) {
      const uri = workspaceMcpJsonUri(folder);
      let text: string | undefined;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        text = undefined;
      }
      next.push({ uri, folder: folder.uri.fsPath, text });
    }
    for (const file of this.mcpJsonFiles) if (!next.some((item) => item.uri.toString() === file.uri.toString())) this.diagnostics.delete(file.uri);
    this.mcpJsonFiles = next;
  }

  /** The MCP servers of the files as read now, and their problems at their place in each file. */
  private updateMcp(): void {
    const firstFolder = (vscode.workspace.workspaceFolders ?? []).find((folder) => folder.uri.scheme === 'file')?.uri.fsPath;
    const declarations: McpDeclarationFile[] = [];
    const uris = new Map<string, vscode.Uri>();
    for (const file of this.files) {
      const folder = file.source === 'workspace-config' ? path.dirname(path.dirname(file.uri.fsPath)) : firstFolder;
      uris.set(file.uri.fsPath, file.uri);
      declarations.push({ file: file.uri.fsPath, scope: file.source === 'global-config' ? 'global' : 'workspace', workspaceFolder: folder, content: { kind: 'config', section: file.lastGood?.mcpServers, locate: file.locate } });
      const json = this.mcpJsonFiles.find((item) => file.source === 'workspace-config' && item.folder === folder);
      if (json?.text !== undefined) {
        uris.set(json.uri.fsPath, json.uri);
        declarations.push({ file: json.uri.fsPath, scope: 'workspace', workspaceFolder: json.folder, content: { kind: 'vscode-json', text: json.text } });
      }
    }
    const { definitions, located } = mcpDeclarationFiles().mcpDeclarations(declarations, { workspaceTrusted: vscode.workspace.isTrusted, env: process.env });
    this.mcp = definitions;
    this.mcpDiagnostics = new Map();
    for (const json of this.mcpJsonFiles) this.mcpDiagnostics.set(json.uri.toString(), { uri: json.uri, diagnostics: [] });
    for (const problem of located) {
      const uri = uris.get(problem.file);
      if (!uri) continue;
      const entry = this.mcpDiagnostics.get(uri.toString()) ?? { uri, diagnostics: [] };
      entry.diagnostics.push(toDiagnostic({ ...problem.range, severity: 'error', message: problem.message }));
      this.mcpDiagnostics.set(uri.toString(), entry);
    }
  }

  private publish(): void {
    const uris = new Map<string, vscode.Uri>();
    for (const file of this.files) uris.set(file.uri.toString(), file.uri);
    for (const [key, entry] of this.mcpDiagnostics) uris.set(key, entry.uri);
    for (const [key, uri] of uris) {
      const file = this.files.find((item) => item.uri.toString() === key);
      this.diagnostics.set(uri, [
        ...(file?.fileProblems ?? []),
        ...(this.pluginDiagnostics.get(key) ?? []),
        ...(this.endpointDiagnostics.get(key) ?? []),
        ...(this.modelDiagnostics.get(key) ?? []),
        ...(this.mcpDiagnostics.get(key)?.diagnostics ?? []),
      ]);
    }
  }

  private watch(pattern: vscode.GlobPattern): void {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    this.disposables.add(watcher);
    this.disposables.add(watcher.onDidChange(() => this.scheduleReload()));
    this.disposables.add(watcher.onDidCreate(() => this.scheduleReload()));
    this.disposables.add(watcher.onDidDelete(() => this.scheduleReload()));
  }

  /** Editors save in bursts; one reload after they settle is enough. */
  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.reload().then(() => this.changed.fire());
    }, 300);
  }
}

function toDiagnostic(problem: ConfigProblem): vscode.Diagnostic {
  const endColumn = problem.endLine === problem.line ? Math.max(problem.endColumn - 1, problem.column) : problem.endColumn - 1;
  const range = new vscode.Range(problem.line - 1, problem.column - 1, problem.endLine - 1, endColumn);
  const diagnostic = new vscode.Diagnostic(range, problem.message, problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'Patchbay';
  return diagnostic;
}
