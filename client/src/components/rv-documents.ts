import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LiveController } from '../controllers/live-controller.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { directory } from '../services/directory.js';
import { notices } from '../services/notices.js';
import type { DocumentRecord, DocumentVersion } from '../../../schemas/documents.js';
import { shared } from '../styles/shared.js';
import './rv-date.js';

const PREVIEWABLE = new Set(['pdf', 'jpeg', 'png']);

function size(bytes: number): string {
  if (bytes < 1024) return `${i18n.number(bytes)} B`;
  if (bytes < 1024 * 1024) return `${i18n.number(Math.round(bytes / 1024))} KB`;
  return `${i18n.number(Math.round((bytes / 1024 / 1024) * 10) / 10)} MB`;
}

/**
 * The documents of an instance: each with every version (who, when, why, size), download and preview (PDF and
 * images only, shown inline in a sandboxed frame), a new version, and for official letters their number,
 * verification code and "generate again" until the signed copy is uploaded. Live on `document:added`.
 */
@customElement('rv-documents')
export class RvDocuments extends LitElement {
  static override styles = [
    shared,
    css`
      :host {
        display: block;
      }
      ul.docs {
        list-style: none;
        margin: 0 0 1rem;
        padding: 0;
        display: grid;
        gap: 0.9rem;
      }
      li.doc {
        border: 1px solid var(--rv-border);
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
        min-width: 0;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 0.8rem;
        align-items: baseline;
        justify-content: space-between;
      }
      .title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .badge {
        font-size: 0.8rem;
        border-radius: 999px;
        padding: 0.05rem 0.55rem;
        background: var(--rv-accent-soft, #e3f1ec);
        color: var(--rv-accent, #0b5d4b);
      }
      .meta {
        font-size: 0.85rem;
        color: var(--rv-muted);
      }
      ol.versions {
        list-style: none;
        margin: 0.4rem 0 0;
        padding: 0;
        display: grid;
        gap: 0.35rem;
      }
      .version {
        display: flex;
        flex-wrap: wrap;
        gap: 0.2rem 0.6rem;
        align-items: baseline;
      }
      .version .name {
        overflow-wrap: anywhere;
      }
      .actions {
        display: inline-flex;
        flex-wrap: wrap;
        gap: 0.4rem;
      }
      a.button,
      button.link {
        font-size: 0.85rem;
      }
      .preview {
        margin-top: 0.5rem;
        border: 1px solid var(--rv-border);
        border-radius: 6px;
        overflow: hidden;
        background: #f5f5f5;
      }
      .preview iframe {
        width: 100%;
        height: min(70vh, 640px);
        border: 0;
        display: block;
      }
      .open-pdf {
        display: block;
        padding: 0.5rem 0.8rem;
        background: var(--rv-surface);
      }
      /* phones show no PDF inside a page: the PDF opens in the phone's own viewer instead */
      @media (max-width: 600px) {
        .preview iframe {
          display: none;
        }
      }
      .preview img {
        max-width: 100%;
        display: block;
        margin: auto;
      }
      form {
        display: grid;
        gap: 0.4rem;
        margin-top: 0.5rem;
      }
      form .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
      }
      input[type='file'] {
        max-width: 100%;
      }
      input[type='text'] {
        width: 100%;
      }
      button[type='submit'] {
        justify-self: start;
      }
    `,
  ];

  @property() instanceId = '';
  /** When shown in a task, uploads are recorded as made from it. */
  @property() taskId = '';
  @property({ type: Boolean }) readonly = false;

