import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import {
  askInboxEarly,
  InboxController,
  type InboxFilters,
  type InboxView,
} from '../controllers/inbox-controller.js';
import { WatchController } from '../controllers/watch-controller.js';
import { loadForm } from '../forms/forms.js';
import type { FormSchema } from '../forms/form-schema.js';
import { i18n, t, type MessageKey } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { directory } from '../services/directory.js';
import { notices } from '../services/notices.js';
import { linkClick, router } from '../services/router.js';
import { session } from '../services/session.js';
import type { DefinitionSummary, TaskRecord } from '../services/types.js';
import './rv-date.js';
import './rv-json-form.js';
import './rv-task-view.js';

const VIEWS: Array<[InboxView, MessageKey]> = [
  ['mine', 'inbox.mine'],
  ['group', 'inbox.group'],
  ['overdue', 'inbox.overdue'],
];

/**
 * The staff inbox: my tasks, my groups' unclaimed tasks, overdue; filters, search and sort; claim, release,
 * bulk claim and bulk complete; the selected task opens beside the list. Live through InboxController.
 */
// the shell loads this module while the session loads when the address is the inbox's: ask for its tasks now
if (router.segments[0] === 'inbox') askInboxEarly();

@customElement('rv-inbox')
export class RvInbox extends LitElement {
  /** The open task (from the route `/inbox/task/:id`). */
  @property() taskId = '';

  @state() private _definitions: DefinitionSummary[] = [];
  @state() private _selected = new Set<string>();
  /** On a phone the filters fold behind one button. */
  @state() private _filtersOpen = false;
  @state() private _busy = false;
  @state() private _bulkForm: { schema: FormSchema; ids: string[] } | null = null;

