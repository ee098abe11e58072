/**
 * The header (model picker, Refresh Models, New Chat) and, when no provider offers any model,
 * the empty state that says how to get one.
 *
 *   header.chat-header
 *     select.model-select[aria-label=Model] > optgroup[label]* > option*
 *     button.header-button[aria-label="Refresh Models"]   (hidden while the empty state shows)
 *     button.header-button[aria-label="New Chat"]
 *   section.models-empty[hidden]
 *     h2 "No models found" + p.models-empty-summary + ul.models-problems
 *     ul.models-looked-for > li* (each local server looked for: name, address, how to start it)
 *     div.models-empty-actions > button "Refresh Models" + button "Open Config"
 */
import type { ModelRef, ModelsState, WebviewToHost } from '../../protocol/messages';
import { button, el, iconButton } from '../dom';
import { buildModelChoices } from './modelChoices';

export class ModelPicker {
  readonly header: HTMLElement;
  readonly emptyState: HTMLElement;
  private readonly select = el('select', { className: 'model-select', attrs: { 'aria-label': 'Model' } });
  private readonly refreshButton = iconButton('Refresh Models', 'refresh', { className: 'header-button' });
  private readonly newChatButton = iconButton('New Chat', 'add', { className: 'header-button' });
  private readonly emptyProblems = el('ul', { className: 'models-problems' });
  private readonly emptySummary = el('p', { className: 'models-empty-summary' });
  private readonly emptyRefresh = button('Refresh Models', 'Refresh Models', { className: 'primary' });
  private readonly lookedFor = el('ul', { className: 'models-looked-for', attrs: { 'aria-label': 'Local servers Patchbay looked for' } });
  private byValue: ReadonlyMap<string, ModelRef> = new Map();
  private selected: ModelRef | undefined;

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    /** Called when the user picks a model (sending may become possible). */
    private readonly onSelectionChanged: () => void,
  ) {
    this.header = el('header', { className: 'chat-header' }, this.select, this.refreshButton, this.newChatButton);
    const openConfig = button('Open Config', 'Open Config', { className: 'secondary' });
    this.emptyState = el('section', { className: 'models-empty', hidden: true, attrs: { 'aria-labelledby': 'models-empty-title' } },
      el('h2', { text: 'No models found', attrs: { id: 'models-empty-title' } }),
      this.emptySummary,
      this.emptyProblems,
      this.lookedFor,
      el('div', { className: 'models-empty-actions' }, this.emptyRefresh, openConfig));
    openConfig.addEventListener('click', () => this.post({ type: 'recover', action: 'openConfig' }));

    this.select.addEventListener('change', () => this.onChange());
    this.refreshButton.addEventListener('click', () => this.post({ type: 'refreshModels' }));
    this.emptyRefresh.addEventListener('click', () => this.post({ type: 'refreshModels' }));
    this.newChatButton.addEventListener('click', () => this.post({ type: 'newChat' }));
    this.update({ groups: [], loading: true });
  }

  /** Whether a model is chosen (sending needs one). */
  get hasSelection(): boolean {
    return this.selected !== undefined;
  }

  update(state: ModelsState): void {
    const choices = buildModelChoices(state);
    this.byValue = choices.byValue;
    this.selected = state.selected;

    const options: HTMLElement[] = [];
    if (choices.selectedValue === undefined) {
      // Keep the current choice visible even when its server did not answer this time.
      const text = choices.missingSelection !== undefined
        ? `${choices.missingSelection.modelId} (not available)`
        : state.loading ? 'Loading models…' : choices.modelCount === 0 ? 'No models' : 'Select a model';
      options.push(el('option', { text, attrs: { value: '', disabled: '', selected: '' } }));
    }
    for (const group of choices.groups) {
      const optgroup = el('optgroup', { attrs: { label: group.label } });
      for (const choice of group.choices) {
        const option = el('option', { text: choice.label, attrs: { value: choice.value } });
        if (choice.detail !== undefined) option.title = choice.detail;
        if (choice.value === choices.selectedValue) option.selected = true;
        optgroup.append(option);
      }
      if (group.unavailable !== undefined) {
        optgroup.append(el('option', { text: group.unavailable, attrs: { value: '', disabled: '' } }));
      }
      options.push(optgroup);
    }
    this.select.replaceChildren(...options);
    if (choices.selectedValue !== undefined) this.select.value = choices.selectedValue;
    this.select.disabled = choices.modelCount === 0;

    // Once shown, the empty state stays through a refresh rather than flicker away and back.
    const showEmpty = choices.modelCount === 0 && (!state.loading || !this.emptyState.hidden);
    this.emptyState.hidden = !showEmpty;
    this.refreshButton.hidden = showEmpty;
    this.refreshButton.classList.toggle('loading', state.loading);
    this.refreshButton.setAttribute('aria-busy', String(state.loading));
    this.emptyRefresh.disabled = state.loading;
    this.emptyRefresh.textContent = state.loading ? 'Refreshing…' : 'Refresh Models';
    this.emptyProblems.replaceChildren(...state.groups
      .filter((group) => group.problem !== undefined)
      .map((group) => el('li', { text: `${group.label}: ${group.problem?.message ?? ''}` })));
    const notAnswering = state.localServersNotAnswering ?? [];
    this.emptySummary.textContent = emptySummaryText(notAnswering.length, state.discoversLocalServers !== false);
    this.lookedFor.hidden = notAnswering.length === 0;
    this.lookedFor.replaceChildren(...notAnswering.map((server) =>
      el('li', {},
        el('span', { className: 'looked-for-name', text: server.label }),
        el('code', { className: 'looked-for-address', text: server.address }),
        ...(server.startHint ? [el('span', { className: 'looked-for-hint' }, ...withCode(server.startHint))] : []))));
  }

  private onChange(): void {
    const ref = this.byValue.get(this.select.value);
    if (ref === undefined) return;
    this.selected = ref;
    this.onSelectionChanged();
    this.post({ type: 'selectModel', providerId: ref.providerId, modelId: ref.modelId });
  }
}

function emptySummaryText(lookedFor: number, discovers: boolean): string {
  const orConfig = 'or add an endpoint in .patchbay/config.yaml (Open Config), then refresh.';
  if (!discovers) return `Looking for local servers is off (patchbay.discoverLocalServers). Turn it on, ${orConfig}`;
  if (lookedFor === 0) return `Start a local model server (Ollama, LM Studio, vLLM, llama.cpp) ${orConfig}`;
  return `Patchbay looked for these servers on their usual ports and none answered. Start one, ${orConfig}`;
}

/** A hint's `backticked` commands as code, the rest as text. */
function withCode(hint: string): Node[] {
  return hint.split('`').map((part, index) => (index % 2 === 1 ? el('code', { text: part }) : document.createTextNode(part)));
}
