import assert from 'node:assert/strict';
import { MarkdownBlockSplitter, splitMarkdownBlocks } from '../../../src/webview/render/blockSplitter';

/** Feeds `text` in pieces of the given sizes (cycled) and collects every finished block. */
function streamBlocks(text: string, sizes: readonly number[]): string[] {
  const splitter = new MarkdownBlockSplitter();
  const blocks: string[] = [];
  let position = 0;
  for (let i = 0; position < text.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    blocks.push(...splitter.append(text.slice(position, position + size)));
    position += size;
  }
  blocks.push(...splitter.finish());
  return blocks;
}

const samples: Record<string, { text: string; blocks: string[] }> = {
  paragraphs: {
    text: 'First line\nstill first.\n\nSecond.\n\n\nThird.',
    blocks: ['First line\nstill first.\n', 'Second.\n', 'Third.'],
  },
  'a fence containing blank lines': {
    text: 'Intro.\n\n```js\nconst a = 1;\n\n\nconst b = 2;\n```\n\nAfter.\n',
    blocks: ['Intro.\n', '```js\nconst a = 1;\n\n\nconst b = 2;\n```\n', 'After.\n'],
  },
  'a longer outer fence around a shorter inner one': {
    text: '````markdown\n```js\n\nx\n```\n\n````\n\nDone.\n',
    blocks: ['````markdown\n```js\n\nx\n```\n\n````\n', 'Done.\n'],
  },
  'a closing fence shorter than the opening one': {
    text: '````\na\n```\n\nb\n````\nc\n',
    blocks: ['````\na\n```\n\nb\n````\n', 'c\n'],
  },
  'tilde fences, closed only by tildes': {
    text: '~~~python\nx = 1\n```\n\ny = 2\n~~~\n\nEnd.\n',
    blocks: ['~~~python\nx = 1\n```\n\ny = 2\n~~~\n', 'End.\n'],
  },
  'a fence opened right after a paragraph': {
    text: 'Here it is:\n```ts\nlet a;\n```\nThat was it.\n',
    blocks: ['Here it is:\n', '```ts\nlet a;\n```\n', 'That was it.\n'],
  },
  'an indented list continuation': {
    text: '- one\n\n  more about one\n- two\n\nNext paragraph.\n',
    blocks: ['- one\n\n  more about one\n- two\n', 'Next paragraph.\n'],
  },
  'a fence inside a list item, with a blank line in it': {
    text: '1. Run:\n   ```sh\n   npm ci\n\nnpm test\n   ```\n2. Done\n\nBye.\n',
    blocks: ['1. Run:\n   ```sh\n   npm ci\n\nnpm test\n   ```\n2. Done\n', 'Bye.\n'],
  },
  'a fence right after a list marker': {
    text: '- ```\n  a\n\nb\n  ```\n\nc\n',
    blocks: ['- ```\n  a\n\nb\n  ```\n', 'c\n'],
  },
  'CRLF line ends': {
    text: 'a\r\n\r\nb\r\n```\r\nx\r\n\r\ny\r\n```\r\nz',
    blocks: ['a\r\n', 'b\r\n', '```\r\nx\r\n\r\ny\r\n```\r\n', 'z'],
  },
  'an unclosed fence at the end': {
    text: 'Text.\n\n```py\nprint(1)\n\nprint(2)\n',
    blocks: ['Text.\n', '```py\nprint(1)\n\nprint(2)\n'],
  },
  'indented code after a blank line': {
    text: 'Para.\n\n    indented code\n\nNext.\n',
    blocks: ['Para.\n\n    indented code\n', 'Next.\n'],
  },
  'a fence indented by four spaces does not close a top-level one': {
    text: '```\na\n    ```\n\nb\n```\nc\n',
    blocks: ['```\na\n    ```\n\nb\n```\n', 'c\n'],
  },
  'a closing fence indented up to three spaces, with trailing spaces': {
    text: '```\na\n   ```  \nb\n',
    blocks: ['```\na\n   ```  \n', 'b\n'],
  },
  'backticks in the info string: not a fence': {
    text: '```a`b\n\nc\n',
    blocks: ['```a`b\n', 'c\n'],
  },
  'an HTML block around a fence': {
    text: '<details>\n```\ncode\n```\n</details>\n\nafter\n',
    blocks: ['<details>\n```\ncode\n```\n</details>\n', 'after\n'],
  },
  'leading and trailing blank lines': {
    text: '\n\n# Title\n\n\n',
    blocks: ['# Title\n'],
  },
  'only blank text': {
    text: '\n  \n\t\n',
    blocks: [],
  },
};

