/**
 * The one catalogue of coded errors: HTTP status and a message in Dari and English.
 * Server code throws `new AppError('RV_ERR_…', details)`; the client shows `message[lang]`.
 */
export interface ErrorEntry {
  status: number;
  fa: string;
  en: string;
}

export const errorCatalogue = {
  // generic
  RV_ERR_INTERNAL: { status: 500, fa: 'خطای داخلی سرور رخ داد.', en: 'An internal server error occurred.' },
  RV_ERR_NOT_FOUND: {
    status: 404,
    fa: 'مورد درخواست شده پیدا نشد.',
    en: 'The requested resource was not found.',
  },
  RV_ERR_VALIDATION: {
    status: 400,
    fa: 'داده‌های ارسال شده معتبر نیستند.',
    en: 'The submitted data is not valid.',
  },
  RV_ERR_MALFORMED_JSON: {
    status: 400,
    fa: 'متن JSON درخواست خراب است.',
    en: 'The request body is not valid JSON.',
  },
  RV_ERR_PAYLOAD_TOO_LARGE: {
    status: 413,
    fa: 'حجم درخواست بیش از حد مجاز است.',
    en: 'The request body is too large.',
  },
  RV_ERR_INVALID_ID: { status: 400, fa: 'شناسه معتبر نیست.', en: 'The identifier is not valid.' },
  RV_ERR_INVALID_DATE: { status: 400, fa: 'تاریخ یا زمان معتبر نیست.', en: 'The date or time is not valid.' },
  RV_ERR_RATE_LIMITED: {
    status: 429,
    fa: 'درخواست‌های زیاد؛ لطفاً کمی بعد دوباره کوشش کنید.',
    en: 'Too many requests; please try again shortly.',
  },
  RV_ERR_DB_UNAVAILABLE: {
    status: 503,
    fa: 'پایگاه داده در دسترس نیست.',
    en: 'The database is not reachable.',
  },
  RV_ERR_CONFLICT: {
    status: 409,
    fa: 'این مورد همزمان تغییر کرد؛ دوباره کوشش کنید.',
    en: 'This item changed concurrently; try again.',
  },

  // authentication and authorisation
  RV_ERR_UNAUTHENTICATED: { status: 401, fa: 'لطفاً وارد سیستم شوید.', en: 'Please sign in.' },
  RV_ERR_BAD_CREDENTIALS: {
    status: 401,
    fa: 'نام کاربری یا رمز عبور نادرست است.',
    en: 'The username or password is incorrect.',
  },
  RV_ERR_FORBIDDEN: {
    status: 403,
    fa: 'شما اجازه این کار را ندارید.',
    en: 'You are not allowed to do this.',
  },
  RV_ERR_NOT_A_STARTER: {
    status: 403,
    fa: 'شما اجازهٔ آغاز این روند را ندارید.',
    en: 'You are not allowed to start this process.',
  },
  RV_ERR_SEPARATION_OF_DUTIES: {
    status: 403,
    fa: 'این کار را کس دیگری باید انجام دهد: شما در مرحلهٔ قبلی همین پرونده سهم داشتید (اصل چهار چشم).',
    en: 'Someone else must do this task: you took part in an earlier step of this case (four-eyes rule).',
  },
  RV_ERR_CSRF: {
    status: 403,
    fa: 'درخواست از منبع نامعتبر آمده است.',
    en: 'The request did not come from a trusted origin.',
  },
  RV_ERR_WEAK_PASSWORD: {
    status: 400,
    fa: 'رمز عبور باید حداقل ۱۰ حرف باشد.',
    en: 'The password must have at least 10 characters.',
  },
  RV_ERR_USER_EXISTS: {
    status: 409,
    fa: 'این نام کاربری قبلاً ثبت شده است.',
    en: 'This username is already taken.',
  },
  RV_ERR_USER_NOT_FOUND: { status: 404, fa: 'کاربر پیدا نشد.', en: 'The user was not found.' },
  RV_ERR_UNKNOWN_GROUP: {
    status: 400,
    fa: 'گروه نام‌برده شده وجود ندارد.',
    en: 'The named group does not exist.',
  },
  RV_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    fa: 'نوع محتوای درخواست پشتیبانی نمی‌شود.',
    en: 'The request content type is not supported.',
  },
  RV_ERR_BACKUP_UNAVAILABLE: {
    // only a server built without main.ts (a test harness) has no backups: nothing to find here
    status: 404,
    fa: 'پشتیبان‌گیری در این سرور تنظیم نشده است.',
    en: 'Backups are not configured on this server.',
  },
  RV_ERR_ENGINE_UNAVAILABLE: {
    status: 503,
    fa: 'موتور پروسه هنوز آماده نیست.',
    en: 'The process engine is not available yet.',
  },

  // deployments
  RV_ERR_BPMN_PARSE: {
    status: 400,
    fa: 'فایل BPMN قابل خواندن نیست.',
    en: 'The BPMN file cannot be parsed.',
  },
  RV_ERR_BPMN_NO_EXECUTABLE_PROCESS: {
    status: 400,
    fa: 'فایل هیچ پروسهٔ قابل اجرا ندارد.',
    en: 'The file has no executable process.',
  },
  RV_ERR_BPMN_DUPLICATE_ID: {
    status: 400,
    fa: 'شناسهٔ تکراری در نمودار وجود دارد.',
    en: 'The diagram has a duplicate id.',
  },
  RV_ERR_BPMN_SCRIPT_FORBIDDEN: {
    status: 400,
    fa: 'اسکریپت و شرط جاوااسکریپت مجاز نیست.',
    en: 'Script tasks and JavaScript conditions are not allowed.',
  },
  RV_ERR_BPMN_INCLUSIVE_JOIN: {
    status: 400,
    fa: 'دروازهٔ شمولی همگرا پشتیبانی نمی‌شود؛ از دروازهٔ موازی استفاده کنید.',
    en: 'Converging inclusive gateways are not supported; use a parallel gateway.',
  },
  RV_ERR_BPMN_PARALLEL_JOIN_AFTER_MERGE: {
    status: 400,
    fa: 'دروازهٔ موازیِ همگرا که پس از دروازهٔ انحصاری یا شمولیِ همگرا می‌آید پشتیبانی نمی‌شود: موتور پیش از رسیدن همهٔ شاخه‌ها از آن می‌گذرد (مسئلهٔ ۲۰۰ bpmn-engine). شاخه‌های دروازهٔ انحصاری را پیش از آن یکجا نکنید، یا هر کدام را جداگانه به دروازهٔ موازی برسانید.',
    en: 'A converging parallel gateway after a converging exclusive or inclusive gateway is not supported: the engine passes it before every branch has arrived (bpmn-engine issue 200). Do not merge the exclusive branches before it, or lead each of them to the parallel gateway on its own.',
  },
  RV_ERR_BPMN_MANUAL_TASK: {
    status: 400,
    fa: 'وظیفهٔ دستی پشتیبانی نمی‌شود: هیچ‌کس نمی‌تواند آن را انجام‌شده اعلام کند. از وظیفهٔ کاربری (کسی انجام آن را تأیید می‌کند) یا وظیفهٔ ساده (بی‌درنگ می‌گذرد) استفاده کنید.',
    en: 'Manual tasks are not supported: nobody could mark one as done. Use a user task (someone confirms it) or a plain task (it passes straight through).',
  },
  RV_ERR_BPMN_SIGNAL_START: {
    status: 400,
    fa: 'رویداد آغازِ سیگنالی پشتیبانی نمی‌شود: روند پروسه‌ها را از راه API یا با پیام آغاز می‌کند. از رویداد آغازِ پیامی استفاده کنید.',
    en: 'Signal start events are not supported: Ravand starts processes through the API or by a message. Use a message start event.',
  },
  RV_ERR_BPMN_EVENT_SUBPROCESS_START: {
    status: 400,
    fa: 'زیرپروسهٔ رویدادی که با پیام، سیگنال یا زمان‌سنج آغاز شود پشتیبانی نمی‌شود. از رویداد مرزی روی یک زیرپروسه، یا آغاز خطا یا تشدید استفاده کنید.',
    en: 'An event sub-process started by a message, a signal or a timer is not supported. Use a boundary event on a sub-process, or an error or escalation start.',
  },
  RV_ERR_MODEL_LINT: {
    status: 422,
    fa: 'نمودار خطا دارد و نصب نمی‌شود؛ فهرست خطاها را ببینید.',
    en: 'The diagram has errors and cannot be deployed; see the list of issues.',
  },
  RV_ERR_BPMN_UNKNOWN_SERVICE: {
    status: 400,
    fa: 'سرویس نام‌برده شده وجود ندارد.',
    en: 'The named service does not exist.',
  },
  RV_ERR_BPMN_INVALID_TIMER: {
    status: 400,
    fa: 'عبارت تایمر معتبر نیست.',
    en: 'The timer expression is not valid.',
  },
  RV_ERR_BPMN_UNKNOWN_FORM: {
    status: 400,
    fa: 'فورم نام‌برده شده وجود ندارد.',
    en: 'The named form does not exist.',
  },
  RV_ERR_BPMN_INVALID_EXPRESSION: {
    status: 400,
    fa: 'عبارت FEEL معتبر نیست.',
    en: 'The FEEL expression is not valid.',
  },
  RV_ERR_BPMN_MULTIPLE_PROCESSES: {
    status: 400,
    fa: 'فایل بیش از یک پروسهٔ قابل اجرا دارد؛ هر فایل یک پروسه.',
    en: 'The file has more than one executable process; use one process per file.',
  },
  RV_ERR_BPMN_INVALID_KEY: {
    status: 400,
    fa: 'شناسهٔ پروسه معتبر نیست (حروف لاتین، رقم، خط تیره).',
    en: 'The process id is not valid (Latin letters, digits, dashes).',
  },
  RV_ERR_DEFINITION_NOT_FOUND: {
    status: 404,
    fa: 'تعریف پروسه پیدا نشد.',
    en: 'The process definition was not found.',
  },

  // instances
  RV_ERR_INSTANCE_NOT_FOUND: {
    status: 404,
    fa: 'نمونهٔ پروسه پیدا نشد.',
    en: 'The process instance was not found.',
  },
  RV_ERR_INSTANCE_NOT_RUNNING: {
    status: 409,
    fa: 'این نمونهٔ پروسه در حال اجرا نیست.',
    en: 'This process instance is not running.',
  },
  RV_ERR_INSTANCE_SUSPENDED: {
    status: 409,
    fa: 'این نمونهٔ پروسه معلق است.',
    en: 'This process instance is suspended.',
  },
  RV_ERR_INCIDENT_RAISED: {
    status: 409,
    fa: 'پروسه با خطا روبرو شد؛ یک حادثه ثبت شد و نمونه منتظر تلاش دوباره است.',
    en: 'The process hit an error; an incident was raised and the instance waits for a retry.',
  },
  RV_ERR_NO_INCIDENT: {
    status: 409,
    fa: 'این نمونه حادثهٔ باز ندارد.',
    en: 'This instance has no open incident.',
  },
  RV_ERR_MIGRATION_STRANDS: {
    status: 409,
    fa: 'انتقال ممکن نیست: عناصر منتظر در نسخهٔ جدید وجود ندارند.',
    en: 'Migration refused: waiting elements do not exist in the new version.',
  },
  RV_ERR_MESSAGE_NOT_CORRELATED: {
    status: 404,
    fa: 'هیچ نمونه‌ای منتظر این پیام نیست.',
    en: 'No instance is waiting for this message.',
  },

  // tasks
  RV_ERR_TASK_NOT_FOUND: { status: 404, fa: 'وظیفه پیدا نشد.', en: 'The task was not found.' },
  RV_ERR_TASK_NOT_OPEN: { status: 409, fa: 'این وظیفه دیگر باز نیست.', en: 'This task is no longer open.' },
  RV_ERR_TASK_CLAIMED: {
    status: 409,
    fa: 'این وظیفه توسط شخص دیگری گرفته شده است.',
    en: 'This task is claimed by someone else.',
  },
  RV_ERR_FORM_SCHEMA_INVALID: {
    status: 422,
    fa: 'فورم‌های همراه فرایند درست تعریف نشده‌اند.',
    en: 'The forms deployed with the process are not valid form definitions.',
  },
  RV_ERR_FORM_INVALID: {
    status: 422,
    fa: 'فورم درست پر نشده است.',
    en: 'The form is not filled in correctly.',
  },
  RV_ERR_NOT_IMPLEMENTED: {
    status: 501,
    fa: 'این عملیات هنوز پیاده‌سازی نشده است.',
    en: 'This operation is not implemented yet.',
  },
  RV_ERR_RUNTIME_CLOSED: {
    status: 503,
    fa: 'موتور پروسه در حال خاموش شدن است.',
    en: 'The process engine is shutting down.',
  },
  // documents and letters
  RV_ERR_DOCUMENT_NOT_FOUND: { status: 404, fa: 'سند پیدا نشد.', en: 'The document was not found.' },
  RV_ERR_DOCUMENT_EMPTY: { status: 400, fa: 'فایل خالی است.', en: 'The file is empty.' },
  RV_ERR_DOCUMENT_MISSING: {
    status: 400,
    fa: 'فایلی فرستاده نشد؛ یک فایل را در بخش «file» بفرستید.',
    en: 'No file was sent; send one file in the "file" field.',
  },
  RV_ERR_DOCUMENT_TOO_LARGE: {
    status: 413,
    fa: 'حجم فایل بیش از حد مجاز است.',
    en: 'The file is larger than allowed.',
  },
  RV_ERR_DOCUMENT_TYPE: {
    status: 415,
    fa: 'این نوع فایل پذیرفته نمی‌شود؛ فقط PDF، Word، Excel، ODT، JPEG و PNG.',
    en: 'This type of file is not accepted; only PDF, Word, Excel, ODT, JPEG and PNG.',
  },
  RV_ERR_DOCUMENT_NAME: {
    status: 400,
    fa: 'نام فایل معتبر نیست (مسیر یا نویسه‌های پنهان دارد).',
    en: 'The file name is not valid (it holds a path or hidden characters).',
  },
  RV_ERR_DOCUMENT_NOT_IN_INSTANCE: {
    status: 422,
    fa: 'سند نام‌برده شده به این پروسه تعلق ندارد.',
    en: 'The named document does not belong to this process.',
  },
  RV_ERR_LETTER_SIGNED: {
    status: 409,
    fa: 'نسخهٔ امضاشدهٔ این مکتوب بارگذاری شده است؛ دیگر دوباره ساخته نمی‌شود.',
    en: 'The signed copy of this letter was uploaded; it can no longer be regenerated.',
  },
  RV_ERR_NOT_A_LETTER: {
    status: 409,
    fa: 'این سند مکتوب رسمی نیست.',
    en: 'This document is not an official letter.',
  },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

/** The JSON body of every error response. */
export interface ErrorBody {
  code: ErrorCode;
  message: { fa: string; en: string };
  details?: unknown;
}
