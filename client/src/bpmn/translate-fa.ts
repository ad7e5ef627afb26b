import { i18n } from '../i18n/i18n.js';

/** Dari for the modeller's palette and context pad; everything else (and English) falls through unchanged. */
const fa: Record<string, string> = {
  'Activate create/remove space tool': 'ابزار ایجاد یا حذف فاصله',
  'Activate global connect tool': 'ابزار وصل کردن',
  'Activate hand tool': 'ابزار دست (جابجایی نمودار)',
  'Activate lasso tool': 'ابزار انتخاب گروهی',
  'Add lane above': 'افزودن خط در بالا',
  'Add lane below': 'افزودن خط در پایین',
  'Add text annotation': 'افزودن یادداشت',
  'Append compensation activity': 'افزودن فعالیت جبرانی',
  'Append conditional intermediate catch event': 'افزودن رویداد شرطی',
  'Append end event': 'افزودن رویداد پایان',
  'Append gateway': 'افزودن دروازه',
  'Append intermediate/boundary event': 'افزودن رویداد میانی یا مرزی',
  'Append message intermediate catch event': 'افزودن رویداد دریافت پیام',
  'Append receive task': 'افزودن وظیفهٔ دریافت',
  'Append signal intermediate catch event': 'افزودن رویداد دریافت سیگنال',
  'Append task': 'افزودن وظیفه',
  'Append timer intermediate catch event': 'افزودن رویداد زمانی',
  'Change element': 'تغییر نوع عنصر',
  'Connect to other element': 'وصل به عنصر دیگر',
  'Connect using association': 'وصل با ارتباط',
  'Connect using data input association': 'وصل با ارتباط دادهٔ ورودی',
  'Create data object reference': 'ایجاد شیء داده',
  'Create data store reference': 'ایجاد مخزن داده',
  'Create end event': 'ایجاد رویداد پایان',
  'Create expanded sub-process': 'ایجاد زیرپروسه',
  'Create gateway': 'ایجاد دروازه',
  'Create group': 'ایجاد گروه',
  'Create intermediate/boundary event': 'ایجاد رویداد میانی یا مرزی',
  'Create pool/participant': 'ایجاد استخر یا مشارکت‌کننده',
  'Create start event': 'ایجاد رویداد آغاز',
  'Create task': 'ایجاد وظیفه',
  Delete: 'حذف',
  'Divide into three lanes': 'تقسیم به سه خط',
  'Divide into two lanes': 'تقسیم به دو خط',
};

/** diagram-js `translate` service: Dari when the page is in Dari, English otherwise. */
function translate(template: string, replacements: Record<string, string> = {}): string {
  const text = (i18n.lang === 'fa' && fa[template]) || template;
  return text.replace(/{([^}]+)}/g, (_m, key: string) => replacements[key] ?? `{${key}}`);
}

/** A bpmn-js module that replaces the default `translate` (tooltips are read when the palette renders). */
export const translateModule = { translate: ['value', translate] };
