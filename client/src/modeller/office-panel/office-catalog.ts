import type { I18nText } from '../../i18n/i18n.js';
import { api } from '../../services/api.js';

export interface CatalogGroup {
  id: string;
  name: I18nText;
  kind: string;
  province?: string;
}
export interface CatalogUser {
  id: string;
  name: I18nText;
  active: boolean;
}
export interface CatalogForm {
  key: string;
  title: I18nText;
  fields: Array<{ name: string; label: I18nText; kind: string; required: boolean }>;
  /** Set for a form designer's draft not deployed yet: who saved it last and when. */
  draft?: { updatedBy: string; updatedAt: string };
}

/**
 * What the office panel picks from: the organisation's groups and people (`GET /api/directory`), the forms the
 * engine can run (`GET /api/forms`: the forms folder and those deployed with a process) and the form designer's
 * drafts not deployed yet (`GET /api/form-drafts`, marked `draft`). Loaded again each time a modeller opens, so a
 * form designed or deployed meanwhile (on /forms, in this page or another) is offered.
 * @fires change when the lists arrive
 */
class OfficeCatalog extends EventTarget {
  groups: CatalogGroup[] = [];
  users: CatalogUser[] = [];
  forms: CatalogForm[] = [];
  loaded = false;
  private loading: Promise<void> | undefined;

  /** Loads the lists unless they are loaded or on their way. */
  ensure(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    return this.reload();
  }

  reload(): Promise<void> {
    this.loading ??= Promise.all([
      api.request<{ users: CatalogUser[]; groups: CatalogGroup[] }>('GET', '/api/directory'),
      api.request<{ items: CatalogForm[] }>('GET', '/api/forms'),
      api
        .request<{ items: Array<CatalogForm & { updatedBy: string; updatedAt: string }> }>(
          'GET',
          '/api/form-drafts',
        )
        .catch(() => ({ items: [] })),
    ])
      .then(([directory, forms, drafts]) => {
        this.groups = directory.groups;
        this.users = directory.users.filter((u) => u.active);
        const known = new Set(forms.items.map((f) => f.key));
        // a draft of a deployed form is a change still to deploy (from the designer): the deployed one is what runs
        const draftOnly = drafts.items
          .filter((d) => !known.has(d.key))
          .map(({ key, title, fields, updatedBy, updatedAt }) => ({
            key,
            title,
            fields,
            draft: { updatedBy, updatedAt },
          }));
        this.forms = [...forms.items, ...draftOnly];
        this.loaded = true;
        this.dispatchEvent(new Event('change'));
      })
      .catch((err) => console.warn('office panel lists failed to load', err))
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  group(id: string): CatalogGroup | undefined {
    return this.groups.find((g) => g.id === id);
  }

  user(id: string): CatalogUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  form(key: string): CatalogForm | undefined {
    return this.forms.find((f) => f.key === key);
  }
}

export const officeCatalog = new OfficeCatalog();
