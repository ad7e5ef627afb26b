import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root.js';
import { SYSTEM_ACTOR, type Actor, type DeployResult, type WorkflowRuntime } from '../engine/types.js';

/** The folder of the office's processes (`processes/*.bpmn`, file name = process id). */
export function processesDir(): string {
  return path.join(projectRoot(), 'processes');
}

export interface ProcessFile {
  key: string;
  file: string;
  xml: string;
  /** Process ids this one starts through call activities. */
  calls: string[];
}

/** Reads every `processes/*.bpmn`, ordered so that a called process comes before its callers. */
export function readProcessFiles(dir: string = processesDir()): ProcessFile[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bpmn'))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const xml = fs.readFileSync(file, 'utf8');
      const calls = [...xml.matchAll(/<bpmn:callActivity\b[^>]*\bcalledElement="([^"]+)"/g)].map(
        (m) => m[1]!,
      );
      return { key: path.basename(f, '.bpmn'), file, xml, calls };
    });
  const byKey = new Map(files.map((f) => [f.key, f]));
  const ordered: ProcessFile[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: ProcessFile) => {
    if (state.get(f.key) === 'done' || state.get(f.key) === 'visiting') return; // a cycle deploys in name order
    state.set(f.key, 'visiting');
    for (const c of f.calls) {
      const callee = byKey.get(c);
      if (callee) visit(callee);
    }
    state.set(f.key, 'done');
    ordered.push(f);
  };
  files.forEach(visit);
  return ordered;
}

/** What deploying the office's processes needs of the runtime. */
export type ProcessDeployer = Pick<WorkflowRuntime, 'deploy'> & {
  /** Per file, its latest version when the file is byte for byte what it was deployed from (nothing compiled). */
  unchangedDefinitions?(files: { key: string; xml: string }[]): Promise<(DeployResult | undefined)[]>;
};

/**
 * Deploys every process in `processes/` at server start (called processes first). A file whose bytes match
 * the latest version of its process (content hash) keeps that version without being parsed, compiled or
 * linted, so a restart adds nothing and costs a read per file; a changed file becomes the next version.
 */
export async function deployProcesses(
  runtime: ProcessDeployer,
  actor: Actor = SYSTEM_ACTOR,
  dir: string = processesDir(),
): Promise<DeployResult[]> {
  const files = readProcessFiles(dir);
  const asIs = (await runtime.unchangedDefinitions?.(files)) ?? [];
  const results: DeployResult[] = [];
  // in order (a called process before its callers), each changed file deployed as its next version
  for (const [i, p] of files.entries()) results.push(asIs[i] ?? (await runtime.deploy(p.xml, actor)));
  return results;
}
