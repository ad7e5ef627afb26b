import { expect } from 'chai';
import { InstanceIndex } from '../../../server/engine/projections/instance-index.js';
import type { InstanceEntry } from '../../../server/engine/projections/instance-entry.js';

function entry(id: string, startedAt: string, more: Partial<InstanceEntry> = {}): InstanceEntry {
  return { id, key: 'p', version: 1, status: 'running', rev: 0, startedAt, startedBy: 'alice', ...more };
}

const day = (d: number) => new Date(Date.UTC(2026, 0, d)).toISOString();

describe('engine/projections/instance-index', () => {
  it('should list newest first, page by skip and limit, and count every match', () => {
    // given
    const index = new InstanceIndex();
    for (let d = 1; d <= 9; d++) index.apply(entry(`i${d}`, day(d)));
    // when
    const page = index.search({ skip: 2, limit: 3 });
    // then
    expect(page.items.map((e) => e.id)).to.deep.equal(['i7', 'i6', 'i5']);
    expect(page.total).to.equal(9);
  });

  it('should keep an ended entry over any later running one and a newer rev over an older one, in any order', () => {
    // given
    const running = entry('a', day(1), { rev: 3 });
    const older = entry('a', day(1), { rev: 2, title: 'old' });
    const ended = entry('a', day(1), { rev: 4, status: 'completed', endedAt: day(2) });
    const orders = [
      [running, older, ended],
      [ended, running, older],
      [older, ended, running],
    ];
    for (const order of orders) {
      const index = new InstanceIndex();
      // when
      for (const e of order) index.apply(e);
      // then
      expect(index.get('a')?.status).to.equal('completed');
      expect(index.search({}).total).to.equal(1);
      expect(index.search({ sort: 'endedAt' }).items.map((e) => e.id)).to.deep.equal(['a']);
      expect([...index.active()]).to.have.length(0);
    }
  });

  it('should filter by text in reference, title, starter and process name, in any case', () => {
    // given
    const index = new InstanceIndex((key) =>
      key === 'trip' ? { fa: 'مجوز سفر', en: 'Trip authorization' } : undefined,
    );
    index.apply(entry('1', day(1), { businessKey: 'POL-0042' }));
    index.apply(entry('2', day(2), { title: 'Budget for Herat' }));
    index.apply(entry('3', day(3), { startedBy: 'karim' }));
    index.apply(entry('4', day(4), { key: 'trip' }));
    // when / then
    expect(index.search({ text: 'pol-004' }).items.map((e) => e.id)).to.deep.equal(['1']);
    expect(index.search({ text: 'HERAT' }).items.map((e) => e.id)).to.deep.equal(['2']);
    expect(index.search({ text: 'kar' }).items.map((e) => e.id)).to.deep.equal(['3']);
    expect(index.search({ text: 'سفر' }).items.map((e) => e.id)).to.deep.equal(['4']);
    expect(index.search({ text: 'nothing' }).total).to.equal(0);
  });

  it('should filter by status (one or many), starter, dates and parent, and sort by end or reference with the ones lacking it last', () => {
    // given
    const index = new InstanceIndex();
    index.apply(entry('r', day(5), { businessKey: 'B' }));
    index.apply(entry('c1', day(1), { status: 'completed', endedAt: day(8), businessKey: 'C' }));
    index.apply(entry('c2', day(2), { status: 'completed', endedAt: day(3), businessKey: 'A' }));
    index.apply(
      entry('x', day(3), { status: 'cancelled', endedAt: day(4), parentId: 'r', startedBy: 'bob' }),
    );
    // when / then
    expect(index.search({ status: 'completed' }).items.map((e) => e.id)).to.deep.equal(['c2', 'c1']);
    expect(index.search({ status: ['completed', 'cancelled'] }).total).to.equal(3);
    expect(index.search({ startedBy: 'bob' }).items.map((e) => e.id)).to.deep.equal(['x']);
    expect(index.search({ parentId: 'r' }).items.map((e) => e.id)).to.deep.equal(['x']);
    expect(
      index.search({ startedAfter: day(2), startedBefore: day(5) }).items.map((e) => e.id),
    ).to.deep.equal(['x', 'c2']);
    expect(index.search({ endedAfter: day(4) }).items.map((e) => e.id)).to.deep.equal(['x', 'c1']);
    expect(index.search({ sort: '-endedAt' }).items.map((e) => e.id)).to.deep.equal(['c1', 'x', 'c2', 'r']);
    expect(index.search({ sort: 'endedAt' }).items.map((e) => e.id)).to.deep.equal(['c2', 'x', 'c1', 'r']);
    expect(index.search({ sort: 'businessKey' }).items.map((e) => e.id)).to.deep.equal([
      'c2',
      'r',
      'c1',
      'x',
    ]);
    expect(index.search({ sort: '-businessKey' }).items.map((e) => e.id)).to.deep.equal([
      'c1',
      'r',
      'c2',
      'x',
    ]);
    expect(index.search({ directorate: 'legal' }).items.map((e) => e.id)).to.deep.equal([]);
  });

  it('should give the same order as sorting every entry afresh, whatever order they arrived in', () => {
    // given
    const entries = Array.from({ length: 300 }, (_, i) =>
      entry(`id-${(i * 7919) % 1000}`, day(1 + ((i * 31) % 28)), {
        status: i % 3 ? 'completed' : 'running',
        ...(i % 3 ? { endedAt: day(1 + ((i * 17) % 28)) } : {}),
      }),
    );
    const index = new InstanceIndex();
    // when
    for (const e of [...entries].reverse()) index.apply(e);
    // then
    const expected = [...entries]
      .sort((a, b) => (a.startedAt > b.startedAt ? -1 : a.startedAt < b.startedAt ? 1 : a.id < b.id ? -1 : 1))
      .map((e) => e.id);
    expect(index.search({ limit: 500 }).items.map((e) => e.id)).to.deep.equal(expected);
  });

  it('should keep per-process counts and start/end times equal to counting every entry afresh, one by one or in bulk', () => {
    // given: running entries of two processes, then most of them ended (later revs), in a scrambled order
    const running = Array.from({ length: 1500 }, (_, i) =>
      entry(`id-${i}`, day(1 + ((i * 31) % 28)), { key: i % 2 ? 'p' : 'q', rev: 1 }),
    );
    const ended = running
      .filter((_, i) => i % 3)
      .map(
        (e, i) =>
          ({ ...e, rev: 2, status: i % 4 ? 'completed' : 'cancelled', endedAt: day(2 + (i % 27)) }) as const,
      );
    const all = [...running, ...ended].sort(
      (a, b) => ((a.id.length * 37 + a.rev) % 5) - ((b.id.length * 37 + b.rev) % 5),
    );
    const single = new InstanceIndex();
    // when
    for (const e of all) single.apply(e);
    const bulk = new InstanceIndex();
    bulk.applyMany(all);
    // then
    for (const index of [single, bulk]) {
      const entries = index.all();
      for (const key of [undefined, 'p', 'q']) {
        const mine = entries.filter((e) => !key || e.key === key);
        const counts = new Map<string, number>();
        for (const e of mine)
          counts.set(`${e.key}/${e.status}`, (counts.get(`${e.key}/${e.status}`) ?? 0) + 1);
        expect(new Map(index.statusCounts(key).map((r) => [`${r.key}/${r.status}`, r.count]))).to.deep.equal(
          counts,
        );
        const [from, to] = [day(5), day(12)];
        expect(index.countBetween('started', from, to, false, key)).to.equal(
          mine.filter((e) => e.startedAt >= from && e.startedAt < to).length,
        );
        expect(index.countBetween('ended', from, to, true, key)).to.equal(
          mine.filter((e) => e.endedAt && e.endedAt >= from && e.endedAt <= to).length,
        );
      }
    }
  });
});
