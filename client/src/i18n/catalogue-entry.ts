/**
 * Texts of data entry and display (the Solar Hijri picker, sign-in checks, phone filters, names for codes),
 * kept apart so they read as one piece; spread into the catalogue (`en` is the key set, `fa` must match).
 */
export const entryEn = {
  'date.openCalendar': 'Open the Solar Hijri calendar',
  'date.time': 'Time (Kabul)',
  'date.format': 'Solar Hijri, year-month-day: 1405-09-15',
  'date.friday': 'Friday (weekend)',
  'date.holiday': 'Public holiday',
  'date.offDays': 'Friday or holiday',
  'date.prevYear': 'Previous year',
  'date.nextYear': 'Next year',
  'date.prevMonth': 'Previous month',
  'date.nextMonth': 'Next month',
  'date.today': 'Today',
  'form.dateRange': 'Enter a date between {min} and {max}.',
  'signIn.usernameRequired': 'Enter your username.',
  'signIn.passwordRequired': 'Enter your password.',
  'inbox.filters': 'Filters',
  'inbox.filtersActive': 'Filters ({count})',
  'names.system': 'System',
} as const;

export const entryFa: Record<keyof typeof entryEn, string> = {
  'date.openCalendar': 'باز کردن تقویم هجری شمسی',
  'date.time': 'ساعت (کابل)',
  'date.format': 'هجری شمسی، سال-ماه-روز: ۱۴۰۵-۰۹-۱۵',
  'date.friday': 'جمعه (رخصتی)',
  'date.holiday': 'رخصتی عمومی',
  'date.offDays': 'جمعه یا رخصتی',
  'date.prevYear': 'سال قبل',
  'date.nextYear': 'سال بعد',
  'date.prevMonth': 'ماه قبل',
  'date.nextMonth': 'ماه بعد',
  'date.today': 'امروز',
  'form.dateRange': 'تاریخی میان {min} و {max} وارد کنید.',
  'signIn.usernameRequired': 'نام کاربری خود را بنویسید.',
  'signIn.passwordRequired': 'رمز عبور خود را بنویسید.',
  'inbox.filters': 'فلترها',
  'inbox.filtersActive': 'فلترها ({count})',
  'names.system': 'سیستم',
};
