import { expect } from 'chai';
import { renderMail } from '../../server/notifications/mail-templates.js';
import type { NotificationItem } from '../../schemas/notifications.js';

const item: NotificationItem = {
  key: 'task-overdue:t1:amina',
  kind: 'task-overdue',
  at: '2026-12-04T06:00:00Z',
  read: false,
  taskId: 't1',
  instanceId: 'i1',
  reference: 'POL-1405-007',
  name: { fa: 'بررسی حقوقی', en: 'Legal review' },
  processName: { fa: 'تأیید پالیسی', en: 'Policy approval' },
  dueAt: '2026-12-03T11:30:00Z',
  path: '/inbox/task/t1',
};

describe('notifications/mail-templates', () => {
  it('should write Dari right to left with a plain-text part, the reference, the Kabul due time and the link', () => {
    // when
    const mail = renderMail([item], 'fa', 'https://ravand.ecc.af', false);
    // then
    expect(mail.subject).to.equal('مهلت گذشته: بررسی حقوقی (POL-1405-007)');
    expect(mail.html).to.contain('<html lang="fa" dir="rtl">');
    expect(mail.html).to.contain('<bdi>POL-1405-007</bdi>');
    // 11:30 UTC is 16:00 in Kabul, 12 Qaws 1405
    expect(mail.text).to.contain('۱۲ قوس ۱۴۰۵، ساعت ۱۶:۰۰');
    expect(mail.text).to.contain('https://ravand.ecc.af/inbox/task/t1');
  });

  it('should write English left to right and escape what it quotes', () => {
    // given a name with markup in it
    const odd = { ...item, name: { fa: 'x', en: 'Review <b>&</b>' } };
    // when
    const mail = renderMail([odd], 'en', 'https://ravand.ecc.af', false);
    // then
    expect(mail.html).to.contain('dir="ltr"');
    expect(mail.html).to.contain('Review &lt;b&gt;&amp;&lt;/b&gt;');
    expect(mail.text).to.contain('was due 12 Qaws 1405 (3 December 2026), 16:00 and is still open');
  });

  it('should list every notification of a digest with its link', () => {
    // given
    const other: NotificationItem = {
      ...item,
      key: 'k2',
      kind: 'task-offered',
      taskId: 't2',
      path: '/inbox/task/t2',
    };
    // when
    const mail = renderMail([item, other], 'en', 'https://ravand.ecc.af', true);
    // then
    expect(mail.subject).to.equal('Ravand daily digest: 2 notifications');
    expect(mail.text).to.contain('/inbox/task/t1');
    expect(mail.text).to.contain('/inbox/task/t2');
    expect(mail.html.match(/Open in Ravand/g)).to.have.length(2);
  });
});
