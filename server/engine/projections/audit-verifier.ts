import { log } from '../../logger.js';
import { GENESIS_HASH, hashAuditEvent } from '../audit-chain.js';
import type { AuditEvent } from '../types.js';
import type { AuditVerification } from '../../../schemas/records.js';

/** What the verifier reads: the chain by seq, its whole length streamed, its end, and where it got to. */
export interface AuditVerifierSource {
  /** The chain's last seq now (0 when empty). */
  lastSeq(): Promise<number>;
  /** Entries by seq (one `_id` read each); missing ones are left out. */
  read(seqs: number[]): Promise<AuditEvent[]>;
  /** Every entry, in whatever order the database gives them (one streamed read). */
  scan(): AsyncIterable<AuditEvent>;
  getMeta<T extends object>(id: string): Promise<T | undefined>;
  setMeta(id: string, value: object): Promise<void>;
}

/** The verified prefix of the chain: every entry up to `seq` links and hashes correctly, the last one is `hash`. */
interface Checkpoint {
  seq: number;
  hash: string;
  at?: string;
}

interface Broken {
  brokenAt: number;
  brokenEntry?: AuditVerification['brokenEntry'];
}

interface Job {
  mode: 'incremental' | 'full';
  startedAt: string;
  from: number;
  to: number;
  checked: number;
  done: Promise<void>;
  finished: boolean;
  /** Set to end the job at its next batch (a full run replaces an incremental one). */
  stop?: boolean;
}

const BATCH = 500;
/** How long a GET may spend on verification before it answers with the progress so far. */
const ANSWER_WITHIN_MS = 3000;

/**
 * Verifies the audit hash chain without making anyone wait for ten years of it: incrementally from a stored
 * checkpoint (the verified prefix), reading only the entries after it by `_id`, and in full as a background
 * job (one streamed read of the whole chain) that reports progress. One job at a time.
 */
export class AuditVerifier {
  private job: Job | undefined;
  private last: Job | undefined;
  private broken: Broken | undefined;
  private loaded: Promise<void> | undefined;

  constructor(private readonly source: AuditVerifierSource) {}

  private load(): Promise<void> {
    return (this.loaded ??= (async () => {
      const broken = await this.source.getMeta<Partial<Broken>>('audit-broken');
      this.broken = broken?.brokenAt ? (broken as Broken) : undefined;
    })().catch((err: unknown) => {
      this.loaded = undefined;
      throw err;
    }));
  }

  /** Verifies what follows the checkpoint (for up to ~3 s; the rest goes on in the background) and reports. */
  async verify(): Promise<AuditVerification> {
    await this.load();
    if (!this.job && !this.broken) this.start('incremental');
    await this.within(ANSWER_WITHIN_MS);
    return this.state();
  }

  /** Starts a full re-verification from seq 1 (or reports the one running). */
  async verifyAll(): Promise<AuditVerification> {
    await this.load();
    while (this.job && this.job.mode !== 'full') {
      this.job.stop = true;
      await this.job.done;
    }
    if (!this.job) this.start('full');
    return this.state();
  }

  /** Resolves when no job runs (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.job) await this.job.done;
  }

  private async within(ms: number): Promise<void> {
    const job = this.job;
    if (!job) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.done, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  private start(mode: Job['mode']): void {
    const job: Job = {
      mode,
      startedAt: new Date().toISOString(),
      from: 0,
      to: 0,
      checked: 0,
      done: Promise.resolve(),
      finished: false,
    };
    job.done = (mode === 'full' ? this.full(job) : this.incremental(job))
      .catch((err: unknown) => log.error('audit verification failed', { mode, error: String(err) }))
      .finally(() => {
        job.finished = true;
        this.last = job;
        if (this.job === job) this.job = undefined;
      });
    this.job = job;
  }

  private async checkpoint(): Promise<Checkpoint> {
    return (await this.source.getMeta<Checkpoint>('audit-verified')) ?? { seq: 0, hash: GENESIS_HASH };
  }

  private async incremental(job: Job): Promise<void> {
    let cp = await this.checkpoint();
    job.from = cp.seq;
    job.to = await this.source.lastSeq();
    while (cp.seq < job.to && !job.stop) {
      const seqs = Array.from({ length: Math.min(BATCH, job.to - cp.seq) }, (_, i) => cp.seq + 1 + i);
      const entries = new Map((await this.source.read(seqs)).map((e) => [e.seq, e]));
      for (const seq of seqs) {
        const e = entries.get(seq);
        if (!e || e.prevHash !== cp.hash || hashAuditEvent(e) !== e.hash) return this.fail(seq, e);
        cp = { seq, hash: e.hash };
        job.checked++;
      }
      await this.source.setMeta('audit-verified', { ...cp, at: new Date().toISOString() });
    }
  }

  private async full(job: Job): Promise<void> {
    job.to = await this.source.lastSeq();
    // the database gives entries in about insertion order: the few that come early wait in `early`
    const early = new Map<number, AuditEvent>();
    let prev: Checkpoint = { seq: 0, hash: GENESIS_HASH };
    const step = (e: AuditEvent): boolean => {
      if (e.prevHash !== prev.hash || hashAuditEvent(e) !== e.hash) return false;
      prev = { seq: e.seq, hash: e.hash };
      job.checked++;
      return true;
    };
    for await (const e of this.source.scan()) {
      if (e.seq > job.to || e.seq <= prev.seq) continue;
      early.set(e.seq, e);
      for (let next = early.get(prev.seq + 1); next; next = early.get(prev.seq + 1)) {
        early.delete(next.seq);
        if (!step(next)) return this.fail(next.seq, next);
      }
      if (prev.seq === job.to) break;
    }
    if (prev.seq < job.to) return this.fail(prev.seq + 1, undefined);
    this.broken = undefined;
    await this.source.setMeta('audit-broken', {});
    await this.source.setMeta('audit-verified', { ...prev, at: new Date().toISOString() });
  }

  private async fail(seq: number, e: AuditEvent | undefined): Promise<void> {
    this.broken = {
      brokenAt: seq,
      ...(e
        ? {
            brokenEntry: {
              seq: e.seq,
              at: e.at,
              actor: e.actor,
              type: e.type,
              ...(e.instanceId ? { instanceId: e.instanceId } : {}),
            },
          }
        : {}),
    };
    log.error('audit chain broken', { brokenAt: seq });
    await this.source.setMeta('audit-broken', this.broken);
  }

  private async state(): Promise<AuditVerification> {
    const job = this.job ?? this.last;
    const [cp, total] = await Promise.all([this.checkpoint(), this.source.lastSeq()]);
    const broken = this.broken;
    const span = job ? job.to - job.from : 0;
    return {
      ok: !broken,
      checked: job?.checked ?? 0,
      total,
      verifiedUpTo: cp.seq,
      ...(cp.at ? { verifiedAt: cp.at } : {}),
      running: !!this.job,
      mode: job?.mode ?? 'incremental',
      progress: !job || job.finished || span <= 0 ? 1 : Math.min(1, job.checked / span),
      ...(job ? { startedAt: job.startedAt } : {}),
      ...(broken ? { brokenAt: broken.brokenAt } : {}),
      ...(broken?.brokenEntry ? { brokenEntry: broken.brokenEntry } : {}),
    };
  }
}
