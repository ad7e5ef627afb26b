import { expect } from 'chai';
import { useOfficeRuntime } from './story-harness.js';

const draft = {
  itemType: 'press-release',
  title: 'Commission publishes its complaint statistics',
  textFa: 'کمیسیون شکایات انتخاباتی آمار شکایات را نشر کرد.',
  textEn: 'The Electoral Complaints Commission published its complaint statistics.',
  urgency: 'urgent',
  channels: ['website', 'facebook'],
};
const checked = { decision: 'approve', factsVerified: true, policyConsistent: true };

describe('processes/media-publication', () => {
  const story = useOfficeRuntime('2026-11-29T05:00:00.000Z'); // Sunday 09:30 Kabul

  it('should check, approve, publish on each channel, record each publication and the coverage three days later, and archive', async () => {
    // given
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('media-publication');
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'draft-media-item', groups: ['public-info'] },
    ]);

    // when an urgent press release is drafted
    await story.complete(id, 'draft-media-item', 'public-info', draft);
    // then its facts and policy are checked within the hour, and the deputy approves within 2 hours
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'check-media-item', groups: ['public-info'], dueAt: '2026-11-29T06:00:00.000Z' },
    ]);
    await story.complete(id, 'check-media-item', 'public-info', checked);
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'approve-media-item', groups: ['deputy'], dueAt: '2026-11-29T07:00:00.000Z' },
    ]);
    await story.complete(id, 'approve-media-item', 'deputy', { decision: 'approve' });

    // then Public Information publishes it on each channel within the hour
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'publish-on-channel', groups: ['public-info'], dueAt: '2026-11-29T06:00:00.000Z' },
      { elementId: 'publish-on-channel', groups: ['public-info'], dueAt: '2026-11-29T06:00:00.000Z' },
    ]);
    const [first, second] = (await story.runtime.listTasks({ instanceId: id })).items.sort((a, b) =>
      a.executionId.localeCompare(b.executionId),
    );
    const officer = { id: 'public-info.officer', groups: ['public-info'], roles: ['staff' as const] };
    await story.runtime.completeTask(
      second!.id,
      { publishedOn: '2026-11-29', link: 'https://facebook.com/ecc/1' },
      officer,
    );
    await story.runtime.completeTask(
      first!.id,
      { publishedOn: '2026-11-29', link: 'https://ecc.gov.af/news/1' },
      officer,
    );
    await story.runtime.idle();

    // then each publication is on record, in channel order
    const published = await story.instance(id);
    expect(published.incident?.message).to.equal(undefined);
    expect(published.variables.publications).to.deep.equal([
      {
        channel: 'website',
        publishedOn: '2026-11-29',
        link: 'https://ecc.gov.af/news/1',
        reference: `${id}/website`,
      },
      {
        channel: 'facebook',
        publishedOn: '2026-11-29',
        link: 'https://facebook.com/ecc/1',
        reference: `${id}/facebook`,
      },
    ]);
    expect(await story.openTasks(id)).to.deep.equal([]);

    // when three days pass
    await story.advanceTo('2026-12-02T04:59:00.000Z');
    expect(await story.openTasks(id)).to.deep.equal([]);
    await story.advanceTo('2026-12-02T05:00:00.000Z');
    // then Public Information records the coverage within 2 working days, and the item is archived
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'record-coverage', groups: ['public-info'], dueAt: '2026-12-05T05:00:00.000Z' },
    ]);
    await story.complete(id, 'record-coverage', 'public-info', { outletsCount: 14, sentiment: 'neutral' });
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables.archiveReference).to.match(/^A-1405-\d{4}$/);
  });

  it('should return the item to drafting when the check or the deputy finds fault, and drop it when the deputy rejects it', async () => {
    // given a normal (not urgent) news item
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('media-publication');
    await story.complete(id, 'draft-media-item', 'public-info', { ...draft, urgency: 'normal' });
    // then its check is due the next working day
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'check-media-item', groups: ['public-info'], dueAt: '2026-11-30T05:00:00.000Z' },
    ]);

    // when the check returns it
    await story.complete(id, 'check-media-item', 'public-info', {
      decision: 'return',
      comments: 'The figure for Herat is wrong.',
    });
    expect(await story.waitingAt(id)).to.deep.equal(['draft-media-item']);

    // when it is corrected, passes the check and the deputy returns it too
    await story.complete(id, 'draft-media-item', 'public-info', {
      ...draft,
      urgency: 'normal',
      responseToComments: 'Fixed.',
    });
    await story.complete(id, 'check-media-item', 'public-info', checked);
    expect((await story.task(id, 'approve-media-item')).dueAt).to.equal('2026-12-01T05:00:00.000Z');
    await story.complete(id, 'approve-media-item', 'deputy', {
      decision: 'return',
      comments: 'Add a Pashto text.',
    });
    expect(await story.waitingAt(id)).to.deep.equal(['draft-media-item']);

    // when it comes back and the deputy rejects it
    await story.complete(id, 'draft-media-item', 'public-info', {
      ...draft,
      urgency: 'normal',
      textPs: 'د کمیسیون خبر',
    });
    await story.complete(id, 'check-media-item', 'public-info', checked);
    await story.complete(id, 'approve-media-item', 'deputy', {
      decision: 'reject',
      comments: 'Overtaken by events.',
    });

    // then nothing is published
    const done = await story.instance(id);
    expect(done.status).to.equal('completed');
    expect(done.variables.publications).to.equal(undefined);
    expect(await story.openTasks(id)).to.deep.equal([]);
  });

  it('should put an urgent item whose approval is 2 hours late before the leadership', async () => {
    // given an urgent item waiting for the deputy since Sunday 09:30
    story.clock.set('2026-11-29T05:00:00.000Z');
    const { id } = await story.start('media-publication');
    await story.complete(id, 'draft-media-item', 'public-info', draft);
    await story.complete(id, 'check-media-item', 'public-info', checked);
    expect(await story.timers(id)).to.deep.equal([
      { elementId: 'timer-approval-overdue', dueAt: '2026-11-29T07:00:00.000Z' },
    ]);

    // when two hours pass without a decision
    await story.advanceTo('2026-11-29T06:59:00.000Z');
    expect(await story.waitingAt(id)).to.deep.equal(['approve-media-item']);
    await story.advanceTo('2026-11-29T07:00:00.000Z');

    // then the leadership has a follow-up due within the hour, and the approval stays with the deputy
    expect(await story.openTasks(id)).to.deep.equal([
      { elementId: 'approve-media-item', groups: ['deputy'], dueAt: '2026-11-29T07:00:00.000Z' },
      { elementId: 'escalate-media-approval', groups: ['leadership'], dueAt: '2026-11-29T08:00:00.000Z' },
    ]);

    // when the leadership follows up and the deputy then rejects the item
    await story.complete(id, 'escalate-media-approval', 'leadership', {
      action: 'reminded',
      note: 'Spoke to the deputy.',
    });
    await story.complete(id, 'approve-media-item', 'deputy', {
      decision: 'reject',
      comments: 'Too late to matter.',
    });
    expect((await story.instance(id)).status).to.equal('completed');
  });
});