  private readonly inbox = new InboxController(this);

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
  }

  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    api.definitions().then(
      (d) => (this._definitions = d),
      () => undefined,
    );
  }

  private _set(change: Partial<InboxFilters>): void {
    this._selected = new Set();
    this.inbox.setFilters(change);
  }

  private async _claim(task: TaskRecord, action: 'claim' | 'unclaim'): Promise<void> {
    try {
      const updated = await api.taskCommand(task.id, action);
      this.inbox.applyLocal(updated);
      notices.show(t(action === 'claim' ? 'notice.claimed' : 'notice.released'), 'success');
    } catch (err) {
      this._showError(err);
    }
  }

  private async _bulkClaim(): Promise<void> {
    const ids = [...this._selected];
    this._busy = true;
    try {
      const result = await api.bulkClaim(ids);
      notices.show(
        t('inbox.bulkDone', { ok: result.succeeded, failed: result.failed }),
        result.failed ? 'error' : 'success',
      );
      this._selected = new Set();
      await this.inbox.load();
    } catch (err) {
      this._showError(err);
    } finally {
      this._busy = false;
    }
  }

  /** Bulk complete: tasks sharing one form get that form once; tasks without a form complete with no data. */
  private async _bulkCompleteStart(): Promise<void> {
    const tasks = this.inbox.tasks.filter((x) => this._selected.has(x.id));
    const keys = new Set(tasks.map((x) => x.formKey ?? ''));
    const [only] = [...keys];
    if (keys.size === 1 && only) {
      const schema = await loadForm(only);
      if (schema) {
        this._bulkForm = { schema, ids: tasks.map((x) => x.id) };
        await this.updateComplete;
        this.querySelector<HTMLDialogElement>('dialog.bulk')?.showModal();
        return;
      }
    }
    await this._bulkComplete(
      tasks.map((x) => x.id),
      {},
    );
  }

  private async _bulkComplete(ids: string[], data: Record<string, unknown>): Promise<void> {
    this._busy = true;
    try {
      const result = await api.bulkComplete(ids.map((taskId) => ({ taskId, data })));
      notices.show(
        t('inbox.bulkDone', { ok: result.succeeded, failed: result.failed }),
        result.failed ? 'error' : 'success',
      );
      this._selected = new Set();
      this._closeBulk();
      await this.inbox.load();
    } catch (err) {
      this._showError(err);
    } finally {
      this._busy = false;
    }
  }

  private _closeBulk(): void {
    this.querySelector<HTMLDialogElement>('dialog.bulk')?.close();
    this._bulkForm = null;
  }

  private _showError(err: unknown): void {
    notices.show(err instanceof ApiError ? i18n.text(err.text) : t('common.error'), 'error');
  }

  private _toggle(id: string, on: boolean): void {
    const next = new Set(this._selected);
    if (on) next.add(id);
    else next.delete(id);
    this._selected = next;
  }

  /** How many filters narrow the list (shown on the phone's folded filters button). */
  private _activeFilters(): number {
    const f = this.inbox.filters;
    return [f.q, f.key, f.due, f.minPriority].filter(Boolean).length;
  }

  override render() {
    const f = this.inbox.filters;
    const tasks = this.inbox.visible;
    const me = session.user?.id;
    const allSelected = tasks.length > 0 && tasks.every((x) => this._selected.has(x.id));
    return html`<div class="rv-inbox ${this.taskId ? 'with-task' : ''}">
      <section class="rv-inbox-list" aria-labelledby="inbox-title">
        <h1 id="inbox-title">${t('inbox.title')}</h1>
        <div class="rv-tabs" role="group" aria-label=${t('inbox.view')}>
          ${VIEWS.map(
            ([view, label]) =>
              html`<button
                type="button"
                data-view=${view}
                aria-pressed=${f.view === view ? 'true' : 'false'}
                @click=${() => this._set({ view })}
              >
                ${t(label)}
              </button>`,
          )}
        </div>
        <button
          type="button"
          class="rv-filters-toggle"
          data-action="filters"
          aria-expanded=${this._filtersOpen ? 'true' : 'false'}
          aria-controls="inbox-filters"
          @click=${() => (this._filtersOpen = !this._filtersOpen)}
        >
          ${this._activeFilters() ? t('inbox.filtersActive', { count: this._activeFilters() }) : t('inbox.filters')}
          <span aria-hidden="true">${this._filtersOpen ? '▴' : '▾'}</span>
        </button>
        <div class="rv-filters ${this._filtersOpen ? '' : 'collapsed'}" id="inbox-filters" data-filters>
          <label
            >${t('inbox.search')}
            <input
              type="search"
              name="q"
              .value=${f.q}
              @input=${(e: Event) => this._set({ q: (e.target as HTMLInputElement).value })}
          /></label>
          <label
            >${t('inbox.process')}
            <select
              name="key"
              @change=${(e: Event) => this._set({ key: (e.target as HTMLSelectElement).value })}
            >
              <option value="" ?selected=${!f.key}>${t('common.all')}</option>
              ${this._definitions.map(
                (d) =>
                  html`<option value=${d.key} ?selected=${f.key === d.key}>${i18n.text(d.name)}</option>`,
              )}
            </select></label
          >
          <label
            >${t('inbox.dueFilter')}
            <select
              name="due"
              @change=${(e: Event) => this._set({ due: (e.target as HTMLSelectElement).value as InboxFilters['due'] })}
            >
              <option value="" ?selected=${!f.due}>${t('inbox.due.any')}</option>
              <option value="today" ?selected=${f.due === 'today'}>${t('inbox.due.today')}</option>
              <option value="week" ?selected=${f.due === 'week'}>${t('inbox.due.week')}</option>
            </select></label
          >
          <label
            >${t('inbox.minPriority')}
            <select
              name="priority"
              @change=${(e: Event) => this._set({ minPriority: Number((e.target as HTMLSelectElement).value) })}
            >
              <option value="0" ?selected=${f.minPriority === 0}>${t('inbox.priority.any')}</option>
              <option value="70" ?selected=${f.minPriority === 70}>${t('inbox.priority.high')}</option>
              <option value="40" ?selected=${f.minPriority === 40}>${t('inbox.priority.medium')}</option>
            </select></label
          >
          <label
            >${t('inbox.sort')}
            <select
              name="sort"
              @change=${(e: Event) => this._set({ sort: (e.target as HTMLSelectElement).value as InboxFilters['sort'] })}
            >
              ${(['-priority', 'dueAt', '-dueAt', '-createdAt'] as const).map(
                (s) =>
                  html`<option value=${s} ?selected=${f.sort === s}>
                    ${t(s === '-priority' ? 'inbox.sort.priority' : s === '-createdAt' ? 'inbox.sort.createdAt' : `inbox.sort.${s}`)}
                  </option>`,
              )}
            </select></label
          >
        </div>
        <div class="rv-bulk" ?hidden=${tasks.length === 0}>
          <label class="choice"
            ><input
              type="checkbox"
              .checked=${allSelected}
              @change=${(e: Event) =>
                (this._selected = (e.target as HTMLInputElement).checked
                  ? new Set(tasks.map((x) => x.id))
                  : new Set())}
            />
            ${t('inbox.selectAll')}</label
          >
          <span class="muted" aria-live="polite"
            >${this._selected.size ? t('inbox.selected', { count: this._selected.size }) : ''}</span
          >
          <button
            type="button"
            data-action="bulk-claim"
            ?disabled=${!this._selected.size || this._busy}
            @click=${this._bulkClaim}
          >
            ${t('inbox.bulkClaim')}
          </button>
          <button
            type="button"
            data-action="bulk-complete"
            ?disabled=${!this._selected.size || this._busy}
            @click=${this._bulkCompleteStart}
          >
            ${t('inbox.bulkComplete')}
          </button>
        </div>
        ${this.inbox.error ? html`<div class="alert" role="alert">${i18n.text(this.inbox.error.text)}</div>` : nothing}
        ${
          this.inbox.loading && !this.inbox.tasks.length
            ? html`<p class="muted" role="status">${t('common.loading')}</p>`
            : tasks.length === 0
              ? html`<p class="rv-empty muted">${t('inbox.empty')}</p>`
              : html`<ul class="rv-task-list" aria-label=${t(VIEWS.find(([v]) => v === f.view)![1])}>
                  ${tasks.map((task) => this._row(task, me))}
                </ul>`
        }
        ${
          this.inbox.tasks.length < this.inbox.total
            ? html`<button type="button" class="link" @click=${() => this.inbox.load(true)}>
                ${t('inbox.more')}
              </button>`
            : nothing
        }
      </section>
      ${
        this.taskId
          ? html`<section class="rv-inbox-task" aria-label=${t('task.title')}>
              <a class="rv-back" href="/inbox" @click=${linkClick}
                >${i18n.dir === 'rtl' ? '→' : '←'} ${t('inbox.title')}</a
              >
              <rv-task-view
                .taskId=${this.taskId}
                @rv-task-done=${() => router.navigate('/inbox')}
              ></rv-task-view>
            </section>`
          : nothing
      }
      <dialog class="bulk" aria-labelledby="bulk-title" @close=${() => (this._bulkForm = null)}>
        ${
          this._bulkForm
            ? html`<h2 id="bulk-title">
                  ${t('inbox.bulkComplete')} — ${t('inbox.selected', { count: this._bulkForm.ids.length })}
                </h2>
                <rv-json-form
                  .schema=${this._bulkForm.schema}
                  .submitLabel=${t('task.submit')}
                  ?disabled=${this._busy}
                  @rv-submit=${(e: CustomEvent<{ data: Record<string, unknown> }>) =>
                    this._bulkComplete(this._bulkForm!.ids, e.detail.data)}
                ></rv-json-form>
                <button type="button" @click=${this._closeBulk}>${t('common.cancel')}</button>`
            : nothing
        }
      </dialog>
    </div>`;
  }

  private _row(task: TaskRecord, me: string | undefined) {
    const overdue = !!task.dueAt && Date.parse(task.dueAt) < Date.now();
    const name = i18n.text(task.name);
    const mine = task.assignee === me;
    return html`<li class="rv-task ${this.taskId === task.id ? 'active' : ''}" data-task=${task.id}>
      <input
        type="checkbox"
        aria-label=${t('inbox.select', { name })}
        .checked=${this._selected.has(task.id)}
        @change=${(e: Event) => this._toggle(task.id, (e.target as HTMLInputElement).checked)}
      />
      <div class="rv-task-main">
        <a href="/inbox/task/${encodeURIComponent(task.id)}" @click=${linkClick} class="rv-task-name"
          >${name}</a
        >
        <div class="muted small">
          ${i18n.text(task.processName)}${task.businessKey ? html` · <bdi class="rv-ref">${task.businessKey}</bdi>` : nothing}
        </div>
        <div class="rv-task-meta small">
          ${
            task.dueAt
              ? html`<span class=${overdue ? 'error' : ''}
                  >${t('inbox.due')}: <rv-date .value=${task.dueAt}></rv-date
                ></span>`
              : nothing
          }
          ${overdue ? html`<span class="badge danger">${t('inbox.overdueBadge')}</span>` : nothing}
          <span class="badge ${task.priority >= 70 ? 'danger' : ''}"
            >${t('inbox.priorityValue', { value: task.priority })}</span
          >
          <span class="muted"
            >${task.assignee ? t('inbox.assignee', { name: directory.userName(task.assignee) }) : t('inbox.unassigned')}</span
          >
        </div>
      </div>
      <div class="rv-task-actions">
        ${
          task.assignee
            ? mine
              ? html`<button type="button" data-action="unclaim" @click=${() => this._claim(task, 'unclaim')}>
                  ${t('inbox.unclaim')}
                </button>`
              : nothing
            : html`<button type="button" data-action="claim" @click=${() => this._claim(task, 'claim')}>
                ${t('inbox.claim')}
              </button>`
        }
      </div>
    </li>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-inbox': RvInbox;
  }
}
