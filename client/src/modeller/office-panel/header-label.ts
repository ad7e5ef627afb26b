import { i18n } from '../../i18n/i18n.js';
import { camundaProperty, type DiagramElement } from './model-access.js';

interface EventBus {
  on(event: string | string[], fn: (e: { element?: DiagramElement }) => void): void;
}

/**
 * Shows the selected element's Dari name (`name-fa`) in the panel's header when the page is in Dari; the panel
 * itself only knows `name`. The header's text node is changed in place, so the panel's own updates still reach it.
 */
export class PanelHeaderLabel {
  static $inject = ['eventBus', 'propertiesPanel'];
  private element?: DiagramElement;

  constructor(eventBus: EventBus, propertiesPanel: { _container?: HTMLElement }) {
    // returns nothing: a diagram-js listener that returns a value stops the event (linting listens after us)
    const apply = (): void => {
      requestAnimationFrame(() => {
        const label = propertiesPanel._container?.querySelector('.bio-properties-panel-header-label');
        const node = label?.firstChild;
        const bo = this.element?.businessObject;
        const fa = bo && camundaProperty(bo, 'name-fa');
        if (i18n.lang !== 'fa' || !fa || node?.nodeType !== Node.TEXT_NODE) return;
        (node as Text).data = fa;
        label!.setAttribute('title', fa);
      });
    };
    eventBus.on('propertiesPanel.updated', (e) => {
      this.element = e.element;
      apply();
    });
    eventBus.on(['elements.changed', 'propertiesPanel.providersChanged'], apply);
  }
}
