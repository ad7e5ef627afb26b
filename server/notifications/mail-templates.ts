import type { NotificationItem } from '../../schemas/notifications.js';
import { OFFICE_TIME_ZONE } from '../engine/calendar.js';
import { letterDate, persianDigits } from '../letters/letter-dates.js';

/** A mail ready for the SMTP transport: subject, plain text and right-to-left (Dari) or left-to-right HTML. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Lang = 'fa' | 'en';

const clock = new Intl.DateTimeFormat('en-GB', {
  timeZone: OFFICE_TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A due date as the office reads it: the Solar Hijri day and the Kabul time. */
function when(iso: string, lang: Lang): string {
  const time = clock.format(new Date(iso));
  return lang === 'fa'
    ? `${letterDate(iso, 'fa')}، ساعت ${persianDigits(time)}`
    : `${letterDate(iso, 'en')}, ${time}`;
}

const q = (lang: Lang, s: string) => (lang === 'fa' ? `«${s}»` : `“${s}”`);

/** What one notification says: a subject line and one sentence. No form contents, ever. */
function sentence(item: NotificationItem, lang: Lang): { subject: string; line: string } {
  const name = q(lang, item.name[lang]);
  const process = q(lang, item.processName[lang]);
  const ref = item.reference ? ` (${item.reference})` : '';
  const due = item.dueAt ? when(item.dueAt, lang) : '';
  if (lang === 'fa') {
    switch (item.kind) {
      case 'task-offered':
        return {
          subject: `کار تازه: ${item.name.fa}${ref}`,
          line: `کار ${name} در روند ${process} به شما پیشنهاد شده است.`,
        };
      case 'task-assigned':
        return {
          subject: `کار به شما سپرده شد: ${item.name.fa}${ref}`,
          line: `کار ${name} در روند ${process} به شما سپرده شد.`,
        };
      case 'task-due-soon':
        return {
          subject: `مهلت فردا: ${item.name.fa}${ref}`,
          line: `مهلت کار ${name} در روند ${process} فردا، ${due}، به پایان می‌رسد.`,
        };
      case 'task-overdue':
        return {
          subject: `مهلت گذشته: ${item.name.fa}${ref}`,
          line: `مهلت کار ${name} در روند ${process} در ${due} گذشت و کار هنوز باز است.`,
        };
      case 'instance-ended':
        return item.outcome === 'cancelled'
          ? {
              subject: `روند لغو شد: ${item.processName.fa}${ref}`,
              line: `روند ${process} که شما آغاز کرده بودید لغو شد.`,
            }
          : {
              subject: `روند به پایان رسید: ${item.processName.fa}${ref}`,
              line: `روند ${process} که شما آغاز کرده بودید به پایان رسید.`,
            };
    }
  }
  switch (item.kind) {
    case 'task-offered':
      return {
        subject: `New task: ${item.name.en}${ref}`,
        line: `The task ${name} in ${process} is offered to you.`,
      };
    case 'task-assigned':
      return {
        subject: `Task assigned to you: ${item.name.en}${ref}`,
        line: `The task ${name} in ${process} has been assigned to you.`,
      };
    case 'task-due-soon':
      return {
        subject: `Due tomorrow: ${item.name.en}${ref}`,
        line: `The task ${name} in ${process} is due tomorrow, ${due}.`,
      };
    case 'task-overdue':
      return {
        subject: `Overdue: ${item.name.en}${ref}`,
        line: `The task ${name} in ${process} was due ${due} and is still open.`,
      };
    case 'instance-ended':
      return item.outcome === 'cancelled'
        ? {
            subject: `Process cancelled: ${item.processName.en}${ref}`,
            line: `The process ${process} you started was cancelled.`,
          }
        : {
            subject: `Process completed: ${item.processName.en}${ref}`,
            line: `The process ${process} you started has ended.`,
          };
  }
}

const words = {
  fa: {
    reference: 'شمارهٔ مرجع',
    open: 'باز کردن در روند',
    digest: (n: number) => `خلاصهٔ روزانهٔ روند: ${persianDigits(String(n))} اطلاع`,
    footer:
      'این نامه را روند، سامانهٔ گردش کار کمیسیون، فرستاده است. چگونگی دریافت نامه‌ها را در صفحهٔ خود در روند تغییر دهید.',
  },
  en: {
    reference: 'Reference',
    open: 'Open in Ravand',
    digest: (n: number) => `Ravand daily digest: ${n} notification${n === 1 ? '' : 's'}`,
    footer:
      'Sent by Ravand, the commission’s workflow system. Change how you get these mails on your page in Ravand.',
  },
} as const;

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function link(baseUrl: string, item: NotificationItem): string {
  return `${baseUrl}${item.path}`;
}

function textBlock(item: NotificationItem, lang: Lang, baseUrl: string): string {
  const { line } = sentence(item, lang);
  const lines = [line];
  if (item.reference) lines.push(`${words[lang].reference}: ${item.reference}`);
  lines.push(`${words[lang].open}: ${link(baseUrl, item)}`);
  return lines.join('\n');
}

function htmlBlock(item: NotificationItem, lang: Lang, baseUrl: string): string {
  const { line } = sentence(item, lang);
  const ref = item.reference
    ? `<p style="margin:4px 0">${escapeHtml(words[lang].reference)}: <bdi>${escapeHtml(item.reference)}</bdi></p>`
    : '';
  return `<div style="margin:0 0 16px;padding:12px;border:1px solid #d0d7de;border-radius:6px">
<p style="margin:0 0 4px">${escapeHtml(line)}</p>${ref}
<p style="margin:8px 0 0"><a href="${escapeHtml(link(baseUrl, item))}">${escapeHtml(words[lang].open)}</a></p></div>`;
}

function page(lang: Lang, title: string, body: string): string {
  const dir = lang === 'fa' ? 'rtl' : 'ltr';
  const font = lang === 'fa' ? 'Vazirmatn, Tahoma, sans-serif' : 'Arial, sans-serif';
  return `<!doctype html>
<html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body dir="${dir}" style="font-family:${font};direction:${dir};text-align:${lang === 'fa' ? 'right' : 'left'};line-height:1.6">
${body}
<p style="color:#57606a;font-size:12px">${escapeHtml(words[lang].footer)}</p>
</body></html>`;
}

/** Renders one notification, or a digest of several, in the recipient's language. */
export function renderMail(
  items: NotificationItem[],
  lang: Lang,
  baseUrl: string,
  digest: boolean,
): RenderedMail {
  if (!digest && items.length === 1) {
    const item = items[0]!;
    const { subject } = sentence(item, lang);
    return {
      subject,
      text: `${textBlock(item, lang, baseUrl)}\n\n${words[lang].footer}\n`,
      html: page(lang, subject, htmlBlock(item, lang, baseUrl)),
    };
  }
  const subject = words[lang].digest(items.length);
  return {
    subject,
    text: `${subject}\n\n${items.map((i) => textBlock(i, lang, baseUrl)).join('\n\n')}\n\n${words[lang].footer}\n`,
    html: page(
      lang,
      subject,
      `<h1 style="font-size:18px">${escapeHtml(subject)}</h1>\n${items.map((i) => htmlBlock(i, lang, baseUrl)).join('\n')}`,
    ),
  };
}
