/**
 * Proposed edits, the pure part: search/replace and unified diffs applied to a file's text,
 * staleness, and where an edit may go (workspace folders by real path, no `..`, no `.env*`).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { editablePath } from '../../../src/core/workspace/edits/editablePath';
import { EditProposals, STALE_PROPOSAL, isStale, proposedText } from '../../../src/core/workspace/edits/editProposals';
import { EditRefused } from '../../../src/core/workspace/edits/editRefused';
import { applySearchReplace } from '../../../src/core/workspace/edits/searchReplace';
import { applyUnifiedDiff } from '../../../src/core/workspace/edits/unifiedDiff';

const FILE = 'function greet(name) {\n  return "Hello, " + name;\n}\n\nfunction part() {\n  return 1;\n}\n\nfunction other() {\n  return 1;\n}\n';

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof EditRefused, `expected an EditRefused, got ${String(error)}`);
    return error.message;
  }
  assert.fail('expected the edit to be refused');
}

describe('proposed edits: search and replace', () => {
  it('replaces text that occurs exactly once', () => {
    const result = applySearchReplace(FILE, [{ search: '"Hello, "', replace: '"Hi, "' }]);
    assert.equal(result, FILE.replace('"Hello, "', '"Hi, "'));
  });

  it('applies several edits in order, each to what the one before left', () => {
    const result = applySearchReplace(FILE, [
      { search: 'function part() {\n  return 1;', replace: 'function part() {\n  return 2;' },
      { search: 'return 2;', replace: 'return 3;' },
    ]);
    assert.match(result, /function part\(\) \{\n {2}return 3;/);
    assert.match(result, /function other\(\) \{\n {2}return 1;/);
  });

  it('refuses a search that is not in the file', () => {
    assert.match(refusal(() => applySearchReplace(FILE, [{ search: 'goodbye', replace: 'x' }])), /not found in the file/);
  });

  it('refuses a search found several times, saying how many', () => {
    assert.match(refusal(() => applySearchReplace(FILE, [{ search: 'return 1;', replace: 'return 5;' }])), /found 2 times/);
  });

  it('names which edit failed when there are several', () => {
    const message = refusal(() => applySearchReplace(FILE, [{ search: 'greet', replace: 'welcome' }, { search: 'missing', replace: '' }]));
    assert.match(message, /^edit 2: /);
  });

  it('matches a file with Windows line ends and keeps them', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const result = applySearchReplace(crlf, [{ search: 'function part() {\n  return 1;', replace: 'function part() {\n  return 9;' }]);
    assert.match(result, /function part\(\) \{\r\n {2}return 9;/);
    assert.ok(!/[^\r]\n/.test(result), 'every line end stays \\r\\n');
  });
});

describe('proposed edits: unified diffs', () => {
  const diff = ['--- a/greet.js', '+++ b/greet.js', '@@ -1,3 +1,3 @@', ' function greet(name) {', '-  return "Hello, " + name;', '+  return `Hello, ${name}!`;', ' }', ''].join('\n');

  it('applies a diff whose context matches', () => {
    assert.equal(applyUnifiedDiff(FILE, diff), FILE.replace('  return "Hello, " + name;', '  return `Hello, ${name}!`;'));
  });

  it('refuses a hunk whose removed line is not in the file, naming the hunk', () => {
    const wrong = diff.replace('-  return "Hello, " + name;', '-  return "Howdy, " + name;');
    assert.match(refusal(() => applyUnifiedDiff(FILE, wrong)), /the hunk \(@@ -1,3 \+1,3 @@\) does not match the file/);
  });

  it('refuses text with no hunks', () => {
    assert.match(refusal(() => applyUnifiedDiff(FILE, 'just some words')), /no hunks/);
  });

  it('refuses a diff of two files', () => {
    const second = ['--- a/other.js', '+++ b/other.js', '@@ -1 +1 @@', '-a', '+b', ''].join('\n');
    assert.match(refusal(() => applyUnifiedDiff(FILE, diff + second)), /changes 2 files/);
  });
});

describe('proposed edits: proposals and staleness', () => {
  it('creates a new file only where none exists, and edits only one that does', () => {
    assert.equal(proposedText(undefined, { path: 'new.txt', content: 'hi\n', create: true }), 'hi\n');
    assert.match(refusal(() => proposedText('old', { path: 'new.txt', content: 'hi\n', create: true })), /already exists/);
    assert.match(refusal(() => proposedText(undefined, { path: 'gone.txt', edits: [{ search: 'a', replace: 'b' }] })), /does not exist/);
  });

  it('refuses a change that changes nothing', () => {
    assert.match(refusal(() => proposedText(FILE, { path: 'greet.js', edits: [{ search: 'greet', replace: 'greet' }] })), /nothing to propose/);
  });

  it('is stale once the file text differs from what it was proposed against', () => {
    assert.equal(isStale({ baseText: FILE }, FILE), false);
    assert.equal(isStale({ baseText: FILE }, `${FILE}// added by hand\n`), true);
    assert.equal(isStale({ baseText: undefined }, ''), true, 'a file created meanwhile makes a create stale');
  });

  it('accepts a pending proposal against unchanged text, refuses it when stale or decided', () => {
    let next = 0;
    const proposals = new EditProposals(() => `p${++next}`);
    const decided: string[] = [];
    proposals.onDidChange((proposal) => decided.push(`${proposal.id}:${proposal.state}`));
    const proposal = proposals.add({ owner: 'workspace-tools', change: 'edit', absolutePath: '/w/greet.js', shownPath: 'greet.js', baseText: FILE, proposedText: `${FILE}x\n` });
    assert.equal(proposal.summary, '+1 −0 lines');
    assert.equal(proposals.checkAccept(proposal.id, `${FILE}changed`), STALE_PROPOSAL);
    assert.equal(proposals.checkAccept(proposal.id, FILE), undefined);
    proposals.settle(proposal.id, 'rejected');
    assert.match(proposals.checkAccept(proposal.id, FILE) ?? '', /already rejected/);
    assert.equal(proposals.settle(proposal.id, 'accepted'), undefined, 'a decided proposal stays decided');
    assert.deepEqual(decided, ['p1:rejected']);
  });
});

describe('proposed edits: where an edit may go', () => {
  let scratch: string;
  let workspace: string;
  let outside: string;

  before(async () => {
    scratch = await realpath(await mkdtemp(path.join(os.tmpdir(), 'patchbay-edit-paths-')));
    workspace = path.join(scratch, 'project');
    outside = path.join(scratch, 'outside');
    await mkdir(path.join(workspace, 'src'), { recursive: true });
    await mkdir(outside);
    await writeFile(path.join(workspace, 'src', 'app.ts'), 'x');
    await symlink(outside, path.join(workspace, 'linked'));
  });

  after(() => rm(scratch, { recursive: true, force: true }));

  const refusedPath = async (requested: string, attached?: (absolute: string) => boolean) => {
    try {
      await editablePath(requested, [{ name: 'project', path: workspace }], attached);
    } catch (error) {
      assert.ok(error instanceof EditRefused);
      return error.message;
    }
    assert.fail(`expected "${requested}" to be refused`);
  };

  it('takes a path relative to the workspace folder, existing or new', async () => {
    assert.deepEqual(await editablePath('src/app.ts', [{ name: 'project', path: workspace }]), { absolute: path.join(workspace, 'src', 'app.ts'), shown: 'src/app.ts' });
    assert.equal((await editablePath('docs/new/notes.md', [{ name: 'project', path: workspace }])).shown, 'docs/new/notes.md');
  });

  it('names the folder in a multi-root workspace', async () => {
    const roots = [{ name: 'other', path: outside }, { name: 'project', path: workspace }];
    assert.deepEqual(await editablePath('project/src/app.ts', roots), { absolute: path.join(workspace, 'src', 'app.ts'), shown: 'project/src/app.ts' });
  });

  it('refuses .. , absolute paths outside, and links that lead out', async () => {
    assert.match(await refusedPath('../outside.txt'), /"\.\.\/outside\.txt" is outside the workspace folders/);
    assert.match(await refusedPath('src/../../outside.txt'), /outside the workspace folders/);
    assert.match(await refusedPath(path.join(outside, 'x.txt')), /outside the workspace folders/);
    assert.match(await refusedPath('linked/x.txt'), /leads out of the workspace folders through a symbolic link/);
    assert.match(await refusedPath(''), /the path is empty/);
  });

  it('refuses .env files unless the user attached them', async () => {
    assert.match(await refusedPath('.env.local'), /secrets file/);
    const attached = path.join(workspace, '.env');
    assert.equal((await editablePath('.env', [{ name: 'project', path: workspace }], (absolute) => absolute === attached)).shown, '.env');
  });
});
