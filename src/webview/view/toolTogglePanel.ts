/**
 * Which tools this conversation may use: a panel over the chat (below the header) with one
 * group per tool plugin or MCP server, a checkbox for all of its tools and one per tool. The
 * host owns the choice (it is saved with the conversation); the panel asks for it on opening
 * (`listToolToggles`) and sends each change (`setToolEnabled`), then shows the host's answer.
 *
 * Keyboard: native checkboxes (Tab moves, Space toggles); the first checkbox takes focus on
 * opening; Escape closes the panel and gives focus back to Tools.
 *
 *   button.header-button[aria-label=Tools][aria-expanded][aria-controls=patchbay-tools]   (in the header)
 *   section.tools-panel#patchbay-tools[aria-label="Tools for This Conversation"][hidden]
 *     div.tools-toolbar > span.tools-summary[role=status] + button[aria-label="Close Tools"]
 *     div.tools-groups
 *       fieldset.tools-group > legend > label > input[type=checkbox][data-key=plugin:<owner>] + "<owner>"
 *                            > ul > li > label[title=<description>] > input[type=checkbox][data-key=tool:<owner>/<name>] + "<name>"
 *     p.tools-empty   "No tools are installed"
 */
import type { ToolToggleGroup, WebviewToHost } from '../../protocol/messages';
import { el, iconButton } from '../dom';
import { OverlayVisibility } from './overlayVisibility';
import { toolsOnText } from './toolToggleText';

const PANEL_ID = 'patchbay-tools';

export interface ToolTogglePanelHooks {
  /** The panel opened or closed (the chat behind it is made inert meanwhile). */
  onOpenChange(open: boolean): void;
}

export class ToolTogglePanel {
  readonly toggleButton = iconButton('Tools', 'tools', {
    className: 'header-button tools-button',
    attrs: { 'aria-expanded': 'false', 'aria-controls': PANEL_ID },
  });
  readonly element: HTMLElement;
  private readonly visibility: OverlayVisibility;
  private readonly summary = el('span', { className: 'tools-summary', attrs: { role: 'status' } });
  private readonly closeButton = iconButton('Close Tools', 'close', { className: 'header-button tools-close' });
  private readonly groupsElement = el('div', { className: 'tools-groups' });
  private groups: ToolToggleGroup[] = [];
  private loaded = false;
  /** Focus goes to the first checkbox once the first answer after opening arrives. */
  private focusWhenShown = false;

  constructor(private readonly post: (message: WebviewToHost) => void, private readonly hooks: ToolTogglePanelHooks) {
    this.element = el('section', { className: 'overlay-panel tools-panel', hidden: true, attrs: { id: PANEL_ID, 'aria-label': 'Tools for This Conversation' } },
      el('div', { className: 'overlay-toolbar tools-toolbar' }, this.summary, this.closeButton),
      this.groupsElement);
    this.visibility = new OverlayVisibility(this.element, this.toggleButton, (open) => this.hooks.onOpenChange(open));
    this.toggleButton.addEventListener('click', () => (this.isOpen ? this.close(true) : this.open()));
    this.closeButton.addEventListener('click', () => this.close(true));
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      this.close(true);
    });
    this.groupsElement.addEventListener('change', (event) => {
      const box = event.target instanceof HTMLInputElement ? event.target : undefined;
      const key = box?.dataset.key;
      if (box && key !== undefined) this.post({ type: 'setToolEnabled', key, enabled: box.checked });
    });
  }

  get isOpen(): boolean {
    return this.visibility.isOpen;
  }

  open(): void {
    if (!this.visibility.show()) return;
    this.loaded = false;
    this.focusWhenShown = true;
    this.render();
    this.visibility.shown();
    this.closeButton.focus();
    this.post({ type: 'listToolToggles' });
  }

  close(returnFocus: boolean): void {
    this.visibility.hide(returnFocus);
  }

  /** Another conversation came up: its own choice is asked for. */
  conversationChanged(): void {
    if (this.isOpen) this.post({ type: 'listToolToggles' });
  }

  /** The host's answer: the tools, each on or off for the open conversation. */
  show(groups: readonly ToolToggleGroup[]): void {
    this.groups = [...groups];
    this.loaded = true;
    if (this.isOpen) this.render();
  }

  private render(): void {
    const focusedKey = document.activeElement instanceof HTMLInputElement ? document.activeElement.dataset.key : undefined;
    this.summary.textContent = this.loaded ? toolsOnText(this.groups) : 'Loading…';
    this.groupsElement.replaceChildren(...this.groups.map((group) => this.groupElement(group)));
    const again = focusedKey !== undefined ? this.groupsElement.querySelector<HTMLInputElement>(`input[data-key="${CSS.escape(focusedKey)}"]`) : null;
    if (again) again.focus();
    else if (this.loaded && this.focusWhenShown) this.groupsElement.querySelector<HTMLInputElement>('input')?.focus();
    if (this.loaded) this.focusWhenShown = false;
  }

  private groupElement(group: ToolToggleGroup): HTMLElement {
    const all = checkbox(group.key, group.on);
    const list = el('ul', { className: 'tools-list' }, ...group.tools.map((tool) => {
      const box = checkbox(tool.key, tool.on);
      // A tool of a plugin that is off is not offered, whatever its own box says.
      box.disabled = !group.on;
      return el('li', {}, el('label', { className: 'tools-tool', attrs: { title: tool.description } }, box, el('span', { text: tool.name })));
    }));
    return el('fieldset', { className: 'tools-group' },
      el('legend', {}, el('label', { className: 'tools-plugin' }, all, el('span', { text: group.label }), el('span', { className: 'tools-count', text: ` (${group.tools.length})` }))),
      list);
  }
}

function checkbox(key: string, checked: boolean): HTMLInputElement {
  const box = el('input', { attrs: { type: 'checkbox' } });
  box.checked = checked;
  box.dataset.key = key;
  return box;
}
