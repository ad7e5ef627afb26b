import { html } from 'lit';
import { t } from '../i18n/i18n.js';
import type { DefinitionSummary } from '../services/types.js';

/** `<option>`s for the versions of a process, the given one selected. */
export function versionOptions(versions: DefinitionSummary[], selected: number) {
  return versions.map(
    (v) =>
      html`<option value=${v.version} ?selected=${v.version === selected}>
        ${t('common.version', { version: v.version })}
      </option>`,
  );
}
