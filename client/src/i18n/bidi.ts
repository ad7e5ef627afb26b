/**
 * Wraps text in Unicode isolates (FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE), the plain-text twin of
 * `<bdi>`: a reference such as "POL-1405-007" or a Latin name keeps its own order inside a Dari sentence.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
