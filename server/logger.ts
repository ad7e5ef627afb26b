/** A small leveled logger writing one line per entry to stderr; LOG_LEVEL picks the floor. */
const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof levels;

let floor: number = levels[(process.env.LOG_LEVEL as LogLevel) ?? 'info'] ?? levels.info;

export function setLogLevel(level: LogLevel): void {
  floor = levels[level];
}

function write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  if (levels[level] < floor) return;
  const extra = fields ? ' ' + JSON.stringify(fields) : '';
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} ${msg}${extra}\n`);
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
};
