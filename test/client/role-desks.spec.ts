import { expect } from 'chai';
import { request, type APIRequestContext } from 'playwright-core';
import { errorCatalogue } from '../../schemas/errors.js';
import type { Actor, InstanceSummary } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { demoUsers } from '../../server/seed/organisation.js';
import { screenshotPath } from './helpers/browser.js';
import { formSchema, validData } from './helpers/form-filler.js';
import { OfficeInBrowser, PASSWORD } from './helpers/office-in-browser.js';

describe('client/role desks (instance search, parent and child links, instance comments, auditor desk)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  let server: RunningServer;
  let parent: InstanceSummary;
  let child: InstanceSummary;
  let unrelated: InstanceSummary;
  const readers: APIRequestContext[] = [];

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addDemoUsers(['plan-policy.head', 'plan-policy.officer', 'auditor', 'legal.officer']);
    // given: a policy approved up to its implementation (a child instance), each step by another person
    const draft = validData(formSchema('policy-request'));
    parent = await server.runtime.start(
      { key: 'policy-approval', businessKey: 'POL-1405-042', variables: draft },
      { id: 'plan-policy.officer', groups: ['plan-policy'], roles: ['staff'] },
    );
    for (let step = 0; step < 20; step++) {
      await server.runtime.idle();
      // a service task (the approval notice letter) may still be at work: wait for the next task or the child
      let task: Awaited<ReturnType<typeof server.runtime.listTasks>>['items'][number] | undefined;
      for (let poll = 0; poll < 300 && !task && !child; poll++) {
        const children = await server.runtime.listInstances({ parentId: parent.id, limit: 5 });
        if (children.items.length) child = children.items[0]!;
        else [task] = (await server.runtime.listTasks({ instanceId: parent.id, limit: 10 })).items;
        if (!task && !child) await new Promise((r) => setTimeout(r, 100));
      }
      if (child) break;
      if (!task) throw new Error('the policy stopped before its implementation');
      const group = task.candidateGroups[0]!;
      const actor: Actor = { id: `${group}.person${step}`, groups: [group], roles: ['staff'] };
      await server.runtime.completeTask(
        task.id,
        task.formKey ? validData(formSchema(task.formKey)) : {},
        actor,
      );
    }
    expect(child, 'the implementation (child) instance').to.not.equal(undefined);
    unrelated = await server.runtime.start(
      {
        key: 'policy-approval',
        businessKey: 'POL-1405-043',
        variables: validData(formSchema('policy-request')),
      },
      { id: 'plan-policy.officer', groups: ['plan-policy'], roles: ['staff'] },
    );
    parent = await server.runtime.getInstance(parent.id);
  });

  after(async () => {
    for (const r of readers) await r.dispose().catch(() => undefined);
    await office?.stop();
  });

  const signIn = (username: string) => office.signIn(username);

  it('should let a manager find an instance by its reference and go from parent to child and back', async () => {
    // given
    const page = await signIn('plan-policy.head');
    await page.click('rv-app [data-nav="instances"]');
    const search = page.locator('rv-instance-search');
    // given: the unfiltered list shows the unrelated policy too
    await search.locator(`tr[data-instance="${unrelated.id}"]`).waitFor();
    // when: searching by the parent's reference
    await search.locator('[data-filter="q"]').fill(parent.businessKey!);
    await search.locator('[data-action="search"]').click();
    // then: the parent is listed, and nothing but the policy and its implementation (which carries its title)
    await search.locator(`tr[data-instance="${unrelated.id}"]`).waitFor({ state: 'detached' });
    const row = search.locator(`tr[data-instance="${parent.id}"]`);
    await row.waitFor();
    const listed = await search
      .locator('tr[data-instance]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-instance')));
    expect(listed).to.include.members([parent.id]);
    for (const id of listed) expect([parent.id, child.id]).to.include(id);
    await page.screenshot({ path: screenshotPath('instances-search-fa') });
    // when: opening it
    await row.locator('a').click();
    // then: the child is linked, and the child links back to its parent
    const childLink = page.locator(`rv-instance-page [data-child="${child.id}"] a`);
    await childLink.waitFor();
    await page.locator(`rv-instance-view article[data-instance="${parent.id}"]`).waitFor();
    await page.screenshot({ path: screenshotPath('instance-parent-fa') });
    await childLink.click();
    await page.locator(`rv-instance-view article[data-instance="${child.id}"]`).waitFor();
    const parentLink = page.locator(`rv-instance-page [data-parent] a[data-link="${parent.id}"]`);
    await parentLink.waitFor();
    expect(await parentLink.textContent()).to.contain(parent.businessKey!);
  });

  it('should show a comment written on another task of the instance live, with its task and author', async () => {
    // given: the manager watches the parent instance
    const page = await signIn('plan-policy.head');
    await page.goto(`${server.url}/instances/${encodeURIComponent(parent.id)}`);
    await page.locator(`rv-instance-view article[data-instance="${parent.id}"]`).waitFor();
    const comments = page.locator('rv-instance-page rv-comments');
    await comments.locator('form').waitFor();
    // when: the manager writes one in the page
    await comments.locator('textarea').fill('بررسی شد و درست است.');
    await comments.locator('button[type="submit"]').click();
    // (shown, so stored: the second must come after it)
    await comments.locator('li[data-comment]').first().waitFor();
    // and: another session writes one on the instance through the API (it must arrive live)
    const manager = await request.newContext({ baseURL: server.url });
    readers.push(manager);
    await manager.post('/api/auth/login', { data: { username: 'plan-policy.head', password: PASSWORD } });
    const csrf = (await manager.storageState()).cookies.find((c) => c.name === 'rv_csrf')?.value ?? '';
    const res = await manager.post(`/api/instances/${encodeURIComponent(parent.id)}/comments`, {
      data: { text: 'نظر دوم از جلسه.' },
      headers: { 'x-csrf-token': csrf },
    });
    expect(res.status()).to.equal(201);
    // then: both show, oldest first, with the author's name (not the account id)
    await comments.locator('li[data-comment]').nth(1).waitFor();
    const texts = await comments.locator('li[data-comment] .text').allTextContents();
    expect(texts).to.deep.equal(['بررسی شد و درست است.', 'نظر دوم از جلسه.']);
    const author = await comments.locator('li[data-comment] [data-author]').first().textContent();
    expect(author).to.contain(demoUsers().find((u) => u.username === 'plan-policy.head')!.name.fa);
  });

  it('should let the auditor verify the chain with a verdict, search the trail by instance and export it', async () => {
    // given
    const page = await signIn('auditor');
    await page.waitForURL(`${server.url}/audit`);
    const desk = page.locator('rv-audit-desk');
    // when: verifying
    await desk.locator('[data-action="verify"]').click();
    // then: a verdict that the chain is intact
    await desk.locator('[data-verdict="ok"]').waitFor();
    // and: the unfiltered trail comes newest first
    await desk.locator('tr[data-seq]').first().waitFor();
    const seqs = (
      await desk.locator('tr[data-seq]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-seq')))
    ).map(Number);
    expect(seqs.length).to.be.greaterThan(1);
    expect(seqs).to.deep.equal([...seqs].sort((a, b) => b - a));
    // when: searching the trail of the child instance
    await desk.locator('[data-filter="instanceId"]').fill(child.id);
    await desk.locator('[data-action="search"]').click();
    // then: only its entries (the unfiltered trail holds the other instances' too)
    await page.waitForFunction((id) => {
      const rows = [
        ...(document.querySelector('rv-audit-desk')?.shadowRoot?.querySelectorAll('tr[data-seq]') ?? []),
      ];
      return (
        rows.length > 0 &&
        rows.every((r) => r.querySelector('td:nth-child(5) a')?.getAttribute('data-instance') === id)
      );
    }, child.id);
    // and: a person reads the instance by its reference and process, the step by its name (ids on hover)
    const cells = await desk.locator('tr[data-seq] td:nth-child(5)').allTextContents();
    const implementation = await server.runtime.getProcessModel(child.key, child.version);
    for (const text of cells) {
      expect(text).to.not.contain(child.id);
      expect(text).to.contain(implementation.name.fa);
      if (child.businessKey) expect(text).to.contain(child.businessKey);
    }
    const steps = await desk
      .locator('tr[data-seq] td:nth-child(6) [data-element]')
      .evaluateAll((els) => els.map((el) => [el.getAttribute('data-element'), el.textContent?.trim()]));
    expect(steps.length).to.be.greaterThan(0);
    for (const [element, text] of steps) expect(text).to.equal(implementation.stepNames![element!]!.fa);
    // and: the export link carries the filter
    const href = await desk.locator('[data-export]').getAttribute('href');
    expect(href).to.contain(`instanceId=${encodeURIComponent(child.id)}`);
    expect(href).to.contain('lang=fa');
    const csv = await page.request.get(`${server.url}${href!}`);
    expect(csv.headers()['content-type']).to.contain('text/csv');
    // and: in Dari, with the process named beside the instance id
    const text = await csv.text();
    expect(text.startsWith('\uFEFFشماره,')).to.equal(true);
    expect(text).to.contain(`,${child.id},`);
    expect(text).to.contain(implementation.name.fa);
    await page.screenshot({ path: screenshotPath('audit-desk-fa') });
  });

  it('should show the four-eyes refusal when the drafter opens the review of their own draft', async () => {
    // given: plan-policy.officer drafted a policy; its directorate review is barred to them
    const drafter: Actor = { id: 'plan-policy.officer', groups: ['plan-policy'], roles: ['staff'] };
    const own = await server.runtime.start(
      {
        key: 'policy-approval',
        businessKey: 'POL-1405-044',
        variables: validData(formSchema('policy-request')),
      },
      drafter,
    );
    await server.runtime.idle();
    const [draft] = (await server.runtime.listTasks({ instanceId: own.id, limit: 5 })).items;
    await server.runtime.completeTask(draft!.id, validData(formSchema(draft!.formKey!)), drafter);
    await server.runtime.idle();
    const [review] = (await server.runtime.listTasks({ instanceId: own.id, limit: 5 })).items;
    expect(review!.elementId).to.equal('review-directorate');
    // when: the drafter opens it by its address (the inbox does not offer it) and tries to claim it
    const page = await signIn('plan-policy.officer');
    await page.goto(`${server.url}/inbox/task/${encodeURIComponent(review!.id)}`);
    await page.locator(`rv-task-view article[data-task="${review!.id}"] [data-action="claim"]`).click();
    // then: the server's refusal in Dari, and the form stays shut
    const alert = page.locator('rv-task-view [data-error="RV_ERR_SEPARATION_OF_DUTIES"]');
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).to.equal(errorCatalogue.RV_ERR_SEPARATION_OF_DUTIES.fa);
    expect(await page.locator('rv-task-view rv-json-form button[type="submit"]').isDisabled()).to.equal(true);
    await page.screenshot({ path: screenshotPath('four-eyes-fa') });
  });
});
