import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import {
  designProblems,
  fromSchema,
  newField,
  toSchema,
  type DesignField,
  type DirectoryOptions,
  type FormDesign,
} from '../forms/form-builder.js';
import { formDrafts } from '../forms/form-drafts.js';
import type { FieldError, FormSchema } from '../forms/form-schema.js';
import { inLanguage } from '../forms/preview-language.js';
import { i18n, t, type I18nText, type Lang } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { directory } from '../services/directory.js';
import { linkClick } from '../services/router.js';
import type { DefinitionSummary } from '../services/types.js';
import { formDesignerStyles } from '../styles/form-designer.js';
import { shared } from '../styles/shared.js';
import type { RvJsonForm } from './rv-json-form.js';
import './rv-json-form.js';
import './rv-form-field-editor.js';
import { openBar, type FormListItem } from './form-designer-open-bar.js';

interface Problem {
  formKey?: string;
  path?: string;
  message: I18nText;
}

const emptyDesign = (): FormDesign => ({ key: '', title: { fa: '', en: '' }, fields: [newField('field1')] });

/**
 * The form designer (managers): fields with Dari and English labels, types, limits and conditional visibility;
 * a live preview in either language through the real rv-json-form; a check of sample answers on the client
 * and on the server against the same schema; drafts kept on the server (every manager sees them); deployment with
 * a process (its next version carries the form).
 */
@customElement('rv-form-designer')
export class RvFormDesigner extends LitElement {
  static override styles = [shared, formDesignerStyles];

  @state() private _design: FormDesign = emptyDesign();
  @state() private _directory: DirectoryOptions = { groups: [], users: [], provinces: [] };
  @state() private _forms: FormListItem[] = [];
  @state() private _processes: DefinitionSummary[] = [];
  @state() private _previewLang: Lang = i18n.lang;
  @state() private _serverProblems: Problem[] = [];
  @state() private _serverErrors: FieldError[] = [];
  @state() private _message: { text: string; ok: boolean } | null = null;
  @state() private _showProblems = false;
  @state() private _deployKey = '';
  @state() private _busy = false;
  private _nextField = 2;
  /** The preview's schema, made again only when the design, directory or preview language change (a new
   * schema object resets what was typed into the preview). */
  private _previewSchema: FormSchema | null = null;

