import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { expect } from 'chai';
import {
  decodeParts,
  encodeParts,
  PART_FORMAT,
  ROWS_PER_PART,
} from '../../../server/engine/projections/snapshot-codec.js';

const gunzip = promisify(zlib.gunzip);
const gzip = promisify(zlib.gzip);

/** Rows shaped like task facts: unique ids and times, a few keys and group lists, an optional due date. */
function factRows(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `task-${i}`,
    instanceId: `inst-${Math.floor(i / 3)}`,
    key: ['trip', 'leave', 'campaign'][i % 3]!,
    elementId: `el-${i % 7}`,
    groups: i % 2 ? ['plan-policy'] : ['province-kab', 'legal'],
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    endedAt: new Date(Date.UTC(2024, 0, 1) + i * 61_000).toISOString(),
    ...(i % 5 ? { dueAt: new Date(Date.UTC(2024, 0, 2) + i * 30_000).toISOString() } : {}),
    outcome: i % 11 ? 'completed' : 'cancelled',
  }));
}

describe('engine/projections/snapshot-codec', () => {
  it('should give back the rows it wrote, across parts, with repeated values as dictionaries', async () => {
    // given
    const rows = factRows(ROWS_PER_PART + 123);
    // when
    const parts = await encodeParts(rows);
    const back = await decodeParts<(typeof rows)[number]>(parts);
    // then: the same rows, field for field (a row without a due date has none), in the same order
    expect(parts).to.have.length(2);
    expect(back).to.deep.equal(rows);
    const written = JSON.parse((await gunzip(parts[0]!)).toString('utf8')) as {
      v: number;
      keys: string[];
      cols: unknown[];
    };
    expect(written.v).to.equal(PART_FORMAT);
    const dictionaries = written.keys.filter((_, c) => !Array.isArray(written.cols[c]));
    expect(dictionaries).to.have.members(['key', 'elementId', 'groups', 'outcome']);
  });

  it('should read a part of the first format (plain columns) that older snapshots hold', async () => {
    // given: a part as the first format wrote it
    const rows = factRows(50);
    const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const cols = keys.map((k) => rows.map((r) => (r as Record<string, unknown>)[k] ?? null));
    const part = await gzip(JSON.stringify({ keys, cols }));
    // when
    const back = await decodeParts([part]);
    // then
    expect(back).to.deep.equal(rows);
  });

  it('should read many parts in their order while the next ones unzip, and fail on a damaged one', async () => {
    // given: more parts than are unzipped ahead, of different sizes
    const rows = factRows(6 * 1000 + 17);
    const parts = (
      await Promise.all(
        Array.from({ length: 7 }, (_, n) => encodeParts(rows.slice(n * 1000, (n + 1) * 1000))),
      )
    ).flat();
    // when
    const back = await decodeParts<(typeof rows)[number]>(parts);
    // then: every row once, in the parts' order
    expect(back).to.deep.equal(rows);
    // and: a damaged part after the first fails the read (its unzip started early), with no other error left
    const damaged = [...parts];
    damaged[5] = Buffer.from('not gzip');
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      let failed: unknown;
      await decodeParts(damaged).catch((err: unknown) => (failed = err));
      expect(failed).to.be.an('error');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
