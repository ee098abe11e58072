/**
 * What the model reads of a response: text in its declared charset, cut to a size; binary
 * content (by its declared type, or by its first bytes whatever the type says) described, not
 * inlined.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { GuardedResponse } from './guardedFetch';

export interface ResponseLimits {
  timeoutMs: number;
  /** Bytes read from the response at most. */
  maxBytes: number;
  /** Characters of it the model is given at most. */
  maxChars: number;
}

// Below the tool runner's own cap for the model, so the note saying how much was cut survives.
export const defaultResponseLimits: ResponseLimits = { timeoutMs: 30_000, maxBytes: 1_000_000, maxChars: 12_000 };

export function responseText(response: GuardedResponse, limits: ResponseLimits): string {
  const type = contentTypeOf(response.headers);
  const mediaType = type.split(';')[0]!.trim();
  const declaredLength = Number(response.headers['content-length'] ?? NaN);
  const sizeText = (bytes: number | undefined, cut: boolean) =>
    Number.isFinite(declaredLength) ? `, ${declaredLength.toLocaleString('en-US')} bytes` : bytes === undefined ? '' : `, ${cut ? 'more than ' : ''}${bytes.toLocaleString('en-US')} bytes`;
  if (isBinary(type)) return `(a binary response: ${type || 'unknown type'}${sizeText(undefined, false)}; not shown)`;
  const bytes = response.body;
  const received = bytes.byteLength;
  // Cut at the byte limit, or when the time ran out while the body was arriving.
  const cut = response.truncated;
  const decoder = textDecoderFor(type);
  // A server may call anything text: the bytes say what it really is.
  const sniffed = signatureType(bytes) ?? (decoder.encoding === 'utf-8' && !isUtf8Text(bytes) ? 'binary data' : undefined);
  if (sniffed !== undefined) {
    return `(a binary response: ${sniffed} by its content${mediaType ? `, declared as ${mediaType}` : ''}${sizeText(received, cut)}; not shown)`;
  }
  const text = decoder.decode(bytes);
  const total = Number.isFinite(declaredLength) ? declaredLength : cut ? undefined : received;
  if (text.length <= limits.maxChars && !cut) return text;
  const size = total !== undefined ? `${total.toLocaleString('en-US')} bytes in all` : `more than ${received.toLocaleString('en-US')} bytes`;
  return `${text.slice(0, limits.maxChars)}\n\n[Response cut for the model: ${size}; the first ${Math.min(text.length, limits.maxChars).toLocaleString('en-US')} characters are shown.]`;
}

export function contentTypeOf(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').toLowerCase();
}

/** The charset the content type names (ISO-8859-1, Shift_JIS...), or UTF-8. */
function textDecoderFor(contentType: string): TextDecoder {
  const charset = /;\s*charset="?([^";\s]+)"?/i.exec(contentType)?.[1];
  if (charset) {
    try {
      return new TextDecoder(charset);
    } catch {
      // A charset this runtime does not know: read it as UTF-8.
    }
  }
  return new TextDecoder('utf-8');
}

/** File signatures of common binary formats, checked against a response's first bytes. */
const SIGNATURES: [type: string, offset: number, bytes: readonly number[]][] = [
  ['image/png', 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', 0, [0xff, 0xd8, 0xff]],
  ['image/gif', 0, [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', 8, [0x57, 0x45, 0x42, 0x50]],
  ['application/pdf', 0, [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['application/zip', 0, [0x50, 0x4b, 0x03, 0x04]],
  ['application/gzip', 0, [0x1f, 0x8b]],
  ['application/x-7z-compressed', 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
  ['application/wasm', 0, [0x00, 0x61, 0x73, 0x6d]],
  ['audio/ogg', 0, [0x4f, 0x67, 0x67, 0x53]],
  ['video/mp4', 4, [0x66, 0x74, 0x79, 0x70]],
];

function signatureType(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find(([, offset, signature]) => bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte))?.[0];
}

/** Text has no NUL bytes and is valid UTF-8 (a sequence cut at the end of what was read is fine). */
function isUtf8Text(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 64 * 1024);
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export function isBinary(contentType: string): boolean {
  if (contentType === '') return false;
  if (/^(text\/|application\/([\w.+-]*\+)?(json|xml|yaml|x-yaml|javascript|x-www-form-urlencoded|graphql))/.test(contentType)) return false;
  return /^(image|audio|video|font)\/|^application\/(octet-stream|pdf|zip|gzip|x-tar|x-7z|vnd\.|msword|x-protobuf)/.test(contentType);
}
