import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveWorkspaceFile } from '../../../src/host/workspaceFile';

describe('resolveWorkspaceFile (addFileContext from the webview)', () => {
  let root: string;
  let workspace: string;
  let secondFolder: string;
  let outside: string;

  before(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'patchbay-workspace-file-')));
    workspace = path.join(root, 'workspace');
    secondFolder = path.join(root, 'second');
    outside = path.join(root, 'home');
    await mkdir(path.join(workspace, 'src'), { recursive: true });
    await mkdir(secondFolder);
    await mkdir(path.join(outside, '.ssh'), { recursive: true });
    await writeFile(path.join(workspace, 'src', 'app.ts'), 'export {};');
    await writeFile(path.join(workspace, '..notes.md'), 'a file whose name starts with two dots');
    await writeFile(path.join(secondFolder, 'only-here.md'), '# second');
    await writeFile(path.join(outside, '.ssh', 'id_ed25519'), 'PRIVATE KEY');
    await symlink(path.join(outside, '.ssh', 'id_ed25519'), path.join(workspace, 'innocent.txt'));
    await symlink(path.join(outside, '.ssh'), path.join(workspace, 'keys'));
    await symlink(path.join(workspace, 'src', 'app.ts'), path.join(workspace, 'app-link.ts'));
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads a file inside a workspace folder, by its workspace-relative path', async () => {
    assert.deepEqual(await resolveWorkspaceFile('src/app.ts', [workspace]), { file: path.join(workspace, 'src', 'app.ts') });
    assert.deepEqual(await resolveWorkspaceFile('..notes.md', [workspace]), { file: path.join(workspace, '..notes.md') });
  });

  it('follows a link that stays inside the workspace', async () => {
    assert.deepEqual(await resolveWorkspaceFile('app-link.ts', [workspace]), { file: path.join(workspace, 'src', 'app.ts') });
  });

  it('finds a file in another workspace folder', async () => {
    assert.deepEqual(await resolveWorkspaceFile('only-here.md', [workspace, secondFolder]), { file: path.join(secondFolder, 'only-here.md') });
  });

  it('refuses paths that climb out of the workspace', async () => {
    const result = await resolveWorkspaceFile('../home/.ssh/id_ed25519', [workspace]);
    assert.deepEqual(result, { refused: 'only files inside the workspace can be added; this path leads out of it' });
    assert.ok('refused' in (await resolveWorkspaceFile('src/../../home/.ssh/id_ed25519', [workspace])));
  });

  it('refuses absolute paths, even to a file inside the workspace', async () => {
    assert.deepEqual(await resolveWorkspaceFile(path.join(outside, '.ssh', 'id_ed25519'), [workspace]), { refused: 'only files inside the workspace can be added; this path is absolute' });
    assert.ok('refused' in (await resolveWorkspaceFile(path.join(workspace, 'src', 'app.ts'), [workspace])));
    assert.ok('refused' in (await resolveWorkspaceFile('C:\\Users\\me\\.ssh\\id_ed25519', [workspace])));
  });

  it('refuses a link inside the workspace that points outside it, and files through a linked folder', async () => {
    const refusal = { refused: 'only files inside the workspace can be added; this one is a link to a file outside it' };
    assert.deepEqual(await resolveWorkspaceFile('innocent.txt', [workspace]), refusal);
    assert.deepEqual(await resolveWorkspaceFile('keys/id_ed25519', [workspace]), refusal);
  });

  it('says why when there is nothing to read', async () => {
    assert.deepEqual(await resolveWorkspaceFile('missing.ts', [workspace]), { refused: 'no workspace folder has this file' });
    assert.deepEqual(await resolveWorkspaceFile('src', [workspace]), { refused: 'it is not a file' });
    assert.deepEqual(await resolveWorkspaceFile('src/app.ts', []), { refused: 'no workspace folder is open' });
    assert.deepEqual(await resolveWorkspaceFile('a\0b', [workspace]), { refused: 'that is not a file name' });
  });
});
