import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { WatchController } from '../controllers/watch-controller.js';
import { kabulDayBound } from '../i18n/dates.js';
import { i18n, t } from '../i18n/i18n.js';
import { ApiError } from '../services/api.js';
import { directory } from '../services/directory.js';
import type { AuditEntryView } from '../services/types.js';
import { workApi, type AuditVerification } from '../services/work-api.js';
import { shared } from '../styles/shared.js';
import { filterForm } from '../styles/filter-form.js';
import { stackedTable } from '../styles/stacked-table.js';
import { instanceCell, kindLabel, stepCell } from './audit-entry-cells.js';
import './rv-date.js';
import { hijriDateStyles } from '../styles/hijri-date.js';
import './rv-hijri-date.js';

const PAGE = 50;
/** Entry kinds offered in the filter: families (prefix with a dot) first, then exact types. */
const KINDS = [
  'instance.',
  'task.',
  'incident.',
  'service.',
  'definition.',
  'instance.started',
  'instance.completed',
  'instance.cancelled',
  'task.claimed',
  'task.completed',
  'task.assigned',
];

interface Filters {
  instanceId: string;
  actor: string;
  kind: string;
  from: string;
  to: string;
}

const EMPTY: Filters = { instanceId: '', actor: '', kind: '', from: '', to: '' };

/**
 * The auditor's desk: the audit trail searchable by instance, user, kind and date, exported as CSV, and the
 * hash chain's verification with its progress and a verdict that names the entry where it broke.
 */
@customElement('rv-audit-desk')
export class RvAuditDesk extends LitElement {
  static override styles = [
    shared,
    stackedTable,
    hijriDateStyles,
    filterForm,
    css`
      :host {
        display: block;
      }
      .grid {
        display: grid;
        gap: 1rem;
        grid-template-columns: minmax(0, 1fr);
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
        align-items: center;
      }
      a.button {
        display: inline-block;
        text-decoration: none;
        border: 1px solid var(--rv-border-strong);
        border-radius: 6px;
        padding: 0.4rem 0.9rem;
        color: var(--rv-text);
        background: var(--rv-surface);
      }
      .verdict {
        border-radius: 8px;
        padding: 0.6rem 0.8rem;
        margin-top: 0.6rem;
      }
      .verdict.ok {
        background: var(--rv-ok-bg);
        color: var(--rv-ok);
        border: 1px solid var(--rv-ok);
      }
      .verdict.broken {
        background: var(--rv-danger-bg);
        color: var(--rv-danger);
        border: 1px solid var(--rv-danger);
      }
      .verdict dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0.2rem 0.8rem;
        margin: 0.5rem 0 0;
        color: var(--rv-text);
      }
      .verdict dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      progress {
        width: 100%;
        height: 0.9rem;
        accent-color: var(--rv-primary);
      }
      .hash {
        font-family: ui-monospace, monospace;
        font-size: 0.8rem;
        color: var(--rv-muted);
      }
      /* a reference reads as one word: never broken at its hyphens */
      a[data-instance] {
        white-space: nowrap;
      }
      tr.broken td {
        background: var(--rv-danger-bg);
      }
      /* phones: a card leaves out the labels of cells with nothing in them */
      @media (max-width: 700px) {
        td.blank {
          display: none;
        }
      }
      .more {
        display: flex;
        justify-content: center;
        margin-top: 0.6rem;
      }
    `,
  ];

  @state() private _filters: Filters = { ...EMPTY };
  @state() private _items: AuditEntryView[] = [];
  @state() private _total: number | null = null;
  @state() private _error: ApiError | null = null;
  @state() private _verify: AuditVerification | null = null;
  @state() private _verifyError: ApiError | null = null;
  @state() private _verifying = false;

