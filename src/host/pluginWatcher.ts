/**
 * Watches the global and workspace plugin folders. Changes are collected for a moment
 * (editors and unzips write in bursts) and then only the plugins under the changed paths
 * reload; new plugins load and deleted ones unload, with no window reload.
 */
import * as vscode from 'vscode';

export class PluginWatcher implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    globalPluginsFolder: string,
    private readonly onChange: (changedPaths: ReadonlySet<string>) => void,
    private readonly debounceMs = 300,
  ) {
    this.watch(new vscode.RelativePattern(vscode.Uri.file(globalPluginsFolder), '**'));
    this.watch('**/.patchbay/plugins/**');
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private watch(pattern: vscode.GlobPattern): void {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    const note = (uri: vscode.Uri) => this.note(uri.fsPath);
    this.disposables.push(watcher, watcher.onDidChange(note), watcher.onDidCreate(note), watcher.onDidDelete(note));
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
