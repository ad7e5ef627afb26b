import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import type { EngineRuntime } from '../../../server/engine/runtime.js';
import type { RuntimeStores } from '../../../server/engine/stores.js';
import type { ServiceHandler } from '../../../server/engine/types.js';
import { useTestDatabase } from '../../helpers/database.js';
import { admin, alice, caught, createTestRuntime, waitUntil } from '../runtime-harness.js';
import {
  CASES,
  PLACEMENTS,
  REFUSALS,
  childXml,
  definitions,
  eventSubProcess,
  hasBefore,
  inclusiveJoin,
  isInner,
  parallelAfterMerge,
  processXml,
  type Case,
  type Placement,
  type Step,
} from './cases.js';
import { RawEngine } from './raw-engine.js';
import { openUserTasks, ravandPath } from './ravand-run.js';

/** The same handlers for Ravand and raw bpmn-engine. */
const services: Record<string, ServiceHandler> = {
  'conformance.echo': ({ variables }) => Promise.resolve({ echoed: Number(variables.amount ?? 0) * 2 }),
  'conformance.child': () => Promise.resolve({ childResult: 'from the child' }),
};

/** Form data of a completion: the step's, else `{ done-<task>: true }`. */
function dataOf(step: { complete: string; data?: Record<string, unknown> }): Record<string, unknown> {
  return step.data ?? { [`done-${step.complete}`]: true };
}

function placementsOf(c: Case): Placement[] {
  return c.placements ?? PLACEMENTS;
}

const total = CASES.reduce((n, c) => n + placementsOf(c).length, 0) + REFUSALS.length;

/** What both engines end with. */
interface Outcome {
  path: string[];
  variables: Record<string, unknown>;
  userTasks: string[];
  ended: boolean;
}

/**
 * Every construct of cases.ts in every placement that applies, run by Ravand (its runtime on the test database)
 * and by raw bpmn-engine 25 in memory, driven by the same steps; the path (element ids in the order they ended),
 * the final variables, the open user tasks and whether the instance ended must agree, except where the case says
 * how and why Ravand differs. One runtime and database per placement; its cases run side by side, six at a time
 * (those that move the clock one by one), and each `it` checks one case's outcome. In the `restart` placement raw
 * bpmn-engine is stopped and recovered (getState → recover → resume) before every step; Ravand's runtime is closed
 * and a new one recovers after every case has started (and waits), and it keeps no engine live, so every step
 * recovers the instance from its checkpoint.
 */
