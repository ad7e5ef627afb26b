import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { ParsedMail } from 'mailparser';
import type { TaskRecord } from '../../server/engine/types.js';
import { projectRoot } from '../../server/project-root.js';
import type { NotificationList } from '../../schemas/notifications.js';
import { engine, fixture, startHarness, waitUntil, type ApiClient, type Harness } from '../http/harness.js';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.js';

const setup = { id: 'setup', groups: [], roles: ['admin' as const] };
const SECRET = 'SECRET-FORM-CONTENT-42';

/** The mails that arrived for `user` (address `<user>@ecc.test`) whose subject contains `subject`. */
function mailsTo(smtp: SmtpInbox, user: string, subject: string): ParsedMail[] {
  return smtp.mails.filter(
    (m) =>
      (m.to && !Array.isArray(m.to) ? m.to.text : '') === `${user}@ecc.test` && m.subject?.includes(subject),
  );
}

async function mailTo(smtp: SmtpInbox, user: string, subject: string): Promise<ParsedMail> {
  return waitUntil(() => mailsTo(smtp, user, subject)[0], `a mail to ${user} with "${subject}"`, 20_000);
}

/** A mail in the recipient's language: Dari right to left, each with a plain-text part and the link. */
function expectMail(mail: ParsedMail, lang: 'fa' | 'en', link: string): void {
  const html = String(mail.html);
  expect(html).to.contain(`dir="${lang === 'fa' ? 'rtl' : 'ltr'}"`);
  expect(html).to.contain(`lang="${lang}"`);
  expect(mail.text).to.contain(link);
  expect(html).to.contain(link);
  expect(html + mail.text).not.to.contain(SECRET);
  expect(mail.messageId).to.match(/^<[0-9a-f]{40}@ravand\.test>$/);
}

