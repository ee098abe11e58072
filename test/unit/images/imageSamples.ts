/** Small images of each accepted format, as their real first bytes (a 1×1 PNG whole). */
export function pngBytes(): Uint8Array {
  return new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'));
}

/** Another PNG (other bytes, another hash). */
export function otherPngBytes(): Uint8Array {
  const bytes = pngBytes();
  const other = new Uint8Array(bytes.length + 4);
  other.set(bytes);
  other.set([1, 2, 3, 4], bytes.length);
  return other;
}

export function jpegBytes(): Uint8Array {
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
}

export function gifBytes(): Uint8Array {
  return new Uint8Array([...Buffer.from('GIF89a'), 1, 0, 1, 0, 0, 0, 0, 0x3b]);
}

export function webpBytes(): Uint8Array {
  return new Uint8Array([...Buffer.from('RIFF'), 12, 0, 0, 0, ...Buffer.from('WEBPVP8 '), 0, 0, 0, 0]);
}
