// @bpmn-io/properties-panel ships no type declarations: typed as far as the office panel uses it.
declare module '@bpmn-io/properties-panel' {
  import type { ComponentType } from 'preact';
  type Props = Record<string, unknown>;
  export const TextFieldEntry: ComponentType<Props>;
  export const TextAreaEntry: ComponentType<Props>;
  export const SelectEntry: ComponentType<Props>;
  export const NumberFieldEntry: ComponentType<Props>;
  export const Group: ComponentType<Props>;
  export const Header: ComponentType<Props>;
  export function isTextFieldEntryEdited(node: unknown): boolean;
  export function isTextAreaEntryEdited(node: unknown): boolean;
  export function isSelectEntryEdited(node: unknown): boolean;
  export function isNumberFieldEntryEdited(node: unknown): boolean;
}
declare module 'bpmn-js-properties-panel' {
  export function useService<T = any>(name: string): T; // eslint-disable-line @typescript-eslint/no-explicit-any
}
