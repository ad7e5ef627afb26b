import type { Role } from '../engine/types.js';

/**
 * The office's organisation as data (no database code): the Deputy for Policy and Coordination of the ECC
 * Secretariat, the offices it works with, and the 34 provincial offices. The seeder writes it to `groups`.
 */

export interface Bilingual {
  fa: string;
  en: string;
}

export type GroupKind = 'directorate' | 'unit' | 'leadership' | 'province';

/** A group tasks can be offered to (`camunda:candidateGroups`); matches persistence's GroupRecord. */
export interface OrganisationGroup {
  id: string;
  name: Bilingual;
  kind: GroupKind;
  /** Province code (provincial offices only), e.g. `kab`. */
  province?: string;
}

/** A province of Afghanistan; `code` is its ISO 3166-2:AF code in lower case (AF-KAB → `kab`). */
export interface Province {
  code: string;
  name: Bilingual;
}

/**
 * The 34 provinces, in English alphabetical order. Codes follow ISO 3166-2:AF so that they are stable and
 * documented elsewhere; a process variable `province` holding a code names the group `"province-" + province`.
 */
export const provinces: readonly Province[] = Object.freeze([
  { code: 'bds', name: { fa: 'بدخشان', en: 'Badakhshan' } },
  { code: 'bdg', name: { fa: 'بادغیس', en: 'Badghis' } },
  { code: 'bgl', name: { fa: 'بغلان', en: 'Baghlan' } },
  { code: 'bal', name: { fa: 'بلخ', en: 'Balkh' } },
  { code: 'bam', name: { fa: 'بامیان', en: 'Bamyan' } },
  { code: 'day', name: { fa: 'دایکندی', en: 'Daykundi' } },
  { code: 'fra', name: { fa: 'فراه', en: 'Farah' } },
  { code: 'fyb', name: { fa: 'فاریاب', en: 'Faryab' } },
  { code: 'gha', name: { fa: 'غزنی', en: 'Ghazni' } },
  { code: 'gho', name: { fa: 'غور', en: 'Ghor' } },
  { code: 'hel', name: { fa: 'هلمند', en: 'Helmand' } },
  { code: 'her', name: { fa: 'هرات', en: 'Herat' } },
  { code: 'jow', name: { fa: 'جوزجان', en: 'Jowzjan' } },
  { code: 'kab', name: { fa: 'کابل', en: 'Kabul' } },
  { code: 'kan', name: { fa: 'کندهار', en: 'Kandahar' } },
  { code: 'kap', name: { fa: 'کاپیسا', en: 'Kapisa' } },
  { code: 'kho', name: { fa: 'خوست', en: 'Khost' } },
  { code: 'knr', name: { fa: 'کنر', en: 'Kunar' } },
  { code: 'kdz', name: { fa: 'کندز', en: 'Kunduz' } },
  { code: 'lag', name: { fa: 'لغمان', en: 'Laghman' } },
  { code: 'log', name: { fa: 'لوگر', en: 'Logar' } },
  { code: 'nan', name: { fa: 'ننگرهار', en: 'Nangarhar' } },
  { code: 'nim', name: { fa: 'نیمروز', en: 'Nimroz' } },
  { code: 'nur', name: { fa: 'نورستان', en: 'Nuristan' } },
  { code: 'pia', name: { fa: 'پکتیا', en: 'Paktia' } },
  { code: 'pka', name: { fa: 'پکتیکا', en: 'Paktika' } },
  { code: 'pan', name: { fa: 'پنجشیر', en: 'Panjshir' } },
  { code: 'par', name: { fa: 'پروان', en: 'Parwan' } },
  { code: 'sam', name: { fa: 'سمنگان', en: 'Samangan' } },
  { code: 'sar', name: { fa: 'سرپل', en: 'Sar-e Pol' } },
  { code: 'tak', name: { fa: 'تخار', en: 'Takhar' } },
  { code: 'uru', name: { fa: 'ارزگان', en: 'Uruzgan' } },
  { code: 'war', name: { fa: 'میدان وردک', en: 'Wardak' } },
  { code: 'zab', name: { fa: 'زابل', en: 'Zabul' } },
]);

