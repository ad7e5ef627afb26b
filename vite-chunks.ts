import type { ChunkingContext } from 'rolldown';

const CLIENT_SCRIPT = /[\\/]client[\\/]src[\\/].*\.ts$/;
/** A view: a component the shell loads with `import()` (rv-app.ts); bpmn-js's viewer is loaded so too, but is no view. */
const VIEW = /[\\/]client[\\/]src[\\/]components[\\/]/;

/**
 * The chunk of client modules that two or more views share and the shell itself does not load (the task
 * form, dates, comments, variables...): one request for all of them instead of one per module, which on a
 * link with 300 ms round trips and six connections per host is waves of requests. Modules the shell loads
 * stay in its chunks, modules only one view uses stay in that view's chunk, libraries are chunked as before.
 * Used as `name` of a Rolldown `codeSplitting` group (vite.config.ts).
 */
export function viewsSharedChunk(id: string, ctx: ChunkingContext): string | null {
  if (!CLIENT_SCRIPT.test(id)) return null;
  const info = ctx.getModuleInfo(id);
  if (!info || info.isEntry || info.dynamicImporters.length > 0) return null;
  const roots = new Set<string>();
  const seen = new Set<string>();
  const walk = (moduleId: string): boolean => {
    if (seen.has(moduleId)) return false;
    seen.add(moduleId);
    const m = ctx.getModuleInfo(moduleId);
    if (!m) return false;
    // statically reached from the page's entry: the shell has it already
    if (m.isEntry) return true;
    if (m.dynamicImporters.length > 0 && VIEW.test(moduleId)) roots.add(moduleId);
    return m.importers.some(walk);
  };
  if (walk(id)) return null;
  return roots.size >= 2 ? 'views-shared' : null;
}
