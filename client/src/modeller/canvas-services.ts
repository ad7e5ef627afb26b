/** The parts of bpmn-js / diagram-js services the modeller calls, typed as far as it uses them. */
export type Canvas = {
  zoom(level?: 'fit-viewport' | number, center?: 'auto'): number;
  scroll(delta: { dx: number; dy: number }): void;
  scrollToElement(element: unknown, padding?: number): void;
  addMarker(id: string, c: string): void;
  removeMarker(id: string, c: string): void;
};
export type Overlays = {
  add(id: string, type: string, o: object): string;
  remove(filter: { type: string }): void;
};
export type Registry = { get(id: string): unknown };
export type Selection = { select(element: unknown): void };
export type EventBus = { fire(type: string, data?: object): unknown };
export type CommandStack = { canUndo(): boolean };
