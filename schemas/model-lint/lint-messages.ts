import { errorCatalogue } from '../errors.js';

/** A text in both languages. */
export interface Bilingual {
  fa: string;
  en: string;
}

/** bpmnlint's own messages (the rules Ravand runs) and the modeller's lint texts, in Dari. */
const FIXED: Record<string, string> = {
  'Element is missing bpmndi': 'عنصر در نمودار رسم نشده است',
  'Element is outside of parent boundary': 'عنصر بیرون از مرز عنصر والد است',
  'Element overlaps with other element': 'عنصر روی عنصر دیگری افتاده است',
  'A <Sequence Flow> outgoing from an <Event-based Gateway> must not be conditional':
    'جریانی که از دروازهٔ رویدادمحور بیرون می‌رود نباید شرط داشته باشد',
  'Sequence flow is missing condition': 'جریان شرط ندارد',
  'A <Start Event> is not allowed in <Ad Hoc Sub Process>': 'رویداد آغاز در زیرپروسهٔ موردی مجاز نیست',
  'An <End Event> is not allowed in <Ad Hoc Sub Process>': 'رویداد پایان در زیرپروسهٔ موردی مجاز نیست',
  'Start event is missing event definition': 'رویداد آغاز نوع رویداد ندارد',
  'Start event must be blank': 'رویداد آغاز باید ساده باشد',
  'Link event is missing link name': 'رویداد پیوند نام پیوند ندارد',
  'An <Event-based Gateway> must have at least 2 outgoing <Sequence Flows>':
    'دروازهٔ رویدادمحور دست‌کم دو جریان بیرونی لازم دارد',
  'Conditional event is missing a condition': 'رویداد شرطی شرط ندارد',
  'Element is an implicit end': 'عنصر بدون رویداد پایان به آخر می‌رسد',
  'Element is an implicit start': 'عنصر بدون رویداد آغاز شروع می‌شود',
  'Element is missing label/name': 'نام انگلیسی ندارد',
  'Element is not connected': 'عنصر به جایی وصل نیست',
  'Event has multiple event definitions': 'رویداد چند نوع رویداد دارد',
  'Flow splits implicitly': 'جریان بدون دروازه شاخه می‌شود',
  'Gateway forks and joins': 'دروازه هم جمع می‌کند و هم شاخه می‌سازد',
  'Gateway is superfluous. It only has one source and target.':
    'دروازه زاید است: تنها یک ورودی و یک خروجی دارد',
  'Incoming flows do not join': 'جریان‌های ورودی با هم جمع نمی‌شوند',
  'SequenceFlow is a duplicate': 'جریان تکراری است',
  'Termination is superfluous.': 'پایان قطعی زاید است',
  'Process has multiple blank start events': 'پروسه چند رویداد آغاز ساده دارد',
  'Process is missing end event': 'پروسه رویداد پایان ندارد',
  'Process is missing start event': 'پروسه رویداد آغاز ندارد',
  'Sub process has multiple blank start events': 'زیرپروسه چند رویداد آغاز ساده دارد',
  'Sub process is missing end event': 'زیرپروسه رویداد پایان ندارد',
  'Sub process is missing start event': 'زیرپروسه رویداد آغاز ندارد',
  'Duplicate outgoing sequence flows': 'جریان‌های بیرونی تکراری',
  'Duplicate incoming sequence flows': 'جریان‌های ورودی تکراری',
  'Element has no Dari name': 'نام دری ندارد',
  // bpmn-js-bpmnlint's own texts (button, overlay)
  '{errors} Errors, {warnings} Warnings': '{errors} خطا، {warnings} هشدار',
  'No Issues': 'بی‌مشکل',
  'Issues for child elements': 'مشکلات عناصر درونی',
  'Toggle linting overlays': 'نمایش یا پنهان کردن مشکلات',
};

/** Where a FEEL expression stood (ravand/feel-syntax), in Dari. */
const PLACES: Record<string, string> = {
  assignee: 'مسئول',
  'candidate users': 'کاربران نامزد',
  'candidate groups': 'گروه‌های نامزد',
  'due date': 'معیاد',
  'follow-up date': 'تاریخ پیگیری',
  priority: 'اولویت',
  condition: 'شرط',
  collection: 'مجموعهٔ تکرار',
  'completion condition': 'شرط تکمیل',
  timer: 'زمان‌سنج',
};

/** Messages with a value in them. */
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Unknown candidate group <(.+)>$/, (m) => `گروه نامزد در فهرست ادارات نیست: \u2068${m[1]}\u2069`],
  [/^Unknown form <(.+)>$/, (m) => `چنین فورمی وجود ندارد: \u2068${m[1]}\u2069`],
  [/^Invalid expression in (.+)$/, (m) => `عبارت نادرست در ${PLACES[m[1]!] ?? m[1]}`],
  [/^Element type <(.+)> is discouraged$/, () => 'این نوع عنصر توصیه نمی‌شود'],
];

const FROM_ERRORS = new Map<string, string>(Object.values(errorCatalogue).map((e) => [e.en, e.fa]));

/** The Dari of a lint message (bpmnlint's or Ravand's); undefined when it has none. */
export function dariLintMessage(english: string): string | undefined {
  const fixed = FIXED[english] ?? FROM_ERRORS.get(english);
  if (fixed) return fixed;
  for (const [re, fa] of PATTERNS) {
    const m = re.exec(english);
    if (m) return fa(m);
  }
  return undefined;
}

/** One lint finding, as the modeller lists it and `POST /api/definitions` returns it. */
export interface LintIssue {
  rule: string;
  elementId: string;
  category: 'error' | 'warn';
  message: Bilingual;
}

/** bpmnlint's results (issues by rule) as a flat list, errors first, with Dari and English messages. */
export function lintIssues(
  results: Record<string, Array<{ id?: string; message: string; category: string }>>,
): LintIssue[] {
  const out: LintIssue[] = [];
  for (const [rule, reports] of Object.entries(results))
    for (const r of reports)
      out.push({
        rule,
        elementId: r.id ?? '',
        category: r.category === 'error' || r.category === 'rule-error' ? 'error' : 'warn',
        message: { en: r.message, fa: dariLintMessage(r.message) ?? r.message },
      });
  return out.sort((a, b) => (a.category === b.category ? 0 : a.category === 'error' ? -1 : 1));
}
