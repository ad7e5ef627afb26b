import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import type { FieldSchema } from '../forms/form-schema.js';
import { i18n, t, type I18nText } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { notices } from '../services/notices.js';
import { shared } from '../styles/shared.js';
import { DOC_ICON, fileValues, type FileValue } from '../forms/file-links.js';

/** Where a file chosen in a form goes: the case's documents, recorded as uploaded from the task. */
export interface UploadTarget {
  instanceId: string;
  taskId?: string;
}

const UPLOAD_ICON = html`<svg
  viewBox="0 0 24 24"
  aria-hidden="true"
  fill="none"
  stroke="currentColor"
  stroke-width="2"
  stroke-linecap="round"
  stroke-linejoin="round"
>
  <path d="M12 15V4M7 9l5-5 5 5M5 15v5h14v-5" />
</svg>`;

const ACCEPT = '.pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

/**
 * The `file` field of a form (`x-widget: "file"`; one `{ id, name }`, or a list when the field is an array): a
 * chosen file is uploaded at once as a document of the case (linked to the task) and the field keeps its id and
 * name; each chosen file is a download link and can be taken off the field (the document itself stays).
 * @fires rv-file-change CustomEvent<{ value }> with the field's new value
 */
@customElement('rv-file-field')
export class RvFileField extends LitElement {
  static override shadowRootOptions = { ...LitElement.shadowRootOptions, delegatesFocus: true };
  static override styles = [
    shared,
    css`
      :host {
        display: grid;
        gap: 0.3rem;
        min-width: 0;
      }
      fieldset {
        border: 1px solid var(--rv-border);
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
        margin: 0;
        min-width: 0;
        display: grid;
        gap: 0.5rem;
      }
      legend {
        font-weight: 600;
        padding: 0 0.3rem;
      }
      .req {
        color: var(--rv-danger);
        margin-inline-start: 0.15rem;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.35rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.3rem 0.8rem;
        min-width: 0;
      }
      li a {
        overflow-wrap: anywhere;
        min-width: 0;
      }
      /* the native input stays for keyboard, screen readers and tests; its browser-language text is not shown */
      input[type='file'] {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        opacity: 0;
        cursor: pointer;
      }
      .pick {
        position: relative;
        justify-self: start;
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        border: 1px solid var(--rv-border-strong);
        background: var(--rv-surface);
        border-radius: 6px;
        padding: 0.4rem 0.9rem;
        min-height: 2.25rem;
        box-sizing: border-box;
      }
      .pick:hover {
        background: var(--rv-hover);
      }
      .pick:focus-within {
        outline: 3px solid var(--rv-focus);
        outline-offset: 2px;
      }
      .pick.off {
        opacity: 0.55;
      }
      .pick svg {
        width: 1.1em;
        height: 1.1em;
        flex: none;
      }
      li svg {
        width: 1em;
        height: 1em;
        vertical-align: -0.15em;
        margin-inline-end: 0.3rem;
      }
      .help,
      .status {
        font-size: 0.85rem;
        color: var(--rv-muted);
      }
      .field-error {
        font-size: 0.9rem;
        color: var(--rv-danger);
      }
      button.link {
        font-size: 1rem;
        min-width: 2.25rem;
        min-height: 2.25rem;
        color: var(--rv-danger);
      }
    `,
  ];

  @property({ attribute: false }) field: FieldSchema = {};
  @property({ attribute: false }) value: unknown;
  /** The case and task to upload to; none on a start form (the case does not exist yet). */
  @property({ attribute: false }) upload: UploadTarget | null = null;
  /** The id of the file input (the form's id for the field path). */
  @property({ attribute: 'field-id' }) fieldId = '';
  @property() label = '';
  @property({ type: Boolean }) required = false;
  @property({ type: Boolean }) disabled = false;
  /** The field's error (from the form's checks or the server). */
  @property({ attribute: false }) error: I18nText | undefined;

  @state() private _uploading = '';
  @state() private _uploadError: { name: string; text: I18nText | undefined } | null = null;

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  private get _many(): boolean {
    return this.field.type === 'array';
  }

  private _emit(files: FileValue[]): void {
    const value = this._many ? files : files[0];
    this.dispatchEvent(
      new CustomEvent('rv-file-change', { detail: { value }, bubbles: true, composed: true }),
    );
  }

