import type { Envelope, MethodName } from '../../../shared/api';
import { DEFAULT_MODELS_VIEW, modelsListInput, modelsQuery } from '../app/models-view';
import { MODEL_PAGE_SIZE } from '../app/page-size';
import type { Transport } from './transport';

/**
 * The app's first calls, sent as the page's code starts to run, before the rest of it (React,
 * zod and the app's schemas, every screen) has been evaluated: ~0.2 s of a start on two cores,
 * during which main answers them instead of waiting to be asked. In the order the app needs them:
 * the wallet's status first (nothing but "Starting…" is drawn without it), the first list last.
 *
 * This module and what it imports hold no zod and no React: main.tsx imports it first, so that it
 * runs first.
 */
export function earlyCallsFor(hash: string): [MethodName, unknown][] {
  const calls: [MethodName, unknown][] = [
    ['wallet.status', {}],
    ['accounts.list', {}],
    ['settings.get', {}],
  ];
  // The list of the route the app opens on when the address names none (a start, a new window):
  // other routes are parsed with the app's schemas, and their list is sent once they are
  // (useModelPages.ts sendBootModels).
  const path = hash.replace(/^#/, '');
  if (path === '' || path === '/' || path.startsWith('token=')) {
    calls.push(['models.list', modelsListInput(modelsQuery(DEFAULT_MODELS_VIEW), 0, MODEL_PAGE_SIZE)]);
  }
  return calls;
}

const keyOf = (method: MethodName, input: unknown) => `${method} ${JSON.stringify(input ?? {})}`;

/** A transport that can send a call ahead of the app's own asking for it. */
export interface EarlyTransport extends Transport {
  /** Sends `method` now, unless it went out already with the same input: the app's first call of it takes the answer. */
  sendEarly(method: MethodName, input: unknown): void;
}

/**
 * `transport`, with `calls` sent now: the app's first call of each with the same input takes its
 * answer (once); any later one asks main afresh.
 */
export function withEarlyCalls(transport: Transport, calls: [MethodName, unknown][]): EarlyTransport {
  const early = new Map<string, Promise<Envelope<unknown>>>();
  const sendEarly = (method: MethodName, input: unknown) => {
    const key = keyOf(method, input);
    if (early.has(key)) return;
    const answer = transport.call(method, input);
    answer.catch(() => undefined); // a failure is the app's to report, when it takes the answer
    early.set(key, answer);
  };
  for (const [method, input] of calls) sendEarly(method, input);
  return {
    ...transport,
    sendEarly,
    call(method, input) {
      const key = keyOf(method, input);
      const answer = early.get(key);
      if (!answer) return transport.call(method, input);
      early.delete(key);
      return answer;
    },
  };
}
