import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

describe("the README's pictures", () => {
  it('are files of media/readme that the .vsix ships, each one taken by an end-to-end test', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const pictures = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]!);
    assert.ok(pictures.length >= 4, `the README shows ${pictures.length} pictures`);
    const copier = readFileSync(path.join(root, 'scripts', 'readme-pictures.mjs'), 'utf8');
    for (const picture of pictures) {
      assert.match(picture, /^media\/readme\/[a-z-]+\.png$/, 'relative, in media/readme');
      assert.ok(existsSync(path.join(root, picture)), `${picture} exists`);
      assert.ok(copier.includes(`'${path.basename(picture)}':`), `${picture} is copied from an end-to-end screenshot by scripts/readme-pictures.mjs`);
    }
    assert.match(readFileSync(path.join(root, '.vscodeignore'), 'utf8'), /^!media\/readme\/\*\.png$/m);
  });
});
