import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { useTestDatabase } from '../helpers/database.js';
import { createRuntimeStores } from '../../server/persistence/runtime-stores.js';
import { EngineRuntime } from '../../server/engine/runtime.js';
import { createCalendar } from '../../server/engine/calendar.js';
import type { RuntimeStores } from '../../server/engine/stores.js';
import { createOfficeServices } from '../../server/engine/services/office-services.js';
import { deployProcesses, readProcessFiles } from '../../server/seed/deploy-processes.js';
import path from 'node:path';
import { FormRegistry } from '../../server/engine/forms.js';
import { readProcessModel } from '../../server/engine/process-attributes.js';
import { projectRoot } from '../../server/project-root.js';
import { DocumentService } from '../../server/documents/document-service.js';
import { MongoDocumentStore } from '../../server/persistence/document-store.js';
import { MongoLetterStore } from '../../server/persistence/letter-store.js';
import { LetterService } from '../../server/letters/letter-service.js';
import type { Actor, InstanceSummary, TaskHistoryRecord, TaskRecord } from '../../server/engine/types.js';

/** What a starter types in each process's start form, used when a story gives no start variables. */
export const START_FORM_EXAMPLES: Record<string, Record<string, unknown>> = {
  'policy-approval': {
    title: 'Voter registration policy',
    policyType: 'strategic',
    changeType: 'new',
    reason: 'The 1405 registration needs written rules.',
  },
  'media-publication': {
    itemType: 'news',
    title: 'Final results announced',
    urgency: 'normal',
    brief: 'The commission announces the final results of the complaints round.',
  },
  'pr-campaign': { title: 'Know your rights', objective: 'Voters know how to file a complaint.' },
  'provincial-sop-audit': { year: 1405, quarter: 'q3' },
};

const startForms = new FormRegistry(path.join(projectRoot(), 'schemas', 'forms'));
const startFormKeys = new Map<string, Promise<string | undefined>>();

/** Throws when the process has a start form and `data` does not fit it. */
export async function checkStartForm(key: string, data: Record<string, unknown>): Promise<void> {
  let formKey = startFormKeys.get(key);
  if (!formKey) {
    const file = readProcessFiles().find((f) => f.key === key);
    formKey = file
      ? readProcessModel(file.xml).then((m) => m.attributes.startFormKey)
      : Promise.resolve(undefined);
    startFormKeys.set(key, formKey);
  }
  const form = await formKey;
  if (form) expect(startForms.errors(form, data), `start form ${form}`).to.deep.equal([]);
}

/** Nowruz 1406 and the days after it, configured as holidays (Asia/Kabul). */
export const HOLIDAYS = ['2027-03-21..2027-03-23'];

/**
 * The story's clock: `Date` itself is faked (bpmn-elements reads `new Date()` for timers), so the runtime's
 * clock, FEEL's `now()` and the engine agree.
 */
export class StoryClock {
  constructor(private readonly fake: ReturnType<typeof FakeTimers.install>) {}
  now(): Date {
    return new Date();
  }
  /** Sets the time without firing anything (ISO instant). */
  set(iso: string): void {
    this.fake.setSystemTime(new Date(iso));
  }
}

/** A staff member of `group` (the demo seed's `<group>.officer`). */
export function member(group: string): Actor {
  return { id: `${group}.officer`, groups: [group], roles: ['staff'] };
}

/** A user nobody offered the task to: used to prove group routing. */
export const outsider: Actor = { id: 'outsider', groups: ['protocol-x'], roles: ['staff'] };

/** What a story asserts about a task: where it stands, who gets it, by when. */
export interface OpenTask {
  elementId: string;
  groups: string[];
  dueAt?: string;
}

/**
 * The real runtime on a throwaway database with every office process deployed, the office services over the
 * runtime's calendar, and a clock the story controls. Register it at describe level.
 */