describe(`engine/conformance matrix (${total} cases: ${CASES.length} constructs × their placements)`, () => {
  let clock: ReturnType<typeof FakeTimers.install>;
  const results: { placement: Placement; id: string; kind: 'same' | 'differs' | 'refused' }[] = [];

  before(() => {
    // only Date: bpmn-elements stamps timers with it, Ravand's scheduler reads it, and moving it fires them
    clock = FakeTimers.install({ toFake: ['Date'], now: new Date('2026-03-01T04:00:00.000Z') });
  });
  after(() => {
    clock.uninstall();
    const count = (kind: string) => results.filter((r) => r.kind === kind).length;
    console.log(
      `      conformance matrix: ${results.length} of ${total} cases passed: ${count('same')} identical to raw bpmn-engine, ${count('differs')} differing as their case explains, ${count('refused')} constructs refused at deploy`,
    );
  });

  describe(`refused at deploy (${REFUSALS.length} constructs the modeller offers)`, () => {
    const ctx = useTestDatabase();
    let runtime: EngineRuntime;
    before(async () => {
      ({ runtime } = await createTestRuntime(ctx.db, { services }));
    });
    after(async () => {
      await runtime.close();
    });

    for (const [n, r] of REFUSALS.entries())
      it(`should refuse ${r.element} with ${r.code}`, async () => {
        // when
        const err = await caught(runtime.deploy(r.xml(`cf-refused-${n}`), admin));
        // then
        expect(err.code).to.equal(r.code);
        expect(err.status).to.equal(400);
        if (r.upstream) expect(err.details as object).to.include({ upstream: r.upstream });
        results.push({ placement: 'no-wait', id: `refused-${n}`, kind: 'refused' });
      });

    it('should show bpmn-engine issue 200 in raw bpmn-engine: the parallel join passes before the merged branch arrives', async () => {
      // given the lower branch waits in `lower`
      const raw = await RawEngine.start(definitions('issue-200', parallelAfterMerge('issue-200')), {
        amount: 3,
      });
      // then the join has passed and the process ended while `lower` still waits
      expect(raw.userTasks()).to.deep.equal(['lower']);
      expect(raw.path).to.include.members(['upper', 'join', 'end']);
    });

    it('should show in raw bpmn-engine that a timer event sub-process never starts', async () => {
      // given an instance waiting in `main` beside an event sub-process with a one-hour timer start
      const raw = await RawEngine.start(definitions('esp-timer', eventSubProcess('esp-timer', 'timer')));
      // when every timer the engine armed fires
      const fired = await raw.fireTimers();
      // then it armed none, and the event sub-process never ran
      expect(fired).to.equal(0);
      expect(raw.path).to.deep.equal(['start']);
      expect(raw.userTasks()).to.deep.equal(['main']);
    });

    it('should show the missing inclusive join in raw bpmn-engine: it passes once per arriving branch', async () => {
      // given both branches are taken and `b` waits
      const raw = await RawEngine.start(definitions('inclusive-join', inclusiveJoin('inclusive-join')), {
        amount: 3,
      });
      // then the join passed for `a` alone; completing `b` passes it again
      expect(raw.path.filter((id) => id === 'join')).to.have.length(1);
      await raw.complete('b');
      expect(raw.path.filter((id) => id === 'join')).to.have.length(2);
    });
  });

  for (const placement of PLACEMENTS) {
    const cases = CASES.filter((c) => placementsOf(c).includes(placement));
    describe(`placement ${placement} (${cases.length} cases)`, function () {
      this.timeout(120_000);
      const ctx = useTestDatabase();
      let runtime: EngineRuntime;
      let stores: RuntimeStores;

      const newRuntime = async (existing?: RuntimeStores) => {
        const made = await createTestRuntime(ctx.db, {
          clock: { now: () => new Date() },
          services,
          // `restart`: no engine stays in memory after a command, so every step starts with a recovery
          ...(placement === 'restart' ? { maxLiveEngines: 0 } : {}),
          ...(existing ? { stores: existing } : {}),
        });
        runtime = made.runtime;
        stores = made.stores;
        await runtime.recover();
      };

      /** A case under way: both engines, its steps, and (once driven) what each ended with. */
      interface Run {
        c: Case;
        key: string;
        steps: Step[];
        raw?: RawEngine;
        instanceId?: string | undefined;
        done?: { ravand: Outcome; expected: Outcome; status: string; incident: unknown; rawError?: string };
        error?: unknown;
      }
      const runs = new Map<string, Run>();
      const inner = isInner(placement);

      const begin = async (run: Run) => {
        const { c, key, steps } = run;
        const variables = c.variables ?? {};
        const { xml } = processXml(c, placement, key);
        const rawXml =
          c.id === 'call-activity'
            ? xml.replace(
                '</bpmn:definitions>',
                `${childXml(`${key}-child`, inner, false)}</bpmn:definitions>`,
              )
            : xml;
        run.raw = await RawEngine.start(rawXml, variables, services);
        const first = steps[0];
        const startsByMessage = first !== undefined && 'message' in first && first.at === 'start';
        if (!startsByMessage)
          run.instanceId = (await runtime.start({ key, businessKey: key, variables }, alice)).id;
      };

      const drive = async (run: Run) => {
        const { c, key, steps } = run;
        const raw = run.raw!;
        for (const step of steps) {
          // `restart`: raw bpmn-engine recovers before every step; Ravand keeps no engine live, so its every
          // step recovers from the checkpoint (and the whole runtime was restarted once after the first wait)
          if (placement === 'restart') await raw.restart();
          await applyRaw(raw, step);
          const started = await applyRavand(runtime, clock, key, run.instanceId, step);
          run.instanceId ??= started;
        }
        if (!run.instanceId) throw new Error('Ravand started no instance');
        // a called child's result reaches its parent in a command of its own, after the child's checkpoint
        if (c.id === 'call-activity')
          await waitUntil(
            async () => (await runtime.getInstance(run.instanceId!)).status === 'completed',
            'the parent of the called instance to end',
          );
        const summary = await runtime.getInstance(run.instanceId);
        const rawOnly = new Set(c.differs?.rawOnlyPathIds ?? []);
        const rawVariables = raw.variables();
        for (const name of c.differs?.rawOnlyVariables ?? []) delete rawVariables[name];
        run.done = {
          ravand: {
            path: await ravandPath(runtime, run.instanceId),
            variables: summary.variables,
            userTasks: await openUserTasks(runtime, run.instanceId),
            ended: summary.status === 'completed',
          },
          expected: {
            path: raw.path.filter((id) => !rawOnly.has(id)),
            variables: { ...rawVariables, ...(c.differs?.ravandAddsVariables?.({ inner }) ?? {}) },
            userTasks: raw.userTasks(),
            ended: raw.ended,
          },
          status: summary.status,
          incident: summary.incident,
          ...(raw.error ? { rawError: raw.error } : {}),
        };
      };

      /** Runs `work` over `list`, six at a time; a failure stays with its run. */
      const pool = async (list: Run[], work: (run: Run) => Promise<void>, width = 6) => {
        let next = 0;
        const worker = async () => {
          while (next < list.length) {
            const run = list[next++]!;
            if (run.error) continue;
            await work(run).catch((err: unknown) => (run.error = err));
          }
        };
        await Promise.all(Array.from({ length: width }, worker));
      };

      before(async () => {
        await newRuntime();
        for (const c of cases) {
          const key = keyOf(c, placement);
          if (c.id === 'call-activity')
            await runtime.deploy(definitions(`${key}-child`, childXml(`${key}-child`, inner, true)), admin);
          await runtime.deploy(processXml(c, placement, key).xml, admin);
          runs.set(c.id, {
            c,
            key,
            steps: [...(hasBefore(c, placement, key) ? [{ complete: 'before' }] : []), ...c.steps({ inner })],
          });
        }
        // given both engines started; the cases run side by side (Ravand's instances are independent), but
        // those that move the clock one at a time, so that no case's timer fires in another's step
        const all = [...runs.values()];
        const timed = all.filter((r) => r.steps.some((s) => 'timer' in s));
        const untimed = all.filter((r) => !timed.includes(r));
        await pool(all, begin);
        if (placement === 'restart') {
          // a whole restart (scheduler, reconciliation) between every case's wait and its first step
          await runtime.close();
          await newRuntime(stores);
        }
        // when each step is applied to both
        await pool(untimed, drive);
        await pool(timed, drive, 1);
      });
      after(async () => {
        await runtime.close();
      });

      for (const c of cases) {
        it(`should run ${c.element} like raw bpmn-engine${c.differs ? ' (Ravand differs, see the case)' : ''}`, () => {
          const run = runs.get(c.id)!;
          if (run.error) throw run.error;
          const done = run.done!;
          // then
          expect(done.rawError, 'raw bpmn-engine failed').to.equal(undefined);
          expect(done.status, `Ravand: ${JSON.stringify(done.incident ?? {})}`).to.be.oneOf([
            'running',
            'completed',
          ]);
          expect(done.ravand).to.deep.equal(done.expected);
          results.push({ placement, id: c.id, kind: c.differs ? 'differs' : 'same' });
        });
      }
    });
  }
});

