import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { buildTestPage, launchChromium, serveDir } from './helpers/browser.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const pageDir = path.join(here, 'fixtures', 'form-page');
const schema = JSON.parse(fs.readFileSync(path.join(pageDir, 'all-fields.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('client/components/rv-json-form', function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };
  let outDir: string;
  let page: Page;

  before(async () => {
    outDir = await buildTestPage(pageDir);
    server = await serveDir(outDir);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
  });

  afterEach(async () => {
    await page?.close();
  });

  /** Mounts the form with the schema in the given language; submitted data lands in window.submitted. */
  async function mount(lang: 'fa' | 'en', value: Record<string, unknown> = {}) {
    await page.evaluate(
      ({ schema, lang, value }) => {
        window.ravandTest.i18n.setLang(lang);
        document.body.innerHTML = '';
        const form = document.createElement('rv-json-form');
        form.schema = schema;
        form.value = value;
        form.submitLabel = lang === 'fa' ? 'ارسال' : 'Send';
        form.addEventListener('rv-submit', (e) => {
          (window as unknown as { submitted: unknown }).submitted = (e as CustomEvent).detail.data;
        });
        document.body.append(form);
      },
      { schema, lang, value },
    );
    await page.waitForSelector('rv-json-form form');
  }

  const submit = () => page.click('rv-json-form button[type="submit"]');
  const errorText = (field: string) => page.locator(`rv-json-form [data-field="${field}"]`).textContent();

  it('should render every field type with a label in Dari', async () => {
    // given / when
    await mount('fa');
    // then
    expect(await page.getAttribute('html', 'dir')).to.equal('rtl');
    expect(await page.getByLabel('عنوان').getAttribute('type')).to.equal('text');
    expect(await page.getByLabel('خلاصه').evaluate((el) => el.tagName)).to.equal('TEXTAREA');
    expect(await page.getByLabel('ایمیل').getAttribute('type')).to.equal('email');
    expect(await page.getByLabel('ویب‌سایت', { exact: true }).first().getAttribute('type')).to.equal('url');
    expect(await page.getByLabel('تاریخ حرکت').getAttribute('placeholder')).to.equal('۱۴۰۵-۰۹-۱۵');
    expect(await page.getByLabel('زمان جلسه').getAttribute('placeholder')).to.equal('۱۴۰۵-۰۹-۱۵');
    expect(await page.getByLabel('ساعت (کابل)').getAttribute('type')).to.equal('time');
    expect(await page.getByLabel('تعداد مسافران').getAttribute('step')).to.equal('1');
    expect(await page.getByLabel('هزینه').getAttribute('type')).to.equal('number');
    expect(await page.getByLabel('عاجل').getAttribute('type')).to.equal('checkbox');
    expect(await page.getByRole('radio', { name: 'تأیید' }).count()).to.equal(1);
    expect(await page.getByRole('radio', { name: 'برگشت' }).count()).to.equal(1);
    expect(await page.getByLabel('تمویل').evaluate((el) => el.tagName)).to.equal('SELECT');
    expect(await page.getByRole('group', { name: 'مجراها' }).getByRole('checkbox').count()).to.equal(3);
    expect(await page.getByRole('group', { name: 'اشخاص' }).count()).to.equal(1);
    expect(await page.getByText('یک عنوان کوتاه').count()).to.equal(1);
  });

  it('should render the labels and options in English', async () => {
    // given / when
    await mount('en');
    // then
    expect(await page.getAttribute('html', 'dir')).to.equal('ltr');
    expect(await page.getByLabel('Title').count()).to.equal(1);
    expect(await page.getByRole('radio', { name: 'Return' }).count()).to.equal(1);
    expect(await page.getByLabel('Funding').locator('option').allTextContents()).to.deep.equal([
      'Choose…',
      'Commission',
      'Host',
      'Partner',
    ]);
    expect(await page.getByRole('checkbox', { name: 'Television' }).count()).to.equal(1);
    expect(await page.getByText('Every kind of field').count()).to.equal(1);
  });

  it('should show required messages in Dari and not submit', async () => {
    // given
    await mount('fa');
    // when
    await submit();
    // then
    await page.waitForSelector('rv-json-form [role="alert"]');
    expect(await errorText('title')).to.equal('پر کردن این بخش لازم است.');
    expect(await errorText('decision')).to.equal('پر کردن این بخش لازم است.');
    expect(await errorText('channels')).to.equal('پر کردن این بخش لازم است.');
    expect(await page.getByLabel('عنوان').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.evaluate(() => (window as unknown as { submitted?: unknown }).submitted)).to.equal(
      undefined,
    );
  });

  it('should show the same messages in English after switching language', async () => {
    // given
    await mount('fa');
    await submit();
    await page.waitForSelector('rv-json-form [data-field="title"]');
    // when
    await page.evaluate(() => window.ravandTest.i18n.setLang('en'));
    // then
    await page.waitForFunction(
      () =>
        document.querySelector('rv-json-form')?.shadowRoot?.querySelector('[data-field="title"]')
          ?.textContent === 'This field is required.',
    );
    expect(await errorText('decision')).to.equal('This field is required.');
  });

  it('should show the custom x-errors message when returning without comments, in both languages', async () => {
    // given
    await mount('en', { title: 'Policy', channels: ['radio'] });
    await page.getByRole('radio', { name: 'Return' }).check();
    // when
    await submit();
    // then
    await page.waitForSelector('rv-json-form [data-field="comments"]');
    expect(await errorText('comments')).to.equal('Comments are required when returning.');
    await page.evaluate(() => window.ravandTest.i18n.setLang('fa'));
    await page.waitForFunction(() =>
      document
        .querySelector('rv-json-form')
        ?.shadowRoot?.querySelector('[data-field="comments"]')
        ?.textContent?.startsWith('در صورت'),
    );
    expect(await errorText('comments')).to.equal('در صورت برگشت، ملاحظات لازم است.');
  });

  it('should explain length, range and format errors', async () => {
    // given
    // (the input's maxlength stops typing past the limit; a prefilled value can still be too long)
    await mount('en', { decision: 'approve', channels: ['tv'], title: 'A title that is far too long' });
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Website').first().fill('example');
    await page.getByLabel('Travellers').fill('9');
    await page.getByRole('button', { name: '+ Add' }).click();
    await page.getByLabel('Age').fill('12');
    // when
    await submit();
    // then
    await page.waitForSelector('rv-json-form [data-field="title"]');
    expect(await errorText('title')).to.equal('Use at most 10 characters.');
    expect(await errorText('email')).to.equal('Enter an email address.');
    expect(await errorText('website')).to.equal('Enter a web address (https://…).');
    expect(await errorText('travellers')).to.equal('Enter a value of at most 5.');
    expect(await errorText('people.0.name')).to.equal('This field is required.');
    expect(await errorText('people.0.age')).to.equal('Enter a value of at least 18.');
  });

  it("should show the server's field errors in the current language", async () => {
    // given
    await mount('fa', { title: 'x' });
    // when: the parent sets the 422 details.errors
    await page.evaluate(() => {
      const form = document.querySelector('rv-json-form')!;
      form.errors = [
        {
          field: '/title',
          keyword: 'pattern',
          message: { fa: 'عنوان تکراری است.', en: 'The title is a duplicate.' },
        },
        { field: '', keyword: 'if', message: { fa: 'فورم ناقص است.', en: 'The form is incomplete.' } },
      ];
    });
    // then
    await page.waitForSelector('rv-json-form [data-field="title"]');
    expect(await errorText('title')).to.equal('عنوان تکراری است.');
    expect(await page.locator('rv-json-form [role="alert"]').textContent()).to.contain('فورم ناقص است.');
    await page.evaluate(() => window.ravandTest.i18n.setLang('en'));
    await page.waitForFunction(
      () =>
        document.querySelector('rv-json-form')?.shadowRoot?.querySelector('[data-field="title"]')
          ?.textContent === 'The title is a duplicate.',
    );
  });

  it('should submit typed, cleaned data when the form is valid', async () => {
    // given
    await mount('en');
    await page.getByLabel('Title').fill('Visit');
    await page.getByLabel('Summary').fill('Two days');
    await page.getByLabel('Departure').fill('1405-09-10');
    await page.getByLabel('Meeting time').fill('1405-09-10');
    await page.getByLabel('Time (Kabul)').fill('09:30');
    await page.getByLabel('Travellers').fill('2');
    await page.getByLabel('Cost').fill('1500.5');
    await page.getByLabel('Urgent').check();
    await page.getByRole('radio', { name: 'Approve' }).check();
    await page.getByLabel('Funding').selectOption('host');
    await page.getByRole('checkbox', { name: 'Television' }).check();
    await page.getByRole('checkbox', { name: 'Website' }).check();
    await page.getByRole('button', { name: '+ Add' }).click();
    await page.getByLabel('Name').fill('Ahmad');
    await page.getByLabel('Age').fill('40');
    // when
    await submit();
    // then
    await page.waitForFunction(() => (window as unknown as { submitted?: unknown }).submitted !== undefined);
    const submitted = await page.evaluate(() => (window as unknown as { submitted: unknown }).submitted);
    expect(submitted).to.deep.equal({
      title: 'Visit',
      summary: 'Two days',
      departure: '2026-12-01',
      meetingAt: '2026-12-01T09:30:00+04:30',
      travellers: 2,
      cost: 1500.5,
      urgent: true,
      decision: 'approve',
      funding: 'host',
      channels: ['website', 'tv'],
      people: [{ name: 'Ahmad', age: 40 }],
    });
  });

  /** The value the form would send now. */
  const formData = () =>
    page.evaluate(() => document.querySelector('rv-json-form')!.data as Record<string, unknown>);

  it('should store 1405-09-15 typed in Dari digits as 2026-12-06 and echo the Gregorian date', async () => {
    // given
    await mount('fa');
    // when
    await page.getByLabel('تاریخ حرکت').fill('۱۴۰۵-۰۹-۱۵');
    // then
    expect((await formData()).departure).to.equal('2026-12-06');
    const echo = page.locator('rv-json-form [data-gregorian="2026-12-06"]');
    expect(await echo.textContent())
      .to.contain('یکشنبه')
      .and.contain('۲۰۲۶');
    // and in English with Latin digits
    await mount('en');
    await page.getByLabel('Departure').fill('1405/9/15');
    expect((await formData()).departure).to.equal('2026-12-06');
    expect(await page.locator('rv-json-form [data-gregorian]').textContent()).to.equal(
      'Sunday, 6 December 2026',
    );
  });

  it('should pick 15 Qaws 1405 in the calendar with the mouse and with the keyboard', async () => {
    // given a Dari form whose departure is 14 Qaws 1405
    await mount('fa', { departure: '2026-12-05' });
    // when the calendar opens
    await page.getByRole('button', { name: 'باز کردن تقویم هجری شمسی' }).first().click();
    // then it shows Qaws 1405 with Afghan names, Friday marked, and focus on the day
    const calendar = page.locator('rv-json-form [data-calendar]');
    await calendar.waitFor();
    expect(await calendar.locator('strong').textContent()).to.equal('قوس ۱۴۰۵');
    expect(
      await page.evaluate(() =>
        document.querySelector('rv-json-form')!.shadowRoot!.activeElement?.getAttribute('data-day'),
      ),
    ).to.equal('2026-12-05');
    expect(await calendar.locator('button[data-day="2026-12-04"]').getAttribute('aria-label')).to.contain(
      'جمعه',
    );
    // when: one day forward is ArrowLeft in right-to-left, then Enter
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Enter');
    // then
    expect((await formData()).departure).to.equal('2026-12-06');
    expect(await page.getByLabel('تاریخ حرکت').inputValue()).to.equal('۱۴۰۵-۰۹-۱۵');
    await calendar.waitFor({ state: 'detached' });

    // when, in English, the month is paged and a day clicked
    await mount('en', { departure: '2026-11-10' });
    await page.getByRole('button', { name: 'Open the Solar Hijri calendar' }).first().click();
    expect(await calendar.locator('strong').textContent()).to.equal('Aqrab 1405');
    await page.keyboard.press('PageDown');
    expect(await calendar.locator('strong').textContent()).to.equal('Qaws 1405');
    await calendar.getByRole('button', { name: /15 Qaws 1405/ }).click();
    // then
    expect((await formData()).departure).to.equal('2026-12-06');
  });

  it('should refuse a date typed as Gregorian in the Solar Hijri field, and text that is not a date', async () => {
    // given
    await mount('en', { decision: 'approve', channels: ['tv'] });
    // when: 2026-12-06 read as Solar Hijri is the year AD 2647, outside the form's window
    await page.getByLabel('Departure').fill('2026-12-06');
    await page.getByLabel('Meeting time').fill('14 Qaws');
    await submit();
    // then
    await page.waitForSelector('rv-json-form [data-field="departure"]');
    expect(await errorText('departure')).to.equal('Enter a date between 1368-10-11 and 1479-10-10.');
    expect(await errorText('meetingAt')).to.equal('Enter a Solar Hijri date (1405-09-15) and a time.');
  });

  it('should give every element of the form its own id, even a field named summary beside the error summary', async () => {
    // given
    await mount('en');
    await submit();
    await page.waitForSelector('rv-json-form [role="alert"]');
    // when
    const ids = await page.evaluate(() =>
      [...document.querySelector('rv-json-form')!.shadowRoot!.querySelectorAll('[id]')].map((e) => e.id),
    );
    // then
    expect(ids.length).to.be.greaterThan(10);
    expect(new Set(ids).size, ids.join(' ')).to.equal(ids.length);
    expect(await page.getByLabel('Summary').evaluate((el) => el.tagName)).to.equal('TEXTAREA');
  });
  it('should require a file in a required file field, in Dari, and send a chosen file as its id and name', async () => {
    // given a form with a required file field, without a case to upload to (as on a start form)
    const fileSchema: Record<string, unknown> = {
      type: 'object',
      properties: {
        draft: {
          type: 'object',
          'x-widget': 'file',
          'x-label': { fa: 'فایل مسوده', en: 'Draft file' },
          properties: { id: { type: 'string', maxLength: 200 }, name: { type: 'string', maxLength: 255 } },
          required: ['id', 'name'],
          additionalProperties: false,
        },
      },
      required: ['draft'],
    };
    const mountFile = (value: Record<string, unknown>) =>
      page.evaluate(
        ({ schema, value }) => {
          window.ravandTest.i18n.setLang('fa');
          document.body.innerHTML = '';
          const form = document.createElement('rv-json-form');
          form.schema = schema;
          form.value = value;
          form.submitLabel = 'ارسال';
          form.addEventListener('rv-submit', (e) => {
            (window as unknown as { submitted: unknown }).submitted = (e as CustomEvent).detail.data;
          });
          document.body.append(form);
        },
        { schema: fileSchema, value },
      );
    await mountFile({});
    await page.waitForSelector('rv-json-form rv-file-field fieldset');
    // when sent empty
    await submit();
    // then the field says it is required and nothing is sent
    await page.waitForSelector('rv-json-form rv-file-field .field-error');
    expect(await page.locator('rv-json-form rv-file-field .field-error').textContent()).to.equal(
      'پر کردن این بخش لازم است.',
    );
    expect(await page.locator('rv-json-form rv-file-field').getAttribute('aria-invalid')).to.equal('true');
    expect(await page.evaluate(() => (window as unknown as { submitted?: unknown }).submitted)).to.equal(
      undefined,
    );
    // when a file is already chosen (a returned draft), then it is a download link and is sent as { id, name }
    await mountFile({ draft: { id: 'doc-1', name: 'مسوده.pdf' } });
    const link = page.locator('rv-json-form rv-file-field li[data-document="doc-1"] a');
    await link.waitFor();
    expect(await link.getAttribute('href')).to.equal('/api/documents/doc-1/versions/1/content');
    await submit();
    await page.waitForFunction(() => (window as unknown as { submitted?: unknown }).submitted !== undefined);
    expect(await page.evaluate(() => (window as unknown as { submitted?: unknown }).submitted)).to.deep.equal(
      {
        draft: { id: 'doc-1', name: 'مسوده.pdf' },
      },
    );
  });
});
