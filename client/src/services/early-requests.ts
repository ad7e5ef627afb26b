/** A GET started before anyone asked for its answer. */
interface Early {
  answer: Promise<Response>;
  /** `performance.now()` when it was sent. */
  at: number;
}

/** Where they wait: the page's inline boot script (client/index.html) leaves GET /api/me here too. */
interface EarlyWindow {
  __rvEarly?: Record<string, Promise<Response> | Early | undefined>;
}

/** An answer older than this is not taken: the page may have moved on (asked again afresh). */
const FRESH_MS = 15_000;

function registry(): NonNullable<EarlyWindow['__rvEarly']> {
  return ((window as EarlyWindow).__rvEarly ??= {});
}

/**
 * Sends `GET <url>` now (same-origin, the session cookie, JSON) for a view that will ask for it once the
 * session is known: on a slow link its answer travels beside GET /api/me instead of one round trip after it.
 */
export function startEarly(url: string): void {
  const early = registry();
  if (early[url]) return;
  const answer = fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  answer.catch(() => undefined);
  early[url] = { answer, at: performance.now() };
}

/**
 * The answer to `GET <url>` sent early (by the boot script or `startEarly`), or undefined; each is taken
 * once, later calls fetch afresh.
 */
export function takeEarlyResponse(url: string): Promise<Response> | undefined {
  const early = registry();
  const entry = early[url];
  if (!entry) return undefined;
  early[url] = undefined;
  if (entry instanceof Promise) return entry;
  return performance.now() - entry.at < FRESH_MS ? entry.answer : undefined;
}

/** Forgets every early answer not taken yet (sign-in, sign-out: they were asked for someone else). */
export function dropEarlyResponses(): void {
  (window as EarlyWindow).__rvEarly = {};
}
