/**
 * Images pasted or dropped into the message input go to the host, which checks them (format by
 * their bytes, size, count) and shows each as a chip; text and other files are left to the
 * input as before.
 */
import { MAX_IMAGE_BYTES, type WebviewToHost } from '../../protocol/messages';

/** The image files a paste or drop carries (none: the event is the input's as usual). */
export function imageFilesOf(data: DataTransfer | null): File[] {
  if (data === null) return [];
  return [...data.files].filter((file) => file.type.startsWith('image/'));
}

/** Sends each image to the host; one too large is named with its size only, and the host says why it is refused. */
export async function postImageFiles(files: readonly File[], post: (message: WebviewToHost) => void): Promise<void> {
  for (const file of files) {
    const name = file.name || 'pasted image';
    const data = file.size > MAX_IMAGE_BYTES ? '' : await base64Of(file);
    post({ type: 'addImage', name, size: file.size, data });
  }
}

/** Pasting or dropping images onto `target` sends them; the page is never navigated to a dropped file. */
export function acceptImagePasteAndDrop(target: HTMLElement, post: (message: WebviewToHost) => void): void {
  target.addEventListener('paste', (event) => {
    const files = imageFilesOf(event.clipboardData);
    if (files.length === 0) return;
    event.preventDefault();
    void postImageFiles(files, post);
  });
  target.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  target.addEventListener('drop', (event) => {
    const files = imageFilesOf(event.dataTransfer);
    if (files.length === 0) return;
    event.preventDefault();
    void postImageFiles(files, post);
  });
}

function base64Of(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('the image could not be read'));
    reader.readAsDataURL(file);
  });
}
