/** Words of the tool toggle panel. Pure, unit-tested in Node. */
import type { ToolToggleGroup } from '../../protocol/messages';

/** How many tools will be offered: a tool counts when it and its plugin are on. */
export function toolsOnText(groups: readonly ToolToggleGroup[]): string {
  const total = groups.reduce((sum, group) => sum + group.tools.length, 0);
  if (total === 0) return 'No tools are installed';
  const on = groups.reduce((sum, group) => sum + (group.on ? group.tools.filter((tool) => tool.on).length : 0), 0);
  if (on === total) return `All ${total} tool${total === 1 ? '' : 's'} on for this conversation`;
  return `${on} of ${total} tools on for this conversation`;
}
