import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import {
  FIELD_TYPES,
  type DesignField,
  type DesignFieldType,
  type DesignOption,
} from '../forms/form-builder.js';
import { i18n, t, type I18nText } from '../i18n/i18n.js';
import { shared } from '../styles/shared.js';
import { hijriDateStyles } from '../styles/hijri-date.js';
import './rv-hijri-date.js';

const SOURCES = { group: 'groups', person: 'users', province: 'provinces' } as const;

/**
 * Edits one field of a designed form: name, type, Dari and English label and help, required, limits for its
 * type, the options of a choice, and the field it depends on to be shown.
 * @fires rv-field-change CustomEvent<{ field: DesignField }> on every edit
 * @fires rv-field-move CustomEvent<{ by: -1 | 1 }>
 * @fires rv-field-remove
 */
@customElement('rv-form-field-editor')
export class RvFormFieldEditor extends LitElement {
  static override styles = [
    shared,
    hijriDateStyles,
    css`
      :host {
        display: block;
      }
      fieldset {
        border: 1px solid var(--rv-border);
        border-radius: 8px;
        padding: 0.8rem;
        margin: 0;
        display: grid;
        gap: 0.6rem;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 13rem), 1fr));
        min-width: 0;
      }
      legend {
        font-weight: 600;
        padding: 0 0.3rem;
      }
      label {
        display: grid;
        gap: 0.2rem;
        font-size: 0.92rem;
        align-content: start;
      }
      label.check {
        display: flex;
        align-items: center;
        gap: 0.4rem;
      }
      input:not([type='checkbox']),
      select {
        width: 100%;
        box-sizing: border-box;
      }
      .wide {
        grid-column: 1 / -1;
      }
      .options {
        display: grid;
        gap: 0.4rem;
      }
      .option {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: end;
        padding-block-end: 0.4rem;
        border-block-end: 1px dashed var(--rv-border);
      }
      .option label {
        flex: 1 1 9rem;
        min-width: 0;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        justify-content: flex-end;
      }
      .note {
        font-size: 0.85rem;
      }
    `,
  ];

  @property({ attribute: false }) field!: DesignField;
  @property({ type: Number }) index = 0;
  @property({ type: Number }) count = 1;
  /** The other fields of the form (a field can depend on one of them). */
  @property({ attribute: false }) others: Array<{ name: string; label: I18nText; options: DesignOption[] }> =
    [];
  /** How many groups, people and provinces the directory holds (for the picker note). */
  @property({ attribute: false }) directoryCounts: Record<string, number> = {};

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  private _change(patch: Partial<DesignField>): void {
    const field = { ...this.field, ...patch };
    for (const [k, v] of Object.entries(patch))
      if (v === undefined) delete (field as Record<string, unknown>)[k];
    this.dispatchEvent(new CustomEvent('rv-field-change', { detail: { field } }));
  }

  private _num(e: Event): number | undefined {
    const raw = (e.target as HTMLInputElement).value;
    return raw === '' ? undefined : Number(raw);
  }

  private _text(
    label: string,
    value: string,
    onInput: (v: string) => void,
    opts: { dir?: string; id: string },
  ) {
    return html`<label
      >${label}
      <input
        data-edit=${opts.id}
        dir=${opts.dir ?? 'auto'}
        .value=${value}
        @input=${(e: Event) => onInput((e.target as HTMLInputElement).value)}
    /></label>`;
  }

  override render() {
    const f = this.field;
    const n = this.index + 1;
    return html`<fieldset data-field=${f.name}>
      <legend>${t('designer.field', { n })}: <bdi>${i18n.text(f.label) || f.name}</bdi></legend>
      ${this._text(t('designer.name'), f.name, (name) => this._change({ name }), { dir: 'ltr', id: 'name' })}
      <label
        >${t('designer.type')}
        <select
          data-edit="type"
          @change=${(e: Event) => this._change({ type: (e.target as HTMLSelectElement).value as DesignFieldType })}
        >
          ${FIELD_TYPES.map(
            (type) =>
              html`<option .value=${type} ?selected=${f.type === type}>
                ${t(`designer.type.${type}`)}
              </option>`,
          )}
        </select></label
      >
      ${this._text(t('designer.labelFa'), f.label.fa, (fa) => this._change({ label: { ...f.label, fa } }), {
        dir: 'rtl',
        id: 'label-fa',
      })}
      ${this._text(t('designer.labelEn'), f.label.en, (en) => this._change({ label: { ...f.label, en } }), {
        dir: 'ltr',
        id: 'label-en',
      })}
      ${this._text(t('designer.helpFa'), f.help.fa, (fa) => this._change({ help: { ...f.help, fa } }), {
        dir: 'rtl',
        id: 'help-fa',
      })}
      ${this._text(t('designer.helpEn'), f.help.en, (en) => this._change({ help: { ...f.help, en } }), {
        dir: 'ltr',
        id: 'help-en',
      })}
      <label class="check"
        ><input
          type="checkbox"
          data-edit="required"
          .checked=${f.required}
          @change=${(e: Event) => this._change({ required: (e.target as HTMLInputElement).checked })}
        />${t('designer.required')}</label
      >
      ${this._limits(f)} ${this._options(f)} ${this._showIf(f)}
      <div class="tools wide">
        <button type="button" ?disabled=${this.index === 0} @click=${() => this._move(-1)}>
          ${t('designer.moveUp')}
        </button>
        <button type="button" ?disabled=${this.index >= this.count - 1} @click=${() => this._move(1)}>
          ${t('designer.moveDown')}
        </button>
        <button
          type="button"
          data-remove
          @click=${() => this.dispatchEvent(new CustomEvent('rv-field-remove'))}
        >
          ${t('designer.remove')}
        </button>
      </div>
    </fieldset>`;
  }

