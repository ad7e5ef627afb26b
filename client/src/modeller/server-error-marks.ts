import type { ModelerInstance } from '../bpmn/modeler.js';
import type { Canvas, Overlays, Registry } from './canvas-services.js';

/** Server rejection details (definition-compiler): the element, the position, and a short message. */
export interface DeployErrorDetails {
  elementId?: string;
  line?: number;
  column?: number;
  message?: string;
}

/** Removes the marker and note of a server rejection from the canvas. */
export function clearServerMarks(modeler: ModelerInstance | undefined, elementId: string | undefined): void {
  if (!modeler) return;
  modeler.get<Overlays>('overlays').remove({ type: 'rv-server-error' });
  if (elementId && modeler.get<Registry>('elementRegistry').get(elementId))
    modeler.get<Canvas>('canvas').removeMarker(elementId, 'rv-server-error');
}

/** Marks the element a server rejection names, with the message in a note under it. */
export function showServerMark(modeler: ModelerInstance | undefined, elementId: string, text: string): void {
  if (!modeler || !modeler.get<Registry>('elementRegistry').get(elementId)) return;
  modeler.get<Canvas>('canvas').addMarker(elementId, 'rv-server-error');
  const note = document.createElement('div');
  note.className = 'rv-server-error-note';
  note.setAttribute('role', 'note');
  note.textContent = text;
  modeler
    .get<Overlays>('overlays')
    .add(elementId, 'rv-server-error', { position: { bottom: -8, left: 0 }, html: note });
}
