/** What the page's inline boot script (client/index.html) left: GET requests it started before any module loaded. */
interface EarlyWindow {
  __rvEarly?: Record<string, Promise<Response> | undefined>;
}

/**
 * The answer to `GET <url>` that the boot script asked for while the scripts were still loading (one round trip
 * less on a slow link), or undefined; each is taken once, later calls fetch afresh.
 */
export function takeEarlyResponse(url: string): Promise<Response> | undefined {
  const early = (window as EarlyWindow).__rvEarly;
  const answer = early?.[url];
  if (early && answer) early[url] = undefined;
  return answer;
}
