import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { errorCatalogue } from '../../schemas/errors.js';
import type { Actor, InstanceSummary } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { screenshotPath } from './helpers/browser.js';
import { formSchema, validData } from './helpers/form-filler.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';

const OFFICER: Actor = { id: 'plan-policy.officer', groups: ['plan-policy'], roles: ['staff'] };

describe("client/manager actions (modeller's Start, bulk actions from the instance search)", function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  let server: RunningServer;

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addDemoUsers(['plan-policy.head', 'plan-policy.officer']);
  });

  after(async () => {
    await office?.stop();
  });

  /** A running policy approval with this reference, started by the officer. */
  const policy = (businessKey: string) =>
    server.runtime.start(
      { key: 'policy-approval', businessKey, variables: validData(formSchema('policy-request')) },
      OFFICER,
    );

  it("should hand the modeller's Start over to the process's start form, and refuse a process the user may not start", async () => {
    // given: the head of plan and policy looks at policy approval in the modeller
    const page = await office.signIn('plan-policy.head');
    await page.goto(`${server.url}/modeller/policy-approval/1`);
    await page.locator('rv-modeller .djs-element[data-element-id="draft-policy"]').waitFor();
    // when: pressing Start
    await page.click('rv-modeller [data-action="start"]');
    // then: the start page of that process, with its start form (nothing started yet)
    await page.waitForURL(`${server.url}/start/policy-approval`);
    await page.locator('rv-start [data-start-form="policy-approval"] rv-json-form').waitFor();
    expect((await server.runtime.listInstances({ key: 'policy-approval', limit: 1 })).total).to.equal(0);
    // when: pressing Start on a process whose starters he is not one of
    await page.goto(`${server.url}/modeller/media-publication/1`);
    await page.locator('rv-modeller .djs-element[data-element-id="check-media-item"]').waitFor();
    await page.click('rv-modeller [data-action="start"]');
    // then: he is told so, in Dari, and stays in the modeller
    await page.locator('rv-notices', { hasText: 'نمی‌توانید این پروسه را آغاز کنید' }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/modeller/media-publication/1');
  });

  it('should suspend, resume and cancel several instances from the list, with a result per row and its own error for a refused one', async () => {
    // given: three running policies and one already cancelled
    const running: InstanceSummary[] = [];
    for (const ref of ['BULK-1', 'BULK-2', 'BULK-3']) running.push(await policy(ref));
    const ended = await policy('BULK-4');
    await server.runtime.cancel(ended.id, 'withdrawn', { id: 'root', groups: [], roles: ['admin'] });
    const page = await office.signIn('plan-policy.head');
    await page.click('rv-app [data-nav="instances"]');
    const search = page.locator('rv-instance-search');
    await search.locator('[data-filter="q"]').fill('BULK-');
    await search.locator('[data-action="search"]').click();
    await search.locator('[data-total="4"]').waitFor();
    const row = (i: InstanceSummary) => search.locator(`tr[data-instance="${i.id}"]`);
    const status = (i: InstanceSummary) => row(i).locator('[data-status]').getAttribute('data-status');

    // when: suspending two running ones and the cancelled one
    for (const i of [running[0]!, running[1]!, ended]) await row(i).locator('input[type="checkbox"]').check();
    await search.locator('[data-bulk-action]').selectOption('suspend');
    await search.locator('[data-bulk-run]').click();
    // then: each row shows its own result, and the list shows the new statuses
    await row(ended).locator('[data-result="false"]').waitFor();
    for (const i of [running[0]!, running[1]!]) await row(i).locator('[data-result="true"]').waitFor();
    await row(running[0]!).locator('[data-status="suspended"]').waitFor();
    await row(running[1]!).locator('[data-status="suspended"]').waitFor();
    expect(await status(running[2]!)).to.equal('running');
    expect(await status(ended)).to.equal('cancelled');
    const refusal = (await row(ended).locator('[data-result="false"]').textContent())!.trim();
    expect(refusal).to.equal(errorCatalogue.RV_ERR_INSTANCE_NOT_RUNNING.fa);
    expect(await search.locator('[data-bulk-result]').textContent()).to.match(/۲|2/);
    // and: only the refused one stays selected
    expect(await row(ended).locator('input[type="checkbox"]').isChecked()).to.equal(true);
    expect(await row(running[0]!).locator('input[type="checkbox"]').isChecked()).to.equal(false);
    await page.screenshot({ path: screenshotPath('instances-bulk-fa') });
    expect((await server.runtime.getInstance(running[0]!.id)).status).to.equal('suspended');

    // when: resuming the two
    await row(ended).locator('input[type="checkbox"]').uncheck();
    for (const i of [running[0]!, running[1]!]) await row(i).locator('input[type="checkbox"]').check();
    await search.locator('[data-bulk-action]').selectOption('resume');
    await search.locator('[data-bulk-run]').click();
    // then
    for (const i of [running[0]!, running[1]!]) await row(i).locator('[data-status="running"]').waitFor();

    // when: cancelling the first and the third with a reason
    for (const i of [running[0]!, running[2]!]) await row(i).locator('input[type="checkbox"]').check();
    await search.locator('[data-bulk-action]').selectOption('cancel');
    await search.locator('[data-bulk] input[required]').fill('تکراری');
    await search.locator('[data-bulk-run]').click();
    // then
    for (const i of [running[0]!, running[2]!]) await row(i).locator('[data-status="cancelled"]').waitFor();
    expect(await status(running[1]!)).to.equal('running');
    expect((await server.runtime.getInstance(running[2]!.id)).status).to.equal('cancelled');
    // and: the summary follows a language switch
    await switchToEnglish(page);
    await search.locator('[data-bulk-result]', { hasText: /done/i }).waitFor();
    await page.screenshot({ path: screenshotPath('instances-bulk-en') });
  });
});

async function switchToEnglish(page: Page): Promise<void> {
  await page.click('rv-app [data-action="language"]');
  await page.waitForFunction(() => document.documentElement.dir === 'ltr');
}
