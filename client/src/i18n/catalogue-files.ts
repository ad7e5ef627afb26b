/** Texts of the file field of forms (rv-file-field) and of file values shown in views. */
export const filesEn = {
  'fileField.choose': 'Choose a file',
  'fileField.chooseMany': 'Choose files',
  'fileField.replace': 'Replace the file',
  'fileField.remove': 'Remove {name}',
  'fileField.uploading': 'Uploading {name}…',
  'fileField.attached': '{name} was attached to the case’s documents.',
  'fileField.attachedMany': '{count} files were attached to the case’s documents.',
  'fileField.failed': 'the file could not be uploaded.',
  'fileField.types': 'PDF, Word, Excel, ODT, JPEG or PNG.',
  'fileField.none': 'No file chosen.',
  'fileField.noCase': 'Files can be attached once the case has started.',
  'fileField.open': 'Download {name}',
  'documents.openPdf': 'Open the PDF in a new tab',
} as const;

export const filesFa: Record<keyof typeof filesEn, string> = {
  'fileField.choose': 'انتخاب فایل',
  'fileField.chooseMany': 'انتخاب فایل‌ها',
  'fileField.replace': 'تبدیل فایل',
  'fileField.remove': 'حذف {name}',
  'fileField.uploading': 'در حال بارگذاری {name}…',
  'fileField.attached': '{name} به اسناد قضیه افزوده شد.',
  'fileField.attachedMany': '{count} فایل به اسناد قضیه افزوده شد.',
  'fileField.failed': 'فایل بارگذاری نشد.',
  'fileField.types': 'PDF، Word، Excel، ODT، JPEG یا PNG.',
  'fileField.none': 'فایلی انتخاب نشده است.',
  'fileField.noCase': 'فایل‌ها پس از آغاز قضیه افزوده می‌شوند.',
  'fileField.open': 'دانلود {name}',
  'documents.openPdf': 'باز کردن فایل PDF در صفحهٔ جدید',
};
