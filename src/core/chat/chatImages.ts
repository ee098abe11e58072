/**
 * Images that go with a question: which formats are accepted (judged by the bytes, never the
 * name), the size and count limits and what the user is told when one is exceeded. No Node
 * modules here: the chat session (whose types the webview's protocol shares) uses it; reading
 * an image's bytes is imageFiles.ts's.
 */
import { PatchbayError } from '../errors';
import { MAX_IMAGE_BYTES, type ImageMimeType, type ImageRef } from './conversation';

export type { ImageMimeType, ImageRef } from './conversation';
export { MAX_IMAGE_BYTES } from './conversation';

/** Most images one question may carry. */
export const MAX_IMAGES_PER_MESSAGE = 4;

/** An image with its content, ready to be kept and sent. */
export interface ImageFile extends ImageRef {
  /** Its bytes, base64 (as providers send them). */
  data: string;
}

const EXTENSIONS: Readonly<Record<ImageMimeType, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

export function imageExtension(mimeType: ImageMimeType): string {
  return EXTENSIONS[mimeType];
}

/** The format the bytes begin with, or undefined when they are none of the four accepted. */
export function sniffImageType(bytes: Uint8Array): ImageMimeType | undefined {
  const starts = (signature: readonly number[], offset = 0) => signature.every((byte, index) => bytes[offset + index] === byte);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  // "RIFF" <size> "WEBP"
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return undefined;
}

/** The refusal of an image over the size limit (also for one too large to be read at all). */
export function imageTooLarge(name: string, size: number): PatchbayError {
  return new PatchbayError('bad-request', `${shortName(name)} was not added: it is ${sizeText(size)}, and an image may be at most ${sizeText(MAX_IMAGE_BYTES)}.`, {
    hint: 'Use a smaller or more compressed image (a screenshot of part of the screen, or JPEG).',
  });
}

/** Refuses one image more than a question may carry. */
export function checkImageCount(count: number): void {
  if (count > MAX_IMAGES_PER_MESSAGE) {
    throw new PatchbayError('bad-request', `A question can carry at most ${MAX_IMAGES_PER_MESSAGE} images; this one has ${count}.`, {
      hint: 'Remove an image chip, or ask about the rest in another question.',
    });
  }
}

/** The refusal for a model known not to read images (said before anything is sent). */
export function imagesRefused(modelName: string): PatchbayError {
  return new PatchbayError('bad-request', `${modelName} cannot read images, so the question was not sent.`, {
    hint: 'Pick a model that reads images (a vision model), or remove the image chips. If this model does read images, set `vision: true` for it under models: in config.yaml.',
    actions: ['selectModel', 'openConfig'],
  });
}

/** `12 KB`, `1.4 MB`. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

const NAME_LIMIT = 200;

/** A file name as shown and saved: the base name, one line, not too long. */
export function shortName(name: string): string {
  const base = name.split(/[\\/]/).at(-1)?.replace(/\s+/g, ' ').trim() ?? '';
  if (base === '') return 'pasted image';
  return base.length > NAME_LIMIT ? `${base.slice(0, NAME_LIMIT - 1)}…` : base;
}
