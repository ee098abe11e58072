import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/protocol/messages';
import { parseHostMessage } from '../../../src/webview/hostMessages';

const sha = 'a'.repeat(64);

describe('images in the webview protocol', () => {
  it('lets the webview send a pasted image, and refuses one whose data is longer than any accepted image', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'addImage', name: 'shot.png', size: 3, data: 'AAEC' }), { message: { type: 'addImage', name: 'shot.png', size: 3, data: 'AAEC' } });
    const huge = parseWebviewMessage({ type: 'addImage', name: 'huge.png', size: 1, data: 'A'.repeat(12_000_001) });
    assert.ok('rejected' in huge);
    assert.ok('rejected' in parseWebviewMessage({ type: 'addImage', name: 'x.png', size: -1, data: '' }));
  });

  it('shows only data: pictures of the accepted formats: never an address the page would fetch', () => {
    const shown = parseHostMessage({ type: 'images', images: [{ sha256: sha, uri: 'data:image/png;base64,AAEC' }] });
    assert.deepEqual(shown, { message: { type: 'images', images: [{ sha256: sha, uri: 'data:image/png;base64,AAEC' }] } });
    for (const uri of ['https://attacker.example/leak.png', 'data:image/svg+xml;base64,PHN2Zz4=', 'data:text/html;base64,PGI+']) {
      assert.ok('rejected' in parseHostMessage({ type: 'images', images: [{ sha256: sha, uri }] }), uri);
      assert.ok('rejected' in parseHostMessage({ type: 'context', chips: [{ id: 'c1', kind: 'image', label: 'x.png', size: '1 KB', thumbnail: uri }] }), uri);
    }
    const chip = parseHostMessage({ type: 'context', chips: [{ id: 'c1', kind: 'image', label: 'x.png', size: '1 KB', thumbnail: 'data:image/jpeg;base64,/9j/' }] });
    assert.ok('message' in chip);
  });

  it('reads a question with images by hash, and gives an unsent question back', () => {
    const turn = { id: 'u1', role: 'user', text: 'Hi', attachments: [], images: [{ sha256: sha, mimeType: 'image/png', name: 'shot.png', size: 12 }], createdAt: 1 };
    assert.deepEqual(parseHostMessage({ type: 'turnAdded', turn }), { message: { type: 'turnAdded', turn } });
    assert.ok('rejected' in parseHostMessage({ type: 'turnAdded', turn: { ...turn, images: [{ sha256: sha, mimeType: 'image/svg+xml', name: 'x', size: 1 }] } }));
    assert.deepEqual(parseHostMessage({ type: 'unsent', text: 'What is this?' }), { message: { type: 'unsent', text: 'What is this?' } });
  });
});
