import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { toJalaali } from 'jalaali-js';
import type { Page } from 'playwright-core';
import { CSRF_COOKIE } from '../../server/auth/auth-service.js';
import type { Actor } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { UserStore } from '../../server/persistence/user-store.js';
import { screenshotPath } from './helpers/browser.js';
import { DESKTOP, OfficeInBrowser, signInOn } from './helpers/office-in-browser.js';

const PHONE = { width: 390, height: 844 };
type Lang = 'fa' | 'en';

/** Screenshots go to test-results/screenshots, and also to RAVAND_SHOTS when set (for people to look at). */
async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  const file = screenshotPath(name);
  await page.screenshot({ path: file, fullPage });
  if (process.env.RAVAND_SHOTS) {
    fs.mkdirSync(process.env.RAVAND_SHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(process.env.RAVAND_SHOTS, `${name}.png`));
  }
}

/** The text a person sees in an element, shadow roots included (innerText stops at them). */
function seenText(page: Page, selector: string): Promise<string> {
  // a string, not a function: tsx's name helpers do not exist in the page
  return page.evaluate(`(() => {
    const out = [];
    const walk = (node) => {
      if (node.nodeType === Node.TEXT_NODE) out.push(node.textContent || '');
      if (node instanceof Element) {
        if (['STYLE', 'SCRIPT', 'TEMPLATE'].includes(node.tagName)) return;
        if (node.shadowRoot) walk(node.shadowRoot);
      }
      for (const child of node.childNodes) walk(child);
    };
    const root = document.querySelector(${JSON.stringify(selector)});
    if (root) walk(root);
    return out.join(' ').replace(/\\s+/g, ' ');
  })()`);
}

const officer: Actor = { id: 'plan-policy.officer2', groups: ['plan-policy'], roles: ['staff'] };
const lawyer: Actor = { id: 'legal.officer', groups: ['legal'], roles: ['staff'] };
const deputy: Actor = { id: 'deputy.head', groups: ['deputy'], roles: ['manager'] };

/**
 * Dari-first data entry and display, in a real Chromium against the real server: the Solar Hijri picker, dates
 * refused out of range, names instead of codes, own validation messages, the language kept through sign-in,
 * and phone-sized pages that never scroll sideways.
 */
