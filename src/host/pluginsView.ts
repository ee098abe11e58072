/**
 * The Plugins view: every plugin Patchbay found, where it came from, whether it runs (and
 * if not, why), and what it registered. Each item's `contextValue` is
 * `plugin:<status>:<source>:<kind>`, which the menus in package.json match to offer only
 * the commands that fit that plugin.
 */
import * as vscode from 'vscode';
import type { ChatServices } from '../core/chatServices';
import { DisposableStore } from '../core/util/disposables';
import type { PluginRecord, PluginStatus } from '../core/plugins/pluginRuntime';
import type { McpServerStatus } from '../core/mcp/mcpStatus';
import { mcpServerContextValue, mcpServerDescription, mcpServerTooltip } from './mcpServerText';

export interface PluginNode {
  type: 'plugin';
  record: PluginRecord;
  /** For a shadowed plugin: the one loaded in its place. */
  winner?: PluginRecord;
}

interface LeafNode {
  type: 'leaf';
  id: string;
  label: string;
  icon: vscode.ThemeIcon;
  tooltip?: string;
}

/** The "MCP servers" group, and one server in it. */
interface McpGroupNode {
  type: 'mcpGroup';
}

export interface McpServerNode {
  type: 'mcpServer';
  status: McpServerStatus;
}

export type PluginTreeNode = PluginNode | LeafNode | McpGroupNode | McpServerNode;

export function isMcpServerNode(value: unknown): value is McpServerNode {
  return typeof value === 'object' && value !== null && (value as McpServerNode).type === 'mcpServer' && typeof (value as McpServerNode).status === 'object';
}

const MCP_STATE_ICONS: Record<McpServerStatus['state']['kind'], { icon: string; color?: string }> = {
  starting: { icon: 'loading~spin' },
  connected: { icon: 'check', color: 'testing.iconPassed' },
  failed: { icon: 'error', color: 'list.errorForeground' },
  stopped: { icon: 'debug-stop' },
  'waiting-for-consent': { icon: 'shield', color: 'list.warningForeground' },
  declined: { icon: 'lock' },
  refused: { icon: 'circle-slash' },
};

const REFRESH_DELAY_MS = 100;

interface StatusLook {
  text: string;
  icon: string;
  color?: string;
}

const STATUS_LOOKS: Record<PluginStatus, StatusLook> = {
  loading: { text: 'loading…', icon: 'loading~spin' },
  loaded: { text: 'loaded', icon: 'check', color: 'testing.iconPassed' },
  failed: { text: 'failed', icon: 'error', color: 'list.errorForeground' },
  'waiting-for-consent': { text: 'waiting for your permission', icon: 'shield', color: 'list.warningForeground' },
  'consent-denied': { text: 'not allowed to run', icon: 'lock' },
  'skipped-untrusted': { text: 'skipped (workspace not trusted)', icon: 'workspace-untrusted' },
  shadowed: { text: 'shadowed', icon: 'eye-closed' },
  disabled: { text: 'disabled', icon: 'circle-slash' },
};

/**
 * Statuses whose reason is worth its place in the line: a failure, and a workspace plugin
 * that would replace one of the user's ("it would replace your global plugin …").
 */
const SAYS_WHY: ReadonlySet<PluginStatus> = new Set(['failed', 'waiting-for-consent', 'consent-denied']);

/** Not running by configuration or precedence, rather than by what happened when loading. */
const SET_ASIDE: ReadonlySet<PluginStatus> = new Set(['shadowed', 'disabled', 'skipped-untrusted']);

// Checked in order: "provider type" must win over "provider".
const CONTRIBUTION_ICONS: [prefix: string, icon: string][] = [
  ['provider type ', 'server'],
  ['provider ', 'hubot'],
  ['tool ', 'tools'],
  ['filter ', 'filter'],
  ['action ', 'zap'],
  ['command ', 'terminal'],
  ['prompt template ', 'symbol-snippet'],
];

export function isPluginNode(value: unknown): value is PluginNode {
  return typeof value === 'object' && value !== null && (value as PluginNode).type === 'plugin' && typeof (value as PluginNode).record === 'object';
}

