/**
 * "Configure Plugin": a plugin's settings schema as a form of quick inputs. Every value is
 * checked against its rule while it is typed, so a mistake is named on the spot rather
 * than as a failed plugin after the reload. Secret settings go to secret storage, the
 * others to config.yaml. The form returns to the list of settings after each change
 * until the user presses Escape.
 */
import * as vscode from 'vscode';
import type { PluginConfigProperty, PluginConfigSchema } from '../core/api';
import type { ChatServices } from '../core/chatServices';
import { setConfigValue } from '../core/config/editConfig';
import type { PluginRecord } from '../core/plugins/pluginRuntime';
import { checkSettingValue, parseSettingInput } from '../core/plugins/pluginSettings';
import { editWhereChanged, pickScope, scopeLabel, withoutValue, type ConfigScope } from './configScopes';
import type { ConfigFiles } from './configFiles';
import { pluginFor } from './pluginPicker';

export interface SettingsFormDeps {
  services: ChatServices;
  configFiles: ConfigFiles;
  syncPlugins(options?: { changedLocations?: ReadonlySet<string> }): Promise<void>;
}

const TITLE = 'Patchbay: Configure Plugin';

export async function configurePlugin(deps: SettingsFormDeps, argument: unknown): Promise<void> {
  const record = await pluginFor(deps.services, argument, {
    title: TITLE,
    include: (item) => item.status !== 'shadowed',
    none: 'no plugins are installed.',
  });
  if (!record) return;
  const schema = record.configSchema ?? record.candidate.configSchema;
  if (schema && Object.keys(schema.properties).length > 0) {
    await new SettingsForm(deps, record, schema).run();
    return;
  }
  const { candidate } = record;
  // A single-file plugin's schema is known only once its code has loaded.
  const notLoadedYet = candidate.kind === 'code' && candidate.location === candidate.entryPath && record.status !== 'loaded';
  void vscode.window.showInformationMessage(
    notLoadedYet
      ? `Patchbay: "${candidate.displayName}" has not loaded, so its settings are not known; set them in config.yaml under plugins.config.${candidate.id}.`
      : `Patchbay: "${candidate.displayName}" declares no settings.`,
  );
}

type FieldItem = vscode.QuickPickItem & { field: string; property: PluginConfigProperty };
type ValueItem = vscode.QuickPickItem & { value?: unknown; reset?: true };
type TextAnswer = { text: string } | { reset: true } | undefined;

class SettingsForm {
  private scope: ConfigScope | undefined;
  private record: PluginRecord;
  private readonly id: string;
  private readonly name: string;

  constructor(
    private readonly deps: SettingsFormDeps,
    record: PluginRecord,
    private readonly schema: PluginConfigSchema,
  ) {
    this.record = record;
    this.id = record.candidate.id;
    this.name = record.candidate.displayName;
  }

  async run(): Promise<void> {
    for (;;) {
      const picked = await vscode.window.showQuickPick(await this.fieldItems(), {
        title: `${TITLE}: ${this.name}`,
        placeHolder: 'Pick a setting to change (Escape when done)',
        matchOnDetail: true,
        ignoreFocusOut: true,
      });
      if (!picked) return;
      try {
        if (await this.edit(picked.field, picked.property)) await this.reloadPlugin();
      } catch (error) {
        void vscode.window.showErrorMessage(`Patchbay: could not save "${picked.field}": ${this.deps.services.describeForUser(error)}`);
      }
    }
  }

  private async fieldItems(): Promise<FieldItem[]> {
    const items: FieldItem[] = [];
    const required = new Set(this.schema.required ?? []);
    for (const [field, property] of Object.entries(this.schema.properties)) {
      const problem = this.record.settingsProblems.find((item) => item.field === field || item.field.startsWith(`${field}.`) || item.field.startsWith(`${field}[`));
      const detail = [problem ? `$(warning) ${problem.message}` : undefined, property.description, ruleText(property, required.has(field))];
      items.push({
        label: field,
        description: await this.currentText(field, property),
        detail: detail.filter((part) => part !== undefined && part !== '').join(' — '),
        field,
        property,
      });
    }
    return items;
  }

  private async currentText(field: string, property: PluginConfigProperty): Promise<string> {
    if (property.secret) return (await this.deps.services.plugins.secret(this.record, field)) ? '••• set' : 'not set';
    const values = this.fileValues();
    if (Object.hasOwn(values, field)) return shown(values[field]);
    return property.default !== undefined ? `${shown(property.default)} (default)` : 'not set';
  }

  /** True when something was saved. */
  private async edit(field: string, property: PluginConfigProperty): Promise<boolean> {
    if (property.secret) return this.editSecret(field, property);
    if (property.enum || property.type === 'boolean') return this.chooseValue(field, property);
    return this.typeValue(field, property);
  }

  private async chooseValue(field: string, property: PluginConfigProperty): Promise<boolean> {
    const values = this.fileValues();
    const isSet = Object.hasOwn(values, field);
    const current = isSet ? values[field] : property.default;
    const options = property.enum ?? [true, false];
    const items: ValueItem[] = options.map((value) => ({
      label: typeof value === 'string' ? value : JSON.stringify(value),
      ...(sameValue(value, current) ? { description: isSet ? 'current' : 'current (default)' } : sameValue(value, property.default) ? { description: 'default' } : {}),
      value,
    }));
    if (isSet) {
      items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
      items.push({ label: '$(discard) Reset to default', ...(property.default !== undefined ? { description: shown(property.default) } : {}), reset: true });
    }
    const picked = await vscode.window.showQuickPick(items, { title: this.fieldTitle(field), placeHolder: property.description ?? field, ignoreFocusOut: true });
    if (!picked) return false;
    if (picked.reset) return this.reset(field);
    const problem = checkSettingValue(this.schema, field, picked.value);
    if (problem) throw new Error(problem);
    return this.save(field, picked.value);
  }

