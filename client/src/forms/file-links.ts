import { html, type TemplateResult } from 'lit';
import { i18n, t } from '../i18n/i18n.js';
import { api } from '../services/api.js';

/** A file field's value: a document of the case, by id, with its file name for display. */
export interface FileValue {
  id: string;
  name: string;
}

/** The file values in `value` (one `{ id, name }` or a list of them). */
export function fileValues(value: unknown): FileValue[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.filter(
    (v): v is FileValue => !!v && typeof v === 'object' && typeof (v as FileValue).id === 'string',
  );
}

/** A page with a folded corner (drawn, so no emoji font is needed), sized to the text. */
export const DOC_ICON = html`<svg
  viewBox="0 0 24 24"
  width="1em"
  height="1em"
  style="vertical-align: -0.15em; margin-inline-end: 0.25rem"
  aria-hidden="true"
  fill="none"
  stroke="currentColor"
  stroke-width="2"
  stroke-linejoin="round"
>
  <path d="M14 3H6v18h12V7zM14 3v4h4" />
</svg>`;

/** A file field's value in a view: each file as a download link to its document (the file as attached). */
export function fileLinks(value: unknown): TemplateResult {
  const files = fileValues(value);
  if (!files.length) return html`—`;
  return html`${files.map(
    (f, i) =>
      html`${i ? (i18n.lang === 'fa' ? '، ' : ', ') : ''}<a
          class="file-link"
          data-document=${f.id}
          href=${api.documentUrl(f.id, 1)}
          download=${f.name || f.id}
          title=${t('fileField.open', { name: f.name || f.id })}
          >${DOC_ICON}<bdi>${f.name || f.id}</bdi></a
        >`,
  )}`;
}

/** A letter a process issued (`{ documentId, number, code }`, server/letters/letter-service.ts). */
export interface LetterValue {
  documentId: string;
  number: string;
  code: string;
}

export function isLetterValue(value: unknown): value is LetterValue {
  const v = value as Partial<LetterValue> | null;
  return (
    !!v &&
    typeof v === 'object' &&
    typeof v.documentId === 'string' &&
    typeof v.number === 'string' &&
    typeof v.code === 'string'
  );
}

/** A letter in a view: its official number and verification code (the file itself is in the documents panel). */
export function letterSummary(value: LetterValue): TemplateResult {
  return html`<bdi class="rv-ref">${value.number}</bdi> · ${t('documents.verifyCode')}:
    <bdi class="rv-ref">${value.code}</bdi>`;
}
