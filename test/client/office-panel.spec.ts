import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createCalendar } from '../../server/engine/calendar.js';
import { projectRoot } from '../../server/project-root.js';
import { screenshotPath } from './helpers/browser.js';
import { formSchema, validData } from './helpers/form-filler.js';
import { modelHas, openGroup, panel, selectElement, selectProcess } from './helpers/modeller-panel.js';
import { OfficeInBrowser, PASSWORD } from './helpers/office-in-browser.js';

const FIXTURE = fs.readFileSync(
  path.join(projectRoot(), 'test', 'client', 'fixtures', 'panel-trip.bpmn'),
  'utf8',
);
/** Screenshots for people to look at: RV_SHOTS_DIR when set, else test-results/screenshots. */
const shot = (name: string) =>
  process.env.RV_SHOTS_DIR
    ? (fs.mkdirSync(process.env.RV_SHOTS_DIR, { recursive: true }),
      path.join(process.env.RV_SHOTS_DIR, `${name}.png`))
    : screenshotPath(name);

type Call = (
  method: string,
  url: string,
  body?: unknown,
  raw?: string,
) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A signed-in API client for `username` (cookie session and CSRF token, as the browser holds them). */
async function apiAs(base: string, username: string): Promise<Call> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(login.status, `sign-in of ${username}`).to.equal(200);
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = cookies.find((c) => c.startsWith('rv_csrf='))!.slice('rv_csrf='.length);
  return async (method, url, body, raw) => {
    const headers: Record<string, string> = { cookie: cookies.join('; '), 'x-csrf-token': csrf };
    if (raw !== undefined) headers['content-type'] = 'application/xml';
    else if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${url}`, {
      method,
      headers,
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

/** Opens the modeller on a new diagram and imports `xml` into it, fitted to the canvas. */
async function openInModeller(page: Page, base: string, xml: string): Promise<void> {
  await page.goto(`${base}/modeller`);
  await page.waitForFunction(() => !!(window as unknown as { ravandModeller?: unknown }).ravandModeller);
  await page.evaluate(async (text) => {
    type Modeler = {
      importXML(x: string): Promise<unknown>;
    };
    // the modeller fits what it imports clear of the palette
    const modeler = (window as unknown as { ravandModeller: Modeler }).ravandModeller;
    await modeler.importXML(text);
  }, xml);
  await page.locator('rv-modeller .djs-element[data-element-id="review"]').waitFor();
}

describe('client/modeller/office-panel (real server and Chromium)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;

  before(async () => {
    office = await OfficeInBrowser.start({ holidays: [] });
    await office.addPeople(
      { id: 'manager', roles: ['manager'], groups: ['deputy'] },
      { id: 'designer.1440', roles: ['manager'], groups: ['deputy'] },
      { id: 'designer.390', roles: ['manager'], groups: ['deputy'] },
      { id: 'drafter', roles: ['staff'], groups: ['plan-policy'] },
      { id: 'reviewer', roles: ['staff'], groups: ['plan-policy'] },
      { id: 'outsider', roles: ['staff'], groups: ['finance'] },
    );
  });

  after(() => office?.stop());

  let current: Page | undefined;
  afterEach(async function () {
    // a failure leaves a picture of the page behind
    if (this.currentTest?.state === 'failed' && current)
      await current.screenshot({ path: shot('failed'), fullPage: true }).catch(() => undefined);
    current = undefined;
  });

  it('should write starters, reference, candidates, form, due date, priority and four-eyes that the server then enforces', async () => {
    // given: the manager's modeller in Dari with a two-task diagram
    const page = await office.signIn('manager');
    current = page;
    await openInModeller(page, office.url, FIXTURE);

    // when: the process's starters and reference pattern are set in the panel
    await selectProcess(page);
    const starters = await openGroup(page, 'آغازگران مجاز');
    expect(await panel(page).locator('[data-note="no-starters"]').count()).to.equal(1);
    await starters.getByLabel('گروه‌های مجاز به آغاز').selectOption('plan-policy');
    await starters.locator('.rv-chip[data-value="plan-policy"]').waitFor();
    expect(await starters.locator('.rv-chip[data-value="plan-policy"] bdi').textContent()).to.equal(
      'ریاست پلان و پالیسی',
    );
    await starters.getByLabel('الگوی شمارهٔ مرجع').fill('TRP-{year}-###');
    await modelHas(page, 'panel-trip', 'property:reference-pattern', 'TRP-{year}-###');
    await modelHas(page, 'panel-trip', 'camunda:candidateStarterGroups', 'plan-policy');
    await page.screenshot({ path: shot('panel-process-fa-1440') });
    await panel(page).screenshot({ path: shot('panel-process-fa-1440-panel') });

    // when: the draft task is offered to plan-policy with its form
    await selectElement(page, 'draft');
    let assignment = await openGroup(page, 'تعیین مسئول');
    await assignment.getByLabel('افزودن گروه نامزد').selectOption('plan-policy');
    await modelHas(page, 'draft', 'camunda:candidateGroups', 'plan-policy');
    let form = await openGroup(page, 'فورم');
    await form.getByLabel('فورم', { exact: true }).selectOption('policy-draft');
    await modelHas(page, 'draft', 'camunda:formKey', 'policy-draft');

    // when: the review task gets its Dari name, group, form, due date, priority and four-eyes rule
    await selectElement(page, 'review');
    const general = await openGroup(page, 'عمومی');
    await general.getByLabel('نام دری').fill('بررسی ریاست');
    await modelHas(page, 'review', 'property:name-fa', 'بررسی ریاست');
    assignment = await openGroup(page, 'تعیین مسئول');
    await assignment.getByLabel('افزودن گروه نامزد').selectOption('plan-policy');
    await modelHas(page, 'review', 'camunda:candidateGroups', 'plan-policy');
    expect(await assignment.getByLabel('گروه‌های نامزد').inputValue()).to.equal('plan-policy');
    form = await openGroup(page, 'فورم');
    await form.getByLabel('فورم', { exact: true }).selectOption('policy-review');
    // the preview lists the form's fields in Dari
    await form.locator('.rv-form-preview li[data-field="decision"]').waitFor();
    expect(
      await form.locator('.rv-form-preview li[data-field="decision"] .rv-field-label').textContent(),
    ).to.equal('تصمیم');
    const deadline = await openGroup(page, 'موعد و اولویت');
    await deadline.locator('select[name="due-rule"]').selectOption('after-start');
    await deadline.locator('input[name="due-days"]').fill('3');
    await deadline.locator('input[name="due-days"]').press('Tab');
    await modelHas(page, 'review', 'camunda:dueDate', '=addWorkingDays(now(), 3)');
    // the FEEL it wrote stays in view and editable
    expect(await deadline.getByLabel('موعد (FEEL)').inputValue()).to.equal('=addWorkingDays(now(), 3)');
    await deadline.getByLabel('اولویت (۰ تا ۱۰۰)').fill('80');
    await modelHas(page, 'review', 'camunda:priority', '80');
    const fourEyes = await openGroup(page, 'اصل چهار چشم');
    // only what comes before the review is offered: the start and the draft
    expect(
      await fourEyes
        .locator('input[name="separate-from"]')
        .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
    ).to.deep.equal(['draft', 'start']);
    await fourEyes.locator('input[name="separate-from"][value="draft"]').check();
    await modelHas(page, 'review', 'property:separate-from', 'draft');
    await page.screenshot({ path: shot('panel-task-fa-1440') });
    // the groups Ravand does not run are gone
    const headers = await panel(page).locator('.bio-properties-panel-group-header-title').allTextContents();
    for (const gone of [
      'پاک‌سازی تاریخچه',
      'اجرای کار',
      'وظیفهٔ بیرونی',
      'شنونده‌های اجرا',
      'History cleanup',
      'Job execution',
    ])
      expect(headers).to.not.include(gone);

    // when: the diagram is deployed through the API as the manager
    const { xml } = await page.evaluate(() =>
      (
        window as unknown as { ravandModeller: { saveXML(o: object): Promise<{ xml: string }> } }
      ).ravandModeller.saveXML({ format: true }),
    );
    const manager = await apiAs(office.url, 'manager');
    const deployed = await manager('POST', '/api/definitions', undefined, xml);
    expect(deployed.status, JSON.stringify(deployed.body)).to.equal(201);

    // then: an outsider may not start it; a plan-policy member may, with a reference from the pattern
    const outsider = await apiAs(office.url, 'outsider');
    const refused = await outsider('POST', '/api/instances', { key: 'panel-trip' });
    expect(refused.status).to.equal(403);
    expect(refused.body.code).to.equal('RV_ERR_NOT_A_STARTER');
    const drafter = await apiAs(office.url, 'drafter');
    const started = await drafter('POST', '/api/instances', { key: 'panel-trip' });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    expect(started.body.businessKey).to.match(/^TRP-14\d\d-001$/);
    const instanceId = started.body.id as string;

    // then: the draft is offered to plan-policy with its form; the drafter does it
    const [draftTask] = (await office.server.runtime.listTasks({ instanceId })).items;
    expect(draftTask).to.include({ elementId: 'draft', formKey: 'policy-draft' });
    expect(draftTask!.candidateGroups).to.deep.equal(['plan-policy']);
    const done = await drafter('POST', `/api/tasks/${draftTask!.id}/complete`, {
      data: validData(formSchema('policy-draft')),
    });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);

    // then: the review is offered to plan-policy, due three working days after it starts, priority 80
    const [review] = (await office.server.runtime.listTasks({ instanceId })).items;
    expect(review).to.include({ elementId: 'review', formKey: 'policy-review', priority: 80 });
    expect(review!.candidateGroups).to.deep.equal(['plan-policy']);
    const expectedDue = createCalendar({}).addWorkingDays(new Date(review!.createdAt), 3).getTime();
    expect(Math.abs(new Date(review!.dueAt!).getTime() - expectedDue)).to.be.below(60_000);
    const reviewer = await apiAs(office.url, 'reviewer');
    const offered = await reviewer(
      'GET',
      `/api/tasks?view=group&instanceId=${encodeURIComponent(instanceId)}`,
    );
    expect(offered.body.items.map((t: { id: string }) => t.id)).to.deep.equal([review!.id]);
    const notOffered = await outsider(
      'GET',
      `/api/tasks?view=group&instanceId=${encodeURIComponent(instanceId)}`,
    );
    expect(notOffered.status === 403 || notOffered.body.items.length === 0).to.equal(true);

    // then: the four-eyes rule keeps the drafter off the review; the other member completes it
    const data = validData(formSchema('policy-review'));
    const barred = await drafter('POST', `/api/tasks/${review!.id}/complete`, { data });
    expect(barred.status).to.equal(403);
    expect(barred.body.code).to.equal('RV_ERR_SEPARATION_OF_DUTIES');
    const approved = await reviewer('POST', `/api/tasks/${review!.id}/complete`, { data });
    expect(approved.status, JSON.stringify(approved.body)).to.equal(200);
  });

  /** The fixture with what the panel edits already set (starters, reference, candidates, forms, due, four-eyes). */
  const CONFIGURED = FIXTURE.replace(
    'isExecutable="true">',
    'isExecutable="true" camunda:candidateStarterGroups="plan-policy" camunda:candidateStarterUsers="drafter">',
  )
    .replace(
      '<camunda:property name="name-fa" value="سفر پنل" />',
      '<camunda:property name="name-fa" value="سفر پنل" /><camunda:property name="reference-pattern" value="TRP-{year}-###" /><camunda:property name="owner-group" value="plan-policy" />',
    )
    .replace(
      '<bpmn:userTask id="draft" name="Draft">',
      '<bpmn:userTask id="draft" name="Draft" camunda:candidateGroups="plan-policy" camunda:formKey="policy-draft">',
    )
    .replace(
      '<bpmn:userTask id="review" name="Review">',
      '<bpmn:userTask id="review" name="Review" camunda:candidateGroups="plan-policy,legal" camunda:candidateUsers="reviewer" camunda:formKey="policy-review" camunda:dueDate="=addWorkingDays(now(), 5)" camunda:priority="70"><bpmn:extensionElements><camunda:properties><camunda:property name="name-fa" value="بررسی ریاست" /><camunda:property name="separate-from" value="draft,start" /></camunda:properties></bpmn:extensionElements>',
    );

  for (const size of [
    { name: '1440', viewport: { width: 1440, height: 900 } },
    { name: '390', viewport: { width: 390, height: 844 } },
  ])
    it(`should show the process and user task panels in Dari and English at ${size.name} px, relabelled on a language switch`, async () => {
      // given
      // one manager per size: switching language is remembered for the account
      const page = await office.signIn(`designer.${size.name}`, { viewport: size.viewport });
      current = page;
      await openInModeller(page, office.url, CONFIGURED);
      const noOverflow = async () =>
        expect(
          await panel(page).evaluate((el) => el.scrollWidth - el.clientWidth),
          'the panel does not scroll sideways',
        ).to.be.at.most(0);

      for (const lang of ['fa', 'en'] as const) {
        // when: the process is selected
        await selectProcess(page);
        const starters = await openGroup(page, lang === 'fa' ? 'آغازگران مجاز' : 'Who may start');
        // then: the chosen groups and people carry their names in this language
        const chip = starters.locator('.rv-chip[data-value="plan-policy"] bdi');
        expect(await chip.textContent()).to.equal(
          lang === 'fa' ? 'ریاست پلان و پالیسی' : 'Directorate of Plan and Policy',
        );
        await starters.locator('.rv-chip[data-value="drafter"]').waitFor();
        await noOverflow();
        await page.screenshot({ path: shot(`panel-process-${lang}-${size.name}`) });
        await panel(page).screenshot({ path: shot(`panel-process-${lang}-${size.name}-panel`) });

        // when: the review task is selected
        await selectElement(page, 'review');
        const assignment = await openGroup(page, lang === 'fa' ? 'تعیین مسئول' : 'User assignment');
        await assignment.locator('.rv-chip[data-value="legal"]').waitFor();
        await openGroup(page, lang === 'fa' ? 'فورم' : 'Form');
        await openGroup(page, lang === 'fa' ? 'موعد و اولویت' : 'Due date and priority');
        const fourEyes = await openGroup(page, lang === 'fa' ? 'اصل چهار چشم' : 'Four-eyes rule');
        // then: the builder reads the FEEL back, and both earlier steps are ticked
        expect(await panel(page).locator('select[name="due-rule"]').inputValue()).to.equal('after-start');
        expect(await panel(page).locator('input[name="due-days"]').inputValue()).to.equal('5');
        expect(await fourEyes.locator('input[name="separate-from"]:checked').count()).to.equal(2);
        await noOverflow();
        await page.screenshot({ path: shot(`panel-task-${lang}-${size.name}`) });
        await panel(page).screenshot({ path: shot(`panel-task-${lang}-${size.name}-panel`) });

        if (lang === 'fa') {
          // when: the language changes with the task still selected, the panel follows without reselecting
          await page.click('rv-app [data-action="language"]');
          await panel(page)
            .locator('.bio-properties-panel-group-header', { hasText: 'User assignment' })
            .waitFor();
        }
      }
    });
});
