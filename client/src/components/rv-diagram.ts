import { LitElement, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { localizeXml } from '../bpmn/localize.js';
import { loadNavigatedViewer, type NavigatedViewerClass } from '../bpmn/load-navigated-viewer.js';
import { i18n } from '../i18n/i18n.js';

type Viewer = InstanceType<NavigatedViewerClass>;

type Canvas = {
  zoom(level?: 'fit-viewport' | number, center?: 'auto'): number;
  scrollToElement(element: unknown): void;
  addMarker(id: string, cls: string): void;
};
type Overlays = {
  add(id: string, type: string, o: { position: Record<string, number>; html: HTMLElement }): void;
  clear(): void;
};
type Registry = { get(id: string): unknown };

/**
 * A read-only BPMN diagram (bpmn-js NavigatedViewer in light DOM, loaded on the first diagram) in the current language, with the current
 * elements highlighted, the path taken marked, incidents in red and a heatmap of waiting tokens.
 * @fires rv-element-click CustomEvent<{ id }> when an element is clicked
 */
@customElement('rv-diagram')
export class RvDiagram extends LitElement {
  @property() xml = '';
  /** Elements to highlight (the task at hand, waiting tokens). */
  @property({ attribute: false }) current: string[] = [];
  /** Elements already passed (the path taken). */
  @property({ attribute: false }) done: string[] = [];
  @property({ attribute: false }) incidents: string[] = [];
  /** Waiting tokens per element id: coloured by count and labelled with it. */
  @property({ attribute: false }) tokens: Record<string, number> = {};
  @property() label = '';

  private _viewer: Viewer | undefined;
  private _importedXml = '';
  private _importedLang = '';
  private readonly _onLang = () => this.requestUpdate();

  // bpmn-js does not work inside a shadow root
  protected override createRenderRoot() {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    i18n.addEventListener('change', this._onLang);
  }

  override disconnectedCallback(): void {
    i18n.removeEventListener('change', this._onLang);
    this._viewer?.destroy();
    this._viewer = undefined;
    this._importedXml = '';
    super.disconnectedCallback();
  }

  override render() {
    return html`<div class="rv-canvas rv-bpmn" role="img" aria-label=${this.label}></div>`;
  }

  protected override async updated(): Promise<void> {
    const container = this.querySelector<HTMLElement>('.rv-canvas');
    if (!container || !this.xml) return;
    if (!this._viewer) {
      // bpmn-js is fetched on the first diagram shown, not with the view that holds it
      let NavigatedViewer: NavigatedViewerClass;
      try {
        NavigatedViewer = await loadNavigatedViewer();
      } catch (err) {
        console.warn('diagram viewer could not be loaded', err);
        return;
      }
      // the element left the page meanwhile, or an update that started earlier made the viewer (and shows
      // this element's latest properties: they are read after the import)
      if (this._viewer || !this.isConnected) return;
      this._viewer = new NavigatedViewer({ container });
      this._viewer.on('element.click', (e: { element: { id: string } }) =>
        this.dispatchEvent(
          new CustomEvent('rv-element-click', { detail: { id: e.element.id }, bubbles: true }),
        ),
      );
    }
    const viewer = this._viewer;
    if (this.xml !== this._importedXml || i18n.lang !== this._importedLang) {
      this._importedXml = this.xml;
      this._importedLang = i18n.lang;
      try {
        await viewer.importXML(localizeXml(this.xml, i18n.lang));
      } catch (err) {
        console.warn('diagram import failed', err);
        return;
      }
      // a detached or hidden container has no size: zooming it throws (non-finite matrix)
      if (this.isConnected && container.clientWidth > 0 && container.clientHeight > 0) {
        const canvas = viewer.get<Canvas>('canvas');
        canvas.zoom('fit-viewport', 'auto');
        // a long process in a small pane: readable zoom around the current element instead of the whole
        const focus = this.current.map((id) => viewer.get<Registry>('elementRegistry').get(id)).find(Boolean);
        if (focus && canvas.zoom() < 0.55) {
          canvas.zoom(0.75);
          canvas.scrollToElement(focus);
        }
      }
    }
    this._decorate();
    this.dispatchEvent(new Event('rv-rendered'));
  }

  private _decorate(): void {
    const viewer = this._viewer!;
    const canvas = viewer.get<Canvas>('canvas');
    const registry = viewer.get<Registry>('elementRegistry');
    const overlays = viewer.get<Overlays>('overlays');
    overlays.clear();
    const all = ['rv-current', 'rv-done', 'rv-incident'];
    (registry as unknown as { forEach(fn: (e: { id: string }) => void): void }).forEach((e) => {
      for (const cls of all)
        (canvas as unknown as { removeMarker(id: string, c: string): void }).removeMarker(e.id, cls);
    });
    const mark = (ids: string[], cls: string) => {
      for (const id of ids) if (registry.get(id)) canvas.addMarker(id, cls);
    };
    mark(this.done, 'rv-done');
    mark(this.current, 'rv-current');
    mark(this.incidents, 'rv-incident');
    const max = Math.max(0, ...Object.values(this.tokens));
    for (const [id, count] of Object.entries(this.tokens)) {
      if (!count || !registry.get(id)) continue;
      const badge = document.createElement('div');
      badge.className = 'rv-token-count';
      badge.textContent = i18n.number(count);
      badge.style.background = heatColour(count / max);
      badge.dataset.element = id;
      overlays.add(id, 'rv-tokens', { position: { top: -12, right: 12 }, html: badge });
    }
  }
}

/** Yellow (few) to red (most) waiting tokens. */
function heatColour(ratio: number): string {
  const hue = 45 - 45 * Math.min(1, Math.max(0, ratio));
  return `hsl(${hue}, 85%, ${48 - 8 * ratio}%)`;
}

declare global {
  interface HTMLElementTagNameMap {
    'rv-diagram': RvDiagram;
  }
}
