/**
 * An image's bytes as the chat accepts them: checked (format by the bytes, size), named by the
 * SHA-256 of the bytes (so a saved conversation refers to the file kept beside it), base64.
 */
import { createHash } from 'node:crypto';
import { PatchbayError } from '../errors';
import { imageTooLarge, MAX_IMAGE_BYTES, shortName, sniffImageType, type ImageFile } from './chatImages';

/** The image as the chat accepts it, or a PatchbayError saying why not (format or size). */
export function acceptImage(bytes: Uint8Array, name: string): ImageFile {
  const shownName = shortName(name);
  if (bytes.length > MAX_IMAGE_BYTES) throw imageTooLarge(shownName, bytes.length);
  const mimeType = sniffImageType(bytes);
  if (mimeType === undefined) {
    throw new PatchbayError('bad-request', `${shownName} was not added: it is not a PNG, JPEG, GIF or WebP image.`, {
      hint: 'Only those four formats can go with a question; the file\'s content decides, not its name.',
    });
  }
  return { sha256: createHash('sha256').update(bytes).digest('hex'), mimeType, name: shownName, size: bytes.length, data: Buffer.from(bytes).toString('base64') };
}
