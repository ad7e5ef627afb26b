import { html, nothing } from 'lit';
import type { LintIssue } from '../../../schemas/model-lint/lint-messages.js';
import { i18n, t } from '../i18n/i18n.js';
import type { ModelerInstance } from '../bpmn/modeler.js';
import type { Canvas, Registry, Selection } from './canvas-services.js';
import { elementLabel } from './element-label.js';

/** What the issue list shows: the issues, why it is open (a blocked deploy, warnings to confirm, or on request). */
export interface LintListState {
  modeler: ModelerInstance | undefined;
  issues: LintIssue[];
  gate: 'errors' | 'warnings' | 'server' | null;
  onConfirm(): void;
  onClose(): void;
}

/** Selects the element of an issue on the canvas and scrolls it into view. */
export function selectElement(modeler: ModelerInstance | undefined, id: string): void {
  const element = modeler?.get<Registry>('elementRegistry').get(id);
  if (!modeler || !element) return;
  modeler.get<Selection>('selection').select(element);
  modeler.get<Canvas>('canvas').scrollToElement(element, 80);
}

/**
 * The lint issues as a list (errors first), each a button that selects its element; a blocked deploy says why,
 * warnings ask whether to deploy anyway.
 */
export function lintList(s: LintListState) {
  const errors = s.issues.filter((i) => i.category === 'error').length;
  const warnings = s.issues.length - errors;
  const heading =
    s.gate === 'errors'
      ? t('modeller.lintBlocked')
      : s.gate === 'server'
        ? t('modeller.serverLint')
        : s.gate === 'warnings'
          ? t('modeller.lintWarnings', { count: warnings })
          : t('modeller.issues');
  return html`<section
    class="rv-lint-list card ${s.gate === 'errors' || s.gate === 'server' ? 'blocked' : ''}"
    role=${s.gate ? 'alert' : 'region'}
    aria-label=${t('modeller.issues')}
    data-lint-list=${s.gate ?? 'open'}
  >
    <div class="row">
      <strong>${heading}</strong>
      <span class="spacer"></span>
      ${
        s.gate === 'warnings'
          ? html`<button type="button" class="primary" data-action="deploy-anyway" @click=${s.onConfirm}>
              ${t('modeller.deployAnyway')}
            </button>`
          : nothing
      }
      <button type="button" data-action="close-lint" @click=${s.onClose}>
        ${s.gate === 'warnings' ? t('common.cancel') : t('common.close')}
      </button>
    </div>
    ${
      s.issues.length
        ? html`<ul>
            ${s.issues.map((issue) => {
              const label = elementLabel(s.modeler, issue.elementId);
              return html`<li
                data-category=${issue.category}
                data-element=${issue.elementId}
                data-rule=${issue.rule}
              >
                <button type="button" class="link" @click=${() => selectElement(s.modeler, issue.elementId)}>
                  <span class="badge ${issue.category === 'error' ? 'danger' : 'warn'}"
                    >${issue.category === 'error' ? t('modeller.error') : t('modeller.warning')}</span
                  >
                  ${label ? html`<strong dir="auto">${label}</strong>` : html`<bdi class="muted">${issue.elementId}</bdi>`}
                  <span>${i18n.text(issue.message)}</span>
                </button>
              </li>`;
            })}
          </ul>`
        : html`<p class="muted">${t('modeller.noIssues')}</p>`
    }
  </section>`;
}
