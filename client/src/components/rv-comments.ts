import { LitElement, html, css } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LiveController } from '../controllers/live-controller.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t } from '../i18n/i18n.js';
import { api, ApiError } from '../services/api.js';
import { directory } from '../services/directory.js';
import type { TaskComment } from '../services/types.js';
import { workApi, type CommentView } from '../services/work-api.js';
import { shared } from '../styles/shared.js';
import './rv-date.js';

/**
 * The comments of an instance (all its tasks) when `instanceId` is set, else of one task; oldest first, each
 * with the task it was written on and its author's name, and a box to add one (on `taskId` when given).
 */
@customElement('rv-comments')
export class RvComments extends LitElement {
  static override styles = [
    shared,
    css`
      ol {
        list-style: none;
        margin: 0 0 0.75rem;
        padding: 0;
        display: grid;
        gap: 0.6rem;
      }
      li {
        border-inline-start: 3px solid var(--rv-border-strong);
        padding-inline-start: 0.6rem;
      }
      .who {
        font-size: 0.85rem;
        color: var(--rv-muted);
      }
      .text {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      form {
        display: grid;
        gap: 0.4rem;
      }
      textarea {
        width: 100%;
        min-height: 4rem;
        resize: vertical;
      }
      button {
        justify-self: start;
      }
    `,
  ];

  @property() taskId = '';
  /** The instance whose comments (on every task) are shown. */
  @property() instanceId = '';
  @property({ type: Boolean }) readonly = false;

  @state() private _items: Array<TaskComment | CommentView> = [];
  @state() private _busy = false;
  @state() private _error: ApiError | null = null;

  constructor() {
    super();
    new WatchController(this, [
      [i18n, 'change'],
      [directory, 'change'],
    ]);
    // live for everyone watching the instance (its room is joined by the task or instance view)
    new LiveController(this).on('comment:added', (e) => this.merge(e.comment));
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if ((changed.has('taskId') || changed.has('instanceId')) && (this.taskId || this.instanceId))
      void this._load();
  }

  /** Adds or replaces one comment (a live event or this user's own), keeping the order by time. */
  merge(comment: TaskComment | CommentView): void {
    if (this.instanceId && comment.instanceId !== this.instanceId) return;
    if (!this.instanceId && comment.taskId !== this.taskId) return;
    const others = this._items.filter((c) => c.id !== comment.id);
    this._items = [...others, comment].sort((a, b) => a.at.localeCompare(b.at));
  }

  private async _load(): Promise<void> {
    try {
      this._items = this.instanceId
        ? await workApi.instanceComments(this.instanceId)
        : await api.comments(this.taskId);
    } catch {
      this._items = [];
    }
  }

  private async _add(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const text = String(new FormData(form).get('text') ?? '').trim();
    if (!text) return;
    this._busy = true;
    this._error = null;
    try {
      const comment = this.taskId
        ? await api.addComment(this.taskId, text)
        : await workApi.addInstanceComment(this.instanceId, text);
      this.merge(comment);
      form.reset();
    } catch (err) {
      this._error = err instanceof ApiError ? err : null;
    } finally {
      this._busy = false;
    }
  }

  override render() {
    return html`${
      this._items.length
        ? html`<ol>
            ${this._items.map(
              (c) =>
                html`<li data-comment=${c.id}>
                  <div class="who">
                    <bdi data-author=${c.author} title=${c.author}
                      >${
                        'authorName' in c && i18n.text(c.authorName)
                          ? i18n.text(c.authorName)
                          : directory.userName(c.author)
                      }</bdi
                    >
                    ${
                      'taskName' in c && c.taskName
                        ? html`·
                            <span data-on-task=${c.taskId ?? ''}
                              >${t('comments.onTask', { task: i18n.text(c.taskName) })}</span
                            >`
                        : ''
                    }
                    · <rv-date .value=${c.at}></rv-date>
                  </div>
                  <div class="text" dir="auto">${c.text}</div>
                </li>`,
            )}
          </ol>`
        : html`<p class="muted">${t('comments.none')}</p>`
    }
    ${
      this.readonly
        ? ''
        : html`<form @submit=${this._add}>
            ${this._error ? html`<div class="alert" role="alert">${i18n.text(this._error.text)}</div>` : ''}
            <label for="comment-text">${t('comments.label')}</label>
            <textarea id="comment-text" name="text" maxlength="4000" dir="auto" required></textarea>
            <button type="submit" ?disabled=${this._busy}>${t('comments.add')}</button>
          </form>`
    }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-comments': RvComments;
  }
}
