import fs from 'node:fs';
import { expect } from 'chai';
import type { Actor } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { screenshotPath } from './helpers/browser.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';
import { waitUntil } from '../helpers/wait.js';

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);

describe('client/components/rv-file-field (a file field in a task form, end to end in Dari)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  let server: RunningServer;

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addPeople(
      { id: 'drafter', roles: ['staff'], groups: ['plan-policy'] },
      { id: 'reviewer', roles: ['staff'], groups: ['plan-policy'] },
    );
  });

  after(() => office?.stop());

  const openTask = async (instanceId: string, elementId: string) => {
    const { items } = await server.runtime.listTasks({ instanceId });
    const task = items.find((t) => t.elementId === elementId);
    expect(task, `${elementId} open`).to.not.equal(undefined);
    return task!;
  };

  it('should upload the file chosen in the policy draft form, complete the task, and let the reviewer see and download it', async () => {
    // given a policy draft waiting for the drafter, in Dari
    const drafterActor: Actor = { id: 'drafter', groups: ['plan-policy'], roles: ['staff'] };
    const instance = await server.runtime.start({ key: 'policy-approval', variables: {} }, drafterActor);
    const draft = await openTask(instance.id, 'draft-policy');
    const drafter = await office.signIn('drafter');
    expect(await drafter.getAttribute('html', 'dir')).to.equal('rtl');
    await drafter.goto(`${server.url}/inbox/task/${encodeURIComponent(draft.id)}`);
    const form = drafter.locator('rv-json-form');
    await form.locator('form').waitFor();

    // when the drafter fills the form and chooses the draft file in its file field
    await form.getByLabel('عنوان پالیسی').fill('پالیسی ثبت شکایات');
    await form.getByLabel('ستراتیژیک').check();
    await form.getByLabel('پالیسی جدید').check();
    await form.getByLabel('خلاصه').fill('چگونگی ثبت شکایات انتخاباتی.');
    await form.getByLabel('متن پالیسی').fill('متن کامل در فایل ضمیمه است.');
    const field = form.locator('rv-file-field');
    await field.locator('input[type="file"]').setInputFiles({
      name: 'مسوده پالیسی ثبت شکایات.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('policy draft'),
    });
    const chosen = field.locator('li[data-document] a');
    await chosen.waitFor();
    expect((await chosen.textContent())?.trim()).to.equal('مسوده پالیسی ثبت شکایات.pdf');
    // the upload is a document of the case at once, linked to the task
    await drafter.waitForSelector('rv-documents li.doc li[data-version="1"]');
    await drafter.screenshot({ path: screenshotPath('file-field-task-fa'), fullPage: true });
    await form.locator('button[type="submit"]').click();
    const review = await waitUntil(
      async () =>
        (await server.runtime.listTasks({ instanceId: instance.id })).items.find(
          (t) => t.elementId === 'review-directorate',
        ),
      'the review task',
      30_000,
    );

    // then the case holds the document id and name, and the document is the task's upload
    const { MongoDocumentStore } = await import('../../server/persistence/document-store.js');
    const [doc] = await new MongoDocumentStore(server.db.conn).forInstance(instance.id);
    expect(doc!.versions[0]!.taskId).to.equal(draft.id);
    const after = await server.runtime.getInstance(instance.id);
    expect(after.variables.draftDocument).to.deep.equal({ id: doc!.id, name: 'مسوده پالیسی ثبت شکایات.pdf' });

    // and the reviewer sees the file as a link among the case's data, and downloads it
    const reviewer = await office.signIn('reviewer', { acceptDownloads: true });
    await reviewer.goto(`${server.url}/inbox/task/${encodeURIComponent(review.id)}`);
    const link = reviewer.locator(`rv-variables a.file-link[data-document="${doc!.id}"]`);
    await link.waitFor();
    expect(await reviewer.locator('rv-variables dt[data-variable="draftDocument"]').textContent()).to.equal(
      'فایل مسوده پالیسی',
    );
    const [download] = await Promise.all([reviewer.waitForEvent('download'), link.click()]);
    expect(Buffer.compare(fs.readFileSync((await download.path())!), pdf('policy draft'))).to.equal(0);
    await reviewer.screenshot({ path: screenshotPath('file-field-review-fa'), fullPage: true });
  });
});
