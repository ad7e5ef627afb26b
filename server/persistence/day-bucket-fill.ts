import type { Collection } from 'mongoose';

/**
 * Most items in one bucket document. A bucket grows by `$push`, which FerretDB runs as a read and a rewrite of
 * the whole document: a day of 1,500 ended instances in one bucket made every batch rewrite hundreds of KB (the
 * engine bench at c16 lost a quarter of its rate to it). A day's items beyond the cap go on in `<day>~1`,
 * `<day>~2`, …; the day lists name those buckets, so loads read them like any day.
 */
export const BUCKET_CAP = 500;

/** The id of a day's `n`th bucket (the first is the day itself, as before there were more). */
function bucketId(d: string, n: number): string {
  return n ? `${d}~${n}` : d;
}

/** A day's last bucket: its number and how many items it holds. */
interface BucketFill {
  n: number;
  count: number;
}

/** Which bucket of `read_models` a day's next items go to (one per process, kept as items go in). */
export class DayBucketFill {
  /** Per `<kind>:<day>`: its last bucket. */
  private readonly fills = new Map<string, Promise<BucketFill>>();

  constructor(private readonly models: Collection) {}

  /** The id (`<day>` or `<day>~<n>`) of the bucket that takes one more item of `kind` on day `d`. */
  async next(kind: 'ended' | 'tasks', d: string): Promise<string> {
    const fill = await this.current(kind, d);
    if (fill.count >= BUCKET_CAP) {
      fill.n++;
      fill.count = 0;
    }
    fill.count++;
    return bucketId(d, fill.n);
  }

  /**
   * The bucket a day's next items go to: the day's last one, found once per day and process from the day list
   * and that bucket (its items counted); then counted here as items go in.
   */
  private current(kind: 'ended' | 'tasks', d: string): Promise<BucketFill> {
    const key = `${kind}:${d}`;
    let fill = this.fills.get(key);
    if (!fill) {
      fill = (async () => {
        const list = (await this.models.findOne({ _id: `days:${kind}` } as never)) as {
          days?: string[];
        } | null;
        let n = -1;
        for (const id of list?.days ?? []) {
          const k = id === d ? 0 : id.startsWith(`${d}~`) ? Number(id.slice(d.length + 1)) : -1;
          if (Number.isInteger(k) && k > n) n = k;
        }
        if (n < 0) return { n: 0, count: 0 };
        const last = (await this.models.findOne({ _id: `${kind}:${bucketId(d, n)}` } as never)) as {
          items?: unknown[];
        } | null;
        return { n, count: last?.items?.length ?? 0 };
      })();
      fill.catch(() => this.fills.delete(key));
      this.fills.set(key, fill);
    }
    return fill;
  }
}