  private _generation = 0;
  private _poll: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._search(false);
    // the last verification's state (the check itself starts on the button)
    void workApi.verifyStatus().then(
      (v) => {
        this._verify = v;
        if (v.running) this._schedulePoll();
      },
      () => undefined,
    );
  }

  override disconnectedCallback(): void {
    clearTimeout(this._poll);
    super.disconnectedCallback();
  }

  private _query() {
    const f = this._filters;
    return {
      instanceId: f.instanceId.trim() || undefined,
      actor: f.actor.trim() || undefined,
      kind: f.kind || undefined,
      from: kabulDayBound(f.from, false),
      to: kabulDayBound(f.to, true),
    };
  }

  private async _search(more: boolean): Promise<void> {
    const generation = ++this._generation;
    try {
      const page = await workApi.auditSearch({
        ...this._query(),
        skip: more ? this._items.length : 0,
        limit: PAGE,
      });
      if (generation !== this._generation) return;
      this._items = more ? [...this._items, ...page.items] : page.items;
      this._total = page.total;
      this._error = null;
    } catch (err) {
      if (generation !== this._generation) return;
      this._error = err instanceof ApiError ? err : null;
      this._total = 0;
    }
  }

  private _submit(e: Event): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const next = { ...EMPTY };
    for (const k of Object.keys(EMPTY) as Array<keyof Filters>) next[k] = String(data.get(k) ?? '').trim();
    this._filters = next;
    void this._search(false);
  }

  private async _startVerify(): Promise<void> {
    this._verifying = true;
    this._verifyError = null;
    try {
      this._verify = await workApi.startVerification();
      if (this._verify.running) this._schedulePoll();
      else this._verifying = false;
    } catch (err) {
      this._verifyError = err instanceof ApiError ? err : null;
      this._verifying = false;
    }
  }

  private _schedulePoll(): void {
    clearTimeout(this._poll);
    this._poll = setTimeout(() => void this._pollOnce(), 400);
  }

  private async _pollOnce(): Promise<void> {
    try {
      this._verify = await workApi.verifyStatus();
      if (this._verify.running) this._schedulePoll();
      else this._verifying = false;
    } catch (err) {
      this._verifyError = err instanceof ApiError ? err : null;
      this._verifying = false;
    }
  }

  override render() {
    return html`<h1>${t('audit.desk')}</h1>
      <div class="grid">
        ${this._verifyCard()}
        <section class="card" aria-labelledby="trail-title">
          <h2 id="trail-title">${t('audit.filters')}</h2>
          ${this._filtersForm()}
        </section>
        ${this._error ? html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>` : nothing}
        <section aria-label=${t('audit.title')}>
          <p class="muted" role="status" data-total=${this._total ?? ''}>
            ${
              this._total === null
                ? t('common.loading')
                : this._total > 1
                  ? `${t('audit.count', { count: this._total })} · ${t('audit.newestFirst')}`
                  : t('audit.count', { count: this._total })
            }
          </p>
          ${this._items.length ? this._table() : this._total === 0 ? html`<p>${t('audit.none')}</p>` : nothing}
          ${
            this._total !== null && this._items.length < this._total
              ? html`<div class="more">
                  <button type="button" @click=${() => this._search(true)}>${t('audit.more')}</button>
                </div>`
              : nothing
          }
        </section>
      </div>`;
  }

  private _filtersForm() {
    const f = this._filters;
    // the export names people, processes and steps in the language on screen
    const csv = workApi.auditCsvUrl({ ...this._query(), lang: i18n.lang });
    return html`<form class="filters" @submit=${this._submit} aria-labelledby="trail-title">
      <label
        >${t('audit.instanceFilter')}<input
          name="instanceId"
          dir="ltr"
          .value=${f.instanceId}
          data-filter="instanceId"
      /></label>
      <label>${t('audit.user')}<input name="actor" dir="ltr" .value=${f.actor} data-filter="actor" /></label>
      <label
        >${t('audit.kind')}
        <select name="kind" data-filter="kind">
          <option value="">${t('common.all')}</option>
          ${KINDS.map((k) => html`<option .value=${k} ?selected=${f.kind === k}>${kindLabel(k)}</option>`)}
        </select></label
      >
      <label
        >${t('audit.from')}<rv-hijri-date
          .value=${f.from}
          data-filter="from"
          @rv-date-input=${(e: CustomEvent<{ value?: string }>) =>
            (this._filters = { ...this._filters, from: e.detail.value ?? '' })}
        ></rv-hijri-date
        ><input type="hidden" name="from" .value=${f.from}
      /></label>
      <label
        >${t('audit.to')}<rv-hijri-date
          .value=${f.to}
          data-filter="to"
          @rv-date-input=${(e: CustomEvent<{ value?: string }>) =>
            (this._filters = { ...this._filters, to: e.detail.value ?? '' })}
        ></rv-hijri-date
        ><input type="hidden" name="to" .value=${f.to}
      /></label>
      <div class="actions">
        <button class="primary" type="submit" data-action="search">${t('audit.search')}</button>
        <a class="button" href=${csv} download="audit.csv" data-export>${t('audit.export')}</a>
      </div>
    </form>`;
  }

  private _table() {
    const broken = this._verify?.ok === false ? this._verify.brokenAt : undefined;
    return html`<table data-audit-trail>
      <thead>
        <tr>
          <th scope="col">${t('audit.seq')}</th>
          <th scope="col">${t('audit.when')}</th>
          <th scope="col">${t('audit.who')}</th>
          <th scope="col">${t('audit.what')}</th>
          <th scope="col">${t('audit.instance')}</th>
          <th scope="col">${t('audit.where')}</th>
        </tr>
      </thead>
      <tbody>
        ${this._items.map(
          (a) =>
            html`<tr data-seq=${a.seq} class=${a.seq === broken ? 'broken' : ''}>
              <td data-label=${t('audit.seq')}>${i18n.number(a.seq, { useGrouping: false })}</td>
              <td data-label=${t('audit.when')}><rv-date .value=${a.at}></rv-date></td>
              <td data-label=${t('audit.who')}><bdi title=${a.actor}>${directory.userName(a.actor)}</bdi></td>
              <td data-label=${t('audit.what')}>${kindLabel(a.type)}</td>
              <td data-label=${t('audit.instance')} class=${a.instanceId || a.processName ? '' : 'blank'}>
                ${instanceCell(a)}
              </td>
              <td data-label=${t('audit.where')} class=${a.elementId ? '' : 'blank'}>${stepCell(a)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private _verifyCard() {
    const v = this._verify;
    const running = this._verifying || !!v?.running;
    const total = v?.total ?? 0;
    const done = v ? Math.round(v.progress * Math.max(total, 1)) : 0;
    return html`<section class="card" aria-labelledby="verify-title" data-verify>
      <h2 id="verify-title">${t('audit.verify')}</h2>
      <p class="muted">${t('audit.verifyIntro')}</p>
      <div class="actions">
        <button
          class="primary"
          type="button"
          ?disabled=${running}
          data-action="verify"
          @click=${this._startVerify}
        >
          ${t('audit.verify')}
        </button>
      </div>
      ${
        running && v
          ? html`<div role="status" data-verify-progress>
              <progress max=${Math.max(total, 1)} .value=${done}></progress>
              ${t('audit.verifying', { checked: done, total })}
            </div>`
          : nothing
      }
      ${this._verifyError ? html`<div class="alert" role="alert">${i18n.text(this._verifyError.text)}</div>` : nothing}
      ${v && !running ? this._verdict(v) : nothing}
    </section>`;
  }

  private _verdict(v: AuditVerification) {
    if (v.ok)
      return html`<div class="verdict ok" role="status" data-verdict="ok">
        ✓ ${t('audit.verifyOk', { checked: v.verifiedUpTo })}
        ${v.verifiedAt ? html`<div class="small">(<rv-date .value=${v.verifiedAt}></rv-date>)</div>` : nothing}
      </div>`;
    const seq = v.brokenAt ?? 0;
    const entry = v.brokenEntry;
    return html`<div class="verdict broken" role="alert" data-verdict="broken" data-broken-at=${seq}>
      <strong>✗ ${t('audit.verifyBrokenShort', { seq: i18n.number(seq, { useGrouping: false }) })}</strong>
      <div>
        ${t('audit.verifyExplain', { before: i18n.number(Math.max(seq - 1, 0), { useGrouping: false }) })}
      </div>
      ${
        entry
          ? html`<dl>
              <dt>${t('audit.when')}</dt>
              <dd><rv-date .value=${entry.at}></rv-date></dd>
              <dt>${t('audit.who')}</dt>
              <dd><bdi title=${entry.actor}>${directory.userName(entry.actor)}</bdi></dd>
              <dt>${t('audit.what')}</dt>
              <dd>${kindLabel(entry.type)}</dd>
              ${
                entry.instanceId || entry.processName
                  ? html`<dt>${t('audit.instance')}</dt>
                      <dd>${instanceCell(entry)}</dd>`
                  : nothing
              }
            </dl>`
          : nothing
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-audit-desk': RvAuditDesk;
  }
}
