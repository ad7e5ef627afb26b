/**
 * The due-date builder's rules and the FEEL they stand for (processes/CONVENTIONS.md): N working days after the
 * task starts (`=addWorkingDays(now(), 5)`), N working days after a date variable (`=addWorkingDays(deadline, 2)`),
 * a date variable (`=deadline`), or any other expression the manager writes by hand.
 */
export type DueRule =
  | { kind: 'none' }
  | { kind: 'after-start'; days: number }
  | { kind: 'after-variable'; days: number; variable: string }
  | { kind: 'variable'; variable: string }
  | { kind: 'custom'; text: string };

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const AFTER_START = /^=\s*addWorkingDays\(\s*now\(\)\s*,\s*(\d{1,3})\s*\)\s*$/;
const AFTER_VARIABLE = new RegExp(`^=\\s*addWorkingDays\\(\\s*(${NAME})\\s*,\\s*(\\d{1,3})\\s*\\)\\s*$`);
const VARIABLE = new RegExp(`^(?:=\\s*(${NAME})|\\$\\{(${NAME})\\})\\s*$`);

/** A plain variable name the builder accepts. */
export function isVariableName(name: string): boolean {
  return new RegExp(`^${NAME}$`).test(name) && name !== 'now';
}

/** The rule a `camunda:dueDate` value follows (`custom` when it is none of the builder's shapes). */
export function parseDueDate(value: string | undefined): DueRule {
  const text = (value ?? '').trim();
  if (!text) return { kind: 'none' };
  let m = AFTER_START.exec(text);
  if (m) return { kind: 'after-start', days: Number(m[1]) };
  m = AFTER_VARIABLE.exec(text);
  if (m && m[1] !== 'now') return { kind: 'after-variable', variable: m[1]!, days: Number(m[2]) };
  m = VARIABLE.exec(text);
  if (m) return { kind: 'variable', variable: (m[1] ?? m[2])! };
  return { kind: 'custom', text };
}

/** The FEEL of a rule (undefined for none: the attribute is removed). */
export function buildDueDate(rule: DueRule): string | undefined {
  switch (rule.kind) {
    case 'none':
      return undefined;
    case 'after-start':
      return `=addWorkingDays(now(), ${rule.days})`;
    case 'after-variable':
      return `=addWorkingDays(${rule.variable}, ${rule.days})`;
    case 'variable':
      return `=${rule.variable}`;
    case 'custom':
      return rule.text.trim() || undefined;
  }
}