/** "loaded", "failed", "shadowed by workspace"... */
export function statusText(record: PluginRecord, winner?: PluginRecord): string {
  if (record.status === 'shadowed' && winner) return `shadowed by ${winner.candidate.source}`;
  return STATUS_LOOKS[record.status].text;
}

export class PluginsView implements vscode.TreeDataProvider<PluginTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<PluginTreeNode>;
  private readonly disposables = new DisposableStore();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly services: ChatServices) {
    this.view = vscode.window.createTreeView('patchbay.pluginsView', { treeDataProvider: this });
    // A sync changes many plugins' statuses in a burst; one redraw after it settles is enough.
    const subscription = services.plugins.onDidChange(() => this.scheduleRefresh());
    // A tool found broken when called is listed with its error.
    const toolChanges = services.plugins.registry.onDidChange((kind) => {
      if (kind === 'tool') this.scheduleRefresh();
    });
    const mcpChanges = services.mcp.onDidChange(() => this.scheduleRefresh());
    for (const disposable of [this.view, this.changed, subscription, toolChanges, mcpChanges]) this.disposables.add(disposable);
  }

  getChildren(node?: PluginTreeNode): PluginTreeNode[] {
    // The view is shown: the plugins it lists must be loaded — a moment later, so that a chat
    // opening together with this view paints first.
    if (!node && !this.services.isStarted) setTimeout(() => void this.services.start(), 300);
    if (!node) {
      const servers = this.services.mcp.statuses();
      return [...(servers.length > 0 ? [{ type: 'mcpGroup' } as const] : []), ...this.pluginNodes()];
    }
    switch (node.type) {
      case 'plugin':
        return leavesOf(node.record);
      case 'mcpGroup':
        return this.services.mcp.statuses().map((status) => ({ type: 'mcpServer', status }));
      case 'mcpServer':
        return mcpLeavesOf(node.status);
      case 'leaf':
        return [];
    }
  }

  getTreeItem(node: PluginTreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'plugin':
        return pluginItem(node);
      case 'leaf':
        return leafItem(node);
      case 'mcpGroup': {
        const item = new vscode.TreeItem('MCP servers', vscode.TreeItemCollapsibleState.Expanded);
        item.id = 'mcp-servers';
        item.iconPath = new vscode.ThemeIcon('server-process');
        item.contextValue = 'mcpServers';
        return item;
      }
      case 'mcpServer':
        return mcpServerItem(node.status);
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.disposables.dispose();
  }

  private pluginNodes(): PluginNode[] {
    const records = this.services.plugins.records();
    this.updateBadge(records);
    const winners = new Map(records.filter((record) => record.status !== 'shadowed').map((record) => [record.candidate.id, record]));
    return [...records]
      .sort((a, b) => rank(a) - rank(b) || a.candidate.id.localeCompare(b.candidate.id) || a.candidate.source.localeCompare(b.candidate.source))
      .map((record) => {
        const winner = record.status === 'shadowed' ? winners.get(record.candidate.id) : undefined;
        return winner ? { type: 'plugin', record, winner } : { type: 'plugin', record };
      });
  }

  private updateBadge(records: readonly PluginRecord[]): void {
    const failed = records.filter((record) => record.status === 'failed').length;
    this.view.badge = failed > 0 ? { value: failed, tooltip: `${failed} plugin${failed === 1 ? '' : 's'} failed to load` } : undefined;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
    }, REFRESH_DELAY_MS);
  }
}

function rank(record: PluginRecord): number {
  return SET_ASIDE.has(record.status) ? 1 : 0;
}

