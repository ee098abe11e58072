/**
 * The pictures of the images questions carry, by hash, as the host sends them (`images`
 * messages come after the turns that name them). A question's `img[data-image-sha]` shows the
 * picture as soon as it is known.
 */
import type { ImageThumbnail } from '../../protocol/messages';

const known = new Map<string, string>();

/** Remembers the pictures and shows them in every image already in the page. */
export function rememberThumbnails(thumbnails: readonly ImageThumbnail[], root: ParentNode): void {
  for (const { sha256, uri } of thumbnails) {
    known.set(sha256, uri);
    for (const image of root.querySelectorAll<HTMLImageElement>(`img[data-image-sha="${CSS.escape(sha256)}"]`)) image.src = uri;
  }
}

export function thumbnailOf(sha256: string): string | undefined {
  return known.get(sha256);
}

/** Another conversation is shown: the pictures of the last one are not needed any more. */
export function forgetThumbnails(): void {
  known.clear();
}
