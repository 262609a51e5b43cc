import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/**
 * Structured JSON-lines log. Callers pass named fields, never whole objects, so a secret can only
 * reach the log if someone names it; field values are also cut short to keep lines readable.
 */
export function createLogger(opts: { file?: string; echo?: boolean } = {}): Logger {
  if (opts.file) mkdirSync(dirname(opts.file), { recursive: true });
  const write = (level: LogLevel, event: string, fields: LogFields = {}) => {
    const safe: LogFields = {};
    for (const [k, v] of Object.entries(fields)) safe[k] = typeof v === 'string' ? v.slice(0, 500) : v;
    const line = JSON.stringify({ t: new Date().toISOString(), level, event, ...safe });
    if (opts.file) appendFileSync(opts.file, line + '\n', { mode: 0o600 });
    if (opts.echo) (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line + '\n');
  };
  return {
    log: write,
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  };
}

export const silentLogger: Logger = { log() {}, info() {}, warn() {}, error() {} };
