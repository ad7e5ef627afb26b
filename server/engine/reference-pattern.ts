import { solarHijriYear } from './calendar.js';

/** A pattern's counter placeholder: one run of `#` (its length is the zero padding). */
const COUNTER = /#+/;

/** True when `pattern` can make references: printable, at most 60 characters, one run of `#`. */
export function validReferencePattern(pattern: string): boolean {
  return (
    pattern.length <= 60 && /^[\p{L}\p{N}{}#/_.-]+$/u.test(pattern) && pattern.match(/#+/g)?.length === 1
  );
}

/** The pattern with `{year}` filled in and the counter left as `#`, e.g. `POL-1405-###`. */
export function referencePreview(pattern: string, year: number): string {
  return pattern.replace(/\{year\}/g, String(year));
}

/** A business reference from a pattern: `POL-{year}-###`, 1405, 7 → `POL-1405-007` (longer numbers grow). */
export function formatReference(pattern: string, year: number, n: number): string {
  return referencePreview(pattern, year).replace(COUNTER, (hashes) => String(n).padStart(hashes.length, '0'));
}

/**
 * Makes the next reference of a process from its pattern, counting per process per Solar Hijri year of `now`
 * (counter `ref:<key>:<year>` of `next`, a durable counter that never gives a number twice).
 */
export async function nextReference(
  key: string,
  pattern: string,
  now: Date,
  next: (counter: string) => Promise<number>,
): Promise<string> {
  const year = solarHijriYear(now);
  const n = await next(`ref:${key}:${year}`);
  return formatReference(pattern, year, n);
}
