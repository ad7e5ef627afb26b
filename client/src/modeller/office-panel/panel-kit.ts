import { i18n, type I18nText } from '../../i18n/i18n.js';
import type { Command, DiagramElement } from './model-access.js';

/** diagram-js's command stack as the panel uses it. */
export interface CommandStack {
  execute(command: string, context: unknown): void;
}

/** Runs the commands as one undoable step (the properties panel's multi-command handler). */
export function runCommands(commandStack: CommandStack, commands: Command[]): void {
  if (commands.length) commandStack.execute('properties-panel.multi-command-executor', commands);
}

/** A name in the current language followed by the other one (`بررسی ریاست · Directorate review`). */
export function bothNames(name: I18nText | undefined, fallback: string): string {
  if (!name) return fallback;
  const here = i18n.lang === 'fa' ? name.fa : name.en;
  const there = i18n.lang === 'fa' ? name.en : name.fa;
  // isolates keep a Latin name from reordering a Dari one (and the other way round)
  return there && there !== here ? `\u2068${here}\u2069 · \u2068${there}\u2069` : here || there || fallback;
}

/** What bpmn-js-properties-panel hands an entry component. */
export interface EntryProps {
  element: DiagramElement;
  id: string;
}

/** An entry of a panel group: the component bpmn-js-properties-panel renders with `{ element, id }`. */
export interface PanelEntry {
  id: string;
  component: (props: { element: unknown; id: string }) => unknown;
  isEdited?: (node: unknown) => boolean;
}
