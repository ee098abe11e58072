import assert from 'node:assert/strict';
import type { SlashCommand } from '../../../src/protocol/messages';
import {
  acceptSlashCommand, carryHighlight, matchSlashCommands, moveHighlight, slashCompletion, slashQuery,
} from '../../../src/webview/view/slashCompletion';

const command = (name: string, source = 'templates'): SlashCommand => ({ name, description: `${name} it`, source });
const commands = [command('explain'), command('Explore', 'git'), command('fix'), command('test')];

describe('slashQuery', () => {
  it('reads the first word while the caret is inside it', () => {
    assert.deepEqual(slashQuery('/', 1), { prefix: '', wordEnd: 1 });
    assert.deepEqual(slashQuery('/ex', 3), { prefix: 'ex', wordEnd: 3 });
    // Caret moved back into the word: the prefix is what lies before the caret.
    assert.deepEqual(slashQuery('/explain this', 3), { prefix: 'ex', wordEnd: 8 });
    assert.deepEqual(slashQuery('/explain\nmore', 8), { prefix: 'explain', wordEnd: 8 });
  });

  it('offers nothing once the first word is done or when there is no leading slash', () => {
    assert.equal(slashQuery('/ex ', 4), undefined);
    assert.equal(slashQuery('/explain this', 9), undefined);
    assert.equal(slashQuery('/ex', 0), undefined, 'caret before the slash');
    assert.equal(slashQuery(' /ex', 4), undefined);
    assert.equal(slashQuery('ex/', 3), undefined);
    assert.equal(slashQuery('', 0), undefined);
  });

  it('offers nothing while a range is selected', () => {
    assert.equal(slashQuery('/ex', undefined), undefined);
  });
});

describe('matchSlashCommands', () => {
  it('keeps commands whose name starts with the prefix, ignoring case, in the given order', () => {
    assert.deepEqual(matchSlashCommands(commands, 'ex').map((c) => c.name), ['explain', 'Explore']);
    assert.deepEqual(matchSlashCommands(commands, 'EXPL').map((c) => c.name), ['explain', 'Explore']);
    assert.deepEqual(matchSlashCommands(commands, 'expla').map((c) => c.name), ['explain']);
    assert.deepEqual(matchSlashCommands(commands, '').map((c) => c.name), ['explain', 'Explore', 'fix', 'test']);
  });

  it('does not match in the middle of a name', () => {
    assert.deepEqual(matchSlashCommands(commands, 'plain'), []);
  });
});

describe('slashCompletion', () => {
  it('gives the query and the matches', () => {
    const completion = slashCompletion('/f', 2, commands);
    assert.deepEqual(completion, { query: { prefix: 'f', wordEnd: 2 }, matches: [commands[2]] });
  });

  it('is undefined without matches, so the popup hides', () => {
    assert.equal(slashCompletion('/zzz', 4, commands), undefined);
    assert.equal(slashCompletion('/', 1, []), undefined);
    assert.equal(slashCompletion('hello', 5, commands), undefined);
  });
});

describe('moveHighlight', () => {
  it('moves down and up and wraps around at both ends', () => {
    assert.equal(moveHighlight(0, 3, 1), 1);
    assert.equal(moveHighlight(2, 3, 1), 0);
    assert.equal(moveHighlight(0, 3, -1), 2);
    assert.equal(moveHighlight(1, 3, -1), 0);
    assert.equal(moveHighlight(0, 1, 1), 0);
  });

  it('stays at 0 for an empty list', () => {
    assert.equal(moveHighlight(0, 0, 1), 0);
    assert.equal(moveHighlight(0, 0, -1), 0);
  });
});

describe('carryHighlight', () => {
  it('keeps the highlighted command when it is still offered', () => {
    assert.equal(carryHighlight(commands[1], [commands[0]!, commands[1]!]), 1);
    // New objects for the same command (an `extensions` message arrived).
    assert.equal(carryHighlight(command('Explore', 'git'), [commands[0]!, commands[1]!]), 1);
  });

  it('goes back to the top otherwise', () => {
    assert.equal(carryHighlight(undefined, commands), 0);
    assert.equal(carryHighlight(commands[1], [commands[0]!]), 0);
    assert.equal(carryHighlight(command('Explore', 'other plugin'), [commands[0]!, commands[1]!]), 0);
  });
});

describe('acceptSlashCommand', () => {
  it('completes the name and puts the caret after a space', () => {
    assert.deepEqual(acceptSlashCommand('/ex', 'explain'), { text: '/explain ', caret: 9 });
    assert.deepEqual(acceptSlashCommand('/', 'fix'), { text: '/fix ', caret: 5 });
  });

  it('replaces the whole first word and keeps what follows, without doubling the space', () => {
    assert.deepEqual(acceptSlashCommand('/explore this code', 'explain'), { text: '/explain this code', caret: 9 });
    assert.deepEqual(acceptSlashCommand('/ex  two spaces', 'explain'), { text: '/explain  two spaces', caret: 9 });
  });

  it('keeps a line break after the word', () => {
    assert.deepEqual(acceptSlashCommand('/ex\ncode', 'explain'), { text: '/explain \ncode', caret: 9 });
  });

  it('leaves the caret right after a template loader\'s prefix, for the template name', () => {
    assert.deepEqual(acceptSlashCommand('/g', 'gh:'), { text: '/gh:', caret: 4 });
    assert.deepEqual(acceptSlashCommand('/g the diff', 'gh:'), { text: '/gh: the diff', caret: 4 });
  });
});
