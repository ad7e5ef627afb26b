/**
 * Path routing for the single-page shell (the server answers every non-API path with index.html).
 * @fires change after the path changes
 */
class Router extends EventTarget {
  path = location.pathname;

  constructor() {
    super();
    window.addEventListener('popstate', () => this.set(location.pathname));
  }

  navigate(path: string, replace = false): void {
    if (path === this.path) return;
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    this.set(path);
  }

  /** Segments of the current path: `/inbox/task/42` → `['inbox', 'task', '42']`. */
  get segments(): string[] {
    return this.path.split('/').filter(Boolean).map(decodeURIComponent);
  }

  private set(path: string): void {
    this.path = path;
    this.dispatchEvent(new Event('change'));
  }
}

export const router = new Router();

/** Click handler for in-app links: keeps modified clicks (new tab) working. */
export function linkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a =
    (e.composedPath().find((n) => n instanceof HTMLAnchorElement) as HTMLAnchorElement | undefined) ?? null;
  if (!a || a.target || a.origin !== location.origin) return;
  e.preventDefault();
  router.navigate(a.pathname + a.search);
}
