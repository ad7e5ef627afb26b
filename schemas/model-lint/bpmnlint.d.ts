// bpmnlint ships no type declarations; typed as far as Ravand uses it (client and server).
declare module 'bpmnlint' {
  export class Linter {
    constructor(options: { config: unknown; resolver: unknown });
    lint(
      definitions: unknown,
    ): Promise<
      Record<
        string,
        Array<{ id?: string; message: string; category: 'error' | 'warn' | 'info' | 'rule-error' }>
      >
    >;
  }
}
declare module 'bpmnlint/lib/resolver/static-resolver.js' {
  export default class StaticResolver {
    constructor(cache: Record<string, unknown>);
  }
}
declare module 'bpmnlint/rules/*' {
  const rule: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  export default rule;
}
