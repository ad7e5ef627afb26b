import type { Collection } from 'mongoose';

/**
 * Most items in one bucket document. A bucket grows by `$push`, which FerretDB runs as a read and a rewrite of
 * the whole document, so a write costs in proportion to the bucket it lands in: a day of 1,500 ended instances
 * in one bucket made every batch rewrite hundreds of KB (the engine bench at c16 lost a quarter of its rate to
 * it). At 500 items a bucket still reached 125 KB and its writes were the largest share of the update lane at
 * c16; at 100 (about 25 KB at most) they cost a fifth of that, and a busy day of 1,500 is 15 documents to read
 * back at a load. A day's items beyond the cap go on in `<day>~1`, `<day>~2`, …; the day lists name those
 * buckets, so loads read them like any day.
 */
export const BUCKET_CAP = 100;

/** The id of a day's `n`th bucket (the first is the day itself, as before there were more). */
function bucketId(d: string, n: number): string {
  return n ? `${d}~${n}` : d;
}

/** A day's last bucket: its number and how many items it holds. */
interface BucketFill {
  n: number;
  count: number;
}

/**
 * Members known to be in append-only list documents of `read_models` (`days:<kind>`, `touched:<kind>:<gen>`):
 * read there, or written there. `$addToSet` makes FerretDB rewrite a list whole, and the day lists grow with
 * history (thousands of names in ten years), so a batch adds only the members a list does not have yet.
 */
export class ListMembers {
  private readonly lists = new Map<string, Set<string>>();

  /** Of `ids`, those not known to be in list `listId`. */
  missing(listId: string, ids: readonly string[]): string[] {
    const known = this.lists.get(listId);
    return known ? ids.filter((id) => !known.has(id)) : [...ids];
  }

  /** `ids` are durably in list `listId` now. */
  add(listId: string, ids: readonly string[]): void {
    let known = this.lists.get(listId);
    if (!known) this.lists.set(listId, (known = new Set()));
    for (const id of ids) known.add(id);
  }

  /** Forgets the lists `keep` says no more writes go to (touched lists of generations gone by). */
  retain(keep: (listId: string) => boolean): void {
    for (const listId of this.lists.keys()) if (!keep(listId)) this.lists.delete(listId);
  }
}

/** Which bucket of `read_models` a day's next items go to (one per process, kept as items go in). */
export class DayBucketFill {
  /** Per `<kind>:<day>`: its last bucket. */
  private readonly fills = new Map<string, Promise<BucketFill>>();
  constructor(
    private readonly models: Collection,
    private readonly members: ListMembers,
  ) {}

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
          if (!Number.isInteger(k) || k < 0) continue;
          this.members.add(`days:${kind}`, [id]);
          if (k > n) n = k;
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
