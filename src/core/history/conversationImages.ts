/**
 * The images of saved conversations, as files beside them: `<conversation-id>.images/<sha256>.<ext>`
 * in the history folder. The conversation's JSON names each image by its hash only, so the
 * index and the conversation files stay small however many screenshots were asked about.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { imageExtension, type ImageFile } from '../chat/chatImages';
import type { ImageRef } from '../chat/conversation';
import type { Logger } from '../ports';
import { isConversationId } from './historyFolderFormat';
import { writeAtomically } from './writeAtomically';

export class ConversationImages {
  constructor(
    private readonly folder: string,
    private readonly log: Logger,
  ) {}

  /** Keeps an image of the conversation (once: the same bytes have the same name). */
  async save(conversationId: string, image: ImageFile): Promise<void> {
    const file = this.fileOf(conversationId, image);
    if (file === undefined) return;
    try {
      if (await stat(file).then(() => true, () => false)) return;
      await mkdir(path.dirname(file), { recursive: true });
      await writeAtomically(file, Buffer.from(image.data, 'base64'));
    } catch (error) {
      this.log.error(`could not save the image ${image.name} of conversation ${conversationId}: ${(error as Error).message}`);
    }
  }

  /** The image's bytes, base64; undefined when its file is gone or no longer holds those bytes. */
  async load(conversationId: string, image: ImageRef): Promise<string | undefined> {
    const file = this.fileOf(conversationId, image);
    if (file === undefined) return undefined;
    const bytes = await readFile(file).catch(() => undefined);
    if (bytes === undefined) return undefined;
    if (createHash('sha256').update(bytes).digest('hex') !== image.sha256) {
      this.log.warn(`${path.basename(file)} of conversation ${conversationId} does not hold the image saved under that name; it is left out`);
      return undefined;
    }
    return bytes.toString('base64');
  }

  /** Deletes all of a conversation's images. */
  async deleteAll(conversationId: string): Promise<void> {
    if (!isConversationId(conversationId)) return;
    await rm(this.folderOf(conversationId), { recursive: true, force: true });
  }

  folderOf(conversationId: string): string {
    return path.join(this.folder, `${conversationId}.images`);
  }

  /** Only a well-formed id and hash make a file name: neither may lead out of the folder. */
  private fileOf(conversationId: string, image: ImageRef): string | undefined {
    if (!isConversationId(conversationId) || !/^[0-9a-f]{64}$/.test(image.sha256)) return undefined;
    return path.join(this.folderOf(conversationId), `${image.sha256}.${imageExtension(image.mimeType)}`);
  }
}
