import type { MigrationImpact } from '../../../schemas/records.js';
import { api } from '../services/api.js';

/** What a draft does to the running instances of its process (`POST /api/definitions/impact`). */
export type DraftImpact = MigrationImpact;

/** The modeller's calls about a draft that is not deployed yet. */
export const draftApi = {
  lintContext() {
    return api.request<{ groups: string[]; forms: string[] }>('GET', '/api/definitions/lint-context');
  },
  impact(xml: string) {
    return api.request<DraftImpact>('POST', '/api/definitions/impact', {
      raw: xml,
      contentType: 'application/xml',
    });
  },
};
