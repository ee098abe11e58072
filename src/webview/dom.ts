/** A small element builder: the UI is built from code, never from HTML strings. */
import type { ChatCodicon } from './codicons';

export interface ElementProps {
  className?: string;
  text?: string;
  /** Attributes set with setAttribute (aria-label, title, data-*...). */
  attrs?: Record<string, string>;
  hidden?: boolean;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Node[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className !== undefined) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  if (props.hidden === true) element.hidden = true;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A button whose accessible name is `label` even when its visible text is an icon. */
export function button(label: string, text: string, props: ElementProps = {}): HTMLButtonElement {
  const element = el('button', { ...props, attrs: { type: 'button', 'aria-label': label, title: label, ...props.attrs } });
  element.textContent = text;
  return element;
}

/**
 * A button showing one of VS Code's own icons (the codicon font, as the editor's toolbars do),
 * so it looks right in every theme; its name is for screen readers and the tooltip.
 */
export function iconButton(label: string, icon: ChatCodicon, props: ElementProps = {}): HTMLButtonElement {
  const element = button(label, '', { ...props, className: `${props.className ?? ''} icon-button`.trim() });
  element.append(el('span', { className: `codicon codicon-${icon}`, attrs: { 'aria-hidden': 'true' } }));
  return element;
}
