import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { Engine } from 'bpmn-engine';
import { BpmnModdle } from 'bpmn-moddle';
import { evaluate } from 'feelin';
import { Linter } from 'bpmnlint';
import NodeResolver from 'bpmnlint/lib/resolver/node-resolver.js';
import { createCalendar } from '../../server/engine/calendar.js';
import { compileDefinition } from '../../server/engine/definition-compiler.js';
import { feelFunctions } from '../../server/engine/feel-functions.js';
import { officeServices } from '../../server/engine/services/office-services.js';
import { LETTER_TOPICS } from '../../server/letters/letter-service.js';
import { centralGroups } from '../../server/seed/organisation.js';
import { processesDir, readProcessFiles } from '../../server/seed/deploy-processes.js';
import { projectRoot } from '../../server/project-root.js';
import { layoutBpmn } from '../../processes/tools/layout.js';

const require = createRequire(import.meta.url);
const camunda = require('camunda-bpmn-moddle/resources/camunda.json') as object;
const formsDir = path.join(projectRoot(), 'schemas', 'forms');

/** The office's eight processes (file name = process id). */
export const OFFICE_PROCESSES = [
  'policy-approval',
  'policy-implementation',
  'trip-authorization',
  'media-publication',
  'provincial-sop-audit',
  'access-to-information',
  'international-cooperation',
  'pr-campaign',
];

// loose moddle element: moddle objects are dynamic
interface El {
  $type: string;
  id?: string;
  name?: string;
  [key: string]: unknown;
}
interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

const READABLE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const FIXED_GROUPS = new Set(centralGroups.map((g) => g.id));
const FLOW_NODE = /^bpmn:(.*Task|.*Event|.*Gateway|SubProcess|CallActivity)$/;

function properties(el: El): Record<string, string> {
  const out: Record<string, string> = {};
  const ext = el.extensionElements as { values?: El[] } | undefined;
  for (const v of ext?.values ?? [])
    if (v.$type === 'camunda:Properties')
      for (const p of (v.values as El[] | undefined) ?? []) out[String(p.name)] = String(p.value ?? '');
  return out;
}

function* walk(container: El): Generator<El> {
  for (const el of (container.flowElements as El[] | undefined) ?? []) {
    yield el;
    if (el.flowElements) yield* walk(el);
  }
}

async function parse(xml: string) {
  const moddle = new BpmnModdle({ camunda });
  return (await moddle.fromXML(xml)) as { rootElement: El; warnings: { message: string }[] };
}