export function useOfficeRuntime(start = '2026-11-29T05:00:00.000Z') {
  let current:
    | { runtime: EngineRuntime; stores: RuntimeStores; clock: StoryClock; documents: DocumentService }
    | undefined;
  let fake: ReturnType<typeof FakeTimers.install> | undefined;
  // hooks of one level run in the order they are registered: close the runtime before the database goes
  after(async () => {
    await current?.runtime.close();
    fake?.uninstall();
  });
  const database = useTestDatabase();

  before(async function () {
    this.timeout(60_000);
    fake = FakeTimers.install({ toFake: ['Date'], now: new Date(start) });
    const stores = await createRuntimeStores(database.db);
    const clock = new StoryClock(fake);
    const calendar = createCalendar({ holidays: HOLIDAYS });
    // real letters on the story's database: the letter service tasks render, number and attach them
    const documents = new DocumentService(new MongoDocumentStore(database.db.conn));
    const letters = new LetterService({
      documents,
      store: new MongoLetterStore(database.db.conn),
      publicUrl: 'http://ravand.test',
      now: () => clock.now(),
    });
    const runtime = new EngineRuntime({
      stores,
      clock,
      calendar,
      services: { ...createOfficeServices({ calendar }), ...letters.services() },
    });
    documents.bindAudit((drafts) => runtime.recordAudit(drafts));
    await deployProcesses(runtime);
    await runtime.recover(); // starts the timer scheduler
    current = { runtime, stores, clock, documents };
  });
  const get = () => {
    if (!current) throw new Error('useOfficeRuntime: used outside a test');
    return current;
  };

  const story = {
    get runtime() {
      return get().runtime;
    },
    get clock() {
      return get().clock;
    },
    get stores() {
      return get().stores;
    },
    /** Documents of the instances (the letters the processes issue). */
    get documents() {
      return get().documents;
    },

    /** Starts `key` as a member of `group` (who registers the work). */
    /**
     * Starts as the start page would: `variables` over the process's example start-form data, checked against
     * its start form (`camunda:formKey` on the start event) like `POST /api/instances` checks them.
     */
    async start(key: string, variables: Record<string, unknown> = {}, by: Actor = member('admin')) {
      const data = { ...(START_FORM_EXAMPLES[key] ?? {}), ...variables };
      await checkStartForm(key, data);
      const instance = await get().runtime.start({ key, variables: data }, by);
      await get().runtime.idle();
      return instance;
    },

    /** The instance's open tasks, sorted by element id then group. */
    async openTasks(instanceId: string): Promise<OpenTask[]> {
      const page = await get().runtime.listTasks({ instanceId, limit: 500 });
      return page.items
        .map((t) => ({
          elementId: t.elementId,
          groups: t.candidateGroups,
          ...(t.dueAt ? { dueAt: t.dueAt } : {}),
        }))
        .sort((a, b) => (a.elementId + a.groups.join()).localeCompare(b.elementId + b.groups.join()));
    },

    /** The open tasks' element ids, sorted. */
    async waitingAt(instanceId: string): Promise<string[]> {
      return (await story.openTasks(instanceId)).map((t) => t.elementId);
    },

    /** The one open task at `elementId` (offered to `group`, when given). */
    async task(instanceId: string, elementId: string, group?: string): Promise<TaskRecord> {
      const page = await get().runtime.listTasks({ instanceId, limit: 500 });
      const found = page.items.filter(
        (t) => t.elementId === elementId && (!group || t.candidateGroups.includes(group)),
      );
      expect(found, `open ${elementId}${group ? ` for ${group}` : ''}`).to.have.length(1);
      return found[0]!;
    },

    /**
     * Completes the open task at `elementId` as a member of `group`, after checking that the task is offered to
     * that group, shows in that member's inbox and not in an outsider's.
     */
    async complete(
      instanceId: string,
      elementId: string,
      group: string,
      data: Record<string, unknown>,
    ): Promise<TaskHistoryRecord> {
      const task = await story.task(instanceId, elementId, group);
      expect(task.candidateGroups, `${elementId} groups`).to.include(group);
      const actor = member(group);
      const inbox = await get().runtime.listTasks({ visibleTo: actor, instanceId, limit: 500 });
      expect(
        inbox.items.map((t) => t.id),
        `${actor.id}'s inbox`,
      ).to.include(task.id);
      const stranger = await get().runtime.listTasks({ visibleTo: outsider, instanceId, limit: 500 });
      expect(
        stranger.items.map((t) => t.id),
        `outsider's inbox`,
      ).to.not.include(task.id);
      const done = await get().runtime.completeTask(task.id, data, actor);
      await get().runtime.idle();
      return done;
    },

    async instance(instanceId: string): Promise<InstanceSummary> {
      return get().runtime.getInstance(instanceId);
    },

    /** Moves the clock to `iso` and lets the scheduler fire every timer that fell due. */
    async advanceTo(iso: string): Promise<void> {
      get().clock.set(iso);
      await get().runtime.scheduler.poke();
      await get().runtime.idle();
    },

    /** The instance's timer jobs: element and due time. */
    async timers(instanceId: string): Promise<{ elementId: string; dueAt: string }[]> {
      const jobs = await get().stores.jobs.byInstance(instanceId);
      return jobs
        .map((j) => ({ elementId: j.elementId, dueAt: j.dueAt }))
        .sort((a, b) => a.elementId.localeCompare(b.elementId));
    },
  };
  return story;
}
