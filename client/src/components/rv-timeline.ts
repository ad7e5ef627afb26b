import { LitElement, html, css, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t } from '../i18n/i18n.js';
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

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  override render() {
    if (!this.instance && !this.history.length) return html`<p class="muted">${t('history.empty')}</p>`;
    const done = [...this.history].sort((a, b) => a.endedAt.localeCompare(b.endedAt));
    return html`<ol>
      ${
        this.instance
          ? html`<li>
              <div>${t('history.started')} — <bdi>${this.instance.startedBy}</bdi></div>
              <div class="when"><rv-date .value=${this.instance.startedAt}></rv-date></div>
            </li>`
          : nothing
      }
      ${done.map(
        (h) =>
          html`<li class=${h.outcome}>
            <div>
              ${
                h.outcome === 'completed'
                  ? t('history.completedBy', { name: i18n.text(h.name), user: h.endedBy })
                  : t('history.cancelled', { name: i18n.text(h.name) })
              }
            </div>
            <div class="when"><rv-date .value=${h.endedAt}></rv-date></div>
            ${
              h.data && Object.keys(h.data).length
                ? html`<div class="data">${summarise(h.data)}</div>`
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

function summarise(data: Record<string, unknown>): string {
  return Object.entries(data)
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ')
    .slice(0, 240);
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-timeline': RvTimeline;
  }
}
