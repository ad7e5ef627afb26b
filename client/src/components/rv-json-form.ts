import { LitElement, html, css, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import {
  cleanData,
  normaliseField,
  orderedFields,
  requiredFields,
  validateForm,
  type FieldError,
  type FieldSchema,
  type FormData,
  type FormSchema,
} from '../forms/form-schema.js';
import { isShown } from '../forms/form-visibility.js';
import { i18n, t } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { hijriDateStyles } from '../styles/hijri-date.js';
import './rv-hijri-date.js';
import './rv-file-field.js';
import type { UploadTarget } from './rv-file-field.js';

let formCounter = 0;

/**
 * Renders a task form from its JSON Schema (with x-label, x-help, x-widget, x-enum-labels, x-errors) in the
 * current language, checks it before sending, and shows the server's field errors set in `errors`.
 * @fires rv-submit CustomEvent<{ data }> with the cleaned data once the client-side checks pass
 * @fires rv-change CustomEvent<{ data }> on every edit
 */
@customElement('rv-json-form')
export class RvJsonForm extends LitElement {
  static override styles = [
    shared,
    hijriDateStyles,
    css`
      form {
        display: grid;
        gap: 1rem;
      }
      .field {
        display: grid;
        gap: 0.3rem;
      }
      .field > label,
      legend {
        font-weight: 600;
      }
      .req {
        color: var(--rv-danger);
        margin-inline-start: 0.15rem;
      }
      fieldset {
        border: 1px solid var(--rv-border);
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
        margin: 0;
        min-width: 0;
      }
      fieldset.choices {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1.2rem;
      }
      fieldset.choices legend {
        padding: 0 0.3rem;
      }
      .choice {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        cursor: pointer;
      }
      .form-help {
        margin: 0;
        font-size: 0.95rem;
      }
      .help {
        font-size: 0.85rem;
        color: var(--rv-muted);
      }
      .field-error {
        font-size: 0.9rem;
        color: var(--rv-danger);
      }
      textarea {
        min-height: 6rem;
        resize: vertical;
        width: 100%;
      }
      input:not([type='checkbox']):not([type='radio']),
      select {
        width: min(100%, 28rem);
      }
      .rows {
        display: grid;
        gap: 0.6rem;
      }
      .object-row {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.6rem;
        align-items: end;
        border: 1px dashed var(--rv-border-strong);
        border-radius: 8px;
        padding: 0.6rem;
      }
      .object-row .field input:not([type='checkbox']) {
        width: 100%;
      }
      .counter {
        font-size: 0.8rem;
        color: var(--rv-muted);
        text-align: end;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) schema: FormSchema | null = null;
  /** Initial values (e.g. process variables with the same names). */
  @property({ attribute: false }) value: FormData = {};
  /** Errors from the server (422 RV_ERR_FORM_INVALID `details.errors`), shown on their fields. */
  @property({ attribute: false }) errors: FieldError[] = [];
  /** The text of the submit button; no button when empty. */
  @property() submitLabel = '';
  @property({ type: Boolean }) disabled = false;
  /** Where files chosen in `file` fields are uploaded (the task's case); none on a start form. */
  @property({ attribute: false }) upload: UploadTarget | null = null;

  @state() private _data: FormData = {};
  @state() private _clientErrors: FieldError[] = [];
  @state() private _touched = false;

  private readonly _uid = `f${++formCounter}`;

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('schema') || changed.has('value')) {
      this._data = this._initialData();
      this._clientErrors = [];
      this._touched = false;
    }
  }

  /** The current data, cleaned as it would be sent. */
  get data(): FormData {
    return this.schema ? cleanData(this.schema, this._data) : {};
  }

  /** Runs the checks and fires rv-submit when they pass; returns whether they passed. */
  submit(): boolean {
    if (!this.schema) return false;
    this._touched = true;
    this._clientErrors = validateForm(this.schema, this._data);
    if (this._clientErrors.length) {
      void this.updateComplete.then(() => this._focusFirstError());
      return false;
    }
    this.dispatchEvent(
      new CustomEvent('rv-submit', { detail: { data: this.data }, bubbles: true, composed: true }),
    );
    return true;
  }

  private _initialData(): FormData {
    const data: FormData = {};
    for (const [name, field] of Object.entries(this.schema?.properties ?? {})) {
      const given = this.value?.[name];
      if (given !== undefined) data[name] = structuredClone(given);
      else if (field.default !== undefined) data[name] = structuredClone(field.default);
      else if (field.type === 'array') data[name] = [];
    }
    return data;
  }

  private _allErrors(): FieldError[] {
    return [
      ...this._clientErrors,
      ...this.errors.map((e) => ({ ...e, field: normaliseField(e.field ?? '') })),
    ];
  }

  private _errorFor(path: string): FieldError | undefined {
    return this._allErrors().find((e) => e.field === path);
  }

  private _set(path: string[], value: unknown): void {
    const data = structuredClone(this._data);
    let target: Record<string, unknown> | unknown[] = data;
    for (const key of path.slice(0, -1))
      target = (target as Record<string, unknown>)[key] as Record<string, unknown>;
    (target as Record<string, unknown>)[path[path.length - 1]!] = value;
    this._data = data;
    const joined = path.join('.');
    // an edited field drops its errors; re-check it once the user has tried to submit
    this.errors = this.errors.filter((e) => normaliseField(e.field ?? '') !== joined);
    if (this._touched && this.schema) this._clientErrors = validateForm(this.schema, this._data);
    this.dispatchEvent(new CustomEvent('rv-change', { detail: { data: this.data } }));
  }

  private _focusFirstError(): void {
    const el = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  }

  private _onSubmit(e: Event): void {
    e.preventDefault();
    this.submit();
  }

  override render() {
    if (!this.schema) return nothing;
    const errors = this._allErrors();
    const formError = errors.find((e) => e.field === '' && e.keyword !== 'required');
    const required = requiredFields(this.schema, this._data);
    return html`
      <form
        novalidate
        @submit=${this._onSubmit}
        aria-label=${i18n.text(this.schema['x-title']) || t('task.form')}
      >
        ${this.schema['x-help'] ? html`<p class="help form-help">${i18n.text(this.schema['x-help'])}</p>` : nothing}
        ${
          errors.length
            ? html`<div class="alert" role="alert" id="${this._uid}:summary">
                ${t('form.errorSummary', { count: new Set(errors.map((e) => e.field)).size })}
                ${formError ? html`<div>${i18n.text(formError.message)}</div>` : nothing}
              </div>`
            : nothing
        }
        ${orderedFields(this.schema)
          .filter(([, field]) => isShown(field, this._data))
          .map(([name, field]) => this._field([name], field, required.has(name)))}
        ${
          this.submitLabel
            ? html`<div class="actions">
                <button class="primary" type="submit" ?disabled=${this.disabled}>${this.submitLabel}</button>
              </div>`
            : nothing
        }
      </form>
    `;
  }

  private _field(path: string[], field: FieldSchema, required: boolean): TemplateResult {
    const joined = path.join('.');
    // ids: the form's uid, the field's path, then `:part`; `:` never occurs in a field name, so a field named
    // `summary` or `a-help` cannot take the id of the error summary or of another field's help
    const id = `${this._uid}-${joined}`;
    const label = i18n.text(field['x-label']) || path[path.length - 1]!;
    const error = this._errorFor(joined);
    const help = i18n.text(field['x-help']);
    const describedBy =
      [help ? `${id}:help` : '', error ? `${id}:error` : ''].filter(Boolean).join(' ') || nothing;
    const value = this._get(path);
    const widget = field['x-widget'];
    const reqMark = required ? html`<span class="req" aria-hidden="true">*</span>` : nothing;
    const helpEl = help ? html`<div class="help" id="${id}:help">${help}</div>` : nothing;
    const errorEl = error
      ? html`<div class="field-error" id="${id}:error" data-field=${joined}>${i18n.text(error.message)}</div>`
      : nothing;
    const invalid = error ? 'true' : 'false';
    if (widget === 'file')
      return html`<rv-file-field
        class="field"
        field-id=${id}
        .field=${field}
        .value=${value}
        .upload=${this.upload}
        .label=${label}
        ?required=${required}
        ?disabled=${this.disabled}
        .error=${error?.message}
        aria-invalid=${invalid}
        @rv-file-change=${(e: CustomEvent<{ value: unknown }>) => this._set(path, e.detail.value)}
      ></rv-file-field>`;

    // enum: radio buttons or a select
    if (field.type === 'string' && field.enum) {
      const options = field.enum.map((v) => ({ value: String(v), label: this._enumLabel(field, v) }));
      const useRadio = widget === 'radio' || (!widget && options.length <= 4);
      if (useRadio) {
        return html`<div class="field">
          <fieldset
            class="choices"
            aria-describedby=${describedBy}
            aria-required=${required ? 'true' : 'false'}
          >
            <legend>${label}${reqMark}</legend>
            ${options.map(
              (o, i) =>
                html`<label class="choice">
                  <input
                    type="radio"
                    name=${id}
                    id="${id}:${i}"
                    .value=${o.value}
                    .checked=${value === o.value}
                    ?disabled=${this.disabled}
                    aria-invalid=${invalid}
                    @change=${() => this._set(path, o.value)}
                  />
                  ${o.label}
                </label>`,
            )}
          </fieldset>
          ${helpEl}${errorEl}
        </div>`;
      }
      return html`<div class="field">
        <label for=${id}>${label}${reqMark}</label>
        <select
          id=${id}
          ?disabled=${this.disabled}
          aria-invalid=${invalid}
          aria-describedby=${describedBy}
          aria-required=${required ? 'true' : 'false'}
          @change=${(e: Event) => this._set(path, (e.target as HTMLSelectElement).value || undefined)}
        >
          <option value="" ?selected=${value === undefined}>${t('form.choose')}</option>
          ${options.map((o) => html`<option .value=${o.value} ?selected=${value === o.value}>${o.label}</option>`)}
        </select>
        ${helpEl}${errorEl}
      </div>`;
    }

    if (field.type === 'boolean') {
      return html`<div class="field">
        <label class="choice" for=${id}>
          <input
            type="checkbox"
            id=${id}
            .checked=${value === true}
            ?disabled=${this.disabled}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
            @change=${(e: Event) => this._set(path, (e.target as HTMLInputElement).checked)}
          />
          ${label}${reqMark}
        </label>
        ${helpEl}${errorEl}
      </div>`;
    }

    if (field.type === 'array' && field.items?.enum) {
      const selected = Array.isArray(value) ? (value as string[]) : [];
      const options = field.items.enum.map((v) => ({
        value: String(v),
        label: this._enumLabel(field.items!, v),
      }));
      if (widget === 'select') {
        return html`<div class="field">
          <label for=${id}>${label}${reqMark}</label>
          <select
            id=${id}
            multiple
            size=${Math.min(8, options.length)}
            ?disabled=${this.disabled}
            aria-invalid=${invalid}
            aria-describedby=${describedBy}
            @change=${(e: Event) =>
              this._set(
                path,
                [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value),
              )}
          >
            ${options.map((o) => html`<option .value=${o.value} ?selected=${selected.includes(o.value)}>${o.label}</option>`)}
          </select>
          ${helpEl}${errorEl}
        </div>`;
      }
      return html`<div class="field">
        <fieldset class="choices" aria-describedby=${describedBy}>
          <legend>${label}${reqMark}</legend>
          ${options.map(
            (o, i) =>
              html`<label class="choice">
                <input
                  type="checkbox"
                  id="${id}:${i}"
                  .checked=${selected.includes(o.value)}
                  ?disabled=${this.disabled}
                  aria-invalid=${invalid}
                  @change=${(e: Event) => {
                    const on = (e.target as HTMLInputElement).checked;
                    const next = on ? [...selected, o.value] : selected.filter((s) => s !== o.value);
                    // keep the schema's order, not the click order
                    this._set(
                      path,
                      options.map((x) => x.value).filter((v) => next.includes(v)),
                    );
                  }}
                />
                ${o.label}
              </label>`,
          )}
        </fieldset>
        ${helpEl}${errorEl}
      </div>`;
    }

    if (field.type === 'array' && field.items?.type === 'object') {
      const rows = Array.isArray(value) ? (value as FormData[]) : [];
      const itemRequired = new Set(field.items.required ?? []);
      return html`<div class="field">
        <fieldset aria-describedby=${describedBy}>
          <legend>${label}${reqMark}</legend>
          <div class="rows">
            ${rows.map(
              (_row, i) =>
                html`<div
                  class="object-row"
                  role="group"
                  aria-label=${`${label} — ${t('form.row', { n: i + 1 })}`}
                >
                  ${Object.entries(field.items!.properties ?? {}).map(([name, sub]) =>
                    this._field([...path, String(i), name], sub, itemRequired.has(name)),
                  )}
                  <button
                    type="button"
                    class="link"
                    ?disabled=${this.disabled}
                    @click=${() =>
                      this._set(
                        path,
                        rows.filter((_r, j) => j !== i),
                      )}
                  >
                    ${t('form.removeRow', { n: i + 1 })}
                  </button>
                </div>`,
            )}
          </div>
          <button
            type="button"
            ?disabled=${this.disabled || (field.maxItems !== undefined && rows.length >= field.maxItems)}
            @click=${() => this._set(path, [...rows, {}])}
          >
            + ${t('form.addRow')}
          </button>
        </fieldset>
        ${helpEl}${errorEl}
      </div>`;
    }

    if (field.type === 'integer' || field.type === 'number') {
      return html`<div class="field">
        <label for=${id}>${label}${reqMark}</label>
        <input
          type="number"
          id=${id}
          inputmode=${field.type === 'integer' ? 'numeric' : 'decimal'}
          step=${field.type === 'integer' ? '1' : 'any'}
          min=${field.minimum ?? nothing}
          max=${field.maximum ?? nothing}
          .value=${value === undefined || value === null ? '' : String(value)}
          ?disabled=${this.disabled}
          aria-invalid=${invalid}
          aria-describedby=${describedBy}
          aria-required=${required ? 'true' : 'false'}
          @input=${(e: Event) => {
            const raw = (e.target as HTMLInputElement).value;
            this._set(path, raw === '' ? undefined : Number(raw));
          }}
        />
        ${helpEl}${errorEl}
      </div>`;
    }

    // strings
    const str = value === undefined || value === null ? '' : String(value);
    const common = {
      onInput: (e: Event) => this._set(path, (e.target as HTMLInputElement).value),
    };
    const counter =
      field.maxLength && (widget === 'textarea' || field.maxLength > 200)
        ? html`<div class="counter" aria-hidden="true">
            ${t('form.characters', { count: [...str].length, limit: field.maxLength })}
          </div>`
        : nothing;
    if (widget === 'textarea') {
      return html`<div class="field">
        <label for=${id}>${label}${reqMark}</label>
        <textarea
          id=${id}
          maxlength=${field.maxLength ?? nothing}
          .value=${str}
          ?disabled=${this.disabled}
          aria-invalid=${invalid}
          aria-describedby=${describedBy}
          aria-required=${required ? 'true' : 'false'}
          @input=${common.onInput}
        ></textarea>
        ${counter}${helpEl}${errorEl}
      </div>`;
    }
    if (field.format === 'date' || field.format === 'date-time' || widget === 'date') {
      return html`<div class="field">
        <label for=${id}>${label}${reqMark}</label>
        <rv-hijri-date
          input-id=${id}
          .value=${str}
          ?with-time=${field.format === 'date-time'}
          ?disabled=${this.disabled}
          ?invalid=${!!error}
          ?required=${required}
          described-by=${describedBy === nothing ? '' : describedBy}
          @rv-date-input=${(e: CustomEvent<{ value: string | undefined }>) => this._set(path, e.detail.value)}
        ></rv-hijri-date>
        ${helpEl}${errorEl}
      </div>`;
    }
    const type = field.format === 'email' ? 'email' : field.format === 'uri' ? 'url' : 'text';
    return html`<div class="field">
      <label for=${id}>${label}${reqMark}</label>
      <input
        type=${type}
        id=${id}
        dir=${type === 'text' ? 'auto' : 'ltr'}
        maxlength=${field.maxLength ?? nothing}
        .value=${str}
        ?disabled=${this.disabled}
        aria-invalid=${invalid}
        aria-describedby=${describedBy}
        aria-required=${required ? 'true' : 'false'}
        @input=${common.onInput}
      />
      ${counter}${helpEl}${errorEl}
    </div>`;
  }

  private _get(path: string[]): unknown {
    let v: unknown = this._data;
    for (const key of path) v = v == null ? undefined : (v as Record<string, unknown>)[key];
    return v;
  }

  private _enumLabel(field: FieldSchema, v: string | number): string {
    return i18n.text(field['x-enum-labels']?.[String(v)]) || String(v);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-json-form': RvJsonForm;
  }
}
