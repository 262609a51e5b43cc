import {
  API,
  AppError,
  EVENTS,
  envelopeSchema,
  type AnyEvent,
  type ApiInput,
  type ApiOutput,
  type EventName,
  type EventPayload,
  type MethodName,
} from '../../../shared/api';
import type { Transport } from './transport';

export interface ApiClient {
  call<M extends MethodName>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/**
 * The typed API the whole renderer uses. Answers are checked against the contract, so the page
 * never acts on a malformed result; failures become AppError with the stable code from main.
 */
export function createApiClient(transport: Transport): ApiClient {
  // One envelope schema per method, made at its first call: a schema made for each answer is built
  // and prepared by zod again every time (a list sort's answer paid for it on every click).
  const envelopes = new Map<MethodName, ReturnType<typeof envelopeSchema>>();
  const envelopeOf = (method: MethodName) => {
    let schema = envelopes.get(method);
    if (!schema) envelopes.set(method, (schema = envelopeSchema(API[method].output)));
    return schema;
  };
  return {
    async call(method, input) {
      const raw = await transport.call(method, input);
      const envelope = envelopeOf(method).safeParse(raw);
      if (!envelope.success) throw new AppError('INTERNAL', 'The app sent an answer this screen does not understand.');
      if (!envelope.data.ok) throw new AppError(envelope.data.error.code, envelope.data.error.message);
      return envelope.data.value as ApiOutput<typeof method>;
    },
    on(name, listener) {
      return transport.subscribe((raw) => {
        const e = raw as Partial<AnyEvent> | null;
        if (!e || e.name !== name) return;
        const parsed = EVENTS[name].safeParse(e.payload);
        if (parsed.success) listener(parsed.data as EventPayload<typeof name>);
      });
    },
  };
}
