/** What the store and documents benches share: a median of timed runs and their two-column table. */

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `op` `n` times one after another and returns the median time in milliseconds. */
export async function timed(n: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i);
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** Prints `title` and a Markdown table of measure and result. */
export function printTable(title: string, rows: [string, string][]): void {
  const w = Math.max(...rows.map(([a]) => a.length));
  console.log(`\n${title}\n`);
  console.log(`| ${'measure'.padEnd(w)} | result          |`);
  console.log(`| ${'-'.repeat(w)} | --------------- |`);
  for (const [a, b] of rows) console.log(`| ${a.padEnd(w)} | ${b.padEnd(15)} |`);
}