  @state() private _items: DocumentRecord[] = [];
  @state() private _busy = false;
  @state() private _error: ApiError | null = null;
  /** `<documentId>/<version>` of the preview shown, if any. */
  @state() private _preview = '';
  /** The document whose new-version form is open. */
  @state() private _versionOf = '';

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
    new LiveController(this).on('document:added', (e) => {
      if (e.document.instanceId === this.instanceId) void this._load();
    });
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('instanceId') && this.instanceId) void this._load();
  }

  private async _load(): Promise<void> {
    try {
      this._items = await api.documents(this.instanceId);
    } catch (err) {
      this._error = err instanceof ApiError ? err : null;
    }
  }

  private async _submit(e: Event, documentId?: string): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const file = data.get('file');
    if (!(file instanceof File) || !file.name) {
      this._error = new ApiError(400, 'RV_ERR_DOCUMENT_MISSING', {
        fa: t('documents.pickFile'),
        en: t('documents.pickFile'),
      });
      return;
    }
    const reason = String(data.get('reason') ?? '').trim() || undefined;
    const fields = { reason, ...(this.taskId ? { taskId: this.taskId } : {}) };
    this._busy = true;
    this._error = null;
    try {
      const record = documentId
        ? await api.addDocumentVersion(documentId, file, fields)
        : await api.uploadDocument(this.instanceId, file, fields);
      this._items = [...this._items.filter((d) => d.id !== record.id), record].sort((a, b) =>
        a.createdAt.localeCompare(b.createdAt),
      );
      this._versionOf = '';
      form.reset();
      notices.show(t('documents.uploaded'), 'success');
    } catch (err) {
      this._error = err instanceof ApiError ? err : null;
    } finally {
      this._busy = false;
    }
  }

  private async _regenerate(doc: DocumentRecord): Promise<void> {
    this._busy = true;
    this._error = null;
    try {
      const record = await api.regenerateLetter(doc.id);
      this._items = this._items.map((d) => (d.id === record.id ? record : d));
    } catch (err) {
      this._error = err instanceof ApiError ? err : null;
    } finally {
      this._busy = false;
    }
  }

  private _togglePreview(doc: DocumentRecord, v: DocumentVersion): void {
    const key = `${doc.id}/${v.version}`;
    this._preview = this._preview === key ? '' : key;
  }

  private _uploadForm(documentId?: string) {
    const id = `doc-file-${documentId ?? 'new'}`;
    return html`<form @submit=${(e: Event) => this._submit(e, documentId)} data-form=${documentId ?? 'new'}>
      <label for=${id}>${t('documents.file')}</label>
      <input
        id=${id}
        type="file"
        name="file"
        accept=".pdf,.docx,.xlsx,.odt,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        required
      />
      <label for="${id}-reason">${t('documents.reason')}</label>
      <input id="${id}-reason" type="text" name="reason" maxlength="500" dir="auto" />
      <button type="submit" ?disabled=${this._busy}>
        ${this._busy ? t('documents.uploading') : documentId ? t('documents.newVersion') : t('documents.upload')}
      </button>
    </form>`;
  }

  private _version(doc: DocumentRecord, v: DocumentVersion) {
    const key = `${doc.id}/${v.version}`;
    return html`<li data-version=${v.version}>
      <div class="version">
        <span>${t('documents.version')} ${i18n.number(v.version)}</span>
        <bdi class="name">${v.name}</bdi>
        <span class="meta">${size(v.size)}</span>
        <span class="meta"
          >${t('documents.by')}
          <bdi data-by=${v.by} title=${v.by}
            >${v.by === 'system' ? t('documents.system') : directory.userName(v.by)}</bdi
          >
          · <rv-date .value=${v.at}></rv-date
        ></span>
        ${v.reason ? html`<span class="meta" dir="auto">«${v.reason}»</span>` : nothing}
        <span class="actions">
          <a
            class="button"
            data-action="download"
            href=${api.documentUrl(doc.id, v.version)}
            download=${v.name}
            >${t('documents.download')}</a
          >
          ${
            PREVIEWABLE.has(v.type)
              ? html`<button
                  type="button"
                  class="link"
                  data-action="preview"
                  @click=${() => this._togglePreview(doc, v)}
                >
                  ${this._preview === key ? t('documents.hidePreview') : t('documents.preview')}
                </button>`
              : nothing
          }
        </span>
      </div>
      ${
        this._preview === key
          ? html`<div class="preview">
              ${
                v.type === 'pdf'
                  ? html`<iframe
                        title=${v.name}
                        src=${`${api.documentUrl(doc.id, v.version, true)}#view=FitH`}
                      ></iframe>
                      <a
                        class="open-pdf"
                        data-action="open"
                        href=${api.documentUrl(doc.id, v.version, true)}
                        target="_blank"
                        rel="noopener"
                        >${t('documents.openPdf')}</a
                      >`
                  : html`<img alt=${v.name} src=${api.documentUrl(doc.id, v.version, true)} />`
              }
            </div>`
          : nothing
      }
    </li>`;
  }

  private _document(doc: DocumentRecord) {
    const signed = doc.versions.some((v) => v.origin === 'upload');
    return html`<li class="doc" data-document=${doc.id}>
      <div class="head">
        <span class="title" dir="auto">${i18n.text(doc.title)}</span>
        ${
          doc.letter
            ? html`<span class="badge">${t('documents.letter')} · <bdi>${doc.letter.number}</bdi></span>`
            : nothing
        }
      </div>
      ${
        doc.letter
          ? html`<div class="meta">
              ${t('documents.verifyCode')}: <bdi data-code>${doc.letter.code}</bdi>
              ${signed ? html` · ${t('documents.signed')}` : nothing}
            </div>`
          : nothing
      }
      <ol class="versions" aria-label=${t('documents.versions')}>
        ${[...doc.versions].reverse().map((v) => this._version(doc, v))}
      </ol>
      ${
        this.readonly
          ? nothing
          : html`<div class="actions" style="margin-top:.5rem">
                <button
                  type="button"
                  class="link"
                  data-action="new-version"
                  @click=${() => (this._versionOf = this._versionOf === doc.id ? '' : doc.id)}
                >
                  ${t('documents.newVersion')}
                </button>
                ${
                  doc.letter && !signed
                    ? html`<button
                        type="button"
                        class="link"
                        ?disabled=${this._busy}
                        @click=${() => this._regenerate(doc)}
                      >
                        ${t('documents.regenerate')}
                      </button>`
                    : nothing
                }
              </div>
              ${this._versionOf === doc.id ? this._uploadForm(doc.id) : nothing}`
      }
    </li>`;
  }

  override render() {
    return html`
      ${this._error ? html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>` : nothing}
      ${
        this._items.length
          ? html`<ul class="docs">
              ${this._items.map((d) => this._document(d))}
            </ul>`
          : html`<p class="muted">${t('documents.none')}</p>`
      }
      ${
        this.readonly
          ? nothing
          : html`<details ?open=${this._items.length === 0}>
              <summary>${t('documents.attach')}</summary>
              ${this._uploadForm()}
            </details>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-documents': RvDocuments;
  }
}
