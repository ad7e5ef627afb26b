import type { FormDesign } from './form-builder.js';

const STORAGE_KEY = 'ravand.formDrafts';

/**
 * Form drafts kept on this computer (localStorage) until they are deployed with a process.
 * @fires change when a draft is saved
 */
class FormDrafts extends EventTarget {
  private read(): Record<string, FormDesign> {
    try {
      return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, FormDesign>;
    } catch {
      return {};
    }
  }

  list(): FormDesign[] {
    return Object.values(this.read()).sort((a, b) => a.key.localeCompare(b.key));
  }

  get(key: string): FormDesign | undefined {
    return this.read()[key];
  }

  put(design: FormDesign): void {
    const all = this.read();
    all[design.key] = design;
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(all));
    } catch {
      // storage unavailable or full: the draft stays only in the open page
    }
    this.dispatchEvent(new Event('change'));
  }
}

export const formDrafts = new FormDrafts();
