import { ZodError } from 'zod';
import { API, AppError, type ApiOutput, type ApiParsedInput, type Envelope, type MethodName } from '../../shared/api';
import type { Logger } from '../log/logger';
import { boundMessage, describeZodError } from './error-message';

export type Handlers = { [M in MethodName]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

/** What a transport knows about who is calling. Each transport decides what "allowed" means. */
export type Sender = { kind: 'ipc'; frameUrl: string | null } | { kind: 'harness'; token: string | null };

export interface Router {
  handle(method: string, rawInput: unknown, sender: Sender): Promise<Envelope<unknown>>;
}

function isMethod(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(API, name);
}

/**
 * The one way a handler is reached, whatever the transport: check the sender, parse the input
 * with its schema, call the service, check the result against its schema, and wrap it in an
 * envelope. Results are parsed too, so a service can never leak a field the contract does not name.
 */
export function createRouter(opts: { handlers: Handlers; allowSender: (sender: Sender) => boolean; log: Logger }): Router {
  const { handlers, allowSender, log } = opts;
  return {
    async handle(method, rawInput, sender) {
      if (!allowSender(sender)) {
        log.warn('api.rejected_sender', { method: String(method).slice(0, 64), kind: sender.kind });
        return { ok: false, error: { code: 'UNAUTHORIZED', message: 'This caller is not allowed.' } };
      }
      if (typeof method !== 'string' || !isMethod(method)) {
        return { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'There is no such call.' } };
      }
      const spec = API[method];
      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        return { ok: false, error: { code: 'BAD_INPUT', message: describeZodError(parsed.error) } };
      }
      try {
        const handler = handlers[method] as (input: unknown) => Promise<unknown>;
        const result = await handler(parsed.data);
        const checked = spec.output.safeParse(result);
        if (!checked.success) {
          log.error('api.bad_result', { method, issue: describeZodError(checked.error) });
          return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the app.' } };
        }
        return { ok: true, value: checked.data };
      } catch (e) {
        if (e instanceof AppError) return { ok: false, error: { code: e.code, message: boundMessage(e.message) } };
        if (e instanceof ZodError) {
          log.error('api.internal_validation', { method, issue: describeZodError(e) });
          return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the app.' } };
        }
        log.error('api.internal', { method, error: e instanceof Error ? e.message : String(e) });
        return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside the app.' } };
      }
    },
  };
}
