/** Keyboard rules of the message input, kept apart from the DOM so they are unit-tested. */

export interface KeyPress {
  key: string;
  shiftKey: boolean;
  altKey: boolean;
  /** True while an input method (Chinese, Japanese, Korean...) is composing a character. */
  isComposing: boolean;
  /** 229 is what some browsers report for keys the input method consumed. */
  keyCode?: number;
}

/** `send`: try to send. `stop`: stop the answer. `default`: let the textarea handle the key. */
export type ComposerKeyAction = 'send' | 'stop' | 'default';

export function composerKeyAction(press: KeyPress, busy: boolean): ComposerKeyAction {
  if (press.isComposing || press.keyCode === 229) return 'default';
  if (press.key === 'Enter' && !press.shiftKey && !press.altKey) return 'send';
  if (press.key === 'Escape' && busy) return 'stop';
  return 'default';
}

/** The text to send, or undefined when there is nothing to send (empty or only whitespace). */
export function outgoingText(draft: string): string | undefined {
  if (draft.trim() === '') return undefined;
  // Drop blank lines around the message but keep the first line's indentation (pasted code).
  return draft.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}
