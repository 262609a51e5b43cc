import { appendFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { redactField } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  /** The JSON-lines file, e.g. <userData>/logs/main.log. */
  file?: string;
  /** Also print each line (stderr for warn and error). */
  echo?: boolean;
  /** Rotate when the file would pass this size (default 5 MB)… */
  maxBytes?: number;
  /** …keeping this many files in all: main.log, main.log.1, … (default 3, at least 2). */
  maxFiles?: number;
}

const MAX_VALUE_CHARS = 500;
/** Redaction looks at this much of a value: more than is kept, so nothing is cut mid-secret. */
const SCAN_CHARS = 4096;
const RESERVED = new Set(['t', 'level', 'event', '__proto__', 'constructor', 'prototype']);

function clean(name: string, value: string): string {
  return redactField(name, value.slice(0, SCAN_CHARS)).slice(0, MAX_VALUE_CHARS);
}

/**
 * Structured JSON-lines log. Callers pass named fields, never whole objects. Every string is
 * redacted (main/log/redact.ts: private keys, recovery phrases, keystores, secret-named fields)
 * before it is cut to 500 characters, so a secret can reach the log neither by name nor by
 * accident. The file is 0600 and rotates by size (5 MB × 3 files by default). Writing never
 * throws: a full disk must not break a call.
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const maxFiles = Math.max(2, opts.maxFiles ?? 3);
  const file = opts.file;
  let size = 0;
  if (file) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      size = statSync(file).size;
    } catch {
      size = 0;
    }
  }

  function rotate(f: string) {
    for (let i = maxFiles - 1; i >= 1; i--) {
      const from = i === 1 ? f : `${f}.${i - 1}`;
      if (existsSync(from)) renameSync(from, `${f}.${i}`);
    }
    size = 0;
  }

  const write = (level: LogLevel, event: string, fields: LogFields = {}) => {
    const entry: Record<string, unknown> = { t: new Date().toISOString(), level, event: clean('event', String(event)) };
    for (const [k, v] of Object.entries(fields)) {
      if (RESERVED.has(k)) continue;
      entry[k] = typeof v === 'string' ? clean(k, v) : v;
    }
    const line = JSON.stringify(entry) + '\n';
    if (file) {
      try {
        const bytes = Buffer.byteLength(line);
        if (size > 0 && size + bytes > maxBytes) rotate(file);
        appendFileSync(file, line, { mode: 0o600 });
        size += bytes;
      } catch {
        // The log is best effort.
      }
    }
    if (opts.echo) (level === 'error' || level === 'warn' ? process.stderr : process.stdout).write(line);
  };
  return {
    log: write,
    info: (e, f) => write('info', e, f),
    warn: (e, f) => write('warn', e, f),
    error: (e, f) => write('error', e, f),
  };
}

export const silentLogger: Logger = { log() {}, info() {}, warn() {}, error() {} };
