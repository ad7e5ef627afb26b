import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { officeServices } from '../../server/engine/services/office-services.js';
import { DocumentService } from '../../server/documents/document-service.js';
import { LetterService } from '../../server/letters/letter-service.js';
import { MongoDocumentStore } from '../../server/persistence/document-store.js';
import { MongoLetterStore } from '../../server/persistence/letter-store.js';
import type { TaskRecord } from '../../server/engine/types.js';
import { projectRoot } from '../../server/project-root.js';
import { runDemoSeed } from '../../server/seed/demo-seed.js';
import { ApiClient, engine, startHarness, waitUntil, type Harness } from './harness.js';

/** The request bodies of the README's curl walk-through, read from the README itself so the two cannot drift. */
function readmeBodies() {
  const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
  const walk = readme.slice(readme.indexOf('### Walk-through with curl'));
  const start = /\$URL\/api\/instances -d '([\s\S]*?)' \| node/.exec(walk)![1]!.replaceAll(`'"'"'`, "'");
  const complete = /-d '(\{"data":[\s\S]*?)' \\\n/.exec(walk)![1]!;
  return { start: JSON.parse(start) as Record<string, unknown>, complete: JSON.parse(complete) as object };
}

describe('http/README walk-through', () => {
  let h: Harness;
  const passwords = new Map<string, string>();

  before(async function () {
    this.timeout(120_000);
    const formsDir = path.join(projectRoot(), 'schemas', 'forms');
    // the office services and the letters, as main.ts wires them
    h = await startHarness({
      runtime: async (db) => {
        const documents = new DocumentService(new MongoDocumentStore(db.conn));
        const letters = new LetterService({
          documents,
          store: new MongoLetterStore(db.conn),
          publicUrl: 'http://ravand.test',
        });
        const runtime = await engine({ ...officeServices, ...letters.services() }, formsDir)(db);
        documents.bindAudit((drafts) => runtime.recordAudit(drafts));
        return runtime;
      },
      formsDir,
    });
    let printed = '';
    await runDemoSeed(h.db, { write: (t: string) => (printed += t) });
    for (const line of printed.split('\n')) {
      const [user, password] = line.trim().split(/\s+/);
      if (user && password) passwords.set(user, password);
    }
  });

  after(async () => {
    await h.close();
  });

  it('should sign in, start a trip authorization and complete its first task as the README shows', async () => {
    // given: the model is deployed by a manager
    const bodies = readmeBodies();
    const deputy = new ApiClient(h.url);
    await deputy.login('deputy', passwords.get('deputy')!);
    const deployed = await deputy.agent
      .post('/api/definitions')
      .set('x-csrf-token', deputy.csrf)
      .attach('file', path.join(projectRoot(), 'processes', 'trip-authorization.bpmn'));
    expect(deployed.status, JSON.stringify(deployed.body)).to.equal(201);
    // when: an officer starts it
    const officer = new ApiClient(h.url);
    await officer.login('plan-policy.officer', passwords.get('plan-policy.officer')!);
    const started = await officer.agent
      .post('/api/instances')
      .set('x-csrf-token', officer.csrf)
      .send(bodies.start);
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    // and Foreign Relations claims and completes the first task
    const fr = new ApiClient(h.url);
    await fr.login('foreign-relations.officer', passwords.get('foreign-relations.officer')!);
    const inbox = await fr.get('/api/tasks?view=group&key=trip-authorization');
    const task = inbox.body.items[0] as TaskRecord;
    expect(task.elementId).to.equal('check-directorate');
    const form = await fr.get(`/api/forms/${task.formKey}`);
    expect(form.status).to.equal(200);
    await fr.agent.post(`/api/tasks/${task.id}/claim`).set('x-csrf-token', fr.csrf).expect(200);
    const completed = await fr.agent
      .post(`/api/tasks/${task.id}/complete`)
      .set('x-csrf-token', fr.csrf)
      .send(bodies.complete);
    // then
    expect(completed.status, JSON.stringify(completed.body)).to.equal(200);
    expect(completed.body).to.include({ outcome: 'completed', endedBy: 'foreign-relations.officer' });
    // the task history record can land a moment after the command answers (seen for a task inside a sub-process)
    const detail = await waitUntil(async () => {
      const res = await officer.get(`/api/instances/${started.body.id}`);
      return res.body.history?.length ? res : undefined;
    }, 'the task history');
    expect(detail.status).to.equal(200);
    expect(detail.body.history.map((t: TaskRecord) => t.elementId)).to.deep.equal(['check-directorate']);
    expect(detail.body.openTasks.length).to.be.at.least(1);
    expect(detail.body.instance.businessKey).to.equal('TRIP-1405-001');
  });
});
