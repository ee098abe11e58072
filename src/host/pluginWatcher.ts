/**
 * Watches the global and workspace plugin folders. Changes are collected for a moment
 * (editors and unzips write in bursts) and then only the plugins under the changed paths
 * reload; new plugins load and deleted ones unload, with no window reload.
 */
import * as vscode from 'vscode';
import { Disposable } from '../core/util/disposables';

export class PluginWatcher extends Disposable {
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    globalPluginsFolder: string,
    private readonly onChange: (changedPaths: ReadonlySet<string>) => void,
    private readonly debounceMs = 300,
  ) {
    super();
    this.register({ dispose: () => clearTimeout(this.timer) });
    this.watch(new vscode.RelativePattern(vscode.Uri.file(globalPluginsFolder), '**'));
    this.watch('**/.patchbay/plugins/**');
  }

  private watch(pattern: vscode.GlobPattern): void {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const note = (uri: vscode.Uri) => this.note(uri.fsPath);
    for (const disposable of [watcher, watcher.onDidChange(note), watcher.onDidCreate(note), watcher.onDidDelete(note)]) this.register(disposable);
  }

  private note(path: string): void {
    this.pending.add(path);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const changed = this.pending;
      this.pending = new Set();
      this.onChange(changed);
    }, this.debounceMs);
  }
}
