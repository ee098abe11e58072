/**
 * Streamed text can end in the middle of a tag (`<thi`): the length of the longest suffix
 * of `text` that is a proper prefix of `tag`, i.e. how much to hold back until more arrives.
 */
export function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (tag.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}
