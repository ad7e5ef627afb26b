import path from 'node:path';
import { projectRoot } from './project-root.js';
import type { DocumentType } from '../schemas/documents.js';

const DOCUMENT_TYPES: readonly DocumentType[] = ['pdf', 'docx', 'xlsx', 'odt', 'jpeg', 'png'];

/** Runtime configuration, read once from the environment (README lists every variable). */
export interface Config {
  /** HTTP port; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** Production MongoDB; unset means the embedded FerretDB. */
  mongodbUri: string | undefined;
  /** Where the embedded database keeps its SQLite files. */
  dataDir: string;
  /** Where the embedded database binary is built. */
  cacheDir: string;
  /** Port of the embedded database; 0 picks a free one. */
  dbPort: number;
  /** Failed restarts in a row of the embedded database before the server exits non-zero. */
  dbMaxRestarts: number;
  /** Where backups go (`npm run backup` and the daily scheduled one). */
  backupDir: string;
  /** Daily backup time, `HH:MM` Asia/Kabul; empty turns scheduled backups off. */
  backupTime: string;
  /** Scheduled backups kept (the oldest are removed). */
  backupKeep: number;
  /** Create the demo organisation and users (default: on for the embedded database, off with MONGODB_URI or NODE_ENV=production). */
  demoSeed: boolean;
  /** Allowed browser origins for cookie-authenticated writes (CSRF Origin check). */
  origins: string[];
  sessionTtlHours: number;
  /** Public holidays (YYYY-MM-DD, Asia/Kabul) for working-day deadlines. */
  holidays: string[];
  /** Statutory deadline for access-to-information requests, in working days. */
  atiDeadlineDays: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Largest document upload, in MiB (RAVAND_DOCUMENT_MAX_MB, default 25). */
  documentMaxMb: number;
  /** Accepted document types (RAVAND_DOCUMENT_TYPES, default pdf,docx,xlsx,odt,jpeg,png). */
  documentTypes: DocumentType[];
  /** The address printed in letters' QR codes for `/verify/<code>` (RAVAND_PUBLIC_URL). */
  publicUrl: string;
  /** SMTP server for notification mail (RAVAND_SMTP_URL, e.g. `smtp://user:pass@mail.example:587`); unset = no mail. */
  smtpUrl: string | undefined;
  /** The From address of notification mail (RAVAND_MAIL_FROM). */
  mailFrom: string;
  /** When the daily digest goes, `HH:MM` Asia/Kabul (RAVAND_MAIL_DIGEST_TIME, default 07:30). */
  mailDigestTime: string;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function backupTime(value: string): string {
  if (value !== '' && !/^([01]\d|2[0-3]):[0-5]\d$/.test(value))
    throw new Error(`RAVAND_BACKUP_TIME must be HH:MM (Asia/Kabul) or empty, got "${value}"`);
  return value;
}

function hhmm(value: string, name: string): string {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(value))
    throw new Error(`${name} must be HH:MM (Asia/Kabul), got "${value}"`);
  return value;
}

function documentTypes(value: string | undefined): DocumentType[] {
  const given = list(value).map((t) => (t.toLowerCase() === 'jpg' ? 'jpeg' : t.toLowerCase()));
  if (given.length === 0) return [...DOCUMENT_TYPES];
  const bad = given.filter((t) => !DOCUMENT_TYPES.includes(t as DocumentType));
  if (bad.length)
    throw new Error(
      `RAVAND_DOCUMENT_TYPES: unknown type ${bad.join(', ')} (known: ${DOCUMENT_TYPES.join(', ')})`,
    );
  return given as DocumentType[];
}

/** Reads the configuration from `env`; throws with the variable's name on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const root = projectRoot();
  const mongodbUri = env.MONGODB_URI || undefined;
  const port = int(env.PORT, 3000, 'PORT');
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new Error(`LOG_LEVEL must be debug, info, warn or error`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    mongodbUri,
    dataDir: path.resolve(root, env.RAVAND_DATA_DIR ?? 'data'),
    cacheDir: path.resolve(root, env.RAVAND_CACHE_DIR ?? '.cache'),
    dbPort: int(env.RAVAND_DB_PORT, 0, 'RAVAND_DB_PORT'),
    dbMaxRestarts: int(env.RAVAND_DB_MAX_RESTARTS, 5, 'RAVAND_DB_MAX_RESTARTS'),
    backupDir: path.resolve(
      root,
      env.RAVAND_BACKUP_DIR ?? path.join(env.RAVAND_DATA_DIR ?? 'data', 'backups'),
    ),
    backupTime: backupTime(env.RAVAND_BACKUP_TIME ?? '02:00'),
    backupKeep: int(env.RAVAND_BACKUP_KEEP, 14, 'RAVAND_BACKUP_KEEP'),
    // demo accounts only where nobody would mistake them for real ones: never by default in production
    demoSeed: env.RAVAND_DEMO_SEED
      ? env.RAVAND_DEMO_SEED === 'true'
      : !mongodbUri && env.NODE_ENV !== 'production',
    origins: list(env.RAVAND_ORIGINS ?? `http://localhost:${port},http://127.0.0.1:${port}`),
    sessionTtlHours: int(env.RAVAND_SESSION_TTL_HOURS, 12, 'RAVAND_SESSION_TTL_HOURS'),
    holidays: list(env.RAVAND_HOLIDAYS),
    atiDeadlineDays: int(env.RAVAND_ATI_DEADLINE_DAYS, 10, 'RAVAND_ATI_DEADLINE_DAYS'),
    logLevel,
    documentMaxMb: int(env.RAVAND_DOCUMENT_MAX_MB, 25, 'RAVAND_DOCUMENT_MAX_MB') || 25,
    documentTypes: documentTypes(env.RAVAND_DOCUMENT_TYPES),
    publicUrl: (env.RAVAND_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    smtpUrl: env.RAVAND_SMTP_URL || undefined,
    mailFrom: env.RAVAND_MAIL_FROM || 'Ravand <ravand@localhost>',
    mailDigestTime: hhmm(env.RAVAND_MAIL_DIGEST_TIME ?? '07:30', 'RAVAND_MAIL_DIGEST_TIME'),
  };
}