describe('notifications (mail through a real SMTP server, bell)', function () {
  this.timeout(120_000);
  let smtp: SmtpInbox;
  let h: Harness;
  const c: Record<string, ApiClient> = {};

  before(async () => {
    smtp = await startSmtpInbox();
    h = await startHarness({
      runtime: engine(),
      config: { smtpUrl: smtp.url, mailFrom: 'Ravand <ravand@ecc.test>', publicUrl: 'http://ravand.test' },
      notifications: { sender: { retryBaseMs: 100, retryMaxMs: 400, maxAttempts: 6 } },
    });
    // amina and officer read Dari, bashir and dawood (the head) English
    await h.user('amina', ['staff'], ['plan-policy']);
    await h.user('bashir', ['staff'], ['plan-policy']);
    await h.user('dawood', ['manager'], ['plan-policy']);
    await h.user('officer', ['staff'], ['plan-policy']);
    await h.runtime!.deploy(fixture('http-plain-task'), setup);
    await h.runtime!.deploy(
      fs.readFileSync(path.join(projectRoot(), 'test/fixtures/notifications/notify-due.bpmn'), 'utf8'),
      setup,
    );
    for (const u of ['amina', 'bashir', 'dawood', 'officer']) {
      c[u] = await h.signIn(u);
      await c[u].patch('/api/me', { language: ['bashir', 'dawood'].includes(u) ? 'en' : 'fa' }).expect(200);
      await c[u]
        .patch('/api/me/notification-settings', { email: `${u}@ecc.test`, mode: 'immediate' })
        .expect(200);
    }
  });

  after(async () => {
    await h?.close();
    await smtp?.close();
  });

  async function startPlain(by: string): Promise<{ instanceId: string; task: TaskRecord }> {
    const res = await c[by]!.post('/api/instances', { key: 'http-plain-task', variables: { note: SECRET } });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const instanceId = res.body.id as string;
    const tasks = await c[by]!.get(`/api/tasks?instanceId=${instanceId}`).expect(200);
    return { instanceId, task: (tasks.body.items as TaskRecord[])[0]! };
  }

  it('should mail a task offered to a group to each member, in Dari or English, with its link', async () => {
    // given / when a task is offered to plan-policy
    const { task } = await startPlain('amina');
    const link = `http://ravand.test/inbox/task/${encodeURIComponent(task.id)}`;
    // then each member gets one mail in their language
    const fa = await mailTo(smtp, 'officer', 'کار تازه');
    expect(fa.subject).to.contain('یادداشت');
    expectMail(fa, 'fa', link);
    expect(fa.text).to.contain('به شما پیشنهاد شده است');
    const en = await mailTo(smtp, 'bashir', 'New task: Take a note');
    expectMail(en, 'en', link);
    expect(en.text).to.contain('is offered to you');
    expect(en.from?.text).to.contain('ravand@ecc.test');
    await mailTo(smtp, 'dawood', 'New task');
    await mailTo(smtp, 'amina', 'کار تازه');
  });

  it('should mail whom a task is assigned to, and the starter when the instance ends (both languages)', async () => {
    // given two instances, started by amina (Dari) and bashir (English)
    const a = await startPlain('amina');
    const b = await startPlain('bashir');
    // when the head assigns them crosswise and each assignee completes
    await c.dawood!.post(`/api/tasks/${a.task.id}/assign`, { assignee: 'bashir' }).expect(200);
    await c.dawood!.post(`/api/tasks/${b.task.id}/assign`, { assignee: 'officer' }).expect(200);
    const assignedEn = await mailTo(smtp, 'bashir', 'Task assigned to you: Take a note');
    expectMail(assignedEn, 'en', `http://ravand.test/inbox/task/${encodeURIComponent(a.task.id)}`);
    const assignedFa = await mailTo(smtp, 'officer', 'کار به شما سپرده شد');
    expectMail(assignedFa, 'fa', `http://ravand.test/inbox/task/${encodeURIComponent(b.task.id)}`);
    await c.bashir!.post(`/api/tasks/${a.task.id}/complete`, { data: {} }).expect(200);
    await c.officer!.post(`/api/tasks/${b.task.id}/complete`, { data: {} }).expect(200);
    // then each starter hears that their instance ended
    const endedFa = await mailTo(smtp, 'amina', 'روند به پایان رسید');
    expectMail(endedFa, 'fa', `http://ravand.test/instances/${a.instanceId}`);
    const endedEn = await mailTo(smtp, 'bashir', 'Process completed');
    expectMail(endedEn, 'en', `http://ravand.test/instances/${b.instanceId}`);
  });

  it('should mail "due tomorrow" to those offered a task, and "overdue" to the assignee and the head', async () => {
    // given a task due in a day and 3 s (offered to the group) and one due in 3 s (assigned to officer)
    const res = await c.amina!.post('/api/instances', { key: 'notify-due' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    // when the moments pass
    const soonFa = await mailTo(smtp, 'amina', 'مهلت فردا: آماده‌سازی پرونده');
    const soonEn = await mailTo(smtp, 'bashir', 'Due tomorrow: Prepare the file');
    const lateFa = await mailTo(smtp, 'officer', 'مهلت گذشته: امضای نامه');
    const lateEn = await mailTo(smtp, 'dawood', 'Overdue: Sign the letter');
    // then
    expect(soonEn.text).to.contain('is due tomorrow');
    expect(soonFa.text).to.contain('فردا');
    expect(lateEn.text).to.contain('is still open');
    for (const [m, lang] of [
      [soonFa, 'fa'],
      [soonEn, 'en'],
      [lateFa, 'fa'],
      [lateEn, 'en'],
    ] as const)
      expectMail(m, lang, 'http://ravand.test/inbox/task/');
    // the head and the assignee only: a staff member of the group gets no overdue mail
    expect(mailsTo(smtp, 'bashir', 'Overdue')).to.have.length(0);
    expect(mailsTo(smtp, 'amina', 'مهلت گذشته')).to.have.length(0);
  });

  it('should hold mail for a daily digest, and send none when mail is off', async () => {
    // given bashir chose the digest and officer no mail
    await c.bashir!.patch('/api/me/notification-settings', { mode: 'digest' }).expect(200);
    await c.officer!.patch('/api/me/notification-settings', { mode: 'off' }).expect(200);
    const before = {
      bashir: mailsTo(smtp, 'bashir', '').length,
      officer: mailsTo(smtp, 'officer', '').length,
    };
    // when two tasks are offered and the digest's time comes
    const one = await startPlain('amina');
    const two = await startPlain('amina');
    await mailTo(smtp, 'dawood', `New task`);
    await h.notifications!.settled();
    expect(mailsTo(smtp, 'bashir', '')).to.have.length(before.bashir);
    await h.notifications!.runDigest(new Date());
    // then bashir gets one mail listing both, officer none
    const digest = await mailTo(smtp, 'bashir', 'Ravand daily digest: 2 notifications');
    expectMail(digest, 'en', `http://ravand.test/inbox/task/${encodeURIComponent(one.task.id)}`);
    expect(digest.text).to.contain(`http://ravand.test/inbox/task/${encodeURIComponent(two.task.id)}`);
    await h.notifications!.settled();
    expect(mailsTo(smtp, 'officer', '')).to.have.length(before.officer);
    // and a Dari digest reads right to left
    await c.amina!.patch('/api/me/notification-settings', { mode: 'digest' }).expect(200);
    await startPlain('bashir');
    await h.notifications!.settled();
    await h.notifications!.runDigest(new Date());
    const faDigest = await mailTo(smtp, 'amina', 'خلاصهٔ روزانهٔ روند');
    expect(String(faDigest.html)).to.contain('dir="rtl"');
    await c.bashir!.patch('/api/me/notification-settings', { mode: 'immediate' }).expect(200);
    await c.officer!.patch('/api/me/notification-settings', { mode: 'immediate' }).expect(200);
    await c.amina!.patch('/api/me/notification-settings', { mode: 'immediate' }).expect(200);
  });

  it('should retry a mail the SMTP server refuses, with backoff, and deliver it once', async () => {
    // given the server refuses the next two mails
    smtp.refuseNext(2);
    const refusedBefore = smtp.refused();
    // when a task is assigned to bashir
    const { task } = await startPlain('amina');
    await c.dawood!.post(`/api/tasks/${task.id}/assign`, { assignee: 'bashir' }).expect(200);
    // then it arrives after the refusals, exactly once
    await mailTo(smtp, 'bashir', `Task assigned to you`);
    await waitUntil(() => smtp.refused() - refusedBefore >= 2, 'two refusals');
    const assigned = await waitUntil(() => {
      const m = smtp.mails.filter(
        (x) =>
          x.text?.includes(`/inbox/task/${encodeURIComponent(task.id)}`) &&
          x.subject?.startsWith('Task assigned'),
      );
      return m.length ? m : undefined;
    });
    await h.notifications!.settled();
    expect(assigned).to.have.length(1);
    // and no mail of the whole run arrived twice
    const ids = smtp.mails.map((m) => m.messageId);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('should list notifications in the bell with an unread count and mark them read', async () => {
    // given officer has been told of several things
    const list = (await c.officer!.get('/api/me/notifications').expect(200)).body as NotificationList;
    expect(list.items.length).to.be.greaterThan(2);
    expect(list.unread).to.equal(list.items.filter((i) => !i.read).length);
    expect(list.items[0]!.path).to.match(/^\/(inbox\/task|instances)\//);
    // when one is marked read, then all
    const one = (
      await c.officer!.post('/api/me/notifications/read', { keys: [list.items[0]!.key] }).expect(200)
    ).body as NotificationList;
    expect(one.unread).to.equal(list.unread - 1);
    const all = (await c.officer!.post('/api/me/notifications/read', {}).expect(200))
      .body as NotificationList;
    // then
    expect(all.unread).to.equal(0);
    expect((await c.officer!.get('/api/me/notifications').expect(200)).body.unread).to.equal(0);
  });

  it('should refuse a malformed address with 400 and keep the settings per user', async () => {
    const bad = await c.amina!.patch('/api/me/notification-settings', { email: 'not an address' });
    expect(bad.status).to.equal(400);
    const bad2 = await c.amina!.patch('/api/me/notification-settings', { mode: 'hourly' });
    expect(bad2.status).to.equal(400);
    const mine = await c.amina!.get('/api/me/notification-settings').expect(200);
    expect(mine.body).to.deep.equal({
      email: 'amina@ecc.test',
      mode: 'immediate',
      mailEnabled: true,
      digestTime: '07:30',
    });
  });
});
