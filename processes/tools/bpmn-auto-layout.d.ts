// bpmn-auto-layout 1.3 ships no types
declare module 'bpmn-auto-layout' {
  export function layoutProcess(xml: string): Promise<string>;
}
