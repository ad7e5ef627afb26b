import { html, nothing } from 'lit';
import { t } from '../i18n/i18n.js';
import type { DefinitionSummary } from '../services/types.js';
import type { DraftImpact } from './draft-api.js';
import { versionOptions } from './version-picker.js';
import '../components/rv-bpmn-diff.js';

/** What the draft diff shows: the deployed version compared with, both XMLs, the impact on running instances. */
export interface DraftDiffState {
  versions: DefinitionSummary[];
  from: number;
  xml: { from: string; to: string } | null;
  impact: DraftImpact | 'failed' | null;
  /** Names of elements in the current language, for the impact list. */
  label(id: string): string;
  onFrom(version: number): void;
  onClose(): void;
}

/**
 * The unsaved draft against any deployed version: both diagrams side by side with the changes marked, the change
 * list, and the running instances of the process with whether each could move to the draft.
 */
export function draftDiff(s: DraftDiffState) {
  return html`<section class="rv-diff card" aria-label=${t('modeller.diff')} data-draft-diff>
    <div class="row">
      <label
        >${t('modeller.compareDraft')}
        <select
          name="diff-from"
          @change=${(e: Event) => s.onFrom(Number((e.target as HTMLSelectElement).value))}
        >
          ${versionOptions(s.versions, s.from)}
        </select></label
      >
      <span class="spacer"></span>
      <button type="button" data-action="close-diff" @click=${s.onClose}>${t('common.close')}</button>
    </div>
    ${impactView(s)}
    ${
      s.xml
        ? html`<rv-bpmn-diff
            .fromXml=${s.xml.from}
            .toXml=${s.xml.to}
            .fromVersion=${s.from}
            .toLabel=${t('modeller.draft')}
          ></rv-bpmn-diff>`
        : html`<p class="muted">${t('common.loading')}</p>`
    }
  </section>`;
}

function impactView(s: DraftDiffState) {
  const impact = s.impact;
  if (impact === null) return html`<p class="muted">${t('common.loading')}</p>`;
  if (impact === 'failed') return html`<p class="alert">${t('modeller.impactFailed')}</p>`;
  if (!impact.running)
    return html`<p class="rv-impact muted" data-running="0">${t('modeller.noRunning')}</p>`;
  const names = (ids: string[]) => ids.map((id) => s.label(id) || id).join('، ');
  return html`<div class="rv-impact" data-running=${impact.running} data-migratable=${impact.migratable}>
    <p>
      <strong>${t('modeller.affected', { running: impact.running, migratable: impact.migratable })}</strong>
    </p>
    <ul>
      ${impact.items.map(
        (i) =>
          html`<li data-instance=${i.id} data-can-migrate=${String(i.canMigrate)}>
            <span class="badge ${i.canMigrate ? 'ok' : 'danger'}"
              >${i.canMigrate ? t('modeller.canMigrate') : t('modeller.cannotMigrate', { elements: names(i.missing) })}</span
            >
            <bdi>${i.businessKey ?? i.id}</bdi>
            <span class="muted small"
              >${t('common.version', { version: i.version })}
              ${i.waitingAt.length ? html` · ${t('modeller.waitsAt', { elements: names(i.waitingAt) })}` : nothing}</span
            >
          </li>`,
      )}
    </ul>
  </div>`;
}
