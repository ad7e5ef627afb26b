import { LitElement, html, css, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { valueText, variableLabel } from '../forms/display-value.js';
import type { FieldSchema } from '../forms/form-schema.js';
import { fieldsOfForms } from '../forms/variable-labels.js';
import { isolate } from '../i18n/bidi.js';
import { i18n, t } from '../i18n/i18n.js';
import { directory } from '../services/directory.js';
import type { InstanceSummary, TaskHistoryRecord, TaskRecord } from '../services/types.js';
import { shared } from '../styles/shared.js';
import './rv-date.js';

/** An instance's history as a timeline: started, each task done (who and when), the tasks still open. */
@customElement('rv-timeline')
export class RvTimeline extends LitElement {
  static override styles = [
    shared,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        border-inline-start: 2px solid var(--rv-border-strong);
      }
      li {
        position: relative;
        padding: 0.2rem 0 0.7rem;
        padding-inline-start: 1rem;
      }
      li::before {
        content: '';
        position: absolute;
        inset-inline-start: -0.45rem;
        top: 0.55rem;
        width: 0.7rem;
        height: 0.7rem;
        border-radius: 50%;
        background: var(--rv-primary);
      }
      li.open::before {
        background: var(--rv-surface);
        border: 2px solid var(--rv-primary);
      }
      li.cancelled::before {
        background: var(--rv-muted);
      }
      .when {
        font-size: 0.85rem;
        color: var(--rv-muted);
      }
      .data {
        font-size: 0.85rem;
        color: var(--rv-muted);
        overflow-wrap: anywhere;
      }
    `,
  ];

  @property({ attribute: false }) instance: InstanceSummary | null = null;
  @property({ attribute: false }) history: TaskHistoryRecord[] = [];
  @property({ attribute: false }) open: TaskRecord[] = [];

  /** Fields of the forms in the history, by form key: the data summaries use their labels. */
  @state() private _forms = new Map<string, Map<string, FieldSchema>>();

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (!changed.has('history')) return;
    const missing = [...new Set(this.history.map((h) => h.formKey))].filter(
      (k): k is string => !!k && !this._forms.has(k),
    );
    for (const key of missing)
      void fieldsOfForms([key]).then((fields) => (this._forms = new Map(this._forms).set(key, fields)));
  }

  private _summary(h: TaskHistoryRecord): string {
    const fields = (h.formKey && this._forms.get(h.formKey)) || new Map<string, FieldSchema>();
    return Object.entries(h.data ?? {})
      .slice(0, 4)
      .map(([k, v]) => `${variableLabel(k, fields.get(k))}: ${isolate(valueText(k, fields.get(k), v))}`)
      .join(' · ')
      .slice(0, 240);
  }

  override render() {
    if (!this.instance && !this.history.length) return html`<p class="muted">${t('history.empty')}</p>`;
    const done = [...this.history].sort((a, b) => a.endedAt.localeCompare(b.endedAt));
    return html`<ol>
      ${
        this.instance
          ? html`<li>
              <div>
                ${t('history.started')} —
                <bdi title=${this.instance.startedBy}>${directory.userName(this.instance.startedBy)}</bdi>
              </div>
              <div class="when"><rv-date .value=${this.instance.startedAt}></rv-date></div>
            </li>`
          : nothing
      }
      ${done.map(
        (h) =>
          html`<li class=${h.outcome}>
            <div title=${h.outcome === 'completed' ? h.endedBy : nothing}>
              ${
                h.outcome === 'completed'
                  ? t('history.completedBy', { name: i18n.text(h.name), user: directory.userName(h.endedBy) })
                  : t('history.cancelled', { name: i18n.text(h.name) })
              }
            </div>
            <div class="when"><rv-date .value=${h.endedAt}></rv-date></div>
            ${
              h.data && Object.keys(h.data).length
                ? html`<div class="data" dir="auto">${this._summary(h)}</div>`
                : nothing
            }
          </li>`,
      )}
      ${this.open.map(
        (task) =>
          html`<li class="open">
            <div>${t('history.open', { name: i18n.text(task.name) })}</div>
            <div class="when"><rv-date .value=${task.createdAt}></rv-date></div>
          </li>`,
      )}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-timeline': RvTimeline;
  }
}
