import { OfficePanelHeader } from './panel-header.js';
import { OfficePropertiesProvider } from './office-properties-provider.js';
import './office-panel.css';

/** The office's properties panel as a diagram-js module (after BpmnPropertiesPanelModule and the providers). */
export const officePanelModule = {
  __init__: ['officePropertiesProvider', 'officePanelHeader'],
  officePropertiesProvider: ['type', OfficePropertiesProvider],
  officePanelHeader: ['type', OfficePanelHeader],
};
