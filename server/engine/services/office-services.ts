import { AppError } from '../../app-error.js';
import {
  OFFICE_TIME_ZONE,
  createCalendar,
  formatSolarHijri,
  parseHolidays,
  parseInstant,
  solarHijriYear,
  type WorkingCalendar,
} from '../calendar.js';
import type { ServiceContext, ServiceHandler } from '../types.js';

/**
 * The office's domain services, called by the service tasks of `processes/*.bpmn` through `camunda:topic`.
 * Each returns variables to merge into the instance. They keep no state of their own: numbers come from the
 * runtime's durable counters (`ctx.nextSequence`), and the runtime memoises each result by execution, so a
 * service re-run after a crash returns what it returned before.
 */
export interface OfficeServiceOptions {
  /** The office calendar; give the runtime's, so deadlines agree with FEEL's `addWorkingDays`. */
  calendar?: WorkingCalendar;
  /** Statutory deadline of an access-to-information request, in working days (default 10). */
  informationDeadlineDays?: number;
  /** The same for an urgent request (default 2). */
  urgentInformationDeadlineDays?: number;
}

const DAY_MS = 86_400_000;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

function requireString(ctx: ServiceContext, name: string): string {
  const v = str(ctx.variables[name]);
  if (!v)
    throw new AppError(
      'RV_ERR_VALIDATION',
      { elementId: ctx.elementId, variable: name },
      `${name} is missing`,
    );
  return v;
}

function stringList(ctx: ServiceContext, name: string): string[] {
  const v = ctx.variables[name];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new AppError(
      'RV_ERR_VALIDATION',
      { elementId: ctx.elementId, variable: name },
      `${name} must be a list`,
    );
  return v as string[];
}

/**
 * A multi-instance task's collected form data (one object per item, in collection order), under its
 * `output-variable` name or the default `<activityId>-results`.
 */
function resultList(
  ctx: ServiceContext,
  name: string,
  fallback: string,
  length: number,
): (Record<string, unknown> | undefined)[] {
  const v = ctx.variables[name] ?? ctx.variables[fallback];
  if (!Array.isArray(v) || v.length !== length)
    throw new AppError(
      'RV_ERR_VALIDATION',
      { elementId: ctx.elementId, variable: name, expected: length },
      `${name} must list one result per item`,
    );
  return v as (Record<string, unknown> | undefined)[];
}

/** A `YYYY-MM-DD` (or the Kabul day of a date-time) moved by `days` calendar days. */
function shiftDay(day: string, days: number): string {
  const base = Date.parse(`${day.slice(0, 10)}T00:00:00Z`);
  return new Date(base + days * DAY_MS).toISOString().slice(0, 10);
}

/** A Solar Hijri record number such as `P-1405-0007`, sequential per prefix and year. */
async function recordNumber(ctx: ServiceContext, prefix: string, counter: string): Promise<string> {
  const year = solarHijriYear(ctx.now());
  const seq = await ctx.nextSequence(`${counter}-${year}`);
  return `${prefix}-${year}-${String(seq).padStart(4, '0')}`;
}

/** Both calendars of an instant, for the record. */
function stamp(at: Date): { iso: string; fa: string } {
  return { iso: at.toISOString(), fa: formatSolarHijri(at, 'fa') };
}

