/** The engine clock. bpmn-elements reads `new Date()` itself, so tests fake `Date` or pass their own clock. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