/** The group id of a province's office: `province-<code>`. */
export const provinceGroupId = (code: string): string => `province-${code}`;

/** The offices at the centre: the deputy, its three directorates and the units and offices it works with. */
export const centralGroups: readonly OrganisationGroup[] = Object.freeze([
  { id: 'leadership', kind: 'leadership', name: { fa: 'رهبری کمیسیون', en: 'Commission Leadership' } },
  {
    id: 'commission-secretariat',
    kind: 'unit',
    name: { fa: 'دارالانشای جلسات کمیسیون', en: 'Commission Sessions Secretariat' },
  },
  {
    id: 'deputy',
    kind: 'leadership',
    name: { fa: 'معاونیت پالیسی و هماهنگی', en: 'Deputy for Policy and Coordination' },
  },
  {
    id: 'plan-policy',
    kind: 'directorate',
    name: { fa: 'ریاست پلان و پالیسی', en: 'Directorate of Plan and Policy' },
  },
  {
    id: 'public-info',
    kind: 'directorate',
    name: { fa: 'ریاست اطلاعات و آگاهی عامه', en: 'Directorate of Public Information and Awareness' },
  },
  {
    id: 'foreign-relations',
    kind: 'directorate',
    name: { fa: 'ریاست ارتباط خارجه', en: 'Directorate of Foreign Relations' },
  },
  {
    id: 'provincial-coordination',
    kind: 'unit',
    name: { fa: 'آمریت هماهنگی دفاتر ولایتی', en: 'Provincial Offices Coordination Unit' },
  },
  { id: 'legal', kind: 'directorate', name: { fa: 'ریاست امور حقوقی', en: 'Directorate of Legal Affairs' } },
  { id: 'finance', kind: 'directorate', name: { fa: 'ریاست امور مالی', en: 'Directorate of Finance' } },
  { id: 'protocol', kind: 'unit', name: { fa: 'آمریت پروتوکول', en: 'Protocol Unit' } },
]);

/** One group per provincial office (دفتر ولایتی). */
export const provinceGroups: readonly OrganisationGroup[] = Object.freeze(
  provinces.map((p) => ({
    id: provinceGroupId(p.code),
    kind: 'province' as const,
    province: p.code,
    name: { fa: `دفتر ولایتی ${p.name.fa}`, en: `${p.name.en} Provincial Office` },
  })),
);

/** Every group: the central offices, then the 34 provincial offices. */
export const groups: readonly OrganisationGroup[] = Object.freeze([...centralGroups, ...provinceGroups]);

/** The roles of server/engine/types.ts with their labels. */
export const roles: readonly { id: Role; name: Bilingual }[] = Object.freeze([
  { id: 'admin', name: { fa: 'مدیر سیستم', en: 'Administrator' } },
  { id: 'manager', name: { fa: 'آمر', en: 'Manager' } },
  { id: 'staff', name: { fa: 'کارمند', en: 'Staff member' } },
  { id: 'leadership', name: { fa: 'رهبری', en: 'Leadership' } },
  { id: 'auditor', name: { fa: 'مفتش', en: 'Auditor' } },
]);

/** A demo account without a password (the seeder generates one); `username` becomes the user id. */
export interface DemoUser {
  username: string;
  name: Bilingual;
  roles: Role[];
  groups: string[];
  language: 'fa' | 'en';
}

