import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { projectRoot } from '../../server/project-root.js';
import type { DocumentRecord } from '../../schemas/documents.js';
import { pdfPageText, renderPdfPage } from '../helpers/pdf.js';
import { useOfficeRuntime } from './story-harness.js';

type LetterVariable = { documentId: string; number: string; code: string };

/** Where the letters' first pages are rendered for a person to look at (not in the repository). */
const SHOTS = path.join(projectRoot(), 'test-results', 'letters');

/**
 * The four letters besides the trip authorization, each issued by its process's service task (`letter-<kind>`)
 * at its step, attached to the case as a document, and typeset so that pdftotext reads the Dari sentences.
 */
describe('processes/office letters (support letter, policy approval notice, information response, SOP audit report)', () => {
  const story = useOfficeRuntime('2026-11-29T05:00:00.000Z'); // Sunday 09:30 Kabul

  /** The letter document the variable names, with the Dari (page 1) and English (page 2) text. */
  async function letterOf(instanceId: string, variable: string, kind: string) {
    const value = (await story.instance(instanceId)).variables[variable] as LetterVariable | undefined;
    expect(value, `${variable} set`).to.not.equal(undefined);
    const docs = await story.documents.forInstance(instanceId);
    const doc = docs.find((d) => d.id === value!.documentId) as DocumentRecord;
    expect(doc).to.deep.include({ kind: 'letter', createdBy: 'system' });
    expect(doc.letter).to.deep.equal({ code: value!.code, number: value!.number, kind });
    const { data } = await story.documents.read(doc.id);
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.writeFileSync(path.join(SHOTS, `${kind}.pdf`), data);
    renderPdfPage(data, 1, path.join(SHOTS, `${kind}-fa`));
    renderPdfPage(data, 2, path.join(SHOTS, `${kind}-en`));
    return { value: value!, doc, fa: pdfPageText(data, 1), en: pdfPageText(data, 2) };
  }

  /**
   * The sentence is in the page's text, in logical order. pdftotext drops the zero-width non-joiner (U+200C) and
   * reads guillemets as drawn (the mirrored glyph, `»…«`, in a right-to-left line), so both are left out of the match.
   */
  const loose = (s: string) => s.replace(/[\s\u200c«»]+/g, '');
  const has = (text: string, sentence: string) => expect(loose(text)).to.include(loose(sentence));

  it('should generate the support letter before the signature, again as a new version after a return, with the same number', async () => {
    // given a proposal approved by the deputy and the letter drafted
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('international-cooperation', {
      partnerName: 'بنیاد آسیا',
      partnerType: 'international-ngo',
      proposalTitle: 'آموزش مامورین شکایات ولایتی',
      cooperationType: 'training',
      summary: 'آموزش دو هفته‌ای برای ۶۸ مامور.',
    });
    await story.complete(id, 'assess-proposal', 'foreign-relations', {
      relevance: 'high',
      assessment: 'با وظیفهٔ هشتم مطابقت دارد.',
      recommendation: 'support',
    });
    await story.complete(id, 'decide-cooperation', 'deputy', { decision: 'approve' });
    const draft = {
      letterLanguage: 'fa',
      addressee: 'رئیس دفتر بنیاد آسیا',
      subject: 'مکتوب حمایت',
      body: 'این آموزش برای ۶۸ مامور ولایتی در سال ۱۴۰۵ برگزار می‌شود.',
    };
    // when the draft is done
    await story.complete(id, 'draft-support-letter', 'foreign-relations', draft);
    // then the letter waits for the leadership's signature, numbered from Foreign Relations' register
    expect(await story.waitingAt(id)).to.deep.equal(['sign-support-letter']);
    const first = await letterOf(id, 'supportLetter', 'support-letter');
    expect(first.value.number).to.match(/^FR-1405-\d{4}$/);
    has(first.fa, 'مکتوب حمایت');
    has(first.fa, 'به: بنیاد آسیا');
    has(first.fa, 'موضوع: حمایت از پیشنهاد «آموزش مامورین شکایات ولایتی»');
    has(
      first.fa,
      'کمیسیون شکایات انتخاباتی از پیشنهاد «آموزش مامورین شکایات ولایتی» که از سوی بنیاد آسیا ارائه شده است، حمایت',
    );
    has(first.fa, 'این آموزش برای ۶۸ مامور ولایتی در سال ۱۴۰۵ برگزار');
    has(first.en, 'Letter of support');
    has(first.en, 'The Electoral Complaints Commission supports the proposal');

    // when the leadership returns it and Foreign Relations redrafts
    await story.complete(id, 'sign-support-letter', 'leadership', {
      decision: 'return',
      comments: 'تاریخ آموزش را بنویسید.',
    });
    await story.complete(id, 'draft-support-letter', 'foreign-relations', {
      ...draft,
      body: 'این آموزش از ۱ جدی تا ۱۴ جدی ۱۴۰۵ در کابل برگزار می‌شود.',
    });
    // then the same letter, same number, has a second generated version with the new text
    const second = await letterOf(id, 'supportLetter', 'support-letter');
    expect(second.value).to.deep.equal(first.value);
    expect(second.doc.versions.map((v) => [v.version, v.origin])).to.deep.equal([
      [1, 'generated'],
      [2, 'generated'],
    ]);
    has(second.fa, 'این آموزش از ۱ جدی تا ۱۴ جدی ۱۴۰۵ در کابل برگزار');

    // when it is signed and dispatched, the process ends
    await story.complete(id, 'sign-support-letter', 'leadership', { decision: 'sign' });
    await story.complete(id, 'dispatch-support-letter', 'foreign-relations', {
      dispatchMethod: 'email',
      dispatchDate: '2026-11-29',
    });
    expect((await story.instance(id)).status).to.equal('completed');
  });

  it('should issue the policy approval notice once the commission approved the policy and it is on record', async () => {
    // given a policy through drafting, both reviews and the deputy
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('policy-approval');
    await story.complete(id, 'draft-policy', 'plan-policy', {
      title: 'پالیسی ثبت شکایات',
      policyType: 'short-term',
      changeType: 'new',
      summary: 'دفاتر ولایتی هر شکایت را در همان روز ثبت می‌کنند.',
      policyText: 'مادهٔ اول: هر شکایت در روز رسیدن ثبت می‌شود.',
    });
    await story.complete(id, 'review-directorate', 'plan-policy', { decision: 'approve' });
    await story.complete(id, 'review-legal', 'legal', { decision: 'approve' });
    await story.complete(id, 'decide-deputy', 'deputy', { decision: 'approve' });
    // when the commission approves it
    await story.complete(id, 'record-commission-decision', 'commission-secretariat', {
      commissionDecision: 'approved',
      sessionDate: '2026-11-30',
      resolutionNumber: '45',
      effectiveDate: '2026-12-21',
    });
    // then the notice carries the policy's number, numbered from Plan and Policy's register, and implementation starts
    const { value, fa, en } = await letterOf(id, 'approvalNotice', 'policy-approval-notice');
    expect(value.number).to.match(/^PP-1405-\d{4}$/);
    expect((await story.instance(id)).waiting.map((w) => w.elementId)).to.deep.equal(['implement-policy']);
    has(fa, 'موضوع: تصویب پالیسی «پالیسی ثبت شکایات»');
    has(
      fa,
      'پالیسی «پالیسی ثبت شکایات» به شمارهٔ ثبت P-1405-0001 در جلسهٔ مورخ ۹ قوس ۱۴۰۵ کمیسیون شکایات انتخاباتی',
    );
    has(fa, 'فیصله‌نامهٔ ۴۵ تصویب گردید.');
    has(fa, 'این پالیسی از تاریخ ۳۰ قوس ۱۴۰۵ نافذ است');
    has(en, 'registered as P-1405-0001, was approved by the Electoral Complaints Commission');
    has(en, 'The policy takes effect on 30 Qaws 1405 (21 December 2026)');
  });

  it('should issue the access-to-information response letter when Public Information answers', async () => {
    // given a registered request cleared by legal
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('access-to-information', {
      requesterName: 'فرید هاشمی',
      requesterType: 'journalist',
      contactEmail: 'farid@example.af',
      requestText: 'کمیسیون در سال ۱۴۰۴ از هرات چند شکایت دریافت کرد؟',
      preferredFormat: 'electronic',
      urgent: false,
    });
    const requestNumber = (await story.instance(id)).variables.requestNumber as string;
    await story.complete(id, 'route-request', 'public-info', { departments: ['legal'] });
    await story.complete(id, 'provide-information', 'legal', {
      holdsInformation: 'yes',
      information: '۳۱۲ شکایت؛ ۴۱ پذیرفته شد.',
    });
    await story.complete(id, 'compile-response', 'public-info', {
      compiledAnswer: 'کمیسیون ۳۱۲ شکایت از هرات دریافت کرد که ۴۱ آن پذیرفته شد.',
      proposedOutcome: 'answer',
    });
    await story.complete(id, 'review-legal-exceptions', 'legal', {
      decision: 'approve',
      exceptionsApply: 'none',
    });
    // when Public Information answers
    await story.complete(id, 'issue-response', 'public-info', {
      outcome: 'answer',
      responseText: 'کمیسیون ۳۱۲ شکایت از هرات دریافت کرد که ۴۱ آن پذیرفته شد.',
      deliveryMethod: 'email',
    });
    // then the response letter is on the case, numbered from Public Information's register
    const { value, fa, en } = await letterOf(id, 'responseLetter', 'information-response');
    expect(value.number).to.match(/^PI-1405-\d{4}$/);
    has(fa, 'پاسخ به درخواست دسترسی به اطلاعات');
    has(fa, 'به: فرید هاشمی');
    has(fa, `موضوع: پاسخ به درخواست شمارهٔ ${requestNumber}`);
    has(
      fa,
      `در مطابقت با قانون دسترسی به اطلاعات، درخواست شما به شمارهٔ ${requestNumber} که به تاریخ ۸ قوس ۱۴۰۵ ثبت شده بود، بررسی گردید.`,
    );
    has(fa, 'کمیسیون ۳۱۲ شکایت از هرات دریافت کرد که ۴۱ آن پذیرفته شد.');
    has(
      en,
      `your request ${requestNumber}, registered on 8 Qaws 1405 (29 November 2026), has been reviewed.`,
    );
  });

  it('should generate the SOP audit report for the leadership, again after a revision, with the quarter in words', async () => {
    // given a round in which Kabul and Nangarhar assessed themselves and were reviewed without findings
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('provincial-sop-audit');
    await story.complete(id, 'plan-audit-round', 'provincial-coordination', {
      year: 1405,
      quarter: 'q3',
      provinces: ['kab', 'nan'],
      checklistVersion: 'SOP-CL 2.1',
      selfAssessmentDueDate: '2026-12-10',
    });
    for (const code of ['kab', 'nan'])
      await story.complete(id, 'self-assess', `province-${code}`, { complianceScore: 90, gaps: 'هیچ' });
    // the central reviews run in parallel (one per province): completed directly, as the process's own story does
    const pc = { id: 'pc.officer', groups: ['provincial-coordination'], roles: ['staff' as const] };
    for (const task of (await story.runtime.listTasks({ instanceId: id })).items)
      await story.runtime.completeTask(task.id, { findings: 'none', verifiedScore: 90 }, pc);
    await story.runtime.idle();
    // when Provincial Coordination reports the round
    await story.complete(id, 'report-audit-round', 'provincial-coordination', {
      summary: 'هر دو ولایت مطابق طرزالعمل‌ها عمل کرده‌اند.',
      provincesCompliant: 2,
      provincesWithFindings: 0,
    });
    // then the report letter waits for the leadership, from the deputy's register
    expect(await story.waitingAt(id)).to.deep.equal(['review-round-leadership']);
    const first = await letterOf(id, 'auditReportLetter', 'sop-audit-report');
    expect(first.value.number).to.match(/^DPC-1405-\d{4}$/);
    has(first.fa, 'گزارش بررسی تطبیق طرزالعمل');
    has(first.fa, 'موضوع: گزارش دور بررسی ربع سوم سال ۱۴۰۵');
    has(first.fa, 'در ولایات کابل، ننگرهار انجام شد.');
    // (the counts beside their colons are ordered by poppler's own heuristics: checked on the rendered page)
    has(first.fa, 'تعداد ولایات مطابق');
    has(first.fa, 'تعداد ولایات دارای یافته');
    has(first.en, 'Subject: report of the audit round of the third quarter of 1405');
    has(first.en, 'in the provinces of Kabul, Nangarhar.');

    // when the leadership asks for a revision and the report is written again, then accepted
    await story.complete(id, 'review-round-leadership', 'leadership', {
      decision: 'revise',
      comments: 'نمره‌ها را بنویسید.',
    });
    await story.complete(id, 'report-audit-round', 'provincial-coordination', {
      summary: 'کابل ۹۰ و ننگرهار ۹۰ نمره گرفتند.',
      provincesCompliant: 2,
      provincesWithFindings: 0,
    });
    const second = await letterOf(id, 'auditReportLetter', 'sop-audit-report');
    expect(second.value.number).to.equal(first.value.number);
    expect(second.doc.versions).to.have.length(2);
    has(second.fa, 'کابل ۹۰ و ننگرهار ۹۰ نمره گرفتند.');
    await story.complete(id, 'review-round-leadership', 'leadership', { decision: 'accept' });
    expect((await story.instance(id)).status).to.equal('completed');
  });
});
