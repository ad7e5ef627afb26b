import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { SYSTEM_ACTOR } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { OfficeInBrowser, PASSWORD } from './helpers/office-in-browser.js';

const MODELLER_CHUNK = /\/assets\/rv-modeller-[^/]+\.js$/;
/** bpmn-js's viewer: its own small module and the chunk of bpmn-js it shares with the modeller. */
const VIEWER_CHUNK = /\/assets\/(navigated-viewer|bpmn-viewer)-[^/]+\.js$/;

/** What each first view fetches: the inbox never pays for the modeller, nor for bpmn-js before a diagram. */
describe('client (chunks loaded per view, real server and Chromium)', function () {
  this.timeout(240_000);
  let office: OfficeInBrowser;
  let server: RunningServer;

  /** A page signed in as `username` (through the API), recording every URL it requests. */
  async function signedIn(username: string): Promise<{ page: Page; requested: string[] }> {
    const page = await office.newPage({}, `browser ${username}`);
    const res = await page.context().request.post(`${server.url}/api/auth/login`, {
      data: { username, password: PASSWORD },
    });
    expect(res.ok(), await res.text()).to.equal(true);
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    return { page, requested };
  }

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addPeople(
      { id: 'staff.lazy', roles: ['staff'], groups: ['plan-policy'], language: 'en' },
      { id: 'manager.lazy', roles: ['manager'], groups: ['deputy'], language: 'en' },
    );
    await server.runtime.start(
      { key: 'policy-approval', businessKey: 'Lazy chunks', variables: {} },
      SYSTEM_ACTOR,
    );
  });

  after(() => office?.stop());

  it('should show the inbox without fetching the modeller or the diagram viewer, and fetch the viewer for a task', async () => {
    // given a staff member
    const { page, requested } = await signedIn('staff.lazy');
    // when the inbox shows its first task
    await page.goto(`${server.url}/inbox`);
    await page.locator('rv-inbox li[data-task] a').first().waitFor();
    await page.waitForLoadState('networkidle');
    // then neither the modeller nor bpmn-js was fetched
    expect(requested.filter((u) => MODELLER_CHUNK.test(u))).to.deep.equal([]);
    expect(requested.filter((u) => VIEWER_CHUNK.test(u))).to.deep.equal([]);
    // when the task is opened, its diagram loads the viewer (and still not the modeller)
    await page.locator('rv-inbox li[data-task] a').first().click();
    await page.locator('rv-task-view rv-diagram .djs-element.rv-current').first().waitFor();
    expect(requested.filter((u) => VIEWER_CHUNK.test(u))).to.have.length.greaterThan(0);
    expect(requested.filter((u) => MODELLER_CHUNK.test(u))).to.deep.equal([]);
  });

  it('should fetch the modeller chunk when the modeller view opens', async () => {
    // given a manager
    const { page, requested } = await signedIn('manager.lazy');
    // when the modeller opens
    await page.goto(`${server.url}/modeller`);
    await page.locator('rv-modeller .djs-container').first().waitFor();
    // then its chunk was fetched, once
    expect(requested.filter((u) => MODELLER_CHUNK.test(u))).to.have.length(1);
  });
});
