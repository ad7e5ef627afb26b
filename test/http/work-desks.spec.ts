import { expect } from 'chai';
import { io as connect, type Socket } from 'socket.io-client';
import type { AuditEvent, CommentView, InstanceSummary, TaskRecord } from '../../server/engine/types.js';
import type { AuditEntryView } from '../../schemas/records.js';
import type { ClientToServerEvents, CommentAddedEvent, ServerToClientEvents } from '../../schemas/events.js';
import { matchesAudit } from '../../server/engine/audit-search.js';
import { projectionsOf } from '../../server/persistence/runtime-stores.js';
import { ORIGIN, waitUntil, type ApiClient, type Harness } from './harness.js';
import { DRAFT, POLICY_REQUEST, officeHarness, work } from './office-harness.js';

const BPMN = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://ravand.test">${body}</bpmn:definitions>`;

/** A child process with one task for plan-policy, and a parent that calls it (no starters: working roles start). */
const CHILD =
  BPMN(`<bpmn:process id="rs-child" name="Linked child" isExecutable="true"><bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="فرزند پیوسته" /></camunda:properties></bpmn:extensionElements>
  <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="t" />
  <bpmn:userTask id="t" name="Child task" camunda:candidateGroups="plan-policy"><bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="وظیفهٔ فرزند" /></camunda:properties></bpmn:extensionElements></bpmn:userTask>
  <bpmn:sequenceFlow id="f2" sourceRef="t" targetRef="e" /><bpmn:endEvent id="e" /></bpmn:process>`);
const PARENT =
  BPMN(`<bpmn:process id="rs-parent" name="Linked parent" isExecutable="true"><bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="والد پیوسته" /></camunda:properties></bpmn:extensionElements>
  <bpmn:startEvent id="s" /><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="c" />
  <bpmn:callActivity id="c" name="Call the child" calledElement="rs-child"><bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="فراخوانی فرزند" /></camunda:properties></bpmn:extensionElements></bpmn:callActivity>
  <bpmn:sequenceFlow id="f2" sourceRef="c" targetRef="e" /><bpmn:endEvent id="e" /></bpmn:process>`);

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