const givenNames: readonly Bilingual[] = [
  { fa: 'احمد', en: 'Ahmad' },
  { fa: 'فرشته', en: 'Fereshta' },
  { fa: 'محمد نعیم', en: 'Mohammad Naeem' },
  { fa: 'زهرا', en: 'Zahra' },
  { fa: 'عبدالله', en: 'Abdullah' },
  { fa: 'مریم', en: 'Maryam' },
  { fa: 'نجیب‌الله', en: 'Najibullah' },
  { fa: 'لیلا', en: 'Laila' },
  { fa: 'حمید', en: 'Hamid' },
  { fa: 'شکیلا', en: 'Shakila' },
  { fa: 'فرید', en: 'Farid' },
  { fa: 'نازیه', en: 'Nazia' },
  { fa: 'قیس', en: 'Qais' },
  { fa: 'رویا', en: 'Roya' },
  { fa: 'سمیع‌الله', en: 'Samiullah' },
  { fa: 'هما', en: 'Homa' },
];

const familyNames: readonly Bilingual[] = [
  { fa: 'رحیمی', en: 'Rahimi' },
  { fa: 'نوری', en: 'Noori' },
  { fa: 'صدیقی', en: 'Siddiqi' },
  { fa: 'احمدی', en: 'Ahmadi' },
  { fa: 'کریمی', en: 'Karimi' },
  { fa: 'هاشمی', en: 'Hashimi' },
  { fa: 'امیری', en: 'Amiri' },
  { fa: 'صافی', en: 'Safi' },
  { fa: 'رسولی', en: 'Rasuli' },
  { fa: 'عزیزی', en: 'Azizi' },
  { fa: 'ملکزی', en: 'Malakzai' },
  { fa: 'حیدری', en: 'Haidari' },
  { fa: 'سلطانی', en: 'Sultani' },
  { fa: 'پوپل', en: 'Popal' },
  { fa: 'ستانکزی', en: 'Stanekzai' },
  { fa: 'یوسفی', en: 'Yousufi' },
  { fa: 'وردک', en: 'Wardak' },
];

/** The i-th demo person's name; distinct for the first 16 × 17 people. */
function personName(i: number): Bilingual {
  const g = i % givenNames.length;
  const given = givenNames[g];
  const family = familyNames[(g + Math.floor(i / givenNames.length)) % familyNames.length];
  return { fa: `${given.fa} ${family.fa}`, en: `${given.en} ${family.en}` };
}

/**
 * Demo accounts (RAVAND_DEMO_SEED): an administrator and an auditor; two leaders; the deputy and an assistant;
 * a head (manager) and officers (staff) in every central office (two officers in each directorate, so a task can
 * be offered to more than one person); and a head of every provincial office. Usernames are `<group>.head`,
 * `<group>.officer`, `<group>.officer2`, and for provinces `<code>.head`.
 */
export function demoUsers(): DemoUser[] {
  const users: Omit<DemoUser, 'name'>[] = [
    { username: 'admin', roles: ['admin'], groups: [], language: 'en' },
    { username: 'auditor', roles: ['auditor'], groups: [], language: 'fa' },
    { username: 'chair', roles: ['leadership'], groups: ['leadership'], language: 'fa' },
    { username: 'commissioner', roles: ['leadership'], groups: ['leadership'], language: 'fa' },
    { username: 'deputy', roles: ['manager'], groups: ['deputy'], language: 'fa' },
    { username: 'deputy.assistant', roles: ['staff'], groups: ['deputy'], language: 'fa' },
  ];
  for (const group of centralGroups) {
    if (group.kind === 'leadership') continue;
    users.push({ username: `${group.id}.head`, roles: ['manager'], groups: [group.id], language: 'fa' });
    users.push({ username: `${group.id}.officer`, roles: ['staff'], groups: [group.id], language: 'fa' });
    if (group.kind === 'directorate')
      users.push({ username: `${group.id}.officer2`, roles: ['staff'], groups: [group.id], language: 'en' });
  }
  for (const p of provinces)
    users.push({
      username: `${p.code}.head`,
      roles: ['staff'], // provincial heads work their office's tasks; modelling stays with the centre
      groups: [provinceGroupId(p.code)],
      language: 'fa',
    });
  return users.map((u, i) => ({ ...u, name: personName(i), roles: [...u.roles], groups: [...u.groups] }));
}

/** The organisation in one object, for the seeder. */
export const organisation = Object.freeze({ groups, provinces, roles, demoUsers });
