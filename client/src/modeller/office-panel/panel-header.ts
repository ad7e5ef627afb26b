import { Header } from '@bpmn-io/properties-panel';
import { h, render } from '@bpmn-io/properties-panel/preact';
import { officeHeaderProvider } from './header-provider.js';
import type { DiagramElement } from './model-access.js';

type Translate = (template: string, replacements?: Record<string, string>) => string;
interface EventBus {
  on(event: string, fn: (e: { element?: DiagramElement | DiagramElement[] }) => void): void;
}
/** bpmn-js-properties-panel's renderer, as far as its header placement goes. */
interface PanelRenderer {
  _container: HTMLElement;
  attachTo(container: HTMLElement, headerContainer?: HTMLElement): void;
}

/**
 * The properties panel's header, drawn with the office's header provider (header-provider.ts: names and types in
 * the current language). bpmn-js-properties-panel 5 takes no header provider, but renders its header apart from
 * the body when given a header container (`attachTo(body, header)`): its own header goes to a container that is
 * never shown, and this one is drawn with `@bpmn-io/properties-panel`'s `Header` just above the body, again
 * whenever the panel updates (selection, edits, a language switch).
 */
export class OfficePanelHeader {
  static $inject = ['eventBus', 'propertiesPanel', 'translate'];
  private readonly host = document.createElement('div');
  private element: DiagramElement | undefined;

  constructor(eventBus: EventBus, panel: PanelRenderer, translate: Translate) {
    this.host.className =
      'bio-properties-panel bio-theme-parent bio-properties-panel-header-container rv-office-header';
    const provider = officeHeaderProvider(translate);
    // the library's own header (its names are English only) renders here, out of the page
    const offstage = document.createElement('div');
    let moving = false;
    const draw = (): void => {
      const element = this.element;
      render(element ? h(Header, { element, headerProvider: provider, translate }) : null, this.host);
    };

    eventBus.on('propertiesPanel.attach', () => {
      const body = panel._container;
      const parent = body.parentElement;
      if (moving || !parent) return;
      moving = true;
      try {
        panel.attachTo(parent, offstage);
      } finally {
        moving = false;
      }
      parent.insertBefore(this.host, body);
      parent.classList.add('rv-office-panel-host');
      draw();
    });
    eventBus.on('propertiesPanel.detach', () => {
      if (!moving) this.host.remove();
    });
    // the panel fires this on every update, with the element it shows (several selected: no header)
    eventBus.on('propertiesPanel.updated', (e) => {
      this.element = Array.isArray(e.element) ? undefined : e.element;
      draw();
    });
    eventBus.on('diagram.destroy', () => {
      render(null, this.host);
      this.host.remove();
    });
  }
}
