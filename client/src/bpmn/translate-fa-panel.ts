/** Dari for the properties panel's own texts (group toggles, list buttons, the process id's help). */
export const faPanelTexts: Record<string, string> = {
  'This maps to the process definition key.': 'این شناسه کلید تعریف پروسه است.',
  'Toggle section': 'باز یا بسته کردن بخش',
  'Section contains edits': 'این بخش مقدار دارد',
  'Open pop-up editor': 'باز کردن ویرایشگر بزرگ',
  'Create new list item': 'افزودن مورد جدید',
  'List contains {numOfItems} item': 'فهرست {numOfItems} مورد دارد',
  'List contains {numOfItems} items': 'فهرست {numOfItems} مورد دارد',
  'Toggle list item': 'باز یا بسته کردن مورد',
  'Delete item': 'حذف مورد',
};
