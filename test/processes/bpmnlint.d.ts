// bpmnlint 11 ships no types; the model spec uses only its Linter with the Node resolver
declare module 'bpmnlint' {
  export class Linter {
    constructor(options: { config: Record<string, unknown>; resolver: unknown });
    lint(definitions: unknown): Promise<Record<string, { id: string; message: string }[]>>;
  }
}
declare module 'bpmnlint/lib/resolver/node-resolver.js' {
  export default class NodeResolver {}
}