/** Builds the services over a calendar (the runtime's); `officeServices` is the default instance. */
export function createOfficeServices(options: OfficeServiceOptions = {}): Record<string, ServiceHandler> {
  const calendar =
    options.calendar ?? createCalendar({ holidays: parseHolidays(process.env.RAVAND_HOLIDAYS ?? '') });
  const tz = calendar.timeZone ?? OFFICE_TIME_ZONE;
  const informationDays = options.informationDeadlineDays ?? 10;
  const urgentInformationDays = options.urgentInformationDeadlineDays ?? 2;

  /** The `n`-th working day before the day `day` (not counting `day` itself). */
  const workingDayBefore = (day: string, n: number): string => {
    let d = day;
    for (let found = 0, guard = 0; found < n && guard < 3660; guard++) {
      d = shiftDay(d, -1);
      if (calendar.isWorkingDay(d)) found++;
    }
    return d;
  };
  const at = (day: string, time: string): Date => parseInstant(`${day}T${time}`, tz);

  return {
    /** policy-approval: the approved policy gets its number in the register (`P-<year>-<n>`). */
    'record-policy': async (ctx) => {
      const policyNumber = await recordNumber(ctx, 'P', 'policy');
      const when = stamp(ctx.now());
      return { policyNumber, policyRecordedAt: when.iso, policyRecordedAtFa: when.fa };
    },

    /** Reports accepted by the leadership (implementation, audit round, campaign evaluation): `R-<year>-<n>`. */
    'record-report': async (ctx) => {
      const reportNumber = await recordNumber(ctx, 'R', 'report');
      return { reportNumber, reportRecordedAt: ctx.now().toISOString() };
    },

    /** media-publication: records each channel's publication (from the per-channel tasks, in channel order). */
    'record-publication': async (ctx) => {
      const channels = stringList(ctx, 'channels');
      const done = resultList(ctx, 'channelPublications', 'publish-on-channel-results', channels.length);
      const item = ctx.businessKey ?? ctx.instanceId;
      return {
        publications: channels.map((channel, i) => ({
          channel,
          publishedOn: str(done[i]?.publishedOn) ?? null,
          link: str(done[i]?.link) ?? null,
          reference: str(done[i]?.reference) ?? `${item}/${channel}`,
        })),
        publicationRecordedAt: ctx.now().toISOString(),
      };
    },

    /** media-publication: the item goes to the archive (`A-<year>-<n>`). */
    'archive-record': async (ctx) => {
      const archiveReference = await recordNumber(ctx, 'A', 'archive');
      return { archiveReference, archivedAt: ctx.now().toISOString() };
    },

    /** international-cooperation: the next outgoing letter number of the Solar Hijri year, e.g. `17/1405`. */
    'issue-letter-number': async (ctx) => {
      const now = ctx.now();
      const letterYear = solarHijriYear(now);
      const letterNumber = await ctx.nextSequence(`letter-${letterYear}`);
      const when = stamp(now);
      return {
        letterNumber,
        letterYear,
        letterReference: `${letterNumber}/${letterYear}`,
        letterDate: when.iso,
        letterDateFa: when.fa,
      };
    },

    /** international-cooperation: the partner's record gets the dispatched letter. */
    'record-partner-cooperation': async (ctx) => ({
      partnerRecord: {
        partnerName: str(ctx.variables.partnerName) ?? null,
        proposalTitle: str(ctx.variables.proposalTitle) ?? null,
        letterReference: str(ctx.variables.letterReference) ?? null,
        dispatchedOn: str(ctx.variables.dispatchDate) ?? null,
      },
      partnerRecordedAt: ctx.now().toISOString(),
    }),

    /**
     * access-to-information: registers the request (`AI-<year>-<n>`) and sets its statutory deadline, in working
     * days from registration: `statutoryDays` when given, else 10; 2 when urgent. The extension decision is
     * raised 3 working days before the deadline (1 for an urgent request).
     */
    'register-information-request': async (ctx) => {
      const now = ctx.now();
      const urgent = ctx.variables.urgent === true;
      const given = ctx.variables.statutoryDays;
      const statutoryDays = urgent
        ? urgentInformationDays
        : typeof given === 'number' && Number.isInteger(given) && given > 0
          ? given
          : informationDays;
      const lead = urgent ? 1 : 3;
      return {
        requestNumber: await recordNumber(ctx, 'AI', 'information-request'),
        receivedAt: now.toISOString(),
        statutoryDays,
        extensionDays: 0,
        deadlineExtended: false,
        responseDueAt: calendar.addWorkingDays(now, statutoryDays).toISOString(),
        extensionPointAt: calendar.addWorkingDays(now, Math.max(statutoryDays - lead, 0)).toISOString(),
      };
    },

    /** access-to-information: the one allowed extension moves the deadline by `extensionDays` working days. */
    'extend-information-deadline': async (ctx) => {
      if (ctx.variables.deadlineExtended === true)
        throw new AppError(
          'RV_ERR_VALIDATION',
          { elementId: ctx.elementId },
          'the deadline was already extended',
        );
      const days = ctx.variables.extensionDays;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1)
        throw new AppError(
          'RV_ERR_VALIDATION',
          { extensionDays: days },
          'extensionDays must be a positive integer',
        );
      const due = parseInstant(requireString(ctx, 'responseDueAt'), tz);
      return {
        originalResponseDueAt: due.toISOString(),
        responseDueAt: calendar.addWorkingDays(due, days).toISOString(),
        deadlineExtended: true,
        extendedAt: ctx.now().toISOString(),
        // the notice to the requester, in both languages, for the letter or message the office sends
        extensionNotice: {
          fa: `میعاد پاسخ به درخواست شما ${days} روز کاری تمدید شد.`,
          en: `The deadline to answer your request was extended by ${days} working days.`,
        },
      };
    },

    /** access-to-information: the statutory deadline passed without an answer. */
    'record-breach': async (ctx) => {
      const now = ctx.now();
      const due = str(ctx.variables.responseDueAt);
      return {
        breach: {
          requestNumber: str(ctx.variables.requestNumber) ?? null,
          dueAt: due ?? null,
          recordedAt: now.toISOString(),
          workingDaysLate: due ? calendar.workingDaysBetween(parseInstant(due, tz), now) : null,
        },
      };
    },

    /** access-to-information: the answer (full, partial, refusal) is on record, with whether it was in time. */
    'record-information-response': async (ctx) => {
      const now = ctx.now();
      const due = str(ctx.variables.responseDueAt);
      return {
        respondedAt: now.toISOString(),
        answeredInTime: due ? now.getTime() <= parseInstant(due, tz).getTime() : null,
      };
    },

    /**
     * trip-authorization: the request's deadlines from its dates, on the office calendar: escalate at 08:00 of
     * the 10th working day before departure, expire at departure (00:00 Kabul), arrangements due by the close
     * of the 2nd working day before departure, report due after the return date's office day.
     */
    'plan-trip-deadlines': async (ctx) => {
      const departure = requireString(ctx, 'departureDate').slice(0, 10);
      const ret = requireString(ctx, 'returnDate').slice(0, 10);
      if (ret < departure)
        throw new AppError(
          'RV_ERR_VALIDATION',
          { departureDate: departure, returnDate: ret },
          'return before departure',
        );
      const escalateDay = workingDayBefore(departure, 10);
      const arrangeDay = workingDayBefore(departure, 2);
      const arrangeClose = new Date(`${arrangeDay}T00:00:00Z`).getUTCDay() === 4 ? '12:00' : '16:00';
      return {
        decisionEscalateAt: at(escalateDay, '08:00').toISOString(),
        departAt: at(departure, '00:00').toISOString(),
        arrangementsDueAt: at(arrangeDay, arrangeClose).toISOString(),
        returnAt: at(ret, '16:00').toISOString(),
      };
    },

    /**
     * provincial-sop-audit: the provinces whose central review found something (`findings` other than `none`),
     * from the reviews collected in province order.
     */
    'sop-open-findings': async (ctx) => {
      const provinces = stringList(ctx, 'provinces');
      const reviews = resultList(ctx, 'centralReviews', 'review-central-results', provinces.length);
      const openProvinces = provinces.filter((_, i) => reviews[i]?.findings !== 'none');
      return { openProvinces, provincesWithFindings: openProvinces.length };
    },

    /** provincial-sop-audit: verification waits for the latest due date of the corrective plans (16:00 Kabul). */
    'sop-actions-due': async (ctx) => {
      const open = stringList(ctx, 'openProvinces');
      const plans = resultList(ctx, 'correctivePlans', 'plan-corrective-actions-results', open.length);
      const days = plans.map((p) => str(p?.actionsDueDate)?.slice(0, 10)).filter((d): d is string => !!d);
      if (days.length === 0)
        throw new AppError(
          'RV_ERR_VALIDATION',
          { elementId: ctx.elementId },
          'no corrective plan has a due date',
        );
      const latest = days.sort().at(-1)!;
      return { actionsDueAt: at(latest, '16:00').toISOString() };
    },

    /** provincial-sop-audit: the provinces whose actions the centre found still open; they plan again. */
    'sop-open-actions': async (ctx) => {
      const open = stringList(ctx, 'openProvinces');
      const checks = resultList(ctx, 'verifications', 'verify-actions-results', open.length);
      const stillOpen = open.filter((_, i) => checks[i]?.verification !== 'closed');
      const rounds = typeof ctx.variables.correctiveRounds === 'number' ? ctx.variables.correctiveRounds : 0;
      return { openProvinces: stillOpen, correctiveRounds: rounds + 1 };
    },

    /** A reminder (e.g. the monthly one for outstanding implementation reports): counted on the instance. */
    notify: async (ctx) => {
      const count = typeof ctx.variables.reminderCount === 'number' ? ctx.variables.reminderCount : 0;
      return {
        reminderCount: count + 1,
        lastReminderAt: ctx.now().toISOString(),
        lastReminderFrom: ctx.elementId,
      };
    },
  };
}

/** The office services over the default calendar (holidays from RAVAND_HOLIDAYS). */
export const officeServices: Record<string, ServiceHandler> = createOfficeServices();
