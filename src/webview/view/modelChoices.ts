/**
 * Turns the host's model list into what the picker shows. Each <option> value is a plain index
 * ("2:5" = group 2, model 5) looked up in a map, because provider and model ids may contain any
 * character ("/", ":", quotes) and must never be parsed back out of a string. Pure, unit-tested.
 */
import type { ModelRef, ModelsState } from '../../protocol/messages';

export interface ModelChoice {
  value: string;
  label: string;
  detail?: string;
}

export interface ModelChoiceGroup {
  label: string;
  choices: ModelChoice[];
  /** Shown as a disabled entry in the group when the provider could not list its models. */
  unavailable?: string;
}

export interface ModelChoices {
  groups: ModelChoiceGroup[];
  byValue: ReadonlyMap<string, ModelRef>;
  /** The value of the selected model, when it is in the list. */
  selectedValue?: string;
  /** The selected model when it is not in the list (e.g. its server is down). */
  missingSelection?: ModelRef;
  modelCount: number;
}

export function buildModelChoices(state: ModelsState): ModelChoices {
  const byValue = new Map<string, ModelRef>();
  let selectedValue: string | undefined;
  let modelCount = 0;
  const groups = state.groups.map((group, groupIndex): ModelChoiceGroup => {
    const choices = group.models.map((model, modelIndex): ModelChoice => {
      const value = `${groupIndex}:${modelIndex}`;
      byValue.set(value, { providerId: group.providerId, modelId: model.id });
      if (state.selected?.providerId === group.providerId && state.selected.modelId === model.id) {
        selectedValue ??= value;
      }
      modelCount++;
      return model.detail === undefined ? { value, label: model.label } : { value, label: model.label, detail: model.detail };
    });
    const label = groupLabel(group);
    return group.problem === undefined
      ? { label, choices }
      : { label, choices, unavailable: `— unavailable: ${group.problem.message}` };
  });
  const result: ModelChoices = { groups, byValue, modelCount };
  if (selectedValue !== undefined) result.selectedValue = selectedValue;
  else if (state.selected !== undefined) result.missingSelection = state.selected;
  return result;
}

/** A workspace's endpoint says so, and names the host it sends prompts to. */
function groupLabel(group: ModelsState['groups'][number]): string {
  return group.workspaceHost === undefined ? group.label : `${group.label} (workspace · ${group.workspaceHost})`;
}
