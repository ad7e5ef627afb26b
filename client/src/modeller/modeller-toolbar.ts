import { html, nothing } from 'lit';
import { i18n, t } from '../i18n/i18n.js';
import { linkClick, router } from '../services/router.js';
import type { DefinitionSummary } from '../services/types.js';
import { versionOptions } from './version-picker.js';

/** What the modeller's toolbar shows and calls. */
export interface ToolbarState {
  processKey: string;
  loadedKey: string;
  loadedVersion: number;
  definitions: DefinitionSummary[];
  versions: DefinitionSummary[];
  busy: boolean;
  /** Compare needs a deployed version to compare the diagram with. */
  canCompare: boolean;
  onOpenFile(e: Event): void;
  onDownload(): void;
  onCompare(): void;
  onValidate(): void;
  onDeploy(): void;
  /** Opens the search pad (Ctrl+F), for those without a keyboard. */
  onSearch(e: Event): void;
}

/** The modeller's toolbar: process and version pickers (they navigate), file actions, compare, check, deploy. */
export function modellerToolbar(s: ToolbarState) {
  const key = s.loadedKey;
  return html`<div class="rv-modeller-bar">
    <h1>${t('modeller.title')}</h1>
    <a href="/forms" data-forms-link @click=${linkClick}>${t('designer.title')}</a>
    <label
      >${t('modeller.process')}
      <select
        name="process"
        @change=${(e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          router.navigate(value ? `/modeller/${encodeURIComponent(value)}` : '/modeller');
        }}
      >
        <option value="" ?selected=${!s.processKey}>${t('modeller.new')}</option>
        ${s.definitions.map(
          (d) =>
            html`<option value=${d.key} ?selected=${d.key === s.processKey}>
              ${i18n.text(d.name)} (${d.key})
            </option>`,
        )}
      </select></label
    >
    ${
      s.versions.length
        ? html`<label
            >${t('modeller.versions')}
            <select
              name="version"
              @change=${(e: Event) =>
                router.navigate(
                  `/modeller/${encodeURIComponent(key)}/${(e.target as HTMLSelectElement).value}`,
                )}
            >
              ${versionOptions(s.versions, s.loadedVersion)}
            </select></label
          >`
        : nothing
    }
    <span class="rv-modeller-actions">
      <button type="button" data-action="search" title=${t('modeller.searchTitle')} @click=${s.onSearch}>
        ${t('modeller.search')}
      </button>
      <label class="rv-file-button">
        <input type="file" accept=".bpmn,.xml,application/xml" class="sr-only" @change=${s.onOpenFile} />
        <span>${t('modeller.upload')}</span>
      </label>
      <button type="button" @click=${s.onDownload}>${t('modeller.download')}</button>
      <button type="button" data-action="compare" ?disabled=${!s.canCompare} @click=${s.onCompare}>
        ${t('modeller.diff')}
      </button>
      <button type="button" data-action="validate" ?disabled=${s.busy} @click=${s.onValidate}>
        ${t('modeller.validate')}
      </button>
      <button type="button" class="primary" data-action="deploy" ?disabled=${s.busy} @click=${s.onDeploy}>
        ${s.busy ? t('modeller.deploying') : t('modeller.deploy')}
      </button>
    </span>
  </div>`;
}