const overlap = (a: Bounds, b: Bounds) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('processes (the office models)', () => {
  const files = readProcessFiles();

  it('should ship exactly the eight office processes', () => {
    // then
    expect(files.map((f) => f.key).sort()).to.deep.equal([...OFFICE_PROCESSES].sort());
    // a called process deploys before its caller
    const keys = files.map((f) => f.key);
    expect(keys.indexOf('policy-implementation')).to.be.lessThan(keys.indexOf('policy-approval'));
  });

  for (const key of OFFICE_PROCESSES) {
    describe(key, () => {
      const xml = fs.readFileSync(path.join(processesDir(), `${key}.bpmn`), 'utf8');

      it('should parse with the Camunda extensions and no warnings, one executable process named after the file', async () => {
        // when
        const { rootElement, warnings } = await parse(xml);
        // then
        expect(warnings.map((w) => w.message)).to.deep.equal([]);
        const procs = (rootElement.rootElements as El[]).filter((r) => r.$type === 'bpmn:Process');
        expect(procs).to.have.length(1);
        expect(procs[0]!.id).to.equal(key);
        expect(procs[0]!.isExecutable).to.equal(true);
        expect(procs[0]!.name, 'process name').to.be.a('string').with.length.greaterThan(0);
        expect(properties(procs[0]!)['name-fa'], 'process name-fa').to.match(/[\u0600-\u06FF]/);
      });

      it('should give every element a readable id and every node both names', async () => {
        // given
        const { rootElement } = await parse(xml);
        const proc = (rootElement.rootElements as El[]).find((r) => r.$type === 'bpmn:Process')!;
        const problems: string[] = [];
        // when
        for (const el of walk(proc)) {
          if (!READABLE_ID.test(el.id ?? '')) problems.push(`unreadable id ${el.id}`);
          for (const def of (el.eventDefinitions as El[] | undefined) ?? [])
            if (def.id && !READABLE_ID.test(def.id)) problems.push(`unreadable id ${def.id}`);
          const named = FLOW_NODE.test(el.$type);
          const fa = properties(el)['name-fa'];
          if (named && !el.name?.trim()) problems.push(`${el.id} has no English name`);
          if (named && !fa?.trim()) problems.push(`${el.id} has no Dari name`);
          if (fa && !/[\u0600-\u06FF]/.test(fa)) problems.push(`${el.id} name-fa is not Dari`);
          if (el.$type === 'bpmn:SequenceFlow' && el.name && !fa)
            problems.push(`${el.id} is named but has no name-fa`);
          if (el.$type === 'bpmn:SequenceFlow' && !el.name) {
            const source = el.sourceRef as El;
            const fanOut = ((source.outgoing as El[] | undefined) ?? []).length > 1;
            if (/Gateway$/.test(source.$type) && fanOut && source.$type !== 'bpmn:ParallelGateway')
              problems.push(`${el.id} leaves a decision unnamed`);
          }
        }
        // then
        expect(problems).to.deep.equal([]);
      });

      it('should offer tasks to known groups, with forms that exist and services that are registered', async () => {
        // given
        const { rootElement } = await parse(xml);
        const proc = (rootElement.rootElements as El[]).find((r) => r.$type === 'bpmn:Process')!;
        const problems: string[] = [];
        let userTasks = 0;
        // when
        for (const el of walk(proc)) {
          if (el.$type === 'bpmn:UserTask') {
            userTasks++;
            const groups = String(el.candidateGroups ?? '');
            if (!groups) problems.push(`${el.id} has no candidate group`);
            if (!groups.startsWith('='))
              for (const g of groups.split(',').map((s) => s.trim()))
                if (!FIXED_GROUPS.has(g)) problems.push(`${el.id} names unknown group ${g}`);
            if (!el.formKey) problems.push(`${el.id} has no form`);
            if (!el.dueDate && el.id !== 'draft-media-item') problems.push(`${el.id} has no due date`);
          }
          if (el.formKey && !fs.existsSync(path.join(formsDir, `${String(el.formKey)}.json`)))
            problems.push(`${el.id} form ${String(el.formKey)} is missing`);
          if (el.$type === 'bpmn:ServiceTask') {
            if (el.type !== 'external') problems.push(`${el.id} is not camunda:type="external"`);
            if (!officeServices[String(el.topic)] && !LETTER_TOPICS.includes(String(el.topic)))
              problems.push(`${el.id} topic ${String(el.topic)} is not a service`);
          }
          if (el.$type === 'bpmn:ScriptTask') problems.push(`${el.id} is a script task`);
        }
        // then
        expect(problems).to.deep.equal([]);
        expect(userTasks).to.be.greaterThan(0);
      });

      it('should write every condition in FEEL, give decisions a default and avoid the engine bugs', async () => {
        // given
        const { rootElement } = await parse(xml);
        const proc = (rootElement.rootElements as El[]).find((r) => r.$type === 'bpmn:Process')!;
        const problems: string[] = [];
        // when
        for (const el of walk(proc)) {
          const incoming = (el.incoming as El[] | undefined) ?? [];
          const outgoing = (el.outgoing as El[] | undefined) ?? [];
          if (el.$type === 'bpmn:SequenceFlow') {
            const body = (el.conditionExpression as El | undefined)?.body;
            if (body !== undefined && !String(body).startsWith('='))
              problems.push(`${el.id} condition is not FEEL`);
          }
          if (el.$type === 'bpmn:ExclusiveGateway' && outgoing.length > 1) {
            const def = el.default as El | undefined;
            if (!def) problems.push(`${el.id} has no default flow`);
            if (def?.conditionExpression) problems.push(`${el.id} default flow has a condition`);
            for (const f of outgoing)
              if (f !== def && !f.conditionExpression)
                problems.push(`${f.id} leaves ${el.id} without a condition`);
          }
          if (el.$type === 'bpmn:InclusiveGateway' && incoming.length > 1)
            problems.push(`${el.id} joins inclusively`);
          if (el.$type === 'bpmn:ParallelGateway' && incoming.length > 1)
            for (const f of incoming) {
              const src = f.sourceRef as El;
              if (
                src.$type === 'bpmn:ExclusiveGateway' &&
                ((src.incoming as El[] | undefined) ?? []).length > 1
              )
                problems.push(
                  `${el.id} joins right after the exclusive join ${src.id} (bpmn-engine issue 200)`,
                );
            }
          for (const def of (el.eventDefinitions as El[] | undefined) ?? []) {
            if (def.$type !== 'bpmn:TimerEventDefinition') continue;
            if (def.timeCycle && el.$type !== 'bpmn:BoundaryEvent')
              problems.push(`${el.id} cycles on a non-boundary event`);
            if (def.timeCycle && el.cancelActivity !== false) problems.push(`${el.id} cycle interrupts`);
          }
          const loop = el.loopCharacteristics as El | undefined;
          if (loop) {
            if (!String(loop.collection ?? '').startsWith('='))
              problems.push(`${el.id} collection is not FEEL`);
            if (!loop.elementVariable) problems.push(`${el.id} has no element variable`);
          }
        }
        // then
        expect(problems).to.deep.equal([]);
      });

      it("should pass the engine's deploy validation", async () => {
        // when
        const compiled = await compileDefinition(xml, {
          hasService: (name) => name in officeServices || LETTER_TOPICS.includes(name),
          hasForm: (formKey) => fs.existsSync(path.join(formsDir, `${formKey}.json`)),
          feelFunctions: feelFunctions(createCalendar(), () => new Date()),
        });
        // then
        expect(compiled.key).to.equal(key);
        expect(compiled.name.fa).to.match(/[\u0600-\u06FF]/);
      });

      it("should pass bpmnlint's recommended rules, as the modeller lints them", async () => {
        // given
        const linter = new Linter({
          config: { extends: 'bpmnlint:recommended' },
          resolver: new NodeResolver(),
        });
        const { rootElement } = await parse(xml);
        // when
        const results = await linter.lint(rootElement);
        // then
        const issues = Object.entries(results).flatMap(([rule, list]) =>
          list.map((i) => `${rule}: ${i.id} ${i.message}`),
        );
        expect(issues).to.deep.equal([]);
      });

      it('should carry the diagram processes/tools/layout.ts draws for the current model', async () => {
        // when
        const relaid = await layoutBpmn(xml);
        // then
        expect(relaid === xml, 'run: npx tsx processes/tools/layout.ts processes/' + key + '.bpmn').to.equal(
          true,
        );
      });

      it('should carry a diagram that shows every element, boundary events on their hosts, no shape hiding another', async () => {
        // given
        const { rootElement } = await parse(xml);
        const proc = (rootElement.rootElements as El[]).find((r) => r.$type === 'bpmn:Process')!;
        const planes = ((rootElement.diagrams as El[] | undefined) ?? []).map((d) => d.plane as El);
        const shapes = new Map<string, { bounds: Bounds; plane: El }>();
        const edges = new Set<string>();
        for (const plane of planes)
          for (const d of (plane.planeElement as El[] | undefined) ?? []) {
            const target = (d.bpmnElement as El | undefined)?.id;
            if (!target) continue;
            if (d.$type === 'bpmndi:BPMNShape') shapes.set(target, { bounds: d.bounds as Bounds, plane });
            else edges.add(target);
          }
        const problems: string[] = [];
        // when
        const all = [...walk(proc)];
        for (const el of all) {
          if (el.$type === 'bpmn:SequenceFlow') {
            if (!edges.has(el.id!)) problems.push(`${el.id} is not drawn`);
          } else if (!shapes.has(el.id!)) problems.push(`${el.id} is not drawn`);
          if (el.$type === 'bpmn:BoundaryEvent') {
            const host = shapes.get((el.attachedToRef as El).id!);
            const me = shapes.get(el.id!);
            if (host && me && !overlap(host.bounds, me.bounds)) problems.push(`${el.id} is not on its host`);
          }
        }
        const nodes = all.filter((e) => e.$type !== 'bpmn:SequenceFlow' && e.$type !== 'bpmn:BoundaryEvent');
        for (let i = 0; i < nodes.length; i++)
          for (let j = i + 1; j < nodes.length; j++) {
            const a = shapes.get(nodes[i]!.id!);
            const b = shapes.get(nodes[j]!.id!);
            if (a && b && a.plane === b.plane && overlap(a.bounds, b.bounds))
              problems.push(`${nodes[i]!.id} and ${nodes[j]!.id} overlap`);
          }
        const boundaries = all.filter((e) => e.$type === 'bpmn:BoundaryEvent');
        for (let i = 0; i < boundaries.length; i++)
          for (let j = i + 1; j < boundaries.length; j++) {
            const a = shapes.get(boundaries[i]!.id!);
            const b = shapes.get(boundaries[j]!.id!);
            if (a && b && overlap(a.bounds, b.bounds))
              problems.push(`${boundaries[i]!.id} hides ${boundaries[j]!.id}`);
          }
        // then
        expect(problems).to.deep.equal([]);
      });
    });
  }
});

