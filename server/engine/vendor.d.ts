// bpmn-moddle 10 ships no types; we use only `new BpmnModdle(packages).fromXML(xml, type)`
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, object>);
    fromXML(xml: string, typeName?: string): Promise<unknown>;
  }
}
