import { hasPrimaryModifier, hasSecondaryModifier, isPrimaryButton } from 'diagram-js/lib/util/Mouse.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- diagram-js services and events are dynamic */

/**
 * A plain click on the one selected element keeps it selected. diagram-js toggles it off instead, so a manager who
 * drops a task (the drop selects it), types its name and clicks it to see its properties got the process in the
 * panel. Shift/Ctrl clicks still toggle, a click on the empty canvas still clears the selection.
 */
function ClickKeepsSelection(eventBus: any, selection: any) {
  // before diagram-js's SelectionBehavior (default priority): answering false stops it
  eventBus.on('element.click', 1500, (event: { element: unknown; originalEvent?: MouseEvent }) => {
    const click = event.originalEvent;
    if (!click || !isPrimaryButton(click) || hasPrimaryModifier(click) || hasSecondaryModifier(click)) return;
    const selected: unknown[] = selection.get();
    if (selected.length === 1 && selected[0] === event.element) return false;
  });
}
ClickKeepsSelection.$inject = ['eventBus', 'selection'];

/** The bpmn-js module: clicking the selected element keeps it selected. */
export const clickKeepsSelectionModule = {
  __init__: ['clickKeepsSelection'],
  clickKeepsSelection: ['type', ClickKeepsSelection],
};
