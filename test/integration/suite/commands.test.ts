import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { patchbay } from './patchbayExtension';

describe('Patchbay in the extension host', () => {
  it('activates when its chat is opened, and registers every command it contributes', async () => {
    const extension = patchbay();
    await vscode.commands.executeCommand('patchbay.openChat');
    await extension.activate();
    assert.equal(extension.isActive, true);
    const contributed = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((item) => item.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
    assert.ok(contributed.length >= 20, `${contributed.length} commands`);
  });

  it('shows its chat view: the view of its own container takes focus', async () => {
    await vscode.commands.executeCommand('patchbay.chatView.focus');
    await vscode.commands.executeCommand('patchbay.focusInput');
  });
});
