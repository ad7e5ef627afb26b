// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the declaration must reach tsc wherever this tool is imported
/// <reference path="./bpmn-auto-layout.d.ts" />
/**
 * Lays out the office's processes: `npx tsx processes/tools/layout.ts [processes/x.bpmn …]` (all when none given).
 * The .bpmn files stay the source of truth; this rewrites their diagram (BPMNDI) from the process model:
 * rebuilds `incoming`/`outgoing` from the sequence flows (bpmn-auto-layout walks them), drops the old diagram,
 * runs bpmn-auto-layout, then moves the shapes of each sub-process into a plane of its own, the way bpmn-js
 * draws a collapsed sub-process (bpmn-auto-layout 1.3 puts them in the root plane, on top of the main flow).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { layoutProcess } from 'bpmn-auto-layout';
import { BpmnModdle } from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };

/** The loose view of a moddle element this tool needs. */
interface El {
  $type: string;
  id: string;
  flowElements?: El[];
  sourceRef?: El;
  targetRef?: El;
  bpmnElement?: El;
  planeElement?: El[];
  rootElements?: El[];
  diagrams?: El[];
  plane?: El;
  attachedToRef?: El;
  bounds?: { x: number; y: number; width: number; height: number };
  waypoint?: { x: number; y: number }[];
  get(name: string): El[];
  set(name: string, value: unknown): void;
}

/** The part of bpmn-moddle this tool uses, typed here so it does not depend on whichever typings win. */
interface Moddle {
  fromXML(xml: string): Promise<unknown>;
  toXML(element: unknown, options?: { format?: boolean }): Promise<{ xml: string }>;
  create(type: string, attrs: Record<string, unknown>): El;
}

function newModdle(): Moddle {
  return new BpmnModdle({ camunda } as never) as unknown as Moddle;
}

function linkFlows(container: El): void {
  const elements = container.flowElements ?? [];
  for (const e of elements) {
    if (e.$type === 'bpmn:SequenceFlow') continue;
    e.set('incoming', []);
    e.set('outgoing', []);
  }
  for (const f of elements) {
    if (f.$type !== 'bpmn:SequenceFlow') continue;
    f.sourceRef!.get('outgoing').push(f);
    f.targetRef!.get('incoming').push(f);
  }
  for (const e of elements) if (e.flowElements) linkFlows(e);
}

function subProcesses(container: El, out: El[] = []): El[] {
  for (const e of container.flowElements ?? []) {
    if (e.flowElements) {
      out.push(e);
      subProcesses(e, out);
    }
  }
  return out;
}

/** Returns `xml` with a fresh diagram; the process model itself is unchanged. */
export async function layoutBpmn(xml: string): Promise<string> {
  const moddle = newModdle();
  const { rootElement } = (await moddle.fromXML(xml)) as unknown as { rootElement: El };
  const processes = (rootElement.rootElements ?? []).filter((r) => r.$type === 'bpmn:Process');
  for (const p of processes) linkFlows(p);
  rootElement.set('diagrams', []);
  const { xml: bare } = await moddle.toXML(rootElement, { format: true });
  const laidOut = await layoutProcess(bare);

  // move each sub-process's shapes into a plane of its own (bpmn-js drill-down)
  const again = newModdle();
  const { rootElement: defs } = (await again.fromXML(laidOut)) as unknown as { rootElement: El };
  const diagrams = defs.get('diagrams');
  const rootPlane = diagrams[0]!.plane!;
  for (const p of (defs.rootElements ?? []).filter((r) => r.$type === 'bpmn:Process')) {
    for (const sub of subProcesses(p)) {
      const own = new Set((sub.flowElements ?? []).map((e) => e.id));
      const moved = rootPlane.get('planeElement').filter((d) => d.bpmnElement && own.has(d.bpmnElement.id));
      if (moved.length === 0) continue;
      rootPlane.set(
        'planeElement',
        rootPlane.get('planeElement').filter((d) => !moved.includes(d)),
      );
      const plane = again.create('bpmndi:BPMNPlane', {
        id: `BPMNPlane_${sub.id}`,
        bpmnElement: sub,
        planeElement: moved,
      });
      diagrams.push(again.create('bpmndi:BPMNDiagram', { id: `BPMNDiagram_${sub.id}`, plane }));
    }
  }
  for (const d of diagrams) spreadBoundaryEvents(d.plane!);
  const { xml: out } = await again.toXML(defs, { format: true });
  return out.endsWith('\n') ? out : `${out}\n`;
}

/**
 * bpmn-auto-layout puts every boundary event of a host at the bottom centre, so two would hide each other (and
 * one hides a multi-instance marker): spread them along the host's bottom edge (corner to corner; a single one
 * on a loop to the right) and move the first leg of their outgoing flows.
 */
function spreadBoundaryEvents(plane: El): void {
  const shapes = plane.get('planeElement');
  const byHost = new Map<El, El[]>();
  for (const d of shapes) {
    const host = d.bpmnElement?.attachedToRef;
    if (d.$type !== 'bpmndi:BPMNShape' || !host) continue;
    byHost.set(host, [...(byHost.get(host) ?? []), d]);
  }
  for (const [host, events] of byHost) {
    // a multi-instance marker sits at the bottom centre: keep a single event clear of it too
    const loop = !!(host as unknown as { loopCharacteristics?: unknown }).loopCharacteristics;
    if (events.length < 2 && !loop) continue;
    const hostShape = shapes.find((d) => d.bpmnElement === host);
    if (!hostShape?.bounds) continue;
    const { x, width } = hostShape.bounds;
    events.forEach((shape, i) => {
      const b = shape.bounds!;
      const oldCx = b.x + b.width / 2;
      const cx = events.length === 1 ? x + width * 0.8 : x + (i * width) / (events.length - 1);
      b.x = cx - b.width / 2;
      for (const edge of shapes) {
        const flow = edge.bpmnElement;
        if (edge.$type !== 'bpmndi:BPMNEdge' || flow?.sourceRef !== shape.bpmnElement) continue;
        for (const wp of edge.waypoint ?? []) if (Math.abs(wp.x - oldCx) < 1) wp.x = cx;
      }
    });
  }
}

async function main(): Promise<void> {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const args = process.argv.slice(2);
  const files = args.length
    ? args
    : fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.bpmn'))
        .map((f) => path.join(dir, f));
  for (const file of files) {
    fs.writeFileSync(file, await layoutBpmn(fs.readFileSync(file, 'utf8')));
    console.log(`laid out ${path.relative(process.cwd(), file)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
