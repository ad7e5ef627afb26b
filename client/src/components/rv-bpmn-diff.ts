import { LitElement, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import NavigatedViewerModule from 'bpmn-js/lib/NavigatedViewer.js';
import { diff, type ModdleElement } from 'bpmn-js-differ';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import { interopDefault } from '../bpmn/interop.js';
import { faElementType } from '../bpmn/translate-fa-elements.js';
import { localizeXml } from '../bpmn/localize.js';
import { WatchController } from '../controllers/watch-controller.js';
import { i18n, t } from '../i18n/i18n.js';

const NavigatedViewer = interopDefault(NavigatedViewerModule);
type Viewer = InstanceType<typeof NavigatedViewer>;
type Canvas = { zoom(level: 'fit-viewport', center?: 'auto'): void; addMarker(id: string, c: string): void };
type Registry = { get(id: string): unknown };
type Moddle = { fromXML(xml: string): Promise<{ rootElement: unknown }> };

interface Change {
  id: string;
  type: string;
  name: { fa: string; en: string };
  kind: 'added' | 'removed' | 'changed' | 'moved';
}

/**
 * A visual diff of two versions of a process (bpmn-js-differ): the old version with removed, changed and moved
 * elements marked, the new one with added, changed and moved ones, and a list of the changes.
 */
@customElement('rv-bpmn-diff')
export class RvBpmnDiff extends LitElement {
  @property() fromXml = '';
  @property() toXml = '';
  @property({ type: Number }) fromVersion = 0;
  @property({ type: Number }) toVersion = 0;
  /** The caption of the new side instead of its version (the modeller's unsaved draft). */
  @property() toLabel = '';

  @state() private _changes: Change[] = [];
  @state() private _ready = false;

  private _viewers: Viewer[] = [];

  constructor() {
    super();
    new WatchController(this, [[i18n, 'change']]);
  }

  protected override createRenderRoot() {
    return this;
  }

  override disconnectedCallback(): void {
    for (const v of this._viewers) v.destroy();
    this._viewers = [];
    super.disconnectedCallback();
  }

  private _lang = '';

  protected override async updated(changed: Map<string, unknown>): Promise<void> {
    if (!changed.has('fromXml') && !changed.has('toXml') && this._lang === i18n.lang) return;
    this._lang = i18n.lang;
    if (!this.fromXml || !this.toXml) return;
    const containers = [...this.querySelectorAll<HTMLElement>('.rv-diff-canvas')];
    if (!this._viewers.length)
      this._viewers = containers.map(
        (container) => new NavigatedViewer({ container, moddleExtensions: { camunda: camundaModdle } }),
      );
    const [oldViewer, newViewer] = this._viewers as [Viewer, Viewer];
    // diff the original models; show labels in the current language
    const moddle = oldViewer.get<Moddle>('moddle');
    const [a, b] = await Promise.all([moddle.fromXML(this.fromXml), moddle.fromXML(this.toXml)]);
    const result = diff(a.rootElement, b.rootElement);
    await oldViewer.importXML(localizeXml(this.fromXml, i18n.lang));
    await newViewer.importXML(localizeXml(this.toXml, i18n.lang));
    const changes: Change[] = [];
    const mark = (viewer: Viewer, id: string, cls: string) => {
      if (viewer.get<Registry>('elementRegistry').get(id)) viewer.get<Canvas>('canvas').addMarker(id, cls);
    };
    for (const [id, el] of Object.entries(result._removed)) {
      mark(oldViewer, id, 'rv-diff-removed');
      changes.push({ id, type: el.$type, name: nameOf(el), kind: 'removed' });
    }
    for (const [id, el] of Object.entries(result._added)) {
      mark(newViewer, id, 'rv-diff-added');
      changes.push({ id, type: el.$type, name: nameOf(el), kind: 'added' });
    }
    for (const [id, el] of Object.entries(result._changed)) {
      mark(oldViewer, id, 'rv-diff-changed');
      mark(newViewer, id, 'rv-diff-changed');
      changes.push({ id, type: el.model.$type, name: nameOf(el.model), kind: 'changed' });
    }
    for (const [id, el] of Object.entries(result._layoutChanged)) {
      if (result._changed[id]) continue;
      mark(oldViewer, id, 'rv-diff-moved');
      mark(newViewer, id, 'rv-diff-moved');
      changes.push({ id, type: el.$type, name: nameOf(el), kind: 'moved' });
    }
    for (const v of this._viewers) v.get<Canvas>('canvas').zoom('fit-viewport', 'auto');
    this._changes = changes.filter((c) => !/^bpmndi:|^dc:|^di:/.test(c.type));
    this._ready = true;
  }

  override render() {
    const label = (k: Change['kind']) => t(`modeller.${k}`);
    return html`<div class="rv-diff-panes">
        <figure>
          <figcaption>${t('common.version', { version: this.fromVersion })}</figcaption>
          <div
            class="rv-canvas rv-bpmn rv-diff-canvas"
            role="img"
            aria-label=${t('common.version', { version: this.fromVersion })}
          ></div>
        </figure>
        <figure>
          <figcaption>${this.toLabel || t('common.version', { version: this.toVersion })}</figcaption>
          <div
            class="rv-canvas rv-bpmn rv-diff-canvas"
            role="img"
            aria-label=${this.toLabel || t('common.version', { version: this.toVersion })}
          ></div>
        </figure>
      </div>
      <div class="rv-diff-legend small">
        <span class="swatch added"></span>${label('added')}
        <span class="swatch changed"></span>${label('changed')}
        <span class="swatch removed"></span>${label('removed')}
        <span class="swatch moved"></span>${label('moved')}
      </div>
      ${
        this._ready
          ? this._changes.length
            ? html`<ul class="rv-diff-list" data-changes=${this._changes.length}>
                ${this._changes.map(
                  (c) =>
                    html`<li data-kind=${c.kind} data-element=${c.id}>
                      <span class="badge ${c.kind}">${label(c.kind)}</span>
                      ${i18n.text(c.name) ? html`<strong>${i18n.text(c.name)}</strong>` : nothing}
                      <bdi class="muted">${c.id}</bdi>
                      <span class="muted small">${typeLabel(c.type)}</span>
                    </li>`,
                )}
              </ul>`
            : html`<p class="muted">${t('modeller.noChanges')}</p>`
          : nothing
      }`;
  }
}

/** An element type (`bpmn:UserTask`) as words in the current language ("User task", "وظیفهٔ کاربری"). */
function typeLabel(type: string): string {
  const words = type.replace(/^bpmn:/, '').replace(/(\B[A-Z])/g, ' $1');
  return (i18n.lang === 'fa' && faElementType(words)) || words;
}

/** English `name` and the Dari `name-fa` property of a model element. */
function nameOf(el: ModdleElement): { fa: string; en: string } {
  const en = el.name ?? '';
  let fa = '';
  for (const ext of el.extensionElements?.values ?? []) {
    if (ext.$type !== 'camunda:Properties') continue;
    fa = ext.values?.find((p) => p.name === 'name-fa')?.value ?? fa;
  }
  return { fa: fa || en, en: en || fa };
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-bpmn-diff': RvBpmnDiff;
  }
}
