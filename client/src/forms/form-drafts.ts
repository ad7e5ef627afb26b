import type { I18nText } from '../i18n/i18n.js';
import { api } from '../services/api.js';
import type { FormSchema } from './form-schema.js';

/** A draft as `GET /api/form-drafts` lists it: title and fields, who saved it last and when. */
export interface FormDraftSummary {
  key: string;
  title: I18nText;
  fields: Array<{ name: string; label: I18nText; type: string; kind: string; required: boolean }>;
  updatedBy: string;
  updatedAt: string;
}

/**
 * The form designer's drafts, kept on the server (`/api/form-drafts`) so every manager, on any computer, sees
 * them until they are deployed with a process; the modeller's form picker offers them too.
 * @fires change when the list is (re)loaded
 */
class FormDrafts extends EventTarget {
  items: FormDraftSummary[] = [];

  /** Loads the list; an unanswered request leaves the last one. */
  async load(): Promise<FormDraftSummary[]> {
    this.items = (await api.request<{ items: FormDraftSummary[] }>('GET', '/api/form-drafts')).items;
    this.dispatchEvent(new Event('change'));
    return this.items;
  }

  /** The draft's JSON Schema. */
  async schema(key: string): Promise<FormSchema> {
    return (await api.request<{ schema: FormSchema }>('GET', `/api/form-drafts/${encodeURIComponent(key)}`))
      .schema;
  }

  /** Saves the draft of `key` (checked by the server as a deployment would be) and reloads the list. */
  async save(key: string, schema: FormSchema): Promise<FormDraftSummary> {
    const saved = await api.request<FormDraftSummary>('POST', '/api/form-drafts', { body: { key, schema } });
    await this.load().catch(() => undefined);
    return saved;
  }

  /** Discards the draft of `key` (after it was deployed); nothing happens when there is none. */
  async discard(key: string): Promise<void> {
    if (!this.items.some((d) => d.key === key)) return;
    await api.request('DELETE', `/api/form-drafts/${encodeURIComponent(key)}`);
    await this.load().catch(() => undefined);
  }
}

export const formDrafts = new FormDrafts();
