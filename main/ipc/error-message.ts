import type { ZodError } from 'zod';

/**
 * Error messages the page receives are short and never carry much of what was sent: a validation
 * message may quote an unknown key or a value, and that key could be megabytes, or hold control and
 * bidirectional characters that would garble the page's text. The contract allows 2,000 characters
 * (`ApiErrorShape`); the router keeps every message within MAX_ERROR_MESSAGE and every quoted part
 * of an input within a short excerpt.
 */
export const MAX_ERROR_MESSAGE = 600;
const PATH_PART = 40;
const ISSUE = 160;

// C0/C1 controls, and the bidirectional overrides and isolates that could reorder the text shown.
const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069\u200e\u200f]+/gu;

/** At most `max` characters of `s`, unsafe characters as spaces, whitespace runs as one, "…" when cut. */
export function excerpt(s: string, max: number): string {
  const clean = s.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...clean];
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join('')}…`;
}

/** Any message on its way to the page: bounded and cleaned. */
export function boundMessage(message: string): string {
  return excerpt(message, MAX_ERROR_MESSAGE) || 'That call could not be answered.';
}

/** A zod failure in words: the first five issues, each path part and message cut short. */
export function describeZodError(e: ZodError): string {
  return boundMessage(
    e.issues
      .slice(0, 5)
      .map((i) => {
        const message = excerpt(i.message, ISSUE);
        return i.path.length ? `${i.path.map((p) => excerpt(String(p), PATH_PART)).join('.')}: ${message}` : message;
      })
      .join('; '),
  );
}
