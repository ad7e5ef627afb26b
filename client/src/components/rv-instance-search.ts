import { LitElement, html, css, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LiveController } from '../controllers/live-controller.js';
import { WatchController } from '../controllers/watch-controller.js';
import { kabulDayBound } from '../i18n/dates.js';
import { i18n, t, type MessageKey } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { capabilitiesOf } from '../services/capabilities.js';
import { directory } from '../services/directory.js';
import { linkClick } from '../services/router.js';
import { session } from '../services/session.js';
import type { DefinitionSummary, Group, InstanceStatus, InstanceSummary } from '../services/types.js';
import { workApi, type InstanceBulkResult } from '../services/work-api.js';
import { shared } from '../styles/shared.js';
import { filterForm } from '../styles/filter-form.js';
import { stackedTable } from '../styles/stacked-table.js';
import './rv-date.js';
import { hijriDateStyles } from '../styles/hijri-date.js';
import './rv-hijri-date.js';
import './rv-instance-page.js';

const PAGE = 25;
const STATUSES: InstanceStatus[] = ['running', 'suspended', 'failed', 'completed', 'cancelled'];
type Column = 'businessKey' | 'startedAt' | 'endedAt';
type BulkAction = 'cancel' | 'suspend' | 'resume' | 'retry' | 'migrate';
const BULK: BulkAction[] = ['suspend', 'resume', 'retry', 'cancel', 'migrate'];

interface Filters {
  q: string;
  key: string;
  version: string;
  status: string;
  startedBy: string;
  group: string;
  startedAfter: string;
  startedBefore: string;
  endedAfter: string;
  endedBefore: string;
}

const EMPTY: Filters = {
  q: '',
  key: '',
  version: '',
  status: '',
  startedBy: '',
  group: '',
  startedAfter: '',
  startedBefore: '',
  endedAfter: '',
  endedBefore: '',
};

/**
 * Instance search, like Operate's list: filters by reference or text, process, version, status, starter,
 * directorate or province and date ranges; sortable columns; pages; and bulk actions for managers with the
 * result of each row.
 */
@customElement('rv-instance-search')
export class RvInstanceSearch extends LitElement {
  static override styles = [
    shared,
    stackedTable,
    hijriDateStyles,
    filterForm,
    css`
      :host {
        display: block;
      }
      form.filters {
        margin-bottom: 1rem;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        justify-content: space-between;
        margin: 0.5rem 0;
      }
      .bulk {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem;
        align-items: center;
        background: var(--rv-primary-bg);
        border-radius: 8px;
        padding: 0.5rem 0.7rem;
        margin-bottom: 0.6rem;
      }
      .bulk input {
        width: min(100%, 14rem);
      }
      .pager {
        display: flex;
        gap: 0.6rem;
        align-items: center;
        justify-content: center;
        margin-top: 0.8rem;
      }
    `,
  ];

  @state() private _filters: Filters = { ...EMPTY };
  @state() private _sort = '-startedAt';
  @state() private _skip = 0;
  @state() private _page: { items: InstanceSummary[]; total: number } | null = null;
  @state() private _error: ApiError | null = null;
  @state() private _definitions: DefinitionSummary[] = [];
  @state() private _groups: Group[] = [];
  @state() private _selected = new Set<string>();
  @state() private _results = new Map<string, InstanceBulkResult>();
  @state() private _action: BulkAction = 'suspend';
  @state() private _reason = '';
  @state() private _toVersion = '';
  @state() private _busy = false;
  /** The last bulk action's counts (worded at render time, so a language switch rewords them). */
  @state() private _announce: { ok: number; failed: number } | null = null;