describe('http/work desks: four-eyes, instance comments, instance search, bulk actions, audit desk', () => {
  let h: Harness;
  let as: (user: string) => Promise<ApiClient>;
  const sockets: LiveSocket[] = [];

  before(async function () {
    this.timeout(120_000);
    ({ h, as } = await officeHarness());
    const head = await as('plan-policy.head');
    for (const xml of [CHILD, PARENT]) {
      const res = await head.agent
        .post('/api/definitions')
        .set('x-csrf-token', head.csrf)
        .set('content-type', 'application/xml')
        .send(xml);
      expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    }
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    await h.close();
  });

  /** plan-policy.officer starts a policy approval and drafts it; returns the instance id. */
  async function drafted(): Promise<string> {
    const officer = await as('plan-policy.officer');
    const started = await officer.post('/api/instances', {
      key: 'policy-approval',
      variables: POLICY_REQUEST,
    });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    await work(officer, started.body.id, 'draft-policy', DRAFT, 'First draft, please check article 1.');
    return started.body.id as string;
  }

  async function reviewTask(client: ApiClient, instanceId: string): Promise<TaskRecord> {
    return waitUntil(async () => {
      const r = await client.get(`/api/tasks?view=all&instanceId=${instanceId}`);
      return (r.body.items as TaskRecord[]).find((t) => t.elementId === 'review-directorate');
    }, 'the directorate review');
  }

  describe('four-eyes rule', () => {
    it('should not offer the drafter the review, refuse their claim, completion and assignment, and let a colleague do it', async () => {
      // given
      const id = await drafted();
      const officer = await as('plan-policy.officer');
      const colleague = await as('plan-policy.officer2');
      const head = await as('plan-policy.head');
      const review = await reviewTask(head, id);
      expect(review.separateFrom).to.deep.equal(['draft-policy']);
      // when
      const offeredToDrafter = await officer.get(`/api/tasks?view=visible&instanceId=${id}`);
      const groupView = await officer.get(`/api/tasks?view=group&instanceId=${id}`);
      const offeredToColleague = await colleague.get(`/api/tasks?view=visible&instanceId=${id}`);
      const claim = await officer.post(`/api/tasks/${review.id}/claim`);
      const complete = await officer.post(`/api/tasks/${review.id}/complete`, {
        data: { decision: 'approve' },
      });
      const assign = await head.post(`/api/tasks/${review.id}/assign`, { assignee: 'plan-policy.officer' });
      // then
      expect(offeredToDrafter.body.items).to.deep.equal([]);
      expect(offeredToDrafter.body.total).to.equal(0);
      expect(groupView.body.items).to.deep.equal([]);
      expect(offeredToColleague.body.items.map((t: TaskRecord) => t.id)).to.deep.equal([review.id]);
      for (const res of [claim, complete, assign]) {
        expect(res.status).to.equal(403);
        expect(res.body.code).to.equal('RV_ERR_SEPARATION_OF_DUTIES');
        expect(res.body.message.fa).to.match(/چهار چشم/);
      }
      const done = await work(colleague, id, 'review-directorate', { decision: 'approve' });
      expect(done.endedBy).to.equal('plan-policy.officer2');
    });

    it('should show the rule on the definition', async () => {
      // given
      const officer = await as('plan-policy.officer');
      // when
      const defs = (await officer.get('/api/definitions')).body.items as {
        key: string;
        attributes: { separateFrom: Record<string, string[]>; starterGroups: string[] };
      }[];
      // then
      const trip = defs.find((d) => d.key === 'trip-authorization')!;
      expect(trip.attributes.separateFrom['approve-deputy']).to.include('start-trip-requested');
      const policy = defs.find((d) => d.key === 'policy-approval')!;
      expect(policy.attributes.starterGroups).to.deep.equal(['plan-policy', 'deputy']);
    });
  });

  describe('comments belong to the instance', () => {
    it('should show a comment written on the draft on the review and on the instance, live to its watchers', async () => {
      // given: a watcher of the instance
      const id = await drafted();
      const head = await as('plan-policy.head');
      const socket: LiveSocket = connect(h.url, {
        transports: ['websocket'],
        extraHeaders: { cookie: head.cookie, origin: ORIGIN },
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      const heard: CommentAddedEvent[] = [];
      socket.on('comment:added', (e) => heard.push(e));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const ack = await new Promise((resolve) => socket.emit('instance:subscribe', id, resolve));
      expect(ack).to.deep.equal({ ok: true });
      const review = await reviewTask(head, id);
      const colleague = await as('plan-policy.officer2');
      // when: the reviewer comments on the review, and the head on the instance itself
      const onTask = await colleague.post(`/api/tasks/${review.id}/comments`, { text: 'Article 1 is fine.' });
      const onInstance = await head.post(`/api/instances/${id}/comments`, {
        text: 'Please finish this week.',
      });
      // then
      expect(onTask.status).to.equal(201);
      expect(onInstance.status).to.equal(201);
      const onReview = (await colleague.get(`/api/tasks/${review.id}/comments`)).body.items as CommentView[];
      expect(onReview.map((c) => c.text)).to.deep.equal([
        'First draft, please check article 1.',
        'Article 1 is fine.',
        'Please finish this week.',
      ]);
      expect(onReview[0]).to.deep.include({ author: 'plan-policy.officer' });
      expect(onReview[0]!.taskName).to.deep.equal({ fa: 'طرح مسوده پالیسی', en: 'Draft the policy' });
      expect(onReview[0]!.authorName.en).to.equal('User plan-policy.officer');
      expect(onReview[2]).to.not.have.property('taskId');
      const detail = await head.get(`/api/instances/${id}`);
      expect((detail.body.comments as CommentView[]).length).to.equal(3);
      const live = await waitUntil(async () => (heard.length >= 2 ? heard : undefined), 'two comment events');
      expect(live.map((e) => e.comment.text)).to.deep.equal([
        'Article 1 is fine.',
        'Please finish this week.',
      ]);
      expect(live[0]!.comment.taskName?.en).to.equal('Directorate review');
    });

    it('should refuse a comment on a task of another instance and a comment by an outsider', async () => {
      // given
      const id = await drafted();
      const other = await drafted();
      const head = await as('plan-policy.head');
      const review = await reviewTask(head, other);
      const outsider = await as('legal.officer');
      // when
      const wrongTask = await head.post(`/api/instances/${id}/comments`, { text: 'x', taskId: review.id });
      const foreign = await outsider.post(`/api/instances/${id}/comments`, { text: 'x' });
      const auditor = await (await as('auditor')).post(`/api/instances/${id}/comments`, { text: 'x' });
      // then
      expect(wrongTask.status).to.equal(404);
      expect(foreign.status).to.equal(403);
      expect(auditor.status).to.equal(403);
    });
  });

  describe('instance search', () => {
    let ids: Record<string, string>;

    before(async function () {
      this.timeout(60_000);
      await h.user('kab.clerk', ['staff'], ['province-kab']);
      const clerk = await h.signIn('kab.clerk');
      const officer = await as('plan-policy.officer');
      const deputy = await as('deputy');
      const start = async (client: ApiClient, body: object) => {
        const r = await client.post('/api/instances', body);
        expect(r.status, JSON.stringify(r.body)).to.equal(201);
        return r.body as InstanceSummary;
      };
      const policy = await start(officer, {
        key: 'policy-approval',
        variables: { ...POLICY_REQUEST, title: 'Observer accreditation rules' },
      });
      const media = await start(deputy, {
        key: 'media-publication',
        businessKey: 'MED-SEARCH-1',
        variables: { itemType: 'news', title: 'Final results', urgency: 'urgent', brief: 'Out today.' },
      });
      const parent = await start(clerk, { key: 'rs-parent', businessKey: 'LINK-1' });
      const cancelled = await start(clerk, { key: 'rs-child', businessKey: 'LINK-2' });
      const head = await as('plan-policy.head');
      expect(
        (await head.post(`/api/instances/${cancelled.id}/cancel`, { reason: 'Duplicate' })).status,
      ).to.equal(200);
      const child = await waitUntil(async () => {
        const r = await head.get(`/api/instances?parentId=${parent.id}`);
        return r.body.items[0] as InstanceSummary | undefined;
      }, 'the child instance');
      ids = {
        policy: policy.id,
        media: media.id,
        parent: parent.id,
        cancelled: cancelled.id,
        child: child.id,
      };
    });

    async function search(
      query: string,
    ): Promise<{ ids: string[]; total: number; items: InstanceSummary[] }> {
      const head = await as('plan-policy.head');
      const res = await head.get(`/api/instances?${query}`);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const items = res.body.items as InstanceSummary[];
      return { ids: items.map((i) => i.id), total: res.body.total, items };
    }

    it('should find by free text: reference, process name in Dari or English, title and starter', async () => {
      expect((await search('q=med-search')).ids).to.deep.equal([ids.media]);
      expect((await search(`q=${encodeURIComponent('نشر اخبار')}`)).ids).to.deep.equal([ids.media]);
      expect((await search('q=linked%20parent')).ids).to.deep.equal([ids.parent]);
      expect((await search('q=observer%20accreditation')).ids).to.deep.equal([ids.policy]);
      expect((await search('q=kab.clerk')).ids).to.have.members([ids.parent, ids.cancelled]);
    });

    it('should filter by process, version, status (one or several), starter, directorate, province and parent', async () => {
      expect((await search('key=media-publication')).ids).to.deep.equal([ids.media]);
      expect((await search('key=rs-child&version=1')).ids).to.have.members([ids.child, ids.cancelled]);
      expect((await search('key=rs-child&version=2')).ids).to.deep.equal([]);
      expect((await search('key=rs-child&status=cancelled')).ids).to.deep.equal([ids.cancelled]);
      expect((await search('key=rs-child&status=running,cancelled')).ids).to.have.members([
        ids.child,
        ids.cancelled,
      ]);
      expect((await search('startedBy=deputy')).ids).to.deep.equal([ids.media]);
      expect((await search('directorate=public-info')).ids).to.deep.equal([ids.media]);
      expect((await search('province=kab')).ids).to.have.members([ids.parent, ids.cancelled, ids.child]);
      expect((await search(`parentId=${ids.parent}`)).ids).to.deep.equal([ids.child]);
      const bad = await (await as('plan-policy.head')).get('/api/instances?status=lost');
      expect(bad.status).to.equal(400);
    });

    it('should filter by start and end time, sort both ways and page with the total', async () => {
      // given
      const all = await search('q=link&sort=startedAt');
      const cancelledAt = all.items.find((i) => i.id === ids.cancelled)!.endedAt!;
      const firstStart = all.items[0]!.startedAt;
      // then
      expect(all.total).to.equal(3);
      expect((await search(`q=link&endedAfter=${encodeURIComponent(cancelledAt)}`)).ids).to.deep.equal([
        ids.cancelled,
      ]);
      expect((await search(`q=link&endedBefore=${encodeURIComponent(cancelledAt)}`)).ids).to.deep.equal([]);
      expect((await search(`q=link&startedAfter=${encodeURIComponent(firstStart)}`)).total).to.equal(3);
      expect((await search(`q=link&startedBefore=${encodeURIComponent(firstStart)}`)).total).to.equal(0);
      const asc = (await search('q=link&sort=businessKey')).items.map((i) => i.businessKey);
      const desc = (await search('q=link&sort=-businessKey')).items.map((i) => i.businessKey);
      expect(asc).to.deep.equal(['LINK-1', 'LINK-1', 'LINK-2']);
      expect(desc).to.deep.equal(['LINK-2', 'LINK-1', 'LINK-1']);
      const page = await search('q=link&sort=startedAt&skip=1&limit=1');
      expect(page.total).to.equal(3);
      expect(page.ids).to.deep.equal([all.ids[1]]);
      expect((await search('q=link&sort=-startedAt')).ids).to.deep.equal([...all.ids].reverse());
    });

    it('should link a parent to its child and back', async () => {
      // given
      const head = await as('plan-policy.head');
      // when
      const parent = (await head.get(`/api/instances/${ids.parent}`)).body;
      const child = (await head.get(`/api/instances/${ids.child}`)).body;
      // then
      expect(parent.children).to.deep.equal([
        {
          id: ids.child,
          key: 'rs-child',
          version: 1,
          name: { fa: 'فرزند پیوسته', en: 'Linked child' },
          businessKey: 'LINK-1',
          status: 'running',
        },
      ]);
      expect(parent).to.not.have.property('parent');
      expect(child.parent).to.include({ id: ids.parent, key: 'rs-parent' });
      expect(child.instance.parentId).to.equal(ids.parent);
      expect(child.children).to.deep.equal([]);
    });

    it('should not let staff search instances', async () => {
      const officer = await as('plan-policy.officer');
      expect((await officer.get('/api/instances?q=x')).status).to.equal(403);
    });
  });

  describe('bulk instance actions', () => {
    it('should suspend, resume and cancel many instances with one result each, and refuse staff', async () => {
      // given
      const officer = await as('plan-policy.officer');
      const started = await Promise.all(
        [1, 2].map(() => officer.post('/api/instances', { key: 'rs-child', businessKey: 'BULK' })),
      );
      const [a, b] = started.map((r) => r.body.id as string);
      const head = await as('plan-policy.head');
      // when
      const suspended = await head.post('/api/instances/bulk/suspend', { instanceIds: [a, b, 'no-such'] });
      const resumed = await head.post('/api/instances/bulk/resume', { instanceIds: [a] });
      const retried = await head.post('/api/instances/bulk/retry', { instanceIds: [a] });
      const migrated = await head.post('/api/instances/bulk/migrate', { instanceIds: [a], toVersion: 1 });
      const cancelled = await head.post('/api/instances/bulk/cancel', {
        instanceIds: [a, b],
        reason: 'Test',
      });
      const refused = await officer.post('/api/instances/bulk/cancel', { instanceIds: [a], reason: 'x' });
      // then
      expect(suspended.body).to.deep.include({ succeeded: 2, failed: 1 });
      expect(suspended.body.results.map((r: { ok: boolean }) => r.ok)).to.deep.equal([true, true, false]);
      expect(suspended.body.results[0].instance.status).to.equal('suspended');
      expect(suspended.body.results[2].error.code).to.equal('RV_ERR_INSTANCE_NOT_FOUND');
      expect(resumed.body.results[0].instance.status).to.equal('running');
      expect(retried.body.results[0]).to.deep.include({ ok: false });
      expect(retried.body.results[0].error.code).to.equal('RV_ERR_NO_INCIDENT');
      expect(migrated.body.results[0]).to.have.property('instanceId', a);
      expect(cancelled.body).to.deep.include({ succeeded: 2, failed: 0 });
      expect(
        cancelled.body.results.map((r: { instance: InstanceSummary }) => r.instance.status),
      ).to.deep.equal(['cancelled', 'cancelled']);
      expect(refused.status).to.equal(403);
    });
  });

  describe("auditor's desk", () => {
    it('should search the audit trail by instance, actor, kind and time, and page it', async () => {
      // given
      const id = await drafted();
      const auditor = await as('auditor');
      // when
      const trail = await auditor.get(`/api/audit?instanceId=${id}&order=asc`);
      const newestFirst = await auditor.get(`/api/audit?instanceId=${id}`);
      const tasks = await auditor.get(`/api/audit?instanceId=${id}&kind=task.`);
      const byOfficer = await auditor.get(
        `/api/audit?instanceId=${id}&actor=plan-policy.officer&kind=task.completed`,
      );
      const entries = trail.body.items as AuditEvent[];
      const later = await auditor.get(
        `/api/audit?instanceId=${id}&from=${encodeURIComponent(entries.at(-1)!.at)}`,
      );
      const future = await auditor.get(`/api/audit?from=2999-01-01T00:00:00Z`);
      const paged = await auditor.get(`/api/audit?skip=1&limit=2`);
      // then
      expect(trail.status).to.equal(200);
      expect(entries[0]!.type).to.equal('instance.started');
      expect(newestFirst.body.items.map((e: AuditEvent) => e.seq)).to.deep.equal(
        entries.map((e) => e.seq).reverse(),
      );
      expect(entries.every((e) => e.instanceId === id)).to.equal(true);
      expect((tasks.body.items as AuditEvent[]).every((e) => e.type.startsWith('task.'))).to.equal(true);
      expect(tasks.body.total).to.be.greaterThan(0).and.lessThan(trail.body.total);
      expect((byOfficer.body.items as AuditEvent[]).map((e) => e.type)).to.deep.equal(['task.completed']);
      expect(later.body.items.length).to.be.at.least(1);
      expect(later.body.total).to.be.lessThan(trail.body.total);
      expect(future.body).to.deep.include({ total: 0, items: [] });
      expect(paged.body.items.map((e: AuditEvent) => e.seq)).to.have.length(2);
      expect(paged.body.total).to.be.greaterThan(3);
    });

    it('should name each entry by its instance reference, process and step in Dari and English', async () => {
      // given
      const id = await drafted();
      const auditor = await as('auditor');
      const head = await as('plan-policy.head');
      const instance = (await head.get(`/api/instances/${id}`)).body.instance as InstanceSummary;
      // when
      const trail = (await auditor.get(`/api/audit?instanceId=${id}`)).body.items as AuditEntryView[];
      const deployed = (await auditor.get('/api/audit?kind=definition.deployed&limit=100')).body
        .items as AuditEntryView[];
      // then: every entry of the instance carries its reference and process name
      expect(instance.businessKey).to.match(/^POL-\d{4}-\d{3}$/);
      for (const e of trail) {
        expect(e).to.include({ reference: instance.businessKey, processKey: 'policy-approval' });
        expect(e.processName?.en).to.equal('Policy approval');
        expect(e.processName?.fa).to.not.equal(e.processName?.en);
      }
      // and: the drafting step by its name, not its id
      const draft = trail.find((e) => e.type === 'task.completed' && e.elementId === 'draft-policy')!;
      expect(draft.stepName).to.deep.equal({ en: 'Draft the policy', fa: 'طرح مسوده پالیسی' });
      // and: the instance filter takes the reference the desk shows as well as the id
      const byReference = await auditor.get(`/api/audit?instanceId=${instance.businessKey}`);
      expect(byReference.body.items.map((e: AuditEntryView) => e.seq)).to.deep.equal(trail.map((e) => e.seq));
      // and: a deployment names the process it deployed
      const child = deployed.find((e) => (e.data as { definitionId?: string }).definitionId === 'rs-child:1');
      expect(child?.processName?.en).to.equal('Linked child');
    });

    it('should export the filtered trail as CSV with a BOM for Excel and names beside ids, to auditors only', async () => {
      // given
      const id = await drafted();
      const auditor = await as('auditor');
      const csvOf = async (query: string) => {
        const res = await auditor.agent
          .get(`/api/audit/export.csv?${query}`)
          .buffer(true)
          .parse((r, cb) => {
            const chunks: Buffer[] = [];
            r.on('data', (c: Buffer) => chunks.push(c));
            r.on('end', () => cb(null, Buffer.concat(chunks)));
          });
        return {
          res,
          bytes: res.body as Buffer,
          lines: (res.body as Buffer).toString('utf8').slice(1).trim().split('\r\n'),
        };
      };
      // when
      const fa = await csvOf(`instanceId=${id}`);
      const en = await csvOf(`instanceId=${id}&lang=en`);
      const byOfficer = await csvOf('actor=plan-policy.officer&kind=task.completed&lang=en');
      const staff = await (await as('plan-policy.officer')).get('/api/audit?instanceId=x');
      const staffCsv = await (await as('plan-policy.officer')).get('/api/audit/export.csv');
      // then: UTF-8 with a BOM, oldest first, the header in the auditor's language (Dari) unless asked
      expect(fa.res.status).to.equal(200);
      expect(fa.res.headers['content-type']).to.match(/^text\/csv; charset=utf-8/);
      expect([...fa.bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      expect(fa.lines[0]).to.equal(
        'شماره,زمان (UTC),کاربر,نام کاربر,نوع,نمونه,شماره مرجع,پروسه,شناسهٔ مرحله,مرحله,وظیفه,داده,هش',
      );
      expect(en.lines[0]).to.equal(
        'No.,When (UTC),User,User name,Kind,Instance,Reference,Process,Step id,Step,Task,Data,Hash',
      );
      const trail = (await auditor.get(`/api/audit?instanceId=${id}&order=asc`)).body
        .items as AuditEntryView[];
      expect(fa.lines.length).to.equal(trail.length + 1);
      expect(fa.lines[1]!.startsWith(`${trail[0]!.seq},`)).to.equal(true);
      // and: the drafting step with the officer's name, the reference, the process and the step by name
      const officer = (await h.users.get('plan-policy.officer'))!;
      const draftRow = (lines: string[]) =>
        lines.find((l) => l.includes(',task.completed,') && l.includes(',draft-policy,'))!;
      expect(draftRow(en.lines)).to.include(
        `,plan-policy.officer,${officer.name.en},task.completed,${id},${trail[0]!.reference},Policy approval,draft-policy,Draft the policy,`,
      );
      expect(draftRow(fa.lines)).to.include(
        `,plan-policy.officer,${officer.name.fa},task.completed,${id},${trail[0]!.reference},`,
      );
      expect(draftRow(fa.lines)).to.include(',draft-policy,طرح مسوده پالیسی,');
      // and: without an instance, every entry that fits (here: the officer's completions) in seq order
      const completions = byOfficer.lines.slice(1).map((l) => Number(l.split(',')[0]));
      expect(completions).to.include(Number(draftRow(en.lines).split(',')[0]));
      expect(completions).to.deep.equal([...completions].sort((a, b) => a - b));
      expect(
        byOfficer.lines
          .slice(1)
          .every((l) => l.includes(',plan-policy.officer,') && l.includes(',task.completed,')),
      ).to.equal(true);
      expect(staff.status).to.equal(403);
      expect(staffCsv.status).to.equal(403);
    });

    it('should answer every filter without an instance as a plain filter of the whole chain does, newest first', async () => {
      // given: a few instances worked by different people
      await drafted();
      await drafted();
      const auditor = await as('auditor');
      await h.runtime!.settled();
      const chain: AuditEvent[] = [];
      for await (const e of projectionsOf(h.db)!.auditReader.scan()) chain.push(e);
      const mid = chain[Math.floor(chain.length / 2)]!.at;
      const queries: Record<string, string>[] = [
        {},
        { actor: 'plan-policy.officer' },
        { kind: 'task.' },
        { kind: 'task.completed', actor: 'plan-policy.officer' },
        { from: mid },
        { to: mid, kind: 'instance.' },
        { from: chain[3]!.at, to: mid, actor: 'plan-policy.officer' },
        { actor: 'nobody' },
      ];
      for (const q of queries) {
        const plain = chain
          .filter((e) => matchesAudit(q, e))
          .map((e) => e.seq)
          .reverse();
        // when
        const first = await auditor.get(`/api/audit?${new URLSearchParams({ ...q, limit: '5' })}`);
        const second = await auditor.get(
          `/api/audit?${new URLSearchParams({ ...q, skip: '5', limit: '5' })}`,
        );
        // then
        const label = JSON.stringify(q);
        expect(first.status, label).to.equal(200);
        expect(first.body.total, label).to.equal(plain.length);
        expect(
          first.body.items.map((e: AuditEvent) => e.seq),
          label,
        ).to.deep.equal(plain.slice(0, 5));
        expect(
          second.body.items.map((e: AuditEvent) => e.seq),
          label,
        ).to.deep.equal(plain.slice(5, 10));
        for (const e of first.body.items as AuditEntryView[])
          expect(e, label).to.deep.include(chain.find((c) => c.seq === e.seq)!);
      }
    });
  });
});
