import { expect } from 'chai';
import { useOfficeRuntime } from './story-harness.js';

const round = {
  year: 1405,
  quarter: 'q3',
  provinces: ['kab', 'her', 'bal'],
  checklistVersion: 'SOP-CL 2.1',
  selfAssessmentDueDate: '2026-12-10',
};
const assessment = { complianceScore: 80, gaps: 'Complaint register not kept daily.' };
const review = (findings: string) =>
  findings === 'none'
    ? { findings, verifiedScore: 90 }
    : { findings, verifiedScore: 60, findingsText: 'Register kept weekly, not daily.' };

describe('processes/provincial-sop-audit', () => {
  const story = useOfficeRuntime('2026-11-29T05:00:00.000Z'); // Sunday 09:30 Kabul

  /** Plans the round and takes every province through its self-assessment and central review. */
  async function assessedRound(findings: Record<string, string>): Promise<string> {
    const { id } = await story.start('provincial-sop-audit');
    await story.complete(id, 'plan-audit-round', 'provincial-coordination', {
      ...round,
      provinces: Object.keys(findings),
    });
    for (const code of Object.keys(findings))
      await story.complete(id, 'self-assess', `province-${code}`, assessment);
    for (let i = 0; i < Object.keys(findings).length; i++) {
      const [first] = (await story.runtime.listTasks({ instanceId: id })).items.filter(
        (t) => t.elementId === 'review-central',
      );
      const index = Number(first!.executionId.split('_').at(-1)); // the iteration's province
      await story.runtime.completeTask(first!.id, review(Object.values(findings)[index]!), {
        id: 'pc.officer',
        groups: ['provincial-coordination'],
        roles: ['staff'],
      });
      await story.runtime.idle();
    }
    return id;
  }

  it('should have each province assess itself, review it centrally, correct the findings and report the round', async () => {
    // given
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('provincial-sop-audit');
    expect(await story.openTasks(id)).to.deep.equal([
      {
        elementId: 'plan-audit-round',
        groups: ['provincial-coordination'],
        dueAt: '2026-12-05T05:00:00.000Z',
      },
    ]);

    // when Provincial Coordination plans a round over Kabul, Herat and Balkh
    await story.complete(id, 'plan-audit-round', 'provincial-coordination', round);
    // then each provincial office assesses itself by 10 December, 16:00 Kabul
    const due = '2026-12-10T11:30:00.000Z';
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'self-assess', groups: ['province-bal'], dueAt: due },
      { elementId: 'self-assess', groups: ['province-her'], dueAt: due },
      { elementId: 'self-assess', groups: ['province-kab'], dueAt: due },
    ]);
    for (const code of ['her', 'kab', 'bal'])
      await story.complete(id, 'self-assess', `province-${code}`, assessment);

    // then the centre reviews each of the three; Herat has a finding
    expect((await story.openTasks(id)).map((t) => [t.elementId, t.groups])).to.deep.equal([
      ['review-central', ['provincial-coordination']],
      ['review-central', ['provincial-coordination']],
      ['review-central', ['provincial-coordination']],
    ]);
    const reviews = (await story.runtime.listTasks({ instanceId: id })).items.sort((a, b) =>
      a.executionId.localeCompare(b.executionId),
    );
    const pc = { id: 'pc.officer', groups: ['provincial-coordination'], roles: ['staff' as const] };
    await story.runtime.completeTask(reviews[0]!.id, review('none'), pc); // kab
    await story.runtime.completeTask(reviews[1]!.id, review('minor'), pc); // her
    await story.runtime.completeTask(reviews[2]!.id, review('none'), pc); // bal
    await story.runtime.idle();

    // then only Herat plans corrective actions
    expect((await story.instance(id)).variables.openProvinces).to.deep.equal(['her']);
    expect((await story.openTasks(id)).map((t) => [t.elementId, t.groups])).to.deep.equal([
      ['plan-corrective-actions', ['province-her']],
    ]);
    await story.complete(id, 'plan-corrective-actions', 'province-her', {
      actions: 'Keep the complaint register daily; train two clerks.',
      responsible: 'Head of the Herat office',
      actionsDueDate: '2026-12-20',
    });

    // when the actions fall due (20 December, 16:00 Kabul)
    expect(await story.timers(id)).to.deep.equal([
      { elementId: 'wait-actions-due', dueAt: '2026-12-20T11:30:00.000Z' },
    ]);
    await story.advanceTo('2026-12-20T11:30:00.000Z');
    // then the centre verifies them and finds them closed
    expect((await story.openTasks(id)).map((t) => [t.elementId, t.groups])).to.deep.equal([
      ['verify-actions', ['provincial-coordination']],
    ]);
    await story.complete(id, 'verify-actions', 'provincial-coordination', {
      verification: 'closed',
      verificationNotes: 'Register seen, kept daily since 12 December.',
    });

    // then the round report goes to the leadership, who accept it
    await story.complete(id, 'report-audit-round', 'provincial-coordination', {
      summary: 'Three provinces audited; one finding, closed.',
      provincesCompliant: 3,
      provincesWithFindings: 1,
    });
    await story.complete(id, 'review-round-leadership', 'leadership', { decision: 'accept' });
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables.reportNumber).to.match(/^R-1405-\d{4}$/);
  });

  it('should go straight to the round report when no province has findings, and rework it when the leadership asks', async () => {
    // given
    story.clock.set('2026-11-29T05:00:00.000Z');
    const id = await assessedRound({ kab: 'none', nan: 'none' });
    // then
    expect(await story.waitingAt(id)).to.deep.equal(['report-audit-round']);

    // when the leadership asks for a revision of the report
    await story.complete(id, 'report-audit-round', 'provincial-coordination', {
      summary: 'Both compliant.',
      provincesCompliant: 2,
      provincesWithFindings: 0,
    });
    await story.complete(id, 'review-round-leadership', 'leadership', {
      decision: 'revise',
      comments: 'Give the scores.',
    });
    // then Provincial Coordination writes it again
    expect(await story.waitingAt(id)).to.deep.equal(['report-audit-round']);
  });

  it('should escalate actions still open after their due date to the deputy and have the province plan again until closed', async () => {
    // given Herat's corrective actions due on 20 December
    story.clock.set('2026-11-29T05:00:00.000Z');
    const id = await assessedRound({ her: 'major' });
    await story.complete(id, 'plan-corrective-actions', 'province-her', {
      actions: 'Keep the register daily.',
      responsible: 'Head of office',
      actionsDueDate: '2026-12-20',
    });

    // when they fall due and the centre finds them still open
    await story.advanceTo('2026-12-20T11:30:00.000Z');
    await story.complete(id, 'verify-actions', 'provincial-coordination', {
      verification: 'open',
      verificationNotes: 'No daily entries since 15 December.',
    });

    // then the deputy instructs within 2 working days (counted from Monday 08:00: Wednesday 08:00)
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'escalate-overdue-actions', groups: ['deputy'], dueAt: '2026-12-23T03:30:00.000Z' },
    ]);
    await story.complete(id, 'escalate-overdue-actions', 'deputy', {
      instructions: 'Send a coordinator to Herat; new plan within the week.',
    });

    // then Herat plans again, the new date is awaited and verified closed
    await story.complete(id, 'plan-corrective-actions', 'province-her', {
      actions: 'Coordinator on site; register checked weekly by the centre.',
      responsible: 'Provincial coordinator',
      actionsDueDate: '2027-01-05',
    });
    expect(await story.timers(id)).to.deep.equal([
      { elementId: 'wait-actions-due', dueAt: '2027-01-05T11:30:00.000Z' },
    ]);
    await story.advanceTo('2027-01-05T11:30:00.000Z');
    await story.complete(id, 'verify-actions', 'provincial-coordination', {
      verification: 'closed',
      verificationNotes: 'Closed.',
    });
    expect(await story.waitingAt(id)).to.deep.equal(['report-audit-round']);
    expect((await story.instance(id)).variables.correctiveRounds).to.equal(2);
  });
});
