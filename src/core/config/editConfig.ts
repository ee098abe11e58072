/**
 * Changes one value in config.yaml text and keeps everything else as the user wrote it
 * (comments, order, formatting), for the commands that edit the config for the user.
 */
import type { Document } from 'yaml';
import { yaml } from '../util/lazyModules';

export type ConfigPath = readonly (string | number)[];

/** Sets (or, with `undefined`, removes) the value at `path`, creating the maps on the way. */
export function setConfigValue(text: string, path: ConfigPath, value: unknown): string {
  const document = editable(text);
  if (value === undefined) document.deleteIn(path);
  else document.setIn(path, value);
  return document.toString();
}

/** Adds `item` to the list at `path` (created if missing) unless it is there already. */
export function addToConfigList(text: string, path: ConfigPath, item: string): string {
  const document = editable(text);
  const list = document.getIn(path, true);
  if (yaml().isSeq(list)) {
    if (!list.items.some((entry) => String((entry as { value?: unknown }).value ?? entry) === item)) list.add(document.createNode(item));
  } else {
    document.setIn(path, [item]);
  }
  return document.toString();
}

/** Removes `item` from the list at `path`; an emptied list is removed too. */
export function removeFromConfigList(text: string, path: ConfigPath, item: string): string {
  const document = editable(text);
  const list = document.getIn(path, true);
  if (!yaml().isSeq(list)) return text;
  list.items = list.items.filter((entry) => String((entry as { value?: unknown }).value ?? entry) !== item);
  if (list.items.length === 0) document.deleteIn(path);
  return document.toString();
}

function editable(text: string): Document {
  const document = yaml().parseDocument(text);
  if (document.errors.length > 0) {
    throw new Error(`the config file has errors; fix them first (${document.errors[0]?.message.split('\n')[0]})`);
  }
  // An empty (or comments-only) file has no top-level map yet.
  if (document.contents === null) document.contents = document.createNode({}) as unknown as typeof document.contents;
  return document;
}
