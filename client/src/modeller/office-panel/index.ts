import { PanelHeaderLabel } from './header-label.js';
import { OfficePropertiesProvider } from './office-properties-provider.js';
import './office-panel.css';

/** The office's properties panel as a diagram-js module (after BpmnPropertiesPanelModule and the providers). */
export const officePanelModule = {
  __init__: ['officePropertiesProvider', 'panelHeaderLabel'],
  officePropertiesProvider: ['type', OfficePropertiesProvider],
  panelHeaderLabel: ['type', PanelHeaderLabel],
};