describe('MarkdownBlockSplitter', () => {
  for (const [name, { text, blocks }] of Object.entries(samples)) {
    it(`splits ${name}`, () => {
      assert.deepEqual(splitMarkdownBlocks(text), blocks);
    });

    it(`splits ${name} the same when streamed in pieces`, () => {
      assert.deepEqual(streamBlocks(text, [1]), blocks, 'one character at a time');
      assert.deepEqual(streamBlocks(text, [2, 5, 1, 7, 3]), blocks, 'uneven pieces');
      assert.deepEqual(streamBlocks(text, [64]), blocks, 'large pieces');
    });
  }

  it('finishes a block as soon as the next line shows it is not indented', () => {
    const splitter = new MarkdownBlockSplitter();
    assert.deepEqual(splitter.append('First.\n\n'), []);
    assert.deepEqual(splitter.append(' '), [], 'an indented line may still continue the block');
    const again = new MarkdownBlockSplitter();
    again.append('First.\n\n');
    assert.deepEqual(again.append('S'), ['First.\n']);
    assert.equal(again.pending, 'S');
  });

  it('reports the pending block, including its unfinished line', () => {
    const splitter = new MarkdownBlockSplitter();
    splitter.append('One.\n\nTwo and');
    assert.equal(splitter.pending, 'Two and');
    splitter.append(' more');
    assert.equal(splitter.pending, 'Two and more');
  });

  it('reports an open top-level code block with its language and where the code starts', () => {
    const splitter = new MarkdownBlockSplitter();
    assert.deepEqual(splitter.append('Look:\n```typescript {1,3}\nconst a'), ['Look:\n']);
    assert.deepEqual(splitter.openCodeBlock, { language: 'typescript', bodyOffset: '```typescript {1,3}\n'.length });
    const { pending } = splitter;
    assert.equal(pending.slice(splitter.openCodeBlock?.bodyOffset), 'const a');
    assert.deepEqual(splitter.append(' = 1;\n```\n'), ['```typescript {1,3}\nconst a = 1;\n```\n']);
    assert.equal(splitter.openCodeBlock, undefined);
  });

  it('does not report a code block before its opening line is complete', () => {
    const splitter = new MarkdownBlockSplitter();
    splitter.append('```pyth');
    assert.equal(splitter.openCodeBlock, undefined);
    splitter.append('on\n');
    assert.deepEqual(splitter.openCodeBlock, { language: 'python', bodyOffset: 10 });
  });

  it('does not report a fence nested in a list as a bare code block', () => {
    const splitter = new MarkdownBlockSplitter();
    splitter.append('- item\n  ```js\n  code\n');
    assert.equal(splitter.openCodeBlock, undefined);
  });

  it('starts over after reset', () => {
    const splitter = new MarkdownBlockSplitter();
    splitter.append('```\nopen fence\n\n');
    splitter.reset();
    assert.deepEqual(splitter.append('a\n\nb\n'), ['a\n']);
  });

  it('keeps the cost per appended piece flat as the text grows', function () {
    this.timeout(20000);
    // 400 KB in one-character pieces: rescanning or copying the text on each append would take
    // minutes; linear work takes well under a second.
    const code = '```js\n' + 'const value = compute(1, 2, 3); // a line of code\n'.repeat(8000);
    const splitter = new MarkdownBlockSplitter();
    const started = Date.now();
    for (const ch of code) splitter.append(ch);
    const elapsed = Date.now() - started;
    assert.ok(splitter.openCodeBlock !== undefined);
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
  });
});
