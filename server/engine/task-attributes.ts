import type { Clock } from './clock.js';
import { errorText } from './error-text.js';
import {
  evaluateFeel,
  isFeel,
  userVariables,
  type EngineExpressions,
  type FeelFunctionMap,
} from './expressions.js';
import type { ActivityLike, Live } from './live.js';

/** An ISO timestamp of a date or date string; undefined when empty or invalid. */
export function toIso(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  const d = new Date(String(value));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

function toList(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map(String).filter(Boolean);
  return String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The activity's view a multi-instance iteration passes (no broker needed). */
export type AttributeSource = Pick<ActivityLike, 'id' | 'type' | 'behaviour' | 'environment'>;

/**
 * Resolves a user task's Camunda attributes (assignee, candidate groups and users, due and follow-up dates,
 * priority, form key) over the activity's variables: FEEL (`=…`) or `${…}` expressions, else the literal.
 */
export class TaskAttributes {
  constructor(
    private readonly options: {
      feelFunctions: () => FeelFunctionMap;
      expressions: EngineExpressions;
      clock: Clock;
    },
  ) {}

  resolve(live: Live, activity: AttributeSource): Record<string, unknown> {
    const b = activity.behaviour;
    const vars = userVariables(activity.environment.variables);
    const fns = this.options.feelFunctions();
    const value = (attr: string): unknown => {
      const raw = b[attr];
      if (typeof raw !== 'string') return raw;
      try {
        if (isFeel(raw)) return evaluateFeel(raw, vars, fns);
        if (raw.includes('${'))
          return this.options.expressions.resolveExpression(raw, { environment: { variables: vars } });
        return raw;
      } catch (err) {
        throw new Error(`${activity.id}: camunda:${attr} "${raw}" failed: ${errorText(err)}`, {
          cause: err,
        });
      }
    };
    const prio = Number(value('priority') ?? 50);
    const assignee = value('assignee');
    return {
      assignee: assignee === undefined || assignee === null || assignee === '' ? undefined : String(assignee),
      candidateGroups: toList(value('candidateGroups')),
      candidateUsers: toList(value('candidateUsers')),
      dueAt: toIso(value('dueDate')),
      followUpAt: toIso(value('followUpDate')),
      priority: Number.isFinite(prio) ? Math.min(100, Math.max(0, Math.round(prio))) : 50,
      formKey: typeof b.formKey === 'string' && b.formKey ? b.formKey : undefined,
      createdAt: this.options.clock.now().toISOString(),
      name: live.def.names.get(activity.id),
    };
  }
}
