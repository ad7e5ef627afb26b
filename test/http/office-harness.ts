import path from 'node:path';
import { expect } from 'chai';
import { DocumentService } from '../../server/documents/document-service.js';
import { officeServices } from '../../server/engine/services/office-services.js';
import { LetterService } from '../../server/letters/letter-service.js';
import { MongoDocumentStore } from '../../server/persistence/document-store.js';
import { MongoLetterStore } from '../../server/persistence/letter-store.js';
import type { ServiceHandler, TaskRecord, WorkflowRuntime } from '../../server/engine/types.js';
import type { Database } from '../../server/persistence/database.js';
import { projectRoot } from '../../server/project-root.js';
import { deployProcesses } from '../../server/seed/deploy-processes.js';
import { demoUsers, groups as organisationGroups } from '../../server/seed/organisation.js';
import { ApiClient, engine, startHarness, waitUntil, type Harness } from './harness.js';

/** A complete policy draft (form policy-draft). */
export const DRAFT = {
  title: 'Voter registration policy',
  policyType: 'strategic',
  changeType: 'new',
  summary: 'Who registers voters, where and when.',
  policyText: 'Article 1. Registration centres open in every district.',
};

/** A complete policy request (start form policy-request). */
export const POLICY_REQUEST = {
  title: 'Voter registration policy',
  policyType: 'strategic',
  changeType: 'new',
  reason: 'The 1405 registration needs written rules.',
};

/** The engine with the given office services and the letters' service tasks, wired as main.ts wires them. */
export function officeRuntime(services: Record<string, ServiceHandler>, formsDir: string) {
  return async (db: Database): Promise<WorkflowRuntime> => {
    const documents = new DocumentService(new MongoDocumentStore(db.conn));
    const letters = new LetterService({
      documents,
      store: new MongoLetterStore(db.conn),
      publicUrl: 'http://ravand.test',
    });
    const runtime = await engine({ ...services, ...letters.services() }, formsDir)(db);
    documents.bindAudit((drafts) => runtime.recordAudit(drafts));
    return runtime;
  };
}

/** The harness with the eight office processes deployed, the organisation's groups and the demo accounts. */
export async function officeHarness(): Promise<{ h: Harness; as(user: string): Promise<ApiClient> }> {
  const formsDir = path.join(projectRoot(), 'schemas', 'forms');
  const h = await startHarness({ runtime: officeRuntime(officeServices, formsDir), formsDir });
  await deployProcesses(h.runtime!);
  await h.groups.insertMissing(organisationGroups.map((g) => ({ ...g })));
  const clients = new Map<string, Promise<ApiClient>>();
  const demo = new Map(demoUsers().map((u) => [u.username, u]));
  const as = (id: string) => {
    let c = clients.get(id);
    if (!c) {
      const u = demo.get(id);
      if (!u) throw new Error(`no demo user ${id}`);
      c = h.user(id, u.roles, u.groups).then(() => h.signIn(id));
      clients.set(id, c);
    }
    return c;
  };
  return { h, as };
}

export const PROPOSAL = {
  partnerName: 'International Foundation for Electoral Systems',
  partnerType: 'international-ngo',
  proposalTitle: 'Training of provincial complaint officers',
  cooperationType: 'training',
  summary: 'Two-week training for 68 provincial complaint officers, funded by the partner.',
  contactEmail: 'programme@example.org',
};

/** Finds the open task `elementId` of the instance in the user's inbox, claims it, comments and completes it. */
export async function work(
  client: ApiClient,
  instanceId: string,
  elementId: string,
  data: Record<string, unknown>,
  comment?: string,
): Promise<TaskRecord & { endedBy: string }> {
  const task = await waitUntil(async () => {
    const r = await client.get(`/api/tasks?view=visible&instanceId=${instanceId}`);
    return (r.body.items as TaskRecord[] | undefined)?.find((t) => t.elementId === elementId);
  }, `${elementId} in the inbox`);
  const claimed = await client.post(`/api/tasks/${task.id}/claim`);
  expect(claimed.status, JSON.stringify(claimed.body)).to.equal(200);
  if (comment) {
    const c = await client.post(`/api/tasks/${task.id}/comments`, { text: comment });
    expect(c.status, JSON.stringify(c.body)).to.equal(201);
  }
  const done = await client.post(`/api/tasks/${task.id}/complete`, { data });
  expect(done.status, JSON.stringify(done.body)).to.equal(200);
  return done.body as TaskRecord & { endedBy: string };
}
