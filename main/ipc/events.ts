import { EVENTS, type AnyEvent, type EventName, type EventPayload } from '../../shared/api';

type Listener = (event: AnyEvent) => void;

/** Events main pushes to whichever transport is attached. Payloads are validated before they leave. */
export class EventBus {
  private listeners = new Set<Listener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const parsed = EVENTS[name].parse(payload) as EventPayload<E>;
    const event = { name, payload: parsed } as AnyEvent;
    for (const l of this.listeners) l(event);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
