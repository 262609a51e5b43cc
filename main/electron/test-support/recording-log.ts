import type { LogFields, Logger, LogLevel } from '../../log/logger';

export interface LogLine {
  level: LogLevel;
  event: string;
  fields: LogFields;
}

/** A logger that keeps every line, for tests that check what was logged. */
export function recordingLogger(): Logger & { lines: LogLine[]; events(): string[] } {
  const lines: LogLine[] = [];
  const log = (level: LogLevel, event: string, fields: LogFields = {}) => void lines.push({ level, event, fields });
  return {
    lines,
    events: () => lines.map((l) => l.event),
    log,
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
  };
}