  override willUpdate(changed: Map<string, unknown>): void {
    if (
      !this._previewSchema ||
      changed.has('_design') ||
      changed.has('_directory') ||
      changed.has('_previewLang')
    )
      this._previewSchema = inLanguage(this._schema, this._previewLang);
  }

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [formDrafts, 'change'],
      [directory, 'change'],
    ]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._load();
  }

  private async _load(): Promise<void> {
    const [dir, forms, processes] = await Promise.all([
      api
        .request<{
          users: Array<{ id: string; name: I18nText; active: boolean }>;
          groups: Array<{ id: string; name: I18nText }>;
          provinces: Array<{ code: string; name: I18nText }>;
        }>('GET', '/api/directory')
        .catch(() => null),
      api.request<{ items: FormListItem[] }>('GET', '/api/forms').catch(() => ({ items: [] })),
      api.definitions().catch(() => [] as DefinitionSummary[]),
      formDrafts.load().catch(() => undefined),
    ]);
    if (dir)
      this._directory = {
        groups: dir.groups.map((g) => ({ value: g.id, label: g.name })),
        users: dir.users.filter((u) => u.active).map((u) => ({ value: u.id, label: u.name })),
        provinces: dir.provinces.map((p) => ({ value: p.code, label: p.name })),
      };
    this._forms = forms.items;
    this._processes = processes;
  }

  private get _schema(): FormSchema {
    return toSchema(this._design, this._directory);
  }

  private _setDesign(design: FormDesign): void {
    this._design = design;
    this._serverErrors = [];
    this._message = null;
  }

  private _setField(i: number, field: DesignField): void {
    const fields = this._design.fields.map((f, j) => (j === i ? field : f));
    // a renamed field keeps the fields that depend on it
    const before = this._design.fields[i]!.name;
    if (before !== field.name)
      for (const f of fields) if (f.showIf?.field === before) f.showIf = { ...f.showIf, field: field.name };
    this._setDesign({ ...this._design, fields });
  }

  private _move(i: number, by: -1 | 1): void {
    const fields = [...this._design.fields];
    const [f] = fields.splice(i, 1);
    fields.splice(i + by, 0, f!);
    this._setDesign({ ...this._design, fields });
  }

  private _addField(): void {
    let name = `field${this._nextField++}`;
    while (this._design.fields.some((f) => f.name === name)) name = `field${this._nextField++}`;
    this._setDesign({ ...this._design, fields: [...this._design.fields, newField(name)] });
  }

  private async _open(value: string): Promise<void> {
    if (!value) return;
    this._serverProblems = [];
    if (value === 'new') return this._setDesign(emptyDesign());
    if (value.startsWith('draft:')) return this._openDraft(value.slice(6));
    const item = this._forms.find((f) => `${f.source}:${f.key}` === value);
    if (!item) return;
    const query = item.definitionId ? `?definition=${encodeURIComponent(item.definitionId)}` : '';
    const schema = await api.request<FormSchema>('GET', `/api/forms/${encodeURIComponent(item.key)}${query}`);
    this._setDesign(fromSchema(item.key, schema));
    const key = item.definitionId?.split(':')[0];
    if (key) this._deployKey = key;
  }

  /** Opens a draft saved on the server; the process to deploy with is the one already using that form, if any. */
  private async _openDraft(key: string): Promise<void> {
    try {
      this._setDesign(fromSchema(key, await formDrafts.schema(key)));
      const user = this._processes.find((p) => p.formKeys?.includes(key));
      if (user) this._deployKey = user.key;
    } catch (err) {
      this._message = { text: err instanceof ApiError ? i18n.text(err.text) : String(err), ok: false };
    }
  }

  /** Shows the server's refusal: the form's problems (deploy rules) or the message. */
  private _refused(err: unknown): void {
    if (err instanceof ApiError && err.code === 'RV_ERR_FORM_SCHEMA_INVALID')
      this._serverProblems = ((err.details as { errors?: Problem[] })?.errors ?? []).slice(0, 20);
    this._message = { text: err instanceof ApiError ? i18n.text(err.text) : String(err), ok: false };
  }

  /** Problems the designer itself sees; shown once the manager tries to save, check or deploy. */
  private _clientProblems(): boolean {
    this._showProblems = true;
    return designProblems(this._design).length === 0;
  }

  /** Saves the draft on the server, which checks it as a deployment would. */
  private async _saveDraft(): Promise<void> {
    if (!this._clientProblems()) return;
    this._busy = true;
    this._serverProblems = [];
    try {
      await formDrafts.save(this._design.key, this._schema);
      this._message = { text: t('designer.saved'), ok: true };
    } catch (err) {
      this._refused(err);
    } finally {
      this._busy = false;
    }
  }

  private async _check(): Promise<void> {
    if (!this._clientProblems()) return;
    const form = this.renderRoot.querySelector<RvJsonForm>('rv-json-form');
    if (!form) return;
    const clientOk = form.submit();
    this._busy = true;
    try {
      const answer = await api.request<{ problems: Problem[]; errors: FieldError[] }>(
        'POST',
        '/api/forms/check',
        {
          body: { key: this._design.key, schema: this._schema, data: form.data },
        },
      );
      this._serverProblems = answer.problems;
      this._serverErrors = answer.errors;
      if (answer.problems.length) this._message = null;
      else if (clientOk && !answer.errors.length)
        this._message = { text: t('designer.checkPassed'), ok: true };
      else this._message = { text: t('designer.checkServer', { count: answer.errors.length }), ok: false };
    } catch (err) {
      this._message = { text: err instanceof ApiError ? i18n.text(err.text) : String(err), ok: false };
    } finally {
      this._busy = false;
    }
  }

  private async _deploy(): Promise<void> {
    if (!this._clientProblems() || !this._deployKey) return;
    const process = this._processes.find((p) => p.key === this._deployKey);
    if (!process) return;
    this._busy = true;
    this._serverProblems = [];
    try {
      const xml = await api.definitionXml(process.key, process.version);
      const res = await api.request<{ definition: DefinitionSummary }>('POST', '/api/definitions', {
        body: { xml, forms: { [this._design.key]: this._schema } },
      });
      // deployed: the draft of this form is done with (other managers' lists lose it too)
      const hadDraft = formDrafts.items.some((f) => f.key === this._design.key);
      await formDrafts.discard(this._design.key).catch(() => undefined);
      this._message = {
        text: t(hadDraft ? 'designer.deployed.draftClosed' : 'designer.deployed.ok', {
          process: i18n.text(res.definition.name),
          version: res.definition.version,
        }),
        ok: true,
      };
      void this._load();
    } catch (err) {
      this._refused(err);
    } finally {
      this._busy = false;
    }
  }

  override render() {
    const d = this._design;
    const problems = this._showProblems ? designProblems(d) : [];
    return html`<h1>${t('designer.title')}</h1>
      <p class="muted">${t('designer.intro')}</p>
      <div class="bar">
        <a href="/modeller" @click=${linkClick}>${t('designer.openModeller')}</a>
        <button
          type="button"
          class="link"
          data-to-preview
          @click=${() => this.renderRoot.querySelector('[data-preview]')?.scrollIntoView({ block: 'start' })}
        >
          ${t('designer.preview')}
        </button>
      </div>
      ${openBar({
        drafts: formDrafts.items,
        forms: this._forms,
        current: this._design.key,
        onOpen: (value) => void this._open(value),
        onOpenDraft: (key) => void this._openDraft(key),
      })}
      <div class="layout">
        <div class="stack">
          <section class="card settings" aria-label=${t('designer.title')}>
            <label
              >${t('designer.key')}
              <input
                id="form-key"
                dir="ltr"
                aria-describedby="form-key-help"
                .value=${d.key}
                @input=${(e: Event) => this._setDesign({ ...d, key: (e.target as HTMLInputElement).value.trim() })}
              />
              <span class="help" id="form-key-help">${t('designer.keyHelp')}</span>
            </label>
            <label
              >${t('designer.titleFa')}
              <input
                id="form-title-fa"
                dir="rtl"
                .value=${d.title.fa}
                @input=${(e: Event) =>
                  this._setDesign({ ...d, title: { ...d.title, fa: (e.target as HTMLInputElement).value } })}
            /></label>
            <label
              >${t('designer.titleEn')}
              <input
                id="form-title-en"
                dir="ltr"
                .value=${d.title.en}
                @input=${(e: Event) =>
                  this._setDesign({ ...d, title: { ...d.title, en: (e.target as HTMLInputElement).value } })}
            /></label>
          </section>
          ${
            problems.length
              ? html`<div class="alert" role="alert" data-problems>
                  ${t('designer.problems')}
                  <ul class="problems">
                    ${problems.map((p) => html`<li>${p.field ? html`<bdi>${p.field}</bdi>: ` : nothing}${t(p.key)}</li>`)}
                  </ul>
                </div>`
              : nothing
          }
          ${
            this._serverProblems.length
              ? html`<div class="alert" role="alert" data-server-problems>
                  ${t('designer.serverProblems')}
                  <ul class="problems">
                    ${this._serverProblems.map(
                      (p) => html`<li><bdi dir="ltr">${p.path || '/'}</bdi>: ${i18n.text(p.message)}</li>`,
                    )}
                  </ul>
                </div>`
              : nothing
          }
          <h2>${t('designer.fields')}</h2>
          ${d.fields.map(
            (f, i) =>
              html`<rv-form-field-editor
                .field=${f}
                .index=${i}
                .count=${d.fields.length}
                .others=${d.fields
                  .filter((o) => o !== f)
                  .map((o) => ({
                    name: o.name,
                    label: o.label,
                    options: o.type === 'choice' ? o.options : [],
                  }))}
                .directoryCounts=${{
                  groups: this._directory.groups.length,
                  users: this._directory.users.length,
                  provinces: this._directory.provinces.length,
                }}
                @rv-field-change=${(e: CustomEvent<{ field: DesignField }>) => this._setField(i, e.detail.field)}
                @rv-field-move=${(e: CustomEvent<{ by: -1 | 1 }>) => this._move(i, e.detail.by)}
                @rv-field-remove=${() =>
                  this._setDesign({ ...d, fields: d.fields.filter((_f, j) => j !== i) })}
              ></rv-form-field-editor>`,
          )}
          <div class="bar">
            <button type="button" data-add-field @click=${this._addField}>+ ${t('designer.addField')}</button>
          </div>
        </div>
        ${this._preview()}
      </div>`;
  }

  private _preview() {
    const lang = this._previewLang;
    return html`<section class="card stack preview" aria-labelledby="preview-title">
      <div class="bar">
        <h2 id="preview-title">${t('designer.preview')}</h2>
        <span class="langs" role="group" aria-label=${t('designer.previewIn')}>
          ${(['fa', 'en'] as const).map(
            (l) =>
              html`<button
                type="button"
                data-preview-lang=${l}
                aria-pressed=${lang === l ? 'true' : 'false'}
                @click=${() => (this._previewLang = l)}
              >
                ${l === 'fa' ? 'دری' : 'English'}
              </button>`,
          )}
        </span>
      </div>
      <div dir=${lang === 'fa' ? 'rtl' : 'ltr'} lang=${lang} data-preview>
        <h3>${(lang === 'fa' ? this._design.title.fa : this._design.title.en) || '—'}</h3>
        <rv-json-form .schema=${this._previewSchema} .errors=${this._serverErrors}></rv-json-form>
      </div>
      <div class="bar">
        <button type="button" data-check ?disabled=${this._busy} @click=${() => void this._check()}>
          ${t('designer.check')}
        </button>
        <button type="button" data-save ?disabled=${this._busy} @click=${() => void this._saveDraft()}>
          ${t('designer.saveDraft')}
        </button>
      </div>
      ${
        this._message
          ? html`<p role="status" class=${this._message.ok ? 'ok' : 'error'} data-message>
              ${this._message.text}
            </p>`
          : nothing
      }
      <h2>${t('designer.deployWith')}</h2>
      <p class="help">${t('designer.deployHelp')}</p>
      <div class="bar">
        <select
          data-deploy-process
          aria-label=${t('designer.chooseProcess')}
          @change=${(e: Event) => (this._deployKey = (e.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${!this._deployKey}>${t('designer.chooseProcess')}</option>
          ${this._processes.map(
            (p) =>
              html`<option .value=${p.key} ?selected=${this._deployKey === p.key}>
                ${i18n.text(p.name)}
              </option>`,
          )}
        </select>
        <button
          type="button"
          class="primary"
          data-deploy
          ?disabled=${this._busy || !this._deployKey}
          @click=${() => void this._deploy()}
        >
          ${t('designer.deploy')}
        </button>
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-form-designer': RvFormDesigner;
  }
}