  private async _chosen(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const chosen = [...(input.files ?? [])];
    if (!chosen.length || !this.upload) return;
    let files = this._many ? fileValues(this.value) : [];
    const attached: string[] = [];
    this._uploadError = null;
    try {
      for (const file of chosen) {
        this._uploading = file.name;
        try {
          const record = await api.uploadDocument(this.upload.instanceId, file, {
            ...(this.upload.taskId ? { taskId: this.upload.taskId } : {}),
          });
          const name = record.versions[0]?.name ?? file.name;
          files = this._many ? [...files, { id: record.id, name }] : [{ id: record.id, name }];
          attached.push(name);
          this._emit(files);
        } catch (err) {
          // the files before it stay attached; the refused one is named with the server's reason
          this._uploadError = { name: file.name, text: err instanceof ApiError ? err.text : undefined };
          break;
        }
      }
    } finally {
      this._uploading = '';
      input.value = '';
    }
    // one notice per choice; a file name is isolated so a Latin name does not turn a Dari sentence around
    if (attached.length === 1)
      notices.show(t('fileField.attached', { name: `\u2068${attached[0]!}\u2069` }), 'success');
    else if (attached.length > 1)
      notices.show(t('fileField.attachedMany', { count: attached.length }), 'success');
  }

  private _remove(id: string): void {
    this._emit(fileValues(this.value).filter((f) => f.id !== id));
  }

  override render() {
    const files = fileValues(this.value);
    const help = i18n.text(this.field['x-help']);
    const failed = this._uploadError;
    const errorText = failed
      ? `\u2068${failed.name}\u2069: ${failed.text ? i18n.text(failed.text) : t('fileField.failed')}`
      : i18n.text(this.error);
    const describedBy = [`${this.fieldId}:types`, errorText ? `${this.fieldId}:error` : '']
      .filter(Boolean)
      .join(' ');
    const full = !this._many && files.length > 0;
    const atMost = this.field.maxItems !== undefined && files.length >= this.field.maxItems;
    const off = this.disabled || !!this._uploading || atMost;
    return html`<fieldset aria-describedby=${describedBy}>
      <legend>
        ${this.label}${this.required ? html`<span class="req" aria-hidden="true">*</span>` : nothing}
      </legend>
      ${
        files.length
          ? html`<ul>
              ${files.map(
                (f) =>
                  html`<li data-document=${f.id}>
                    <a
                      href=${api.documentUrl(f.id, 1)}
                      download=${f.name}
                      title=${t('fileField.open', { name: f.name })}
                      >${DOC_ICON}<bdi>${f.name}</bdi></a
                    >
                    <button
                      type="button"
                      class="link"
                      ?disabled=${this.disabled || !!this._uploading}
                      aria-label=${t('fileField.remove', { name: f.name })}
                      title=${t('fileField.remove', { name: f.name })}
                      @click=${() => this._remove(f.id)}
                    >
                      ✕
                    </button>
                  </li>`,
              )}
            </ul>`
          : html`<div class="status">${t('fileField.none')}</div>`
      }
      ${
        this.upload
          ? html`<label class="pick ${off ? 'off' : ''}">
              <input
                type="file"
                id=${this.fieldId}
                accept=${ACCEPT}
                ?multiple=${this._many}
                ?disabled=${off}
                aria-invalid=${errorText ? 'true' : 'false'}
                aria-required=${this.required && !files.length ? 'true' : 'false'}
                aria-describedby=${describedBy}
                @change=${this._chosen}
              />${UPLOAD_ICON}
              <span
                >${this._many ? t('fileField.chooseMany') : full ? t('fileField.replace') : t('fileField.choose')}</span
              >
            </label>`
          : html`<div class="status">${t('fileField.noCase')}</div>`
      }
      ${this._uploading ? html`<div class="status" role="status">${t('fileField.uploading', { name: this._uploading })}</div>` : nothing}
      <div class="help" id="${this.fieldId}:types">${help || t('fileField.types')}</div>
      ${errorText ? html`<div class="field-error" id="${this.fieldId}:error" role="alert">${errorText}</div>` : nothing}
    </fieldset>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-file-field': RvFileField;
  }
}
