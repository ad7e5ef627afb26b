import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import type { AuditWriter } from '../../server/engine/audit-chain.js';
import { CheckpointBatcher } from '../../server/engine/checkpoint-batcher.js';
import type { CheckpointStore, CheckpointUnit, InstanceRecord } from '../../server/engine/stores.js';

function unit(id: string): CheckpointUnit {
  const instance = { id, rev: 1, status: 'running', auditDrafts: [] } as unknown as InstanceRecord;
  return { instance, expectedRev: 0, taskInserts: [], taskReplaces: [], taskRemoves: [], history: [] };
}

/** A store that writes nothing and records which checkpoints each batch of records behind carried. */
function recordingStore() {
  const batches: string[][] = [];
  const store: CheckpointStore = {
    write: (units) => Promise.resolve(units.map(() => true)),
    async materialise(units, appendAudit) {
      await appendAudit();
      batches.push(units.map((u) => u.instance.id));
    },
  };
  return { store, batches };
}

const audit = { append: () => Promise.resolve([]), appendMissing: () => Promise.resolve(0) };
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then(() => 'in time'), new Promise((r) => setTimeout(() => r('too late'), ms))]);

describe('engine/checkpoint batcher: the records behind a burst of checkpoints', () => {
  it('should send the records of checkpoints written soon after a batch together, in the next batch', async () => {
    // given a batcher whose batches of records behind go out at most every 10 s
    const { store, batches } = recordingStore();
    const batcher = new CheckpointBatcher(store, audit as unknown as AuditWriter, 64, 1, 10_000);

    // when one checkpoint is written, then three more right after its records went out
    await batcher.write(unit('a'));
    await batcher.settledFor('a');
    await Promise.all(['b', 'c', 'd'].map((id) => batcher.write(unit(id))));

    // then the first went out at once; the three wait together, and a reader of one of them has them at once
    expect(batches).to.deep.equal([['a']]);
    expect(await within(batcher.settledFor('c'), 2000)).to.equal('in time');
    expect(batches).to.deep.equal([['a'], ['b', 'c', 'd']]);
  });

  it('should not make flush wait for the gathering', async () => {
    // given records gathering behind a batch that just went out
    const { store, batches } = recordingStore();
    const batcher = new CheckpointBatcher(store, audit as unknown as AuditWriter, 64, 1, 10_000);
    await batcher.write(unit('a'));
    await batcher.settled();
    await batcher.write(unit('b'));

    // when the runtime flushes (idle, close)
    // then it has every record at once
    expect(await within(batcher.flush(), 2000)).to.equal('in time');
    expect(batches).to.deep.equal([['a'], ['b']]);
  });

  it('should send gathered records when their time is up, also while a faked Date stands still', async () => {
    // given a clock whose Date does not move (as the specs' faked clocks), and records gathering for 50 ms
    const clock = FakeTimers.install({ toFake: ['Date'], now: new Date('2026-03-01T04:00:00.000Z') });
    try {
      const { store, batches } = recordingStore();
      const batcher = new CheckpointBatcher(store, audit as unknown as AuditWriter, 64, 1, 50);
      await batcher.write(unit('a'));
      await batcher.settled();
      await batcher.write(unit('b'));

      // when nobody asks for them, they still go out once the gathering is over
      const until = performance.now() + 2000;
      while (batches.length < 2 && performance.now() < until) await new Promise((r) => setTimeout(r, 10));

      // then
      expect(batches).to.deep.equal([['a'], ['b']]);
    } finally {
      clock.uninstall();
    }
  });
});
