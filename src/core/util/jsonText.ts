/**
 * JSON.parse for files people edit: editors on Windows may save a byte order mark first,
 * which the JSON spec lets a reader ignore but JSON.parse rejects.
 */
export function parseJsonFile(text: string): unknown {
  return JSON.parse(text.replace(/^\uFEFF/, ''));
}
