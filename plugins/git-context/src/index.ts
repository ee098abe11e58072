/**
 * `@git`: the working tree's diff (staged and unstaged) of the workspace's folders, as a
 * context chip. The diff comes from the editor's port (`context.services.workspace.gitDiff()`:
 * VS Code's git extension, or `git diff` without it); this plugin only names and shapes it.
 */
import type { PluginContext } from '../../../src/core/api';

export function activate(context: PluginContext): void {
  context.registerContextProvider({
    name: 'git',
    description: "The working tree's changes (staged and unstaged)",
    async resolve() {
      const diff = await context.services.workspace.gitDiff();
      if (diff.trim() === '') throw new Error('the working tree has no changes (nothing staged or unstaged)');
      return { title: 'Git diff of the working tree', language: 'diff', text: diff };
    },
  });
}
