import fs from 'node:fs';
import { expect } from 'chai';
import type { Actor, Role } from '../../server/engine/types.js';
import type { RunningServer } from '../../server/main.js';
import { screenshotPath } from './helpers/browser.js';
import { OfficeInBrowser } from './helpers/office-in-browser.js';

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);
const actor = (id: string, groups: string[], roles: Role[] = ['staff']): Actor => ({ id, groups, roles });

describe('client/documents (end to end, real server and Chromium)', function () {
  this.timeout(300_000);
  let office: OfficeInBrowser;
  let server: RunningServer;
  const signIn = (username: string) => office.signIn(username, { acceptDownloads: true });

  const openTask = async (instanceId: string, elementId: string) => {
    const { items } = await server.runtime.listTasks({ instanceId });
    const task = items.find((t) => t.elementId === elementId);
    expect(task, `${elementId} open`).to.not.equal(undefined);
    return task!;
  };

  before(async () => {
    office = await OfficeInBrowser.start();
    server = office.server;
    await office.addPeople(
      { id: 'drafter', roles: ['staff'], groups: ['plan-policy'] },
      { id: 'reviewer', roles: ['staff'], groups: ['plan-policy'], language: 'en' },
      { id: 'manager', roles: ['manager'], groups: ['deputy'] },
    );
  });

  after(() => office?.stop());

  it('should let the drafter attach a PDF, the reviewer open and download it, and keep both versions after a return', async () => {
    // given a policy draft waiting for the drafter
    const drafterActor = actor('drafter', ['plan-policy']);
    const instance = await server.runtime.start({ key: 'policy-approval', variables: {} }, drafterActor);
    const draft = await openTask(instance.id, 'draft-policy');
    const drafter = await signIn('drafter');

    // when the drafter attaches the draft as a PDF from the task
    await drafter.goto(`${server.url}/inbox/task/${encodeURIComponent(draft.id)}`);
    await drafter.waitForSelector('rv-documents form[data-form="new"]');
    await drafter.setInputFiles('rv-documents form[data-form="new"] input[type="file"]', {
      name: 'پیش‌نویس پالیسی ثبت شکایات.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('first draft'),
    });
    await drafter.fill('rv-documents form[data-form="new"] input[name="reason"]', 'نخستین پیش‌نویس');
    await drafter.click('rv-documents form[data-form="new"] button[type="submit"]');
    await drafter.waitForSelector('rv-documents li.doc li[data-version="1"]');
    await drafter.screenshot({ path: screenshotPath('documents-task-fa'), fullPage: true });
    const [doc] = (await fetchDocuments(instance.id)) as { id: string }[];
    await server.runtime.completeTask(
      draft.id,
      {
        title: 'Complaint registration policy',
        policyType: 'strategic',
        changeType: 'new',
        summary: 'How complaints are registered.',
        policyText: 'See the attached draft.',
      },
      drafterActor,
    );

    // then the reviewer sees it in the review task, previews and downloads it
    const review = await openTask(instance.id, 'review-directorate');
    const reviewer = await signIn('reviewer');
    await reviewer.goto(`${server.url}/inbox/task/${encodeURIComponent(review.id)}`);
    await reviewer.waitForSelector(`rv-documents li[data-document="${doc!.id}"] li[data-version="1"]`);
    await reviewer.click(
      `rv-documents li[data-document="${doc!.id}"] li[data-version="1"] button[data-action="preview"]`,
    );
    await reviewer.waitForSelector('rv-documents .preview iframe');
    const [download] = await Promise.all([
      reviewer.waitForEvent('download'),
      reviewer.click(
        `rv-documents li[data-document="${doc!.id}"] li[data-version="1"] a[data-action="download"]`,
      ),
    ]);
    // the Dari name arrives whole; Chromium itself saves the zero-width non-joiner (U+200C) as `_`
    expect(download.suggestedFilename().replace('_', '\u200c')).to.equal('پیش‌نویس پالیسی ثبت شکایات.pdf');
    expect(Buffer.compare(fs.readFileSync((await download.path())!), pdf('first draft'))).to.equal(0);
    await reviewer.screenshot({ path: screenshotPath('documents-review-en'), fullPage: true });

    // when the reviewer returns it and the drafter uploads a new version from the revision task
    await server.runtime.completeTask(
      review.id,
      { decision: 'return', comments: 'Add the appeal deadlines.' },
      actor('reviewer', ['plan-policy']),
    );
    const revise = await openTask(instance.id, 'draft-policy');
    await drafter.goto(`${server.url}/inbox/task/${encodeURIComponent(revise.id)}`);
    const docSel = `rv-documents li[data-document="${doc!.id}"]`;
    await drafter.waitForSelector(`${docSel} li[data-version="1"]`);
    await drafter.click(`${docSel} button[data-action="new-version"]`);
    await drafter.setInputFiles(`${docSel} form[data-form="${doc!.id}"] input[type="file"]`, {
      name: 'پیش‌نویس پالیسی - نسخه دوم.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('second draft'),
    });
    await drafter.fill(
      `${docSel} form[data-form="${doc!.id}"] input[name="reason"]`,
      'میعاد استیناف افزوده شد',
    );
    await drafter.click(`${docSel} form[data-form="${doc!.id}"] button[type="submit"]`);
    await drafter.waitForSelector(`${docSel} li[data-version="2"]`);

    // then the instance shows both versions, with who and when
    const manager = await signIn('manager');
    await manager.goto(`${server.url}/dashboard/instance/${instance.id}`);
    await manager.waitForSelector(`${docSel} li[data-version="2"]`);
    const versions = await manager.$$eval(`${docSel} li[data-version]`, (els) =>
      els.map((el) => ({
        version: el.getAttribute('data-version'),
        by: el.querySelector('[data-by]')?.getAttribute('data-by'),
        when:
          el.querySelector('rv-date')?.textContent?.trim() ||
          el.querySelector('rv-date')?.shadowRoot?.textContent?.trim(),
      })),
    );
    expect(versions.map((v) => [v.version, v.by])).to.deep.equal([
      ['2', 'drafter'],
      ['1', 'drafter'],
    ]);
    for (const v of versions) expect(v.when, 'a date is shown').to.be.a('string').and.not.equal('');
    await manager.screenshot({ path: screenshotPath('documents-instance-fa'), fullPage: true });
  });

  it('should attach the trip authorization letter on approval, and the verify page should confirm it and refuse a tampered copy', async () => {
    // given a trip request approved all the way
    const system = actor('trip.requester', ['public-info']);
    const trip = await server.runtime.start(
      {
        key: 'trip-authorization',
        variables: {
          requestingDirectorate: 'public-info',
          travellers: [
            { name: 'زهرا احمدی', position: 'رئیس اطلاعات و آگاهی عامه', directorate: 'public-info' },
          ],
          eventName: 'Regional workshop on electoral dispute communication',
          eventType: 'workshop',
          hostCountry: 'Indonesia',
          hostCity: 'Jakarta',
          departureDate: '2027-03-10',
          returnDate: '2027-03-14',
          funding: 'host',
          estimatedCost: 0,
          currency: 'USD',
          purpose: 'Learn how other complaint bodies explain their decisions.',
        },
      },
      system,
    );
    const complete = async (elementId: string, data: Record<string, unknown>, group: string) =>
      server.runtime.completeTask(
        (await openTask(trip.id, elementId)).id,
        data,
        actor(`${group}.officer`, [group]),
      );
    await complete(
      'check-directorate',
      { decision: 'approve', invitationVerified: true },
      'foreign-relations',
    );
    await complete('approve-deputy', { decision: 'approve' }, 'deputy');
    await complete('approve-leadership', { leadershipDecision: 'approve' }, 'leadership');

    // then the letter is a document of the instance, shown with its number and verification code
    const manager = await signIn('manager');
    await manager.goto(`${server.url}/dashboard/instance/${trip.id}`);
    const letterSel = `rv-documents li[data-document="${trip.id}:trip-authorization"]`;
    await manager.waitForSelector(`${letterSel} [data-code]`);
    const code = (await manager.textContent(`${letterSel} [data-code]`))!.trim();
    const badge = (await manager.textContent(`${letterSel} .badge`))!;
    const number = /FR-\d{4}-\d{4}/.exec(badge)![0];
    await manager.screenshot({ path: screenshotPath('documents-letter-fa'), fullPage: true });
    expect(await fetchDocuments(trip.id)).to.have.length(1);
    const bytes = await readLetter(trip.id);

    // when anyone opens the verify page (no sign-in)
    const visitor = await office.newPage({ viewport: { width: 390, height: 844 } }, 'visitor');
    await visitor.goto(`${server.url}/verify/${code}`);
    // then it says which letter was issued, when and by whom, in Dari and English
    expect(await visitor.getAttribute('main', 'data-verdict')).to.equal('issued');
    expect(await visitor.textContent('section[lang="fa"]')).to.include(`مکتوب شمارهٔ ${number}`);
    expect(await visitor.textContent('section[lang="en"]')).to.include(`Letter No. ${number} was issued`);
    expect(await visitor.textContent('section[lang="en"]')).to.include('Directorate of Foreign Relations');
    await visitor.screenshot({ path: screenshotPath('verify-issued-390'), fullPage: true });

    // when the genuine file is compared, then it matches; when a tampered copy is, then it is refused
    await visitor.setInputFiles('section[lang="en"] input[type="file"]', {
      name: 'letter.pdf',
      mimeType: 'application/pdf',
      buffer: bytes,
    });
    await Promise.all([
      visitor.waitForNavigation(),
      visitor.click('section[lang="en"] button[type="submit"]'),
    ]);
    expect(await visitor.getAttribute('main', 'data-verdict')).to.equal('match');
    const tampered = Buffer.from(bytes);
    tampered[tampered.length - 200] ^= 1;
    await visitor.setInputFiles('section[lang="en"] input[type="file"]', {
      name: 'letter.pdf',
      mimeType: 'application/pdf',
      buffer: tampered,
    });
    await Promise.all([
      visitor.waitForNavigation(),
      visitor.click('section[lang="en"] button[type="submit"]'),
    ]);
    expect(await visitor.getAttribute('main', 'data-verdict')).to.equal('changed');
    expect(await visitor.textContent('section[lang="fa"]')).to.include('یکسان نیست');
    await visitor.screenshot({ path: screenshotPath('verify-changed-390'), fullPage: true });
    await visitor.goto(`${server.url}/verify/AAAA-BBBB-CCCC`);
    expect(await visitor.getAttribute('main', 'data-verdict')).to.equal('unknown');
  });

  /** The documents of an instance, read as the API gives them (through a signed-in manager session). */
  async function fetchDocuments(instanceId: string): Promise<unknown[]> {
    const { MongoDocumentStore } = await import('../../server/persistence/document-store.js');
    return new MongoDocumentStore(server.db.conn).forInstance(instanceId);
  }

  async function readLetter(instanceId: string): Promise<Buffer> {
    const { MongoDocumentStore } = await import('../../server/persistence/document-store.js');
    const store = new MongoDocumentStore(server.db.conn);
    const [doc] = await store.forInstance(instanceId);
    const v = doc!.versions.at(-1)!;
    return store.readFile(v.fileId, v.size);
  }
});
