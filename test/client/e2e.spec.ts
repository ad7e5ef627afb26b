import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { SYSTEM_ACTOR } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { projectRoot } from '../../server/project-root.js';
import { groups as organisationGroups } from '../../server/seed/organisation.js';
import { screenshotPath } from './helpers/browser.js';
import { fillForm, validData, type FillerSchema } from './helpers/form-filler.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';

const VIEWPORT = { viewport: { width: 1280, height: 860 } };
// texts of the real form, so the test follows the form's wording
const reviewForm = JSON.parse(
  fs.readFileSync(path.join(projectRoot(), 'schemas', 'forms', 'policy-review.json'), 'utf8'),
) as {
  properties: { decision: { 'x-enum-labels': Record<'approve' | 'return', { fa: string; en: string }> } };
  'x-errors': Record<'comments' | 'decision', { fa: string; en: string }>;
};
const decision = reviewForm.properties.decision['x-enum-labels'];
const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

/** "۱۲" or "12" → 12 */
function toNumber(text: string | null): number {
  const latin = (text ?? '')
    .replace(/[۰-۹]/g, (d) => String(PERSIAN_DIGITS.indexOf(d)))
    .replace(/[^\d]/g, '');
  return Number(latin);
}

describe('client (end to end, real server and Chromium)', function () {
  this.timeout(240_000);
  let office: OfficeInBrowser;
  let server: RunningServer;
  const signIn = (username: string) => office.signIn(username, VIEWPORT);

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    // main registered the office's services and deployed processes/*.bpmn
    await office.addPeople(
      { id: 'staff.dari', roles: ['staff'], groups: ['plan-policy'] },
      { id: 'staff.english', roles: ['staff'], groups: ['plan-policy'], language: 'en' },
      { id: 'leader', roles: ['leadership'], groups: ['leadership'] },
      { id: 'manager', roles: ['manager'], groups: ['deputy'] },
    );
  });

  after(() => office?.stop());

  /** A policy-approval instance waiting at the directorate review (the draft is done). */
  async function policyAtReview(title: string) {
    const instance = await server.runtime.start(
      { key: 'policy-approval', businessKey: title, variables: {} },
      SYSTEM_ACTOR,
    );
    const [draft] = (await server.runtime.listTasks({ instanceId: instance.id })).items;
    await server.runtime.completeTask(
      draft!.id,
      {
        title,
        policyType: 'strategic',
        changeType: 'new',
        summary: 'How complaints are registered and answered.',
        policyText: 'Every complaint is registered within one working day.',
      },
      SYSTEM_ACTOR,
    );
    const [review] = (await server.runtime.listTasks({ instanceId: instance.id })).items;
    expect(review!.elementId).to.equal('review-directorate');
    return { instance, review: review! };
  }

  it('should show the sign-in page right-to-left in Dari and left-to-right in English', async () => {
    // given
    const page = await office.newPage(VIEWPORT);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('rv-sign-in input[name="username"]');
    // then: Dari first
    expect(await page.getAttribute('html', 'dir')).to.equal('rtl');
    expect(await page.getAttribute('html', 'lang')).to.equal('fa');
    await page.screenshot({ path: screenshotPath('sign-in-fa') });
    // when
    await page.click('rv-app [data-action="language"]');
    // then
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await page.locator('rv-sign-in h1').textContent()).to.equal('Sign in');
    await page.screenshot({ path: screenshotPath('sign-in-en') });
  });

  it('should let a staff user complete a policy review through its form after a validation error, live on the leadership dashboard', async () => {
    // given
    const { instance, review } = await policyAtReview('Complaint intake policy');
    const page = await signIn('staff.dari');
    expect(await page.getAttribute('html', 'dir')).to.equal('rtl');
    await page.click('rv-app [data-nav="inbox"]');
    await page.click('rv-inbox [data-view="group"]');
    const row = page.locator(`rv-inbox li[data-task="${review.id}"]`);
    await row.waitFor();
    await page.screenshot({ path: screenshotPath('inbox-fa') });

    // when: open it and return it with a too-short comment (the server's conditional rule)
    await row.locator('a').click();
    const form = page.locator('rv-task-view rv-json-form');
    await form.locator('form').waitFor();
    await page.locator('rv-task-view rv-diagram .djs-element.rv-current').first().waitFor();
    await form.getByRole('radio', { name: decision.return.fa }).check();
    await form.getByRole('button', { name: 'تکمیل وظیفه' }).click();
    // then: the client asks for comments first
    const commentsError = form.locator('[data-field="comments"]');
    await commentsError.waitFor();
    expect(await commentsError.textContent()).to.equal(reviewForm['x-errors'].comments.fa);

    // when: two characters pass the client but not the server (minLength 3 inside if/then)
    await form.getByRole('textbox', { name: 'ملاحظات' }).fill('نه');
    await form.getByRole('button', { name: 'تکمیل وظیفه' }).click();
    // then: the server's 422 message is shown on the field
    await page.waitForFunction(
      () =>
        !!document
          .querySelector('rv-task-view rv-json-form')
          ?.shadowRoot?.querySelector('[data-field="comments"]'),
    );
    expect(await commentsError.textContent()).to.contain('ملاحظات');
    await page.screenshot({ path: screenshotPath('task-form-fa') });

    // given: leadership watches the dashboard in a second browser context
    const leader = await signIn('leader');
    await leader.click('rv-app [data-nav="dashboard"]');
    await leader.waitForFunction(() => !!document.querySelector('rv-dashboard [data-updated]'));
    await leader.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    const legal = organisationGroups.find((g) => g.id === 'legal')!.name.fa;
    const legalRow = leader.locator('rv-dashboard rv-chart table tr', { hasText: legal });
    expect(await legalRow.count()).to.equal(0);

    // when: approve instead
    await form.getByRole('radio', { name: decision.approve.fa }).check();
    await form.getByRole('button', { name: 'تکمیل وظیفه' }).click();
    // then: the task is done, the inbox no longer lists it, the next task belongs to legal
    await page.waitForURL(`${server.url}/inbox`);
    await row.waitFor({ state: 'detached' });
    const open = (await server.runtime.listTasks({ instanceId: instance.id })).items;
    expect(open.map((x) => x.elementId)).to.deep.equal(['review-legal']);
    // and the leadership dashboard counts the legal directorate's new task, without a reload
    await legalRow.waitFor({ state: 'attached' });
    expect(toNumber(await legalRow.locator('td').first().textContent())).to.equal(1);
    expect(await leader.evaluate(() => (window as unknown as { marker?: number }).marker)).to.equal(1);
  });

  it('should show the inbox and task form in English, and drop a task another user claims without reload', async () => {
    // given
    const { review } = await policyAtReview('Media accreditation policy');
    const page = await signIn('staff.english');
    expect(await page.getAttribute('html', 'dir')).to.equal('ltr');
    await page.click('rv-app [data-nav="inbox"]');
    await page.click('rv-inbox [data-view="group"]');
    await page.locator(`rv-inbox li[data-task="${review.id}"] a`).click();
    const form = page.locator('rv-task-view rv-json-form');
    await form.locator('form').waitFor();
    await page.locator('rv-task-view rv-diagram .djs-element.rv-current').first().waitFor();
    await form.getByRole('button', { name: 'Complete task' }).click();
    await form.locator('[data-field="decision"]').waitFor();
    expect(await form.locator('[data-field="decision"]').textContent()).to.equal(
      reviewForm['x-errors'].decision.en,
    );
    await page.screenshot({ path: screenshotPath('task-form-en') });
    // a comment for the colleagues
    const comments = page.locator('rv-task-view rv-comments');
    await comments.getByLabel('New comment').fill('Please check the legal basis first.');
    await comments.getByRole('button', { name: 'Add comment' }).click();
    await comments.locator('[data-comment]', { hasText: 'Please check the legal basis first.' }).waitFor();
    await page.click('rv-app [data-nav="inbox"]');
    const row = page.locator(`rv-inbox li[data-task="${review.id}"]`);
    await row.waitFor();
    await page.screenshot({ path: screenshotPath('inbox-en') });

    // when: a colleague in the same group claims it
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await server.runtime.claimTask(review.id, {
      id: 'staff.dari',
      groups: ['plan-policy'],
      roles: ['staff'],
    });
    // then: it leaves the list with a quiet notice, and the page was not reloaded
    await row.waitFor({ state: 'detached' });
    await page.locator('rv-notices [data-notice]', { hasText: 'Task left the list' }).waitFor();

    // when: new work for the group arrives
    const next = await server.runtime.start({ key: 'policy-approval', variables: {} }, SYSTEM_ACTOR);
    const [draft] = (await server.runtime.listTasks({ instanceId: next.id })).items;
    // then: it appears with a quiet notice, still without a reload
    await page.locator(`rv-inbox li[data-task="${draft!.id}"]`).waitFor();
    await page.locator('rv-notices [data-notice]', { hasText: 'New task' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).to.equal(42);
  });

  it('should claim several tasks at once', async () => {
    // given
    const a = await policyAtReview('Bulk policy A');
    const b = await policyAtReview('Bulk policy B');
    const page = await signIn('staff.english');
    await page.click('rv-app [data-nav="inbox"]');
    await page.click('rv-inbox [data-view="group"]');
    for (const { review } of [a, b]) {
      await page.locator(`rv-inbox li[data-task="${review.id}"] input[type="checkbox"]`).check();
    }
    // when
    await page.click('rv-inbox [data-action="bulk-claim"]');
    // then
    await page.locator('rv-notices [data-notice]', { hasText: '2 done, 0 failed' }).waitFor();
    await page.click('rv-inbox [data-view="mine"]');
    await page.locator(`rv-inbox li[data-task="${a.review.id}"]`).waitFor();
    await page.locator(`rv-inbox li[data-task="${b.review.id}"]`).waitFor();
    expect((await server.runtime.getTask(a.review.id)).assignee).to.equal('staff.english');
  });

  it('should find a task by its reference among more open tasks than one page holds', async () => {
    // given the oldest of 56 new group tasks: "newest first" leaves it off the first page of 50
    const started = async (businessKey: string) => {
      const instance = await server.runtime.start(
        { key: 'policy-approval', businessKey, variables: {} },
        SYSTEM_ACTOR,
      );
      return (await server.runtime.listTasks({ instanceId: instance.id })).items[0]!;
    };
    const needle = await started('FIND-ME-1405');
    let newest = needle;
    for (let i = 0; i < 55; i++) newest = await started(`FILLER-${i}`);
    const page = await signIn('staff.english');
    await page.click('rv-app [data-nav="inbox"]');
    await page.click('rv-inbox [data-view="group"]');
    await page.selectOption('rv-inbox select[name="sort"]', '-createdAt');
    await page.locator(`rv-inbox li[data-task="${newest.id}"]:first-of-type`).waitFor();
    expect(await page.locator(`rv-inbox li[data-task="${needle.id}"]`).count()).to.equal(0);
    // when
    await page.fill('rv-inbox input[name="q"]', 'find-me-1405');
    // then the server searched all open tasks
    await page.locator(`rv-inbox li[data-task="${needle.id}"]:first-of-type`).waitFor();
    await page.locator(`rv-inbox li[data-task="${newest.id}"]`).waitFor({ state: 'detached' });
    expect(await page.locator('rv-inbox li[data-task]').count()).to.equal(1);
  });

  it('should update the leadership dashboard live when an instance starts', async () => {
    // given
    const page = await signIn('leader');
    await page.click('rv-app [data-nav="dashboard"]');
    const running = page.locator('rv-dashboard tr[data-process="policy-approval"] td[data-count="running"]');
    await running.waitFor();
    await page.waitForFunction(() => !!document.querySelector('rv-dashboard [data-updated]'));
    const before = toNumber(await running.textContent());
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
    // when
    await server.runtime.start({ key: 'policy-approval', variables: {} }, SYSTEM_ACTOR);
    // then
    await page.waitForFunction(
      ({ before, digits }) => {
        const text = document.querySelector(
          'rv-dashboard tr[data-process="policy-approval"] td[data-count="running"]',
        )?.textContent;
        const n = Number(
          (text ?? '').replace(/[۰-۹]/g, (d) => String(digits.indexOf(d))).replace(/[^\d]/g, ''),
        );
        return n === before + 1;
      },
      { before, digits: PERSIAN_DIGITS },
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).to.equal(7);
    // the heatmap shows the waiting tokens of the busiest process on its diagram
    await page.locator('rv-dashboard rv-diagram .rv-token-count').first().waitFor();
    await page.screenshot({ path: screenshotPath('dashboard-fa'), fullPage: true });
    // and in English
    await page.click('rv-app [data-action="language"]');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    await page.locator('rv-dashboard h1', { hasText: 'Dashboard' }).waitFor();
    await page.screenshot({ path: screenshotPath('dashboard-en'), fullPage: true });
    // the choice is remembered for this user
    await page.reload();
    await page.waitForSelector('rv-app [data-user]');
    expect(await page.getAttribute('html', 'dir')).to.equal('ltr');

    // when: drilling into one instance
    await page.locator('rv-dashboard .rv-heat li a').first().click();
    // then: its diagram marks where it waits, with its timeline
    await page.locator('rv-instance-view rv-diagram .djs-element.rv-current').first().waitFor();
    await page.locator('rv-instance-view rv-timeline').waitFor();
    await page
      .locator('rv-instance-view table[data-audit] td', { hasText: 'Instance started' })
      .first()
      .waitFor();
    await page.screenshot({ path: screenshotPath('instance-en'), fullPage: true });
  });

  it('should fit a tablet screen without sideways scrolling', async () => {
    // given
    const page = await signIn('leader');
    await page.setViewportSize({ width: 768, height: 1024 });
    // when
    await page.click('rv-app [data-nav="dashboard"]');
    await page.locator('rv-dashboard tr[data-process="policy-approval"]').waitFor();
    await page.locator('rv-dashboard rv-diagram .djs-element').first().waitFor();
    // then
    await page.screenshot({ path: screenshotPath('dashboard-tablet-en') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).to.be.at.most(0);
  });

  it('should let a manager add a task to media-publication, deploy version 2 and start it', async () => {
    // given
    const page = await signIn('manager');
    await page.click('rv-app [data-nav="modeller"]');
    await page.selectOption('rv-modeller select[name="process"]', 'media-publication');
    const flow = page.locator('rv-modeller .djs-element[data-element-id="flow-to-check"]');
    // a horizontal flow has no height, so playwright never calls it visible
    await flow.waitFor({ state: 'attached' });
    await page.screenshot({ path: screenshotPath('modeller-fa') });
    // the properties panel (in Dari, like the rest of the page) edits the Camunda extensions of a user task
    await page.click('rv-modeller .djs-element[data-element-id="check-media-item"]');
    await page
      .locator('rv-modeller .rv-properties .bio-properties-panel-group-header', {
        hasText: 'تعیین مسئول',
      })
      .waitFor();
    await page
      .locator('rv-modeller .rv-properties .bio-properties-panel-group-header', {
        hasText: 'تعیین مسئول',
      })
      .click();
    expect(
      await page.locator('rv-modeller .rv-properties').getByLabel('گروه‌های نامزد').inputValue(),
    ).to.equal('public-info');

    // when: a change the lint rules refuse (an unknown form key) is deployed
    await page.evaluate(() => {
      const modeler = (window as unknown as { ravandModeller: { get(name: string): any } }).ravandModeller; // eslint-disable-line @typescript-eslint/no-explicit-any
      const element = modeler.get('elementRegistry').get('check-media-item');
      modeler.get('modeling').updateProperties(element, { 'camunda:formKey': 'no-such-form' });
    });
    await page.click('rv-modeller [data-action="deploy"]');
    // then: the deploy is blocked with the error listed on the offending element
    await page
      .locator(
        'rv-modeller [data-lint-list="errors"] li[data-element="check-media-item"][data-rule="ravand/form-key"]',
      )
      .waitFor();
    await page.screenshot({ path: screenshotPath('modeller-error-fa') });
    await page.evaluate(() =>
      (window as unknown as { ravandModeller: { get(name: string): { undo(): void } } }).ravandModeller
        .get('commandStack')
        .undo(),
    );

    // when: drop a new task from the palette onto the flow between drafting and checking
    await page.click('rv-modeller .djs-palette .entry.bpmn-icon-task');
    const box = (await flow.boundingBox())!;
    const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.mouse.move(x - 5, y);
    await page.mouse.move(x, y);
    await page.mouse.click(x, y);
    // bpmn-js opens the label editor on a new task: in Dari it edits the Dari name
    await page.keyboard.type('بازخوانی مورد');
    const taskId = await page.evaluate(() => {
      const modeler = (window as unknown as { ravandModeller: { get(name: string): any } }).ravandModeller; // eslint-disable-line @typescript-eslint/no-explicit-any
      return modeler.get('selection').get()[0].id as string;
    });
    await page.click('rv-modeller .rv-modeller-canvas', { position: { x: 20, y: 20 } });
    await page.locator('rv-modeller .djs-element .djs-visual text', { hasText: 'بازخوانی مورد' }).waitFor();
    // and the English name
    await page.evaluate((id) => {
      const modeler = (window as unknown as { ravandModeller: { get(name: string): any } }).ravandModeller; // eslint-disable-line @typescript-eslint/no-explicit-any
      modeler
        .get('modeling')
        .updateProperties(modeler.get('elementRegistry').get(id), { name: 'Proofread the item' });
    }, taskId);
    await page.click('rv-modeller [data-action="deploy"]');
    // the dropped task overlaps its neighbours: a warning, deployed once confirmed
    await page
      .locator('rv-modeller [data-lint-list="warnings"] li[data-rule="no-overlapping-elements"]')
      .first()
      .waitFor();
    await page.click('rv-modeller [data-action="deploy-anyway"]');
    // then
    await page.waitForURL(`${server.url}/modeller/media-publication/2`);
    const versions = await server.runtime.listVersions('media-publication');
    expect(versions.map((v) => v.version).sort()).to.deep.equal([1, 2]);
    const added = versions
      .find((v) => v.version === 2)!
      .elements.find((e) => e.name.en === 'Proofread the item');
    expect(added, 'the new task is in version 2').to.not.equal(undefined);
    expect(added!.name.fa).to.equal('بازخوانی مورد');

    // when: start an instance of version 2 from the start page (the process has a start form)
    await page.click('rv-app [data-nav="start"]');
    await page.click('rv-start [data-start="media-publication"]');
    const startable = (await (await page.request.get(`${server.url}/api/startable`)).json()) as {
      items: Array<{ key: string; version: number; startForm?: FillerSchema }>;
    };
    const media = startable.items.find((p) => p.key === 'media-publication')!;
    expect(media.version).to.equal(2);
    const startForm = page.locator('rv-start rv-json-form');
    await fillForm(page, startForm, media.startForm!, validData(media.startForm!));
    await startForm.locator('button[type="submit"]').click();
    await page.waitForURL(/\/(inbox\/task|instances)\/[^/]+$/);
    const [, kind, landed] = /\/(inbox\/task|instances)\/([^/]+)$/.exec(page.url())!;
    const instanceId =
      kind === 'instances'
        ? decodeURIComponent(landed!)
        : (await server.runtime.getTask(decodeURIComponent(landed!))).instanceId;
    // then: version 2, with a reference made from the process's pattern
    const instance = await server.runtime.getInstance(instanceId);
    expect(instance.version).to.equal(2);
    expect(instance.businessKey).to.match(/-\d{4}-\d{3}$/);
    await page.goto(`${server.url}/modeller/media-publication/2`);
    // version 2 is on the canvas before comparing (a compare during the import diffs a half-loaded diagram)
    await page.locator('rv-modeller .djs-element .djs-visual text', { hasText: 'بازخوانی مورد' }).waitFor();

    // and the visual diff marks the added task
    await page.click('rv-modeller [data-action="compare"]');
    await page.locator(`rv-bpmn-diff li[data-kind="added"][data-element="${added!.id}"]`).waitFor();
    await page.click('rv-app [data-action="language"]');
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    await page.screenshot({ path: screenshotPath('modeller-diff-en'), fullPage: true });
  });
});