  private _generation = 0;

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
    // rows follow their instances live (status, end)
    new LiveController(this).on('instance:updated', (e) => {
      if (!this._page) return;
      const at = this._page.items.findIndex((i) => i.id === e.instance.id);
      if (at < 0) return;
      const items = [...this._page.items];
      items[at] = e.instance;
      this._page = { ...this._page, items };
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this._search();
    void api.definitions().then(
      (d) => (this._definitions = d),
      () => undefined,
    );
    void api.groups().then(
      (g) => (this._groups = g.filter((x) => x.kind === 'directorate' || x.kind === 'province')),
      () => undefined,
    );
  }

  private _query() {
    const f = this._filters;
    return {
      q: f.q.trim() || undefined,
      key: f.key || undefined,
      version: f.version ? Number(f.version) : undefined,
      status: f.status || undefined,
      startedBy: f.startedBy.trim() || undefined,
      // one select for both: provincial offices filter by province code, the rest by directorate
      directorate: f.group && !this._provinceOf(f.group) ? f.group : undefined,
      province: this._provinceOf(f.group),
      startedAfter: kabulDayBound(f.startedAfter, false),
      startedBefore: kabulDayBound(f.startedBefore, true),
      endedAfter: kabulDayBound(f.endedAfter, false),
      endedBefore: kabulDayBound(f.endedBefore, true),
      sort: this._sort,
      skip: this._skip,
      limit: PAGE,
    };
  }

  private _provinceOf(groupId: string): string | undefined {
    return this._groups.find((g) => g.id === groupId)?.province;
  }

  private async _search(): Promise<void> {
    const generation = ++this._generation;
    try {
      const page = await workApi.searchInstances(this._query());
      if (generation !== this._generation) return;
      this._page = page;
      this._error = null;
    } catch (err) {
      if (generation !== this._generation) return;
      this._error = err instanceof ApiError ? err : null;
      this._page = { items: [], total: 0 };
    }
  }

  private _submit(e: Event): void {
    e.preventDefault();
    const data = new FormData(e.target as HTMLFormElement);
    const next = { ...EMPTY };
    for (const k of Object.keys(EMPTY) as Array<keyof Filters>) next[k] = String(data.get(k) ?? '');
    this._filters = next;
    this._skip = 0;
    this._selected = new Set();
    this._results = new Map();
    void this._search();
  }

  private _reset(): void {
    this._filters = { ...EMPTY };
    this._skip = 0;
    void this._search();
  }

  private _sortBy(column: Column): void {
    this._sort = this._sort === column ? `-${column}` : column;
    this._skip = 0;
    void this._search();
  }

  private _go(skip: number): void {
    this._skip = Math.max(0, skip);
    void this._search();
  }

  private _toggle(id: string, on: boolean): void {
    const next = new Set(this._selected);
    if (on) next.add(id);
    else next.delete(id);
    this._selected = next;
  }

  private async _runBulk(e: Event): Promise<void> {
    e.preventDefault();
    const ids = [...this._selected];
    if (!ids.length) return;
    this._busy = true;
    try {
      const extra =
        this._action === 'cancel'
          ? { reason: this._reason.trim() || 'cancelled from the instance list' }
          : this._action === 'migrate'
            ? { toVersion: Number(this._toVersion) }
            : {};
      const { results } = await workApi.bulkInstances(this._action, ids, extra);
      this._results = new Map(results.map((r) => [r.instanceId, r]));
      this._selected = new Set(results.filter((r) => !r.ok).map((r) => r.instanceId));
      const done = results.filter((r) => r.ok).length;
      this._error = null;
      this._announce = { ok: done, failed: results.length - done };
      await this._search();
    } catch (err) {
      this._error = err instanceof ApiError ? err : null;
    } finally {
      this._busy = false;
    }
  }

  override render() {
    const caps = capabilitiesOf(session.user);
    const page = this._page;
    return html`<h1>${t('instances.title')}</h1>
      ${this._filtersForm()}
      ${this._error ? html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>` : nothing}
      ${caps.operate && this._selected.size ? this._bulkBar() : nothing}
      <div class="bar">
        <span class="muted" role="status" data-total=${page?.total ?? ''}
          >${page ? t('instances.count', { count: page.total }) : t('common.loading')}</span
        >
        ${
          this._announce
            ? html`<span role="status" data-bulk-result>${t('instances.bulk.done', this._announce)}</span>`
            : nothing
        }
      </div>
      ${page && page.items.length ? this._table(page.items, caps.operate) : nothing}
      ${page && !page.items.length ? html`<p class="muted">${t('instance.none')}</p>` : nothing}
      ${page ? this._pager(page.total) : nothing}`;
  }

  private _filtersForm() {
    const f = this._filters;
    const versions = this._definitions.find((d) => d.key === f.key)?.version ?? 0;
    // the Solar Hijri picker of the forms; a hidden input carries its ISO day into the form's data
    const dateInput = (name: keyof Filters, label: MessageKey) =>
      html`<label
        >${t(label)}<rv-hijri-date
          .value=${f[name]}
          data-filter=${name}
          @rv-date-input=${(e: CustomEvent<{ value?: string }>) =>
            (this._filters = { ...this._filters, [name]: e.detail.value ?? '' })}
        ></rv-hijri-date
        ><input type="hidden" name=${name} .value=${f[name]}
      /></label>`;
    return html`<form class="filters card" @submit=${this._submit} aria-label=${t('instances.filters')}>
      <label
        >${t('instances.text')}<input name="q" type="search" dir="auto" .value=${f.q} data-filter="q"
      /></label>
      <label
        >${t('instances.process')}
        <select
          name="key"
          data-filter="key"
          @change=${(e: Event) =>
            (this._filters = { ...this._filters, key: (e.target as HTMLSelectElement).value, version: '' })}
        >
          <option value="">${t('common.all')}</option>
          ${this._definitions.map(
            (d) => html`<option .value=${d.key} ?selected=${f.key === d.key}>${i18n.text(d.name)}</option>`,
          )}
        </select></label
      >
      <label
        >${t('instances.version')}
        <select name="version" data-filter="version" ?disabled=${!versions}>
          <option value="">${t('common.all')}</option>
          ${Array.from({ length: versions }, (_v, i) => versions - i).map(
            (v) =>
              html`<option .value=${String(v)} ?selected=${f.version === String(v)}>
                ${i18n.number(v)}
              </option>`,
          )}
        </select></label
      >
      <label
        >${t('instances.status')}
        <select name="status" data-filter="status">
          <option value="">${t('common.all')}</option>
          ${STATUSES.map(
            (s) =>
              html`<option .value=${s} ?selected=${f.status === s}>${t(`instance.status.${s}`)}</option>`,
          )}
        </select></label
      >
      <label
        >${t('instances.starter')}<input
          name="startedBy"
          dir="ltr"
          .value=${f.startedBy}
          data-filter="startedBy"
      /></label>
      <label
        >${t('instances.area')}
        <select name="group" data-filter="group">
          <option value="">${t('common.all')}</option>
          ${this._groups.map(
            (g) => html`<option .value=${g.id} ?selected=${f.group === g.id}>${i18n.text(g.name)}</option>`,
          )}
        </select></label
      >
      ${dateInput('startedAfter', 'instances.startedFrom')}
      ${dateInput('startedBefore', 'instances.startedTo')} ${dateInput('endedAfter', 'instances.endedFrom')}
      ${dateInput('endedBefore', 'instances.endedTo')}
      <div class="actions">
        <button class="primary" type="submit" data-action="search">${t('instances.apply')}</button>
        <button type="button" @click=${this._reset}>${t('instances.reset')}</button>
      </div>
    </form>`;
  }

  private _bulkBar() {
    return html`<form class="bulk" @submit=${this._runBulk} data-bulk>
      <span>${t('instances.selected', { count: this._selected.size })}</span>
      <label class="sr-only" for="bulk-action">${t('instances.bulk')}</label>
      <select
        id="bulk-action"
        data-bulk-action
        @change=${(e: Event) => (this._action = (e.target as HTMLSelectElement).value as BulkAction)}
      >
        ${BULK.map(
          (a) =>
            html`<option .value=${a} ?selected=${this._action === a}>${t(`instances.bulk.${a}`)}</option>`,
        )}
      </select>
      ${
        this._action === 'cancel'
          ? html`<input
              aria-label=${t('instances.bulk.reason')}
              placeholder=${t('instances.bulk.reason')}
              dir="auto"
              required
              .value=${this._reason}
              @input=${(e: Event) => (this._reason = (e.target as HTMLInputElement).value)}
            />`
          : nothing
      }
      ${
        this._action === 'migrate'
          ? html`<input
              type="number"
              min="1"
              step="1"
              required
              aria-label=${t('instances.bulk.toVersion')}
              placeholder=${t('instances.bulk.toVersion')}
              .value=${this._toVersion}
              @input=${(e: Event) => (this._toVersion = (e.target as HTMLInputElement).value)}
            />`
          : nothing
      }
      <button class="primary" type="submit" ?disabled=${this._busy} data-bulk-run>
        ${t('instances.bulk.run')}
      </button>
    </form>`;
  }

  private _sortHeader(column: Column, label: MessageKey) {
    const dir =
      this._sort === column ? 'ascending' : this._sort === `-${column}` ? 'descending' : ('none' as const);
    const arrow = dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : '';
    return html`<th scope="col" aria-sort=${dir}>
      <button
        type="button"
        data-sort=${column}
        title=${t('instances.sortBy', { column: t(label) })}
        @click=${() => this._sortBy(column)}
      >
        ${t(label)}${arrow}
      </button>
    </th>`;
  }

  private _table(items: InstanceSummary[], operate: boolean) {
    const names = new Map(this._definitions.map((d) => [d.key, d.name]));
    const allOn = items.every((i) => this._selected.has(i.id));
    return html`<table data-instances>
      <thead>
        <tr>
          ${
            operate
              ? html`<th scope="col">
                  <input
                    type="checkbox"
                    aria-label=${t('instances.selectAll')}
                    .checked=${allOn}
                    @change=${(e: Event) => {
                      const on = (e.target as HTMLInputElement).checked;
                      const next = new Set(this._selected);
                      for (const i of items) {
                        if (on) next.add(i.id);
                        else next.delete(i.id);
                      }
                      this._selected = next;
                    }}
                  />
                </th>`
              : nothing
          }
          ${this._sortHeader('businessKey', 'instances.ref')}
          <th scope="col">${t('instances.process')}</th>
          <th scope="col">${t('instances.status')}</th>
          <th scope="col">${t('instances.starter')}</th>
          ${this._sortHeader('startedAt', 'instances.started')}
          ${this._sortHeader('endedAt', 'instances.ended')}
          ${this._results.size ? html`<th scope="col">${t('instances.bulk')}</th>` : nothing}
        </tr>
      </thead>
      <tbody>
        ${items.map((i) => {
          const ref = i.businessKey ?? i.id;
          const result = this._results.get(i.id);
          return html`<tr data-instance=${i.id}>
            ${
              operate
                ? html`<td>
                    <input
                      type="checkbox"
                      aria-label=${t('instances.select', { ref })}
                      .checked=${this._selected.has(i.id)}
                      @change=${(e: Event) => this._toggle(i.id, (e.target as HTMLInputElement).checked)}
                    />
                  </td>`
                : nothing
            }
            <td data-label=${t('instances.ref')}>
              <a href="/instances/${encodeURIComponent(i.id)}" @click=${linkClick}><bdi>${ref}</bdi></a>
            </td>
            <td data-label=${t('instances.process')}>
              ${i18n.text(names.get(i.key)) || html`<bdi>${i.key}</bdi>`}
              <span class="muted">· ${t('common.version', { version: i.version })}</span>
            </td>
            <td data-label=${t('instances.status')}>
              <span class="badge status-${i.status}" data-status=${i.status}
                >${t(`instance.status.${i.status}`)}</span
              >
            </td>
            <td data-label=${t('instances.starter')}>
              <bdi title=${i.startedBy}>${directory.userName(i.startedBy)}</bdi>
            </td>
            <td data-label=${t('instances.started')}><rv-date .value=${i.startedAt}></rv-date></td>
            <td data-label=${t('instances.ended')}>
              ${i.endedAt ? html`<rv-date .value=${i.endedAt}></rv-date>` : nothing}
            </td>
            ${
              this._results.size
                ? html`<td data-label=${t('instances.bulk')} data-result=${result ? String(result.ok) : ''}>
                    ${
                      result
                        ? result.ok
                          ? html`<span class="result-ok">✓ ${t('instances.bulk.ok')}</span>`
                          : html`<span class="result-error">${i18n.text(result.error?.message)}</span>`
                        : nothing
                    }
                  </td>`
                : nothing
            }
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  private _pager(total: number) {
    const pages = Math.max(1, Math.ceil(total / PAGE));
    const current = Math.floor(this._skip / PAGE) + 1;
    if (pages <= 1) return nothing;
    return html`<nav class="pager" aria-label=${t('instances.page', { page: current, pages })}>
      <button type="button" ?disabled=${current <= 1} @click=${() => this._go(this._skip - PAGE)}>
        ${t('instances.prev')}
      </button>
      <span>${t('instances.page', { page: current, pages })}</span>
      <button type="button" ?disabled=${current >= pages} @click=${() => this._go(this._skip + PAGE)}>
        ${t('instances.next')}
      </button>
    </nav>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-instance-search': RvInstanceSearch;
  }
}
