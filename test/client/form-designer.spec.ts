import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import type { Actor } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { screenshotPath } from './helpers/browser.js';
import { addDaysField, editField, startForm, trialProcess } from './helpers/form-designer-steps.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';

const SHOTS = '/work/shots/w-forms';

/** Saves a full-page screenshot where the browser specs keep theirs and, when present, in the review folder. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  await page.screenshot({ path: screenshotPath(`${name}-view`) });
  if (fs.existsSync(SHOTS))
    for (const file of [name, `${name}-view`])
      fs.copyFileSync(screenshotPath(file), path.join(SHOTS, `${file}.png`));
}

describe('client/components/rv-form-designer (a manager designs a form, a staff user fills it in)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  let server: RunningServer;
  const manager: Actor = { id: 'plan-policy.head', groups: ['plan-policy'], roles: ['manager'] };
  const staff: Actor = { id: 'plan-policy.officer', groups: ['plan-policy'], roles: ['staff'] };

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addDemoUsers(['plan-policy.head', 'plan-policy.officer']);
    await office.addPeople({
      id: 'forms.english',
      roles: ['manager'],
      groups: ['plan-policy'],
      language: 'en',
    });
    await server.runtime.deploy(trialProcess(), manager);
  });

  after(async () => {
    await office?.stop();
  });

  it('should let a manager design, check and deploy a form that a staff user then completes in Dari', async () => {
    // given: the manager on the form designer, in Dari
    const page = await office.signIn('plan-policy.head');
    // when: a form with a bounded number, a choice, and a note shown only for family leave
    await startForm(page, 'leave-days', { fa: 'درخواست رخصتی', en: 'Leave request' });
    await addDaysField(page);
    await page.click('rv-form-designer [data-add-field]');
    const reason = await editField(page, 1, {
      name: 'reason',
      type: 'choice',
      'label-fa': 'دلیل',
      'label-en': 'Reason',
    });
    await reason.locator('[data-edit="required"]').check();
    for (const [value, fa, en] of [
      ['sick', 'مریضی', 'Sickness'],
      ['family', 'فامیلی', 'Family'],
    ]) {
      await reason.locator('[data-add-option]').click();
      const option = reason.locator('[data-option]').last();
      await option.locator('[data-edit="option-value"]').fill(value!);
      await option.locator('[data-edit="option-fa"]').fill(fa!);
      await option.locator('[data-edit="option-en"]').fill(en!);
    }
    await page.click('rv-form-designer [data-add-field]');
    const note = await editField(page, 2, {
      name: 'note',
      type: 'longText',
      'label-fa': 'توضیح',
      'label-en': 'Explanation',
      'max-length': '500',
      'show-if': 'reason',
    });
    await note.locator('[data-edit="show-if-equals"]').selectOption('family');
    await note.locator('[data-edit="required"]').check();

    // then: the live preview shows the form in Dari, without the note until family leave is chosen
    const preview = page.locator('rv-form-designer [data-preview] rv-json-form');
    await preview.getByLabel('تعداد روزها').waitFor();
    expect(await preview.getByLabel('توضیح').count()).to.equal(0);
    await preview.getByLabel('تعداد روزها').fill('12');
    await preview.getByRole('radio', { name: 'فامیلی' }).check();
    await preview.getByLabel('توضیح').waitFor();

    // when: the answers are checked on the client and on the server
    await page.click('rv-form-designer [data-check]');
    // then: both find the same two problems (too many days, the note now required)
    const message = page.locator('rv-form-designer [data-message]');
    await message.waitFor();
    expect(await message.textContent()).to.contain('۲');
    await preview.locator('[data-field="days"]').waitFor();
    await preview.locator('[data-field="note"]').waitFor();
    await page.locator('rv-form-designer [data-preview]').scrollIntoViewIfNeeded();
    await shoot(page, 'designer-check-fa-1440');

    // when: corrected
    await preview.getByLabel('تعداد روزها').fill('5');
    await preview.getByLabel('توضیح').fill('عروسی برادرم');
    await page.click('rv-form-designer [data-check]');
    await page.waitForFunction(() =>
      document.querySelector('rv-form-designer')?.shadowRoot?.querySelector('[data-message].ok'),
    );
    // and previewed in English, saved and deployed with the leave process
    await page.click('rv-form-designer [data-preview-lang="en"]');
    await preview.getByLabel('Days').waitFor();
    await page.click('rv-form-designer [data-save]');
    await page.locator('rv-form-designer [data-deploy-process]').selectOption('leave-request');
    await page.click('rv-form-designer [data-deploy]');
    await page.locator('rv-form-designer [data-message].ok', { hasText: '۲' }).waitFor();
    const v2 = (await server.runtime.listVersions('leave-request'))[0]!;
    expect(v2).to.deep.include({ version: 2, formKeys: ['leave-days'] });

    // given: the modeller gives the task the form (a new version keeps the deployed form)
    const v3 = await server.runtime.deploy(trialProcess('leave-days'), manager);
    expect(v3.definition.formKeys).to.deep.equal(['leave-days']);
    const instance = await server.runtime.start({ key: 'leave-request' }, staff);
    const [task] = (await server.runtime.listTasks({ instanceId: instance.id })).items;

    // when: the staff member opens the task in Dari and asks for too many days
    const officer = await office.signIn('plan-policy.officer');
    await officer.goto(`${server.url}/inbox/task/${encodeURIComponent(task!.id)}`);
    const form = officer.locator('rv-task-view rv-json-form');
    await form.getByLabel('تعداد روزها').waitFor();
    await form.getByLabel('تعداد روزها').fill('11');
    await form.getByRole('radio', { name: 'مریضی' }).check();
    expect(await form.getByLabel('توضیح').count()).to.equal(0);
    await form.getByRole('button', { name: 'تکمیل وظیفه' }).click();
    // then: the designed limit stops it on the client
    await form.locator('[data-field="days"]').waitFor();
    // when: corrected, family leave with its note
    await form.getByLabel('تعداد روزها').fill('3');
    await form.getByRole('radio', { name: 'فامیلی' }).check();
    await form.getByLabel('توضیح').fill('مراسم فامیلی');
    await form.getByRole('button', { name: 'تکمیل وظیفه' }).click();
    // then: the server accepts it and the case moves on with the data
    await officer.waitForURL(`${server.url}/inbox`);
    await server.runtime.idle();
    const done = await server.runtime.getInstance(instance.id).catch(() => undefined);
    const history = await server.runtime.taskHistory(instance.id);
    expect(history.map((h) => h.data)).to.deep.equal([{ days: 3, reason: 'family', note: 'مراسم فامیلی' }]);
    expect(done?.status ?? 'completed').to.equal('completed');
  });

  for (const [user, lang] of [
    ['plan-policy.head', 'fa'],
    ['forms.english', 'en'],
  ] as const) {
    for (const width of [1440, 390]) {
      it(`should lay the designer out for ${lang} at ${width} px with nothing cut off`, async () => {
        // given
        const page = await office.signIn(user, { viewport: { width, height: width > 500 ? 900 : 844 } });
        await page.goto(`${server.url}/forms`);
        await page.locator('rv-form-designer #form-key').waitFor();
        // when
        await page.locator('rv-form-designer [data-open]').selectOption('deployment:leave-days');
        await page.locator('rv-form-designer rv-form-field-editor').nth(2).waitFor();
        // then
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).to.be.at.most(0);
        await shoot(page, `designer-${lang}-${width}`);
      });
    }
  }
});
