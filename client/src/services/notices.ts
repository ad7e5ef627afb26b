/** A short message for the quiet live region (`rv-notices`). */
export interface Notice {
  id: number;
  text: string;
  kind: 'info' | 'success' | 'error';
}

/**
 * Quiet notices: live changes and results of actions, announced politely to screen readers.
 * @fires notice (CustomEvent<Notice>)
 */
class Notices extends EventTarget {
  private next = 1;
  show(text: string, kind: Notice['kind'] = 'info'): void {
    this.dispatchEvent(new CustomEvent<Notice>('notice', { detail: { id: this.next++, text, kind } }));
  }
}

export const notices = new Notices();