function keyOf(c: Case, placement: Placement): string {
  return `cf-${c.id}-${placement}`;
}

async function applyRaw(raw: RawEngine, step: Step): Promise<void> {
  if ('complete' in step) return raw.complete(step.complete, dataOf(step));
  if ('message' in step) return raw.deliver(step.at, `msg-${step.message}`);
  if ('signal' in step) return raw.deliver(step.at, `sig-${step.signal}`);
  await raw.fireTimers();
}

/** Applies `step` to Ravand; returns the instance a message started, if it did. */
async function applyRavand(
  runtime: EngineRuntime,
  clock: ReturnType<typeof FakeTimers.install>,
  key: string,
  instanceId: string | undefined,
  step: Step,
): Promise<string | undefined> {
  if ('complete' in step) {
    // the instance's task, or its called child's (the child's key is `<key>-child`)
    const mine = (await runtime.listTasks({ instanceId: instanceId! })).items;
    const child = (await runtime.listTasks({ key: `${key}-child` })).items;
    const task = [...mine, ...child].find((t) => t.elementId === step.complete);
    if (!task) throw new Error(`Ravand: no open task ${step.complete}`);
    await runtime.completeTask(task.id, dataOf(step), alice);
    return undefined;
  }
  if ('message' in step) {
    const got = await runtime.correlateMessage(
      { name: `${key}-${step.message}`, correlationKey: key },
      alice,
    );
    return got.id;
  }
  if ('signal' in step) {
    await runtime.signal(`${key}-${step.signal}`, {}, alice);
    return undefined;
  }
  clock.tick(2 * 3_600_000);
  await runtime.scheduler.poke();
  await runtime.idle();
  return undefined;
}
