import { catalogOf, type FlowCatalog } from '../correlation.js';
import type { DefinitionEntry } from '../live.js';

/** The flow catalog (messages, signals, multi-instance, call activities) of each definition, read once. */
export class FlowCatalogs {
  private readonly catalogs = new Map<string, FlowCatalog>();

  of(def: Pick<DefinitionEntry, 'record' | 'compiled'>): FlowCatalog {
    let c = this.catalogs.get(def.record.id);
    if (!c) {
      c = catalogOf(def.compiled.sourceContext);
      this.catalogs.set(def.record.id, c);
    }
    return c;
  }
}