describe('client (Dari-first entry and display, real server and Chromium)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  let server: RunningServer;
  const newPage = (viewport = DESKTOP) => office.newPage({ viewport });
  /** Signs in through the sign-in page, in the page's current language. */
  const signIn = (username: string, viewport = DESKTOP) => office.signIn(username, { viewport });

  async function setLanguage(page: Page, lang: Lang): Promise<void> {
    if ((await page.getAttribute('html', 'lang')) !== lang)
      await page.click('rv-app [data-action="language"]');
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }

  /** A policy-approval instance waiting for the commission's decision, worked by named people. */
  async function policyAtCommission(reference: string) {
    const runtime = server.runtime;
    const instance = await runtime.start(
      { key: 'policy-approval', businessKey: reference, variables: {} },
      deputy,
    );
    const step = async (actor: Actor, data: Record<string, unknown>) => {
      const [task] = (await runtime.listTasks({ instanceId: instance.id })).items;
      await runtime.completeTask(task!.id, data, actor);
    };
    await step(officer, {
      title: 'Complaint intake policy',
      policyType: 'strategic',
      changeType: 'new',
      summary: 'How complaints are registered and answered.',
      policyText: 'Every complaint is registered within one working day.',
    });
    await step(officer, { decision: 'approve' });
    await step(lawyer, { decision: 'approve', comments: 'Consistent with the law.' });
    await step(deputy, { decision: 'approve' });
    const [task] = (await runtime.listTasks({ instanceId: instance.id })).items;
    expect(task!.elementId).to.equal('record-commission-decision');
    return { instance, task: task! };
  }

  /** The data the task was completed with. */
  async function completedData(instanceId: string, elementId: string) {
    const history = await server.runtime.taskHistory(instanceId);
    return history.find((h) => h.elementId === elementId)?.data;
  }

  before(async () => {
    office = await OfficeInBrowser.start({ holidays: ['2026-12-10'] });
    server = office.server;
    await office.addPeople(
      {
        id: 'plan-policy.officer2',
        name: { fa: 'فهیم احمدی', en: 'Fahim Ahmadi' },
        roles: ['staff'],
        groups: ['plan-policy'],
      },
      {
        id: 'legal.officer',
        name: { fa: 'مریم نوری', en: 'Maryam Noori' },
        roles: ['staff'],
        groups: ['legal'],
      },
      {
        id: 'deputy.head',
        name: { fa: 'معاون پالیسی', en: 'Deputy for Policy' },
        roles: ['manager'],
        groups: ['deputy'],
      },
      {
        id: 'secretary',
        name: { fa: 'زهرا کریمی', en: 'Zahra Karimi' },
        roles: ['staff'],
        groups: ['commission-secretariat'],
      },
      {
        id: 'secretary.en',
        name: { fa: 'احمد رحیمی', en: 'Ahmad Rahimi' },
        roles: ['staff'],
        groups: ['commission-secretariat'],
        language: 'en',
      },
      {
        id: 'leader',
        name: { fa: 'رئیس کمیسیون', en: 'Commission Chair' },
        roles: ['leadership'],
        groups: ['leadership'],
      },
    );
  });

  after(() => office?.stop());

  it('should show Dari messages of its own for empty fields on the sign-in page, not the browser bubble', async () => {
    // given
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('rv-sign-in input[name="username"]');
    expect(await page.getAttribute('rv-sign-in form', 'novalidate')).to.equal('');
    // when
    await page.click('rv-sign-in button[type="submit"]');
    // then
    await page.waitForSelector('rv-sign-in [data-error="username"]');
    expect(await page.textContent('rv-sign-in [data-error="username"]')).to.equal(
      'نام کاربری خود را بنویسید.',
    );
    expect(await page.textContent('rv-sign-in [data-error="password"]')).to.equal('رمز عبور خود را بنویسید.');
    expect(await page.getAttribute('rv-sign-in input[name="username"]', 'aria-invalid')).to.equal('true');
    expect(
      await page.evaluate(() =>
        document.querySelector('rv-sign-in')!.shadowRoot!.activeElement?.getAttribute('name'),
      ),
    ).to.equal('username');
    await shot(page, 'sign-in-errors-fa');
  });

  it('should keep the language chosen on the sign-in page through sign-in, in the profile, and before the first paint', async () => {
    // given a Dari user on an English sign-in page
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.waitForSelector('rv-sign-in input[name="username"]');
    await page.click('rv-app [data-action="language"]');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    // when
    await signInOn(page, 'secretary');
    // then
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await page.getAttribute('html', 'dir')).to.equal('ltr');
    expect((await new UserStore(server.db.conn).get('secretary'))!.language).to.equal('en');
    // and a reload paints left-to-right from the first frame (the inline script, allowed by the CSP)
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.reload({ waitUntil: 'commit' });
    await page.waitForSelector('html[dir="ltr"]', { state: 'attached' });
    await page.waitForSelector('rv-app [data-user]', { state: 'attached' });
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).to.deep.equal([]);
    // back to Dari for the other tests
    await setLanguage(page, 'fa');
  });

  it('should store 1405-09-15 entered by keyboard and in the picker as 2026-12-06, in Dari and English', async () => {
    for (const lang of ['fa', 'en'] as const) {
      // given
      const { instance, task } = await policyAtCommission(`POL-1405-00${lang === 'fa' ? 7 : 8}`);
      const page = await signIn(lang === 'fa' ? 'secretary' : 'secretary.en');
      await setLanguage(page, lang);
      await page.goto(`${server.url}/inbox/task/${task.id}`);
      const form = page.locator('rv-task-view rv-json-form');
      await form.locator('form').waitFor();
      const label = (fa: string, en: string) => (lang === 'fa' ? fa : en);
      // when: the session date typed, the effective date picked in the calendar
      await form.getByRole('radio', { name: label('تائید و منظور شد', 'Approved') }).check();
      await form
        .getByLabel(label('تاریخ جلسه', 'Session date'))
        .fill(lang === 'fa' ? '۱۴۰۵-۰۹-۱۵' : '1405-09-15');
      await form.getByLabel(label('نمبر فیصله', 'Resolution number')).fill('45');
      const opener = form.getByRole('button', {
        name: label('باز کردن تقویم هجری شمسی', 'Open the Solar Hijri calendar'),
      });
      await opener.nth(1).click();
      const calendar = form.locator('[data-calendar]');
      await calendar.waitFor();
      // today is marked, Fridays and the configured holiday are shown as days off
      expect(await calendar.locator('button[aria-current="date"]').count()).to.equal(1);
      await shot(page, `task-picker-${lang}-1440`);
      // navigate by keyboard to 15 Qaws 1405 from wherever the calendar opened (today)
      const target = '2026-12-06';
      for (let i = 0; i < 60; i++) {
        const focused = await page.evaluate(
          () =>
            document
              .querySelector('rv-task-view rv-json-form')!
              .shadowRoot!.activeElement?.getAttribute('data-day') ?? '',
        );
        if (focused === target) break;
        const days = (Date.parse(target) - Date.parse(focused)) / 86_400_000;
        const [fy, fm, fd] = focused.split('-').map(Number) as [number, number, number];
        const f = toJalaali(fy, fm, fd);
        const months = (1405 - f.jy) * 12 + (9 - f.jm);
        // PageDown/PageUp a month, ArrowDown/ArrowUp a week, one day forward is ArrowLeft in right-to-left
        if (months !== 0) await page.keyboard.press(months > 0 ? 'PageDown' : 'PageUp');
        else if (Math.abs(days) >= 7) await page.keyboard.press(days > 0 ? 'ArrowDown' : 'ArrowUp');
        else await page.keyboard.press(days > 0 === (lang === 'fa') ? 'ArrowLeft' : 'ArrowRight');
      }
      const holiday = calendar.locator('td.hd-off button[data-day="2026-12-10"]');
      expect(await holiday.getAttribute('aria-label')).to.contain(label('رخصتی عمومی', 'Public holiday'));
      await page.keyboard.press('Enter');
      await calendar.waitFor({ state: 'detached' });
      expect(await form.getByLabel(label('تاریخ انفاذ', 'Effective date')).inputValue()).to.equal(
        lang === 'fa' ? '۱۴۰۵-۰۹-۱۵' : '1405-09-15',
      );
      await form.getByRole('button', { name: label('تکمیل وظیفه', 'Complete task') }).click();
      // then
      await page.waitForURL(`${server.url}/inbox`);
      const data = await completedData(instance.id, 'record-commission-decision');
      expect(data).to.include({ sessionDate: '2026-12-06', effectiveDate: '2026-12-06' });
    }
  });

  it('should answer 422 naming the field when the browser sends a Gregorian year 1405', async () => {
    // given
    const { task } = await policyAtCommission('POL-1405-009');
    const page = await signIn('secretary');
    const csrf = (await page.context().cookies()).find((c) => c.name === CSRF_COOKIE)!.value;
    // when
    const res = await page.request.post(`${server.url}/api/tasks/${task.id}/complete`, {
      headers: { 'x-csrf-token': csrf, origin: server.url },
      data: {
        data: {
          commissionDecision: 'approved',
          sessionDate: '1405-09-15',
          resolutionNumber: '45',
          effectiveDate: '2026-12-21',
        },
      },
    });
    // then
    expect(res.status()).to.equal(422);
    const body = (await res.json()) as {
      details: { errors: Array<{ field: string; message: { fa: string; en: string } }> };
    };
    const error = body.details.errors.find((e) => e.field === 'sessionDate')!;
    expect(error.message.fa).to.contain('تاریخ جلسه');
    expect(error.message.en).to.contain('Session date');
  });

  it('should show names, not codes, in the task view, instance view, timeline and audit table', async () => {
    // given
    const { instance, task } = await policyAtCommission('POL-1405-010');
    const codes = [
      'plan-policy.officer2',
      'legal.officer',
      'deputy.head',
      'policyType',
      'changeType',
      'strategic',
      'policyText',
      'commission-secretariat',
      'system',
    ];
    for (const lang of ['fa', 'en'] as const) {
      for (const viewport of [DESKTOP, PHONE]) {
        const size = viewport.width;
        // the task view, for the secretariat
        const staff = await signIn('secretary', viewport);
        await setLanguage(staff, lang);
        await staff.goto(`${server.url}/inbox/task/${task.id}`);
        await staff.locator('rv-task-view rv-timeline li').nth(3).waitFor();
        await staff.locator('rv-task-view rv-variables dt').first().waitFor();
        // the names and the value's label arrive with the form of the task's version: wait for both
        await staff.waitForFunction(
          (label) => {
            const text = document.querySelector('rv-task-view rv-variables')?.shadowRoot?.textContent ?? '';
            return !text.includes('policyType') && text.includes(label);
          },
          lang === 'fa' ? 'ستراتیژیک' : 'Strategic',
        );
        const taskText = await seenText(staff, 'rv-task-view');
        for (const code of codes) expect(taskText, `${code} in the task view (${lang})`).not.to.contain(code);
        expect(taskText).to.contain(lang === 'fa' ? 'فهیم احمدی' : 'Fahim Ahmadi');
        expect(taskText).to.contain(lang === 'fa' ? 'ستراتیژیک' : 'Strategic');
        const picker = staff.locator('rv-task-view rv-json-form').getByRole('button', {
          name: lang === 'fa' ? 'باز کردن تقویم هجری شمسی' : 'Open the Solar Hijri calendar',
        });
        await picker.first().click();
        await staff.locator('rv-task-view [data-calendar]').waitFor();
        if (size === PHONE.width) await shot(staff, `task-picker-${lang}-390`);
        expect(
          await staff.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          `task view ${lang} ${size}`,
        ).to.equal(true);
        // the instance view with its audit table, for leadership
        const leader = await signIn('leader', viewport);
        await setLanguage(leader, lang);
        await leader.goto(`${server.url}/dashboard/instance/${instance.id}`);
        await leader.locator('rv-instance-view table[data-audit] tbody tr').first().waitFor();
        await leader.locator('rv-instance-view rv-timeline li').nth(3).waitFor();
        await leader.waitForFunction(
          () =>
            !document
              .querySelector('rv-instance-view rv-variables')
              ?.shadowRoot?.textContent?.includes('policyType'),
        );
        const instanceText = await seenText(leader, 'rv-instance-view');
        for (const code of codes)
          expect(instanceText, `${code} in the instance view (${lang})`).not.to.contain(code);
        expect(instanceText).to.contain('POL-1405-010');
        await shot(leader, `instance-${lang}-${size}`, true);
        expect(
          await leader.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          `instance view ${lang} ${size}`,
        ).to.equal(true);
        // the dashboard
        await leader.goto(`${server.url}/dashboard`);
        await leader.waitForFunction(() => !!document.querySelector('rv-dashboard [data-updated]'));
        await shot(leader, `dashboard-${lang}-${size}`, true);
        expect(
          await leader.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
          `dashboard ${lang} ${size}`,
        ).to.equal(true);
      }
    }
  });

  it('should fit the inbox on a phone with its filters behind one control, and move focus to a task opened with Enter', async () => {
    for (const lang of ['fa', 'en'] as const) {
      // given
      const { task } = await policyAtCommission(`POL-1405-02${lang === 'fa' ? 1 : 2}`);
      const page = await signIn('secretary', PHONE);
      await setLanguage(page, lang);
      await page.goto(`${server.url}/inbox`);
      await page.click('rv-inbox [data-view="group"]');
      const link = page.locator(`rv-inbox li[data-task="${task.id}"] a`);
      await link.waitFor();
      // then: nothing wider than the screen, the filters folded away
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(
        true,
      );
      expect(await page.locator('rv-inbox [data-filters]').isVisible()).to.equal(false);
      await shot(page, `inbox-${lang}-390`);
      await page.click('rv-inbox [data-action="filters"]');
      await page.locator('rv-inbox [data-filters]').waitFor({ state: 'visible' });
      await page.click('rv-inbox [data-action="filters"]');
      // when
      await link.focus();
      await page.keyboard.press('Enter');
      // then
      await page.locator('rv-task-view rv-json-form form').waitFor();
      await page.waitForFunction(() => !!document.activeElement?.closest('rv-task-view'));
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).to.equal(
        true,
      );
      // when the task is claimed, its notice shows while the form's button is scrolled into view
      await page.click('rv-task-view [data-action="claim"]');
      await page.locator('rv-notices [data-notice]').waitFor();
      await page.waitForFunction(
        () => parseFloat(document.documentElement.style.getPropertyValue('--rv-notices-space')) > 0,
      );
      const submit = page.locator('rv-task-view rv-json-form button[type="submit"]');
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      // then the notice does not cover the button
      const button = (await submit.boundingBox())!;
      const notice = (await page.locator('rv-notices [data-notice]').last().boundingBox())!;
      expect(button.y + button.height, 'the button ends above the notice').to.be.at.most(notice.y);
      await shot(page, `task-notice-${lang}-390`);
    }
  });
});
