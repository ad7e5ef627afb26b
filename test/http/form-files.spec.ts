import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { DocumentRecord } from '../../schemas/documents.js';
import type { TaskRecord } from '../../server/engine/types.js';
import { projectRoot } from '../../server/project-root.js';
import { engine, fixture, startHarness, type ApiClient, type Harness } from './harness.js';

/** The smallest file the content check sees as a PDF. */
const pdf = (text = 'draft') => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

describe('server/documents/form-files (file fields of forms) and http/document-handlers (uploads from a task)', () => {
  let h: Harness;
  let amina: ApiClient;
  let sahar: ApiClient;
  let manager: ApiClient;

  before(async function () {
    this.timeout(60_000);
    h = await startHarness({ runtime: engine(), http: {} });
    await h.user('admin1', ['admin']);
    await h.user('amina', ['staff'], ['plan-policy']);
    await h.user('sahar', ['staff'], ['plan-policy']);
    await h.user('mahmood', ['manager'], ['finance']);
    const admin = await h.signIn('admin1');
    await admin
      .post('/api/definitions')
      .set('Content-Type', 'application/xml')
      .send(fixture('http-attach'))
      .expect(201);
    amina = await h.signIn('amina');
    sahar = await h.signIn('sahar');
    manager = await h.signIn('mahmood');
  });

  after(async () => {
    await h?.close();
  });

  /** A new case and its open task (offered to plan-policy). */
  async function newCase(): Promise<{ instanceId: string; task: TaskRecord }> {
    const instanceId = (await amina.post('/api/instances', { key: 'http-attach' }).expect(201)).body
      .id as string;
    const tasks = await amina.get(`/api/tasks?instanceId=${instanceId}`).expect(200);
    return { instanceId, task: (tasks.body.items as TaskRecord[])[0]! };
  }

  async function uploadTo(instanceId: string, taskId: string, name: string): Promise<DocumentRecord> {
    const res = await amina
      .post(`/api/instances/${instanceId}/documents`)
      .attach('file', pdf(name), { filename: name, contentType: 'application/pdf' })
      .field('taskId', taskId)
      .expect(201);
    return res.body as DocumentRecord;
  }

  describe('completing a form with file fields', () => {
    it('should refuse a missing required file with 422 on that field', async () => {
      // given
      const { task } = await newCase();
      // when
      const res = await amina.post(`/api/tasks/${task.id}/complete`, { data: {} });
      // then
      expect(res.status).to.equal(422);
      expect(res.body.code).to.equal('RV_ERR_FORM_INVALID');
      const errors = res.body.details.errors as { field: string; keyword: string }[];
      expect(errors.map((e) => [e.field, e.keyword])).to.deep.equal([['draft', 'required']]);
    });

    it("should refuse another case's document with 422 and a Dari/English message, and keep the task open", async () => {
      // given a document uploaded to another case
      const other = await newCase();
      const foreign = await uploadTo(other.instanceId, other.task.id, 'دیگر.pdf');
      const { task } = await newCase();
      // when its id is put in this case's form
      const res = await amina.post(`/api/tasks/${task.id}/complete`, {
        data: { draft: { id: foreign.id, name: 'دیگر.pdf' } },
      });
      // then
      expect(res.status).to.equal(422);
      expect(res.body.code).to.equal('RV_ERR_FORM_INVALID');
      const errors = res.body.details.errors as {
        field: string;
        keyword: string;
        message: { fa: string; en: string };
      }[];
      expect(errors).to.have.length(1);
      expect(errors[0]!.field).to.equal('draft');
      expect(errors[0]!.message.fa).to.contain('قضیه');
      expect(errors[0]!.message.en).to.contain('not a document of this case');
      await amina.get(`/api/tasks/${task.id}`).expect(200);
    });

    it('should refuse an unknown document id in a list of files, naming the row', async () => {
      // given
      const { instanceId, task } = await newCase();
      const own = await uploadTo(instanceId, task.id, 'مسوده.pdf');
      // when
      const res = await amina.post(`/api/tasks/${task.id}/complete`, {
        data: {
          draft: { id: own.id, name: 'مسوده.pdf' },
          annexes: [
            { id: own.id, name: 'مسوده.pdf' },
            { id: 'no-such-document', name: 'x.pdf' },
          ],
        },
      });
      // then
      expect(res.status).to.equal(422);
      expect((res.body.details.errors as { field: string }[]).map((e) => e.field)).to.deep.equal([
        'annexes.1',
      ]);
    });

    it("should complete with the case's own documents and keep their ids and names as the values", async () => {
      // given
      const { instanceId, task } = await newCase();
      const draft = await uploadTo(instanceId, task.id, 'مسوده پالیسی.pdf');
      const annex = await uploadTo(instanceId, task.id, 'ضمیمه.pdf');
      const data = {
        draft: { id: draft.id, name: 'مسوده پالیسی.pdf' },
        annexes: [{ id: annex.id, name: 'ضمیمه.pdf' }],
      };
      // when
      await amina.post(`/api/tasks/${task.id}/complete`, { data }).expect(200);
      // then
      const instance = await amina.get(`/api/instances/${instanceId}`).expect(200);
      expect(instance.body.instance.variables).to.deep.include(data);
      expect(draft.versions[0]!.taskId).to.equal(task.id);
    });

    it('should check the file fields of a form deployed with the process (not in the forms folder)', async () => {
      // given a version that carries its own form with a file field, under a key the forms folder lacks
      const admin = await h.signIn('admin1');
      const xml = fixture('http-attach')
        .replaceAll('"http-attach"', '"http-attach-designed"')
        .replace('camunda:formKey="http-attach-designed"', 'camunda:formKey="designed-attach"');
      const form = JSON.parse(
        fs.readFileSync(path.join(projectRoot(), 'test/fixtures/http/forms/http-attach.json'), 'utf8'),
      ) as Record<string, unknown>;
      const deployed = await admin.post('/api/definitions', { xml, forms: { 'designed-attach': form } });
      expect(deployed.status, JSON.stringify(deployed.body)).to.equal(201);
      const other = await newCase();
      const foreign = await uploadTo(other.instanceId, other.task.id, 'دیگر.pdf');
      const instanceId = (await amina.post('/api/instances', { key: 'http-attach-designed' }).expect(201))
        .body.id as string;
      const task = (
        (await amina.get(`/api/tasks?instanceId=${instanceId}`).expect(200)).body.items as TaskRecord[]
      )[0]!;
      // when another case's document is named in it
      const res = await amina.post(`/api/tasks/${task.id}/complete`, {
        data: { draft: { id: foreign.id, name: 'دیگر.pdf' } },
      });
      // then
      expect(res.status).to.equal(422);
      expect((res.body.details.errors as { field: string }[]).map((e) => e.field)).to.deep.equal(['draft']);
    });
  });

  describe('an upload that names a task', () => {
    it('should refuse a task not offered to the uploader (403), though the case is readable to them', async () => {
      // given a manager who reads every case but is not in the task's group
      const { instanceId, task } = await newCase();
      await manager.get(`/api/instances/${instanceId}`).expect(200);
      // when
      const res = await manager
        .post(`/api/instances/${instanceId}/documents`)
        .attach('file', pdf(), { filename: 'a.pdf', contentType: 'application/pdf' })
        .field('taskId', task.id);
      // then
      expect(res.status).to.equal(403);
      expect(res.body.code).to.equal('RV_ERR_FORBIDDEN');
      expect(
        (await amina.get(`/api/instances/${instanceId}/documents`).expect(200)).body.items,
      ).to.deep.equal([]);
    });

    it('should refuse a task someone else holds (409)', async () => {
      // given
      const { instanceId, task } = await newCase();
      await amina.post(`/api/tasks/${task.id}/claim`).expect(200);
      // when
      const res = await sahar
        .post(`/api/instances/${instanceId}/documents`)
        .attach('file', pdf(), { filename: 'a.pdf', contentType: 'application/pdf' })
        .field('taskId', task.id);
      // then
      expect(res.status).to.equal(409);
      expect(res.body.code).to.equal('RV_ERR_TASK_CLAIMED');
    });

    it('should refuse a task that has ended (409), for a new document and for a new version', async () => {
      // given
      const { instanceId, task } = await newCase();
      const draft = await uploadTo(instanceId, task.id, 'a.pdf');
      await amina
        .post(`/api/tasks/${task.id}/complete`, { data: { draft: { id: draft.id, name: 'a.pdf' } } })
        .expect(200);
      // when
      const fresh = await amina
        .post(`/api/instances/${instanceId}/documents`)
        .attach('file', pdf(), { filename: 'b.pdf', contentType: 'application/pdf' })
        .field('taskId', task.id);
      const version = await amina
        .post(`/api/documents/${draft.id}/versions`)
        .attach('file', pdf('v2'), { filename: 'a.pdf', contentType: 'application/pdf' })
        .field('taskId', task.id);
      // then
      expect([fresh.status, fresh.body.code]).to.deep.equal([409, 'RV_ERR_TASK_NOT_OPEN']);
      expect([version.status, version.body.code]).to.deep.equal([409, 'RV_ERR_TASK_NOT_OPEN']);
    });

    it('should refuse a task of another case (422)', async () => {
      // given
      const a = await newCase();
      const b = await newCase();
      // when
      const res = await amina
        .post(`/api/instances/${a.instanceId}/documents`)
        .attach('file', pdf(), { filename: 'a.pdf', contentType: 'application/pdf' })
        .field('taskId', b.task.id);
      // then
      expect([res.status, res.body.code]).to.deep.equal([422, 'RV_ERR_DOCUMENT_NOT_IN_INSTANCE']);
    });
  });
});
