/**
 * How a context chip reads: an icon per kind, the label and the size. Pure, unit-tested in Node.
 */
import type { ContextChip } from '../../protocol/messages';

type ChipKind = ContextChip['kind'];

const KIND_NAMES: Readonly<Record<ChipKind, string>> = {
  selection: 'Selection',
  file: 'File',
  editors: 'Open editors',
  problems: 'Problems',
  resource: 'MCP resource',
  plugin: 'Context provider',
  image: 'Image',
};

/** Plain text symbols (no icon font is loaded in the webview); hidden from screen readers. */
const KIND_ICONS: Readonly<Record<ChipKind, string>> = {
  selection: '❝',
  file: '▤',
  editors: '❐',
  problems: '⚠',
  resource: '◈',
  plugin: '@',
  image: '▣',
};

export function chipKindName(kind: ChipKind): string {
  return KIND_NAMES[kind];
}

export function chipIcon(kind: ChipKind): string {
  return KIND_ICONS[kind];
}

/** "src/app.ts:10-24 · 15 lines · ~120 tokens", or only the label when the size is unknown. */
export function chipText(chip: Pick<ContextChip, 'label' | 'size'>): string {
  const size = chip.size.trim();
  return size === '' ? chip.label : `${chip.label} · ${size}`;
}

/** The chip's tooltip: what kind of context it is, and all of its text. */
export function chipTitle(chip: Pick<ContextChip, 'kind' | 'label' | 'size'>): string {
  return `${chipKindName(chip.kind)}: ${chipText(chip)}`;
}

/** The accessible name of a chip's remove button (tests find it by it); an image's names its size too. */
export function removeChipLabel(chip: Pick<ContextChip, 'label'> & Partial<Pick<ContextChip, 'kind' | 'size'>>): string {
  return chip.kind === 'image' ? `Remove image ${chip.label} (${chip.size ?? ''})` : `Remove ${chip.label}`;
}

/** The Add Context menu: its items and the kind each asks the host for. */
export const ADD_CONTEXT_ITEMS: ReadonlyArray<{ label: string; kind: ChipKind }> = [
  { label: 'Selection', kind: 'selection' },
  { label: 'Current File', kind: 'file' },
  { label: 'Open Editors', kind: 'editors' },
  { label: 'Problems', kind: 'problems' },
  { label: 'MCP Resource…', kind: 'resource' },
  { label: 'Context Provider…', kind: 'plugin' },
  { label: 'Image…', kind: 'image' },
];
