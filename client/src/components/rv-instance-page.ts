import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { LiveController } from '../controllers/live-controller.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t } from '../i18n/i18n.js';
import { api } from '../services/api.js';
import { linkClick } from '../services/router.js';
import type { InstanceSummary } from '../services/types.js';
import { workApi, type InstanceLink } from '../services/work-api.js';
import './rv-comments.js';
import './rv-instance-view.js';

/** A summary as a link target (the list answers summaries, the detail may answer links). */
function toLink(i: InstanceSummary | InstanceLink, name?: { fa: string; en: string }): InstanceLink {
  return {
    id: i.id,
    key: i.key,
    version: i.version,
    name: 'name' in i && i.name ? i.name : (name ?? { fa: i.key, en: i.key }),
    ...(i.businessKey ? { businessKey: i.businessKey } : {}),
    status: i.status,
  };
}

/**
 * The instance page (`/instances/:id`): the instance view, the instance it was called from and the instances it
 * started (call activities, both ways), and the comments of all its tasks. Light DOM (it holds bpmn-js).
 */
@customElement('rv-instance-page')
export class RvInstancePage extends LitElement {
  @property() instanceId = '';

  @state() private _parent: InstanceLink | null = null;
  @state() private _children: InstanceLink[] = [];

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
    new LiveController(this).on('instance:updated', (e) => {
      if (e.instance.parentId === this.instanceId || e.instance.id === this._parent?.id) void this._links();
    });
  }

  protected override createRenderRoot() {
    return this;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('instanceId') && this.instanceId) {
      this._parent = null;
      this._children = [];
      void this._links();
    }
  }

  private async _links(): Promise<void> {
    const id = this.instanceId;
    const detail = (await api.instance(id).catch(() => null)) as
      | (Awaited<ReturnType<typeof api.instance>> & { parent?: InstanceLink; children?: InstanceLink[] })
      | null;
    if (!detail || id !== this.instanceId) return;
    const definitions = await api.definitions().catch(() => []);
    const nameOf = (key: string) => definitions.find((d) => d.key === key)?.name;
    if (detail.parent) this._parent = toLink(detail.parent, nameOf(detail.parent.key));
    else if (detail.instance.parentId) {
      const parent = await api.instance(detail.instance.parentId).catch(() => null);
      if (parent) this._parent = toLink(parent.instance, nameOf(parent.instance.key));
    }
    if (detail.children) this._children = detail.children.map((c) => toLink(c, nameOf(c.key)));
    else {
      const page = await workApi.searchInstances({ parentId: id, limit: 50 }).catch(() => null);
      if (page && id === this.instanceId) this._children = page.items.map((c) => toLink(c, nameOf(c.key)));
    }
  }

  private _link(l: InstanceLink) {
    return html`<a href="/instances/${encodeURIComponent(l.id)}" @click=${linkClick} data-link=${l.id}
        >${i18n.text(l.name)} · <bdi>${l.businessKey ?? l.id}</bdi></a
      >
      <span class="badge status-${l.status}">${t(`instance.status.${l.status}`)}</span>`;
  }

  override render() {
    if (!this.instanceId) return nothing;
    return html`<rv-instance-view .instanceId=${this.instanceId}></rv-instance-view>
      <div class="rv-task-grid rv-instance-extra">
        ${
          this._parent || this._children.length
            ? html`<section class="card" aria-labelledby="links-title" data-links>
                <h2 id="links-title" class="sr-only">${t('instances.children')}</h2>
                ${
                  this._parent
                    ? html`<p data-parent>
                        <strong>${t('instances.parent')}:</strong> ${this._link(this._parent)}
                      </p>`
                    : nothing
                }
                ${
                  this._children.length
                    ? html`<div data-children>
                        <strong>${t('instances.children')}:</strong>
                        <ul>
                          ${this._children.map((c) => html`<li data-child=${c.id}>${this._link(c)}</li>`)}
                        </ul>
                      </div>`
                    : nothing
                }
              </section>`
            : nothing
        }
        <section class="card" aria-labelledby="instance-comments-title">
          <h2 id="instance-comments-title">${t('instances.comments')}</h2>
          <rv-comments .instanceId=${this.instanceId}></rv-comments>
        </section>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-instance-page': RvInstancePage;
  }
}