/**
 * Raw bpmn-engine (no Ravand runtime): proves each model parses into the engine and starts, with FEEL plugged in
 * the way the runtime does it and the office services behind the service tasks.
 */
describe('processes (raw bpmn-engine start)', () => {
  const calendar = createCalendar();
  const clock = () => new Date('2026-11-29T05:00:00.000Z'); // Sunday 09:30 in Kabul
  const fns = feelFunctions(calendar, clock);

  const expressions = {
    resolveExpression(
      expression: unknown,
      context?: { environment?: { variables?: object }; content?: object },
    ) {
      if (typeof expression !== 'string' || !expression.startsWith('=')) return expression;
      const vars = { ...(context?.environment?.variables ?? {}), ...(context?.content ?? {}), ...fns };
      return evaluate(expression.slice(1), vars).value;
    },
    isExpression: (text: unknown) => typeof text === 'string' && text.startsWith('='),
    hasExpression: (text: unknown) => typeof text === 'string' && text.startsWith('='),
  };

  /** Service tasks call the office services with a throwaway context and merge what they return. */
  const extensions = {
    ravand(activity: {
      type: string;
      id: string;
      behaviour: Record<string, unknown>;
      environment: { variables: Record<string, unknown>; assignVariables(v: object): void };
    }) {
      if (activity.type !== 'bpmn:ServiceTask') return;
      const topic = String(activity.behaviour.topic);
      activity.behaviour.Service = function Service() {
        return {
          execute(
            message: { content: { executionId: string } & Record<string, unknown> },
            callback: (err: Error | null, out?: unknown) => void,
          ) {
            const handler = officeServices[topic]!;
            let seq = 0;
            handler({
              executionId: message.content.executionId,
              instanceId: 'raw',
              elementId: activity.id,
              variables: { ...activity.environment.variables, ...message.content },
              now: clock,
              nextSequence: async () => ++seq,
            }).then(
              (out) => {
                if (out) activity.environment.assignVariables(out);
                callback(null, out);
              },
              (err: Error) => callback(err),
            );
          },
        };
      };
    },
  };

  const starts: Record<string, { variables: Record<string, unknown>; waits: string[] }> = {
    'policy-approval': { variables: {}, waits: ['draft-policy'] },
    'policy-implementation': { variables: { policyNumber: 'P-1405-0001' }, waits: ['plan-implementation'] },
    'trip-authorization': {
      variables: {
        departureDate: '2027-01-20',
        returnDate: '2027-01-25',
        funding: 'commission',
        requestingDirectorate: 'plan-policy',
      },
      waits: ['check-directorate'],
    },
    'media-publication': { variables: {}, waits: ['draft-media-item'] },
    'provincial-sop-audit': { variables: {}, waits: ['plan-audit-round'] },
    'access-to-information': {
      variables: { urgent: false, requesterName: 'Test' },
      waits: ['route-request'],
    },
    'international-cooperation': { variables: { partnerName: 'UNDP' }, waits: ['assess-proposal'] },
    'pr-campaign': { variables: {}, waits: ['plan-campaign'] },
  };

  for (const key of OFFICE_PROCESSES) {
    it(`should start ${key} and wait at its first task`, async () => {
      // given
      const xml = fs.readFileSync(path.join(processesDir(), `${key}.bpmn`), 'utf8');
      const engine = new Engine({
        name: key,
        source: xml,
        moddleOptions: { camunda },
        expressions,
        extensions,
      } as never);
      const waits: string[] = [];
      const listener = new (await import('node:events')).EventEmitter();
      listener.on('activity.wait', (api: { id: string }) => waits.push(api.id));
      engine.on('error', () => undefined);
      try {
        // when
        await engine.execute({ listener, variables: starts[key]!.variables } as never);
        // services settle asynchronously: wait (bounded) for the expected waits
        const until = Date.now() + 5000;
        while (!starts[key]!.waits.every((id) => waits.includes(id)) && Date.now() < until)
          await new Promise((r) => setTimeout(r, 10));
        // then
        for (const id of starts[key]!.waits) expect(waits, `${key} waits`).to.include(id);
        expect(engine.state).to.equal('running');
      } finally {
        await engine.stop();
      }
    });
  }
});
