import assert from 'node:assert/strict';
import { checkImageCount, MAX_IMAGE_BYTES, MAX_IMAGES_PER_MESSAGE, sniffImageType } from '../../../src/core/chat/chatImages';
import { acceptImage } from '../../../src/core/chat/imageFiles';
import { PatchbayError } from '../../../src/core/errors';
import { parseConversation } from '../../../src/core/history/historyFolderFormat';
import { gifBytes, jpegBytes, pngBytes, webpBytes } from './imageSamples';

describe('images a question may carry', () => {
  it('tells PNG, JPEG, GIF and WebP by their bytes', () => {
    assert.equal(sniffImageType(pngBytes()), 'image/png');
    assert.equal(sniffImageType(jpegBytes()), 'image/jpeg');
    assert.equal(sniffImageType(gifBytes()), 'image/gif');
    assert.equal(sniffImageType(webpBytes()), 'image/webp');
    assert.equal(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
    assert.equal(sniffImageType(new Uint8Array([0x42, 0x4d, 0, 0])), undefined, 'BMP is not accepted');
  });

  it('judges the bytes, not the name: a PNG named .jpg is a PNG, text named .png is refused', () => {
    const png = pngBytes();
    const accepted = acceptImage(png, 'C:\\shots\\photo.jpg');
    assert.equal(accepted.mimeType, 'image/png');
    assert.equal(accepted.name, 'photo.jpg');
    assert.equal(accepted.size, png.length);
    assert.equal(accepted.data, Buffer.from(png).toString('base64'));
    assert.match(accepted.sha256, /^[0-9a-f]{64}$/);
    assert.throws(() => acceptImage(new TextEncoder().encode('just text'), 'notes.png'), (error: unknown) =>
      error instanceof PatchbayError && error.message === 'notes.png was not added: it is not a PNG, JPEG, GIF or WebP image.');
  });

  it('refuses an image over 5 MB, saying how large it is and the limit', () => {
    const large = new Uint8Array(MAX_IMAGE_BYTES + 1);
    large.set(pngBytes());
    assert.throws(() => acceptImage(large, 'huge.png'), (error: unknown) =>
      error instanceof PatchbayError && error.message === 'huge.png was not added: it is 5.0 MB, and an image may be at most 5.0 MB.' && /smaller/.test(error.hint ?? ''));
    const exactly = new Uint8Array(MAX_IMAGE_BYTES);
    exactly.set(pngBytes());
    assert.equal(acceptImage(exactly, 'big.png').size, MAX_IMAGE_BYTES);
  });

  it('allows four images to a question and refuses a fifth', () => {
    assert.equal(MAX_IMAGES_PER_MESSAGE, 4);
    checkImageCount(4);
    assert.throws(() => checkImageCount(5), /at most 4 images; this one has 5/);
  });
});

describe('saved history with images', () => {
  it('sets aside a conversation whose image reference is not a hash (it names a file)', () => {
    const turn = (sha256: string) => ({ id: 'u1', role: 'user', text: 'Hi', attachments: [], images: [{ sha256, mimeType: 'image/png', name: 'x.png', size: 1 }], createdAt: 1 });
    const conversation = (sha256: string) => JSON.stringify({ id: 'c1', title: 'T', createdAt: 1, updatedAt: 1, turns: [turn(sha256)] });
    assert.ok(parseConversation(conversation('b'.repeat(64))));
    assert.equal(parseConversation(conversation('../../etc/passwd')), undefined);
  });
});
