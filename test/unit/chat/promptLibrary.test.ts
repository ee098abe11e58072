import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { builtInTemplates, combineTemplates, expandSlashCommand, loadTemplateFolder, parseTemplateFile } from '../../../src/core/chat/promptLibrary';
import { silentLogger } from '../../../src/core/ports';

const hooks = { loggerFor: () => silentLogger, signalOf: () => undefined, timeoutMs: 1000 };

describe('prompt templates', () => {
  it('reads front matter: name, description and model', () => {
    const template = parseTemplateFile('---\nname: review\ndescription: Review for bugs\nmodel: qwen3:8b\n---\nReview this:\n\n{{input}}\n', 'whatever.md', 'workspace');
    assert.deepEqual(template, { name: 'review', description: 'Review for bugs', template: 'Review this:\n\n{{input}}', source: 'workspace', model: 'qwen3:8b' });
  });

  it('takes the name from the file and the description from the first line when there is no front matter', () => {
    assert.deepEqual(parseTemplateFile('Summarise the text below.\n\n{{input}}', 'summarise.md', 'global'), {
      name: 'summarise', description: 'Summarise the text below.', template: 'Summarise the text below.\n\n{{input}}', source: 'global',
    });
  });

  it('rejects bad names, empty templates and front matter that is not a mapping', () => {
    assert.throws(() => parseTemplateFile('text', 'has space.md', 'global'), /"has space" is not a valid slash command name/);
    assert.throws(() => parseTemplateFile('---\nname: x\n---\n   \n', 'x.md', 'global'), /has no text/);
    assert.throws(() => parseTemplateFile('---\n- a\n---\nbody', 'x.md', 'global'), /front matter must be a YAML mapping/);
  });

  it('loads a folder, skipping (and reporting) broken files', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'patchbay-prompts-'));
    try {
      await writeFile(path.join(dir, 'a.md'), 'Alpha {{input}}');
      await writeFile(path.join(dir, 'bad name.md'), 'x');
      await writeFile(path.join(dir, 'notes.txt'), 'ignored');
      const warnings: string[] = [];
      const loaded = await loadTemplateFolder(dir, 'workspace', { ...silentLogger, warn: (m) => warnings.push(m) });
      assert.deepEqual(loaded.map((t) => t.name), ['a']);
      assert.match(warnings[0] ?? '', /bad name\.md is skipped/);
      assert.deepEqual(await loadTemplateFolder(path.join(dir, 'missing'), 'global', silentLogger), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('offers the built-in /explain, /fix, /tests and /doc, and lets a workspace file shadow one', async () => {
    assert.deepEqual(builtInTemplates.map((t) => t.name), ['explain', 'fix', 'tests', 'doc']);
    const workspaceExplain = parseTemplateFile('---\ndescription: Explain to a beginner\n---\nExplain simply: {{input}}', 'explain.md', 'workspace');
    const all = combineTemplates([workspaceExplain], []);
    assert.deepEqual(all.map((t) => `${t.name}:${t.source}`), ['explain:workspace', 'fix:built-in', 'tests:built-in', 'doc:built-in']);
    assert.deepEqual(await expandSlashCommand('/explain the loop', all, hooks), { prompt: 'Explain simply: the loop' });
    assert.match((await expandSlashCommand('/fix', all, hooks))?.prompt ?? '', /^Find the bugs in this code/);
  });

  it('passes on the model a template asks for', async () => {
    const template = parseTemplateFile('---\nmodel: big-model\n---\nThink hard: {{input}}', 'deep.md', 'global');
    assert.deepEqual(await expandSlashCommand('/deep about it', [template], hooks), { prompt: 'Think hard: about it', model: 'big-model' });
    assert.equal(await expandSlashCommand('/unknown x', [template], hooks), undefined);
    assert.equal(await expandSlashCommand('not a command', [template], hooks), undefined);
  });
});
