/**
 * What the chat's overlay panels (History, Tools) share: shown over the chat body from a header
 * button that says whether it is expanded, telling the chat when it opens or closes (the chat
 * behind is made inert), and giving focus back to the button when it closes by the keyboard.
 */
export class OverlayVisibility {
  constructor(
    private readonly panel: HTMLElement,
    private readonly toggleButton: HTMLButtonElement,
    private readonly onOpenChange: (open: boolean) => void,
  ) {}

  get isOpen(): boolean {
    return !this.panel.hidden;
  }

  /** Shows the panel; false when it was open already. */
  show(): boolean {
    if (this.isOpen) return false;
    this.panel.hidden = false;
    this.toggleButton.setAttribute('aria-expanded', 'true');
    return true;
  }

  /** Tells the chat, once the panel is ready to be used. */
  shown(): void {
    this.onOpenChange(true);
  }

  /** Hides the panel; false when it was closed already. */
  hide(returnFocus: boolean): boolean {
    if (!this.isOpen) return false;
    this.panel.hidden = true;
    this.toggleButton.setAttribute('aria-expanded', 'false');
    this.onOpenChange(false);
    if (returnFocus) this.toggleButton.focus();
    return true;
  }
}
