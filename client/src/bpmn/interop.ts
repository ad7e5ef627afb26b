/**
 * bpmn-js ships ES modules without `"type": "module"`, so TypeScript (NodeNext) types a default import as
 * the CommonJS namespace while Vite hands over the class itself: accept both.
 */
export function interopDefault<T>(mod: { default: T }): T {
  return ((mod as unknown as { default?: T }).default ?? mod) as T;
}