  private async typeValue(field: string, property: PluginConfigProperty): Promise<boolean> {
    const values = this.fileValues();
    const isSet = Object.hasOwn(values, field);
    const current = isSet ? values[field] : property.default;
    const answer = await askText({
      title: this.fieldTitle(field),
      prompt: [property.description, ruleText(property, (this.schema.required ?? []).includes(field))].filter(Boolean).join(' — '),
      value: current === undefined ? '' : typeof current === 'string' ? current : JSON.stringify(current),
      validate: (text) => this.problemWith(field, property, text),
      ...(isSet ? { resetTooltip: `Reset to default${property.default !== undefined ? ` (${shown(property.default)})` : ''}` } : {}),
    });
    if (!answer) return false;
    if ('reset' in answer) return this.reset(field);
    const parsed = parseSettingInput(property, answer.text);
    if ('error' in parsed) throw new Error(parsed.error);
    return this.save(field, parsed.value);
  }

  private async editSecret(field: string, property: PluginConfigProperty): Promise<boolean> {
    const answer = await askText({
      title: this.fieldTitle(field),
      prompt: `${property.description ? `${property.description} — ` : ''}Saved in VS Code's secret storage, never in a file. Leave empty to remove it.`,
      value: '',
      password: true,
      validate: (text) => (text === '' ? undefined : this.problemWith(field, property, text)),
    });
    if (!answer || 'reset' in answer) return false;
    await this.deps.services.plugins.setSecret(this.record, field, answer.text === '' ? undefined : answer.text);
    return true;
  }

  /** The specific error for a typed value, naming the setting and the rule it breaks. */
  private problemWith(field: string, property: PluginConfigProperty, text: string): string | undefined {
    const parsed = parseSettingInput(property, text);
    if ('error' in parsed) return `"${field}": ${parsed.error}`;
    return checkSettingValue(this.schema, field, parsed.value);
  }

  private async save(field: string, value: unknown): Promise<boolean> {
    this.scope ??= await pickScope(`Save the settings of "${this.name}" in`);
    if (!this.scope) return false;
    const scope = this.scope;
    await this.deps.configFiles.edit(scope, (text) => setConfigValue(text, ['plugins', 'config', this.id, field], value));
    // A more specific file that sets the same value wins over the one just written.
    if (!sameValue(this.fileValues()[field], value)) {
      void vscode.window.showWarningMessage(`Patchbay: saved "${field}" in ${scopeLabel(scope)}, but a more specific config file sets it too, and its value wins.`);
    }
    return true;
  }

  private async reset(field: string): Promise<boolean> {
    const edited = await editWhereChanged(this.deps.configFiles, (text) => withoutValue(text, ['plugins', 'config', this.id, field]));
    return edited.length > 0;
  }

  /** Secrets are not part of the config files, so the plugin is reloaded by its location. */
  private async reloadPlugin(): Promise<void> {
    const location = this.record.candidate.location;
    await this.deps.syncPlugins({ changedLocations: new Set([location]) });
    this.record = this.deps.services.plugins.records().find((record) => record.candidate.location === location) ?? this.record;
  }

  private fileValues(): Record<string, unknown> {
    return this.deps.configFiles.plugins().settings[this.id] ?? {};
  }

  private fieldTitle(field: string): string {
    return `${this.name}: ${field}`;
  }
}

/** "string · one of "a", "b" · default "a" · required" */
function ruleText(property: PluginConfigProperty, required: boolean): string {
  const rules: string[] = [property.type ?? 'any value'];
  if (property.enum) rules.push(`one of ${property.enum.map(shown).join(', ')}`);
  for (const keyword of ['minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems']) {
    const limit = property[keyword];
    if (limit !== undefined) rules.push(`${keyword} ${shown(limit)}`);
  }
  if (property.default !== undefined) rules.push(`default ${shown(property.default)}`);
  if (required) rules.push('required');
  if (property.secret) rules.push('secret');
  return rules.join(' · ');
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface TextQuestion {
  title: string;
  prompt: string;
  value: string;
  password?: boolean;
  validate(text: string): string | undefined;
  /** Offers a "reset to default" button with this tooltip. */
  resetTooltip?: string;
}

/** An input box that checks as the user types, with an optional reset button. */
function askText(question: TextQuestion): Promise<TextAnswer> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = question.title;
    box.prompt = question.prompt;
    box.value = question.value;
    box.password = question.password ?? false;
    box.ignoreFocusOut = true;
    if (question.resetTooltip) box.buttons = [{ iconPath: new vscode.ThemeIcon('discard'), tooltip: question.resetTooltip }];
    let settled = false;
    const finish = (answer: TextAnswer) => {
      if (settled) return;
      settled = true;
      resolve(answer);
      box.dispose();
    };
    const validate = () => {
      box.validationMessage = question.validate(box.value);
    };
    box.onDidChangeValue(validate);
    box.onDidAccept(() => {
      validate();
      if (box.validationMessage === undefined) finish({ text: box.value });
    });
    box.onDidTriggerButton(() => finish({ reset: true }));
    box.onDidHide(() => finish(undefined));
    validate();
    box.show();
  });
}