  private _move(by: -1 | 1): void {
    this.dispatchEvent(new CustomEvent('rv-field-move', { detail: { by } }));
  }

  private _numberInput(label: string, value: number | undefined, key: keyof DesignField, id: string) {
    return html`<label
      >${label}
      <input
        type="number"
        data-edit=${id}
        dir="ltr"
        .value=${value === undefined ? '' : String(value)}
        @input=${(e: Event) => this._change({ [key]: this._num(e) } as Partial<DesignField>)}
    /></label>`;
  }

  private _limits(f: DesignField) {
    if (f.type === 'text' || f.type === 'longText')
      return html`${this._numberInput(t('designer.minLength'), f.minLength, 'minLength', 'min-length')}
      ${this._numberInput(t('designer.maxLength'), f.maxLength, 'maxLength', 'max-length')}`;
    if (f.type === 'number')
      return html`${this._numberInput(t('designer.minimum'), f.minimum, 'minimum', 'minimum')}
        ${this._numberInput(t('designer.maximum'), f.maximum, 'maximum', 'maximum')}
        <label class="check"
          ><input
            type="checkbox"
            data-edit="integer"
            .checked=${!!f.integer}
            @change=${(e: Event) => this._change({ integer: (e.target as HTMLInputElement).checked })}
          />${t('designer.integer')}</label
        >`;
    if (f.type === 'date')
      return html`${(['minDate', 'maxDate'] as const).map(
        (key) =>
          html`<div>
            <label for="${f.name}-${key}"
              >${t(key === 'minDate' ? 'designer.minDate' : 'designer.maxDate')}</label
            >
            <rv-hijri-date
              input-id="${f.name}-${key}"
              .value=${f[key] ?? ''}
              @rv-date-input=${(e: CustomEvent<{ value: string | undefined }>) =>
                this._change({ [key]: e.detail.value } as Partial<DesignField>)}
            ></rv-hijri-date>
          </div>`,
      )}`;
    if (f.type === 'file') return html`<p class="muted note wide">${t('designer.fileNote')}</p>`;
    const source = SOURCES[f.type as keyof typeof SOURCES];
    if (source)
      return html`<p class="muted note wide" data-picker-note>
        ${t('designer.pickerNote', {
          source: t(`designer.source.${source}`),
          count: this.directoryCounts[source] ?? 0,
        })}
      </p>`;
    return nothing;
  }

  private _options(f: DesignField) {
    if (f.type !== 'choice') return nothing;
    const set = (i: number, patch: Partial<DesignField['options'][number]>) =>
      this._change({ options: f.options.map((o, j) => (j === i ? { ...o, ...patch } : o)) });
    return html`<div class="options wide" role="group" aria-label=${t('designer.options')}>
      <strong>${t('designer.options')}</strong>
      ${f.options.map(
        (o, i) =>
          html`<div class="option" data-option=${i}>
            ${this._text(t('designer.optionValue'), o.value, (value) => set(i, { value }), {
              dir: 'ltr',
              id: 'option-value',
            })}
            ${this._text(t('designer.labelFa'), o.label.fa, (fa) => set(i, { label: { ...o.label, fa } }), {
              dir: 'rtl',
              id: 'option-fa',
            })}
            ${this._text(t('designer.labelEn'), o.label.en, (en) => set(i, { label: { ...o.label, en } }), {
              dir: 'ltr',
              id: 'option-en',
            })}
            <button
              type="button"
              class="link"
              @click=${() => this._change({ options: f.options.filter((_o, j) => j !== i) })}
            >
              ${t('designer.removeOption', { n: i + 1 })}
            </button>
          </div>`,
      )}
      <div>
        <button
          type="button"
          data-add-option
          @click=${() => this._change({ options: [...f.options, { value: '', label: { fa: '', en: '' } }] })}
        >
          + ${t('designer.addOption')}
        </button>
      </div>
    </div>`;
  }

  private _showIf(f: DesignField) {
    const others = this.others;
    return html`<label
        >${t('designer.showIf')}
        <select
          data-edit="show-if"
          @change=${(e: Event) => {
            const field = (e.target as HTMLSelectElement).value;
            this._change({ showIf: field ? { field } : undefined });
          }}
        >
          <option value="" ?selected=${!f.showIf}>${t('designer.always')}</option>
          ${others.map(
            (o) =>
              html`<option .value=${o.name} ?selected=${f.showIf?.field === o.name}>
                ${i18n.text(o.label) || o.name}
              </option>`,
          )}
        </select></label
      >
      ${f.showIf ? this._equals(f, f.showIf.field) : nothing}`;
  }

  private _equals(f: DesignField, other: string) {
    const options = this.others.find((o) => o.name === other)?.options ?? [];
    const set = (v: string) => this._change({ showIf: v ? { field: other, equals: v } : { field: other } });
    if (options.length)
      return html`<label
        >${t('designer.equals')}
        <select
          data-edit="show-if-equals"
          @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${!f.showIf?.equals}>${t('designer.hasValue')}</option>
          ${options.map(
            (o) =>
              html`<option .value=${o.value} ?selected=${f.showIf?.equals === o.value}>
                ${i18n.text(o.label) || o.value}
              </option>`,
          )}
        </select></label
      >`;
    return html`<label
      >${t('designer.equals')}
      <input
        data-edit="show-if-equals"
        dir="auto"
        placeholder=${t('designer.hasValue')}
        .value=${f.showIf?.equals ?? ''}
        @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
    /></label>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-form-field-editor': RvFormFieldEditor;
  }
}