function pluginItem(node: PluginNode): vscode.TreeItem {
  const { record } = node;
  const { candidate } = record;
  const expandable = leavesOf(record).length > 0;
  const item = new vscode.TreeItem(candidate.displayName || candidate.id, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  // Keyed by location, so expanded items stay expanded across reloads.
  item.id = `plugin:${candidate.location}`;
  const status = statusText(record, node.winner);
  item.description = `${candidate.source} · ${status}${SAYS_WHY.has(record.status) && record.detail ? `: ${firstLine(record.detail, 80)}` : ''}`;
  const look = STATUS_LOOKS[record.status];
  item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
  item.tooltip = pluginTooltip(record, status);
  item.contextValue = `plugin:${record.status}:${candidate.source}:${candidate.kind}`;
  item.command = { command: 'patchbay.openPluginFile', title: 'Open Plugin File', arguments: [node] };
  return item;
}

function pluginTooltip(record: PluginRecord, status: string): vscode.MarkdownString {
  const { candidate } = record;
  // Plain markdown with every plugin-supplied text escaped: no command links, no HTML.
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**').appendText(candidate.displayName).appendMarkdown('** `').appendText(candidate.id).appendMarkdown('`');
  if (candidate.description) tooltip.appendMarkdown('\n\n').appendText(candidate.description);
  const facts: [string, string | undefined][] = [
    ['Status', status],
    ['Source', candidate.source],
    ['Kind', candidate.kind === 'code' ? 'code plugin' : 'OpenAPI tool plugin'],
    ['Version', candidate.version],
    ['Path', candidate.location],
  ];
  let separator = '\n\n';
  for (const [name, value] of facts) {
    if (!value) continue;
    tooltip.appendMarkdown(`${separator}${name}: `).appendText(value);
    separator = '  \n';
  }
  if (record.detail) {
    tooltip.appendMarkdown(record.status === 'failed' ? '\n\n**Error**\n\n' : '\n\n**Why**\n\n');
    tooltip.appendCodeblock(record.detail, 'text');
  }
  return tooltip;
}

function leavesOf(record: PluginRecord): LeafNode[] {
  const base = `leaf:${record.candidate.location}`;
  const problems: LeafNode[] = record.settingsProblems.map((problem, index) => ({
    type: 'leaf',
    id: `${base}:problem:${index}`,
    label: problem.message,
    icon: new vscode.ThemeIcon(problem.severity === 'error' ? 'error' : 'warning', new vscode.ThemeColor(problem.severity === 'error' ? 'list.errorForeground' : 'list.warningForeground')),
    tooltip: `Setting problem: ${problem.message}`,
  }));
  const contributions: LeafNode[] = record.contributions.map((text) => {
    // "tool x — error: …": a contribution found broken (see ContributionRegistry.reportToolProblem).
    const broken = text.includes(' — error: ');
    return {
      type: 'leaf',
      id: `${base}:contribution:${text}`,
      label: text,
      icon: broken
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'))
        : new vscode.ThemeIcon(CONTRIBUTION_ICONS.find(([prefix]) => text.startsWith(prefix))?.[1] ?? 'symbol-misc'),
      ...(broken ? { tooltip: text } : {}),
    };
  });
  return [...problems, ...contributions];
}

function mcpServerItem(status: McpServerStatus): vscode.TreeItem {
  const expandable = mcpLeavesOf(status).length > 0;
  const item = new vscode.TreeItem(status.name, expandable ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  item.id = `mcp-server:${status.name}`;
  item.description = mcpServerDescription(status);
  item.tooltip = mcpServerTooltip(status);
  const look = MCP_STATE_ICONS[status.state.kind];
  item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
  item.contextValue = mcpServerContextValue(status);
  return item;
}

function mcpLeavesOf(status: McpServerStatus): LeafNode[] {
  const base = `mcp-leaf:${status.name}`;
  const leaf = (kind: string, label: string, icon: vscode.ThemeIcon, tooltip?: string): LeafNode => ({ type: 'leaf', id: `${base}:${kind}:${label}`, label, icon, ...(tooltip ? { tooltip } : {}) });
  return [
    ...status.problems.map((problem) => leaf('problem', problem, new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')), problem)),
    ...status.tools.map((tool) => leaf('tool', `tool ${tool}`, new vscode.ThemeIcon('tools'))),
    ...status.prompts.map((prompt) => leaf('prompt', `prompt /${prompt}`, new vscode.ThemeIcon('symbol-snippet'))),
  ];
}

function leafItem(node: LeafNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.iconPath = node.icon;
  if (node.tooltip) item.tooltip = node.tooltip;
  item.contextValue = 'pluginDetail';
  return item;
}

function firstLine(text: string, max: number): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
