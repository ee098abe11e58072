/** Keyboard rules of the message input, kept apart from the DOM so they are unit-tested. */

export interface KeyPress {
  key: string;
  shiftKey: boolean;
  altKey: boolean;
  /** Optional so plain test objects stay short; a real KeyboardEvent always has them. */
  ctrlKey?: boolean;
  metaKey?: boolean;
  /** True while an input method (Chinese, Japanese, Korean...) is composing a character. */
  isComposing: boolean;
  /** 229 is what some browsers report for keys the input method consumed. */
  keyCode?: number;
}

/**
 * `send`: try to send (or resend the question being edited). `stop`: stop the answer.
 * `default`: let the textarea handle the key. `completion*`: a popup (slash commands, files) is
 * open and takes the key (move, accept, close). `editLast`: start editing the last question.
 * `cancelEdit`: stop editing and bring back the draft.
 */
export type ComposerKeyAction =
  | 'send' | 'stop' | 'default'
  | 'completionNext' | 'completionPrevious' | 'completionAccept' | 'completionClose'
  | 'editLast' | 'cancelEdit';

/** What the input is doing, besides what the popup flag says. */
export interface ComposerKeyState {
  /** An earlier question is being edited. */
  editing?: boolean;
  /** The input holds no text at all. */
  inputEmpty?: boolean;
}

/**
 * While a popup is open it owns the arrows, Enter, Tab and Escape: Enter picks the highlighted
 * row instead of sending half a name, and Escape only closes the popup, so dismissing a
 * suggestion cannot stop a running answer or cancel an edit by accident. Otherwise Escape first
 * cancels an edit, then stops a running answer; ArrowUp in an empty input edits the last question
 * (in a non-empty one it moves the caret, as always).
 */
export function composerKeyAction(
  press: KeyPress,
  busy: boolean,
  completionOpen = false,
  state: ComposerKeyState = {},
): ComposerKeyAction {
  if (press.isComposing || press.keyCode === 229) return 'default';
  const plain = !press.shiftKey && !press.altKey && press.ctrlKey !== true && press.metaKey !== true;
  if (completionOpen) {
    switch (press.key) {
      case 'ArrowDown':
        return plain ? 'completionNext' : 'default';
      case 'ArrowUp':
        return plain ? 'completionPrevious' : 'default';
      case 'Tab':
        // Shift+Tab still moves focus backwards.
        return plain ? 'completionAccept' : 'default';
      case 'Enter':
        // A modified Enter does what it does in any textarea, but never sends a half-typed name.
        return plain ? 'completionAccept' : 'default';
      case 'Escape':
        return 'completionClose';
    }
  }
  if (press.key === 'Enter' && !press.shiftKey && !press.altKey) return 'send';
  if (press.key === 'Escape' && state.editing === true) return 'cancelEdit';
  if (press.key === 'Escape' && busy) return 'stop';
  if (press.key === 'ArrowUp' && plain && state.inputEmpty === true && state.editing !== true) return 'editLast';
  return 'default';
}

/** The text to send, or undefined when there is nothing to send (empty or only whitespace). */
export function outgoingText(draft: string): string | undefined {
  if (draft.trim() === '') return undefined;
  // Drop blank lines around the message but keep the first line's indentation (pasted code).
  return draft.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}
