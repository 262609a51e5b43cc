import type { AnyEvent, Envelope, MethodName } from '../../../shared/api';
import { CALL_PATH } from '../../../shared/call-socket';
import { CallSocket, NOT_ANSWERING } from './call-socket';

/** How the page reaches main. The app cannot tell which one it has; that is the point. */
export interface Transport {
  kind: 'electron' | 'harness';
  call(method: MethodName, input: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (event: unknown) => void): () => void;
}

/** What Electron's preload exposes: one frozen object of named methods, nothing generic. */
export interface PreloadBridge {
  methods: Readonly<Record<MethodName, (input: unknown) => Promise<Envelope<unknown>>>>;
  onEvent(listener: (event: AnyEvent) => void): () => void;
}

declare global {
  interface Window {
    nmrDelegate?: PreloadBridge;
  }
}

export function electronTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'electron',
    call: (method, input) => bridge.methods[method](input),
    subscribe: (listener) => bridge.onEvent(listener),
  };
}

const TOKEN_KEY = 'nmr-delegate.harness-token';

/** Reads the per-run token from the URL fragment once, then keeps it out of the address bar. */
export function takeHarnessToken(): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return m[1];
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function harnessTransport(token: string): Transport {
  const listeners = new Set<(e: unknown) => void>();
  let started = false;
  // Calls go over the call socket (those made while it connects wait for it), as POSTs whenever there is none.
  const socket =
    typeof WebSocket === 'function'
      ? new CallSocket(`ws://${window.location.host}${CALL_PATH}`, token, (url, protocols) => new WebSocket(url, protocols))
      : null;

  async function streamEvents() {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch('/api/events', { headers: { 'x-nmr-token': token } });
        if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
        attempt = 0;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const chunk = buf.slice(0, i);
            buf = buf.slice(i + 2);
            for (const line of chunk.split('\n')) {
              if (line.startsWith('data: ')) {
                const parsed: unknown = JSON.parse(line.slice(6));
                for (const l of listeners) l(parsed);
              }
            }
          }
        }
      } catch {
        // The host went away or restarted; try again with a growing pause.
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
  }

  async function post(method: MethodName, input: unknown): Promise<Envelope<unknown>> {
    let res: Response;
    try {
      res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-nmr-token': token },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return NOT_ANSWERING;
    }
    if (!res.ok) return { ok: false, error: { code: 'INTERNAL', message: `The app’s background service answered ${res.status}.` } };
    return (await res.json()) as Envelope<unknown>;
  }

  return {
    kind: 'harness',
    call: (method, input) => (socket ? socket.call(method, input, () => post(method, input)) : post(method, input)),
    subscribe(listener) {
      listeners.add(listener);
      if (!started) {
        started = true;
        void streamEvents();
      }
      return () => listeners.delete(listener);
    },
  };
}

export function detectTransport(): Transport | null {
  if (window.nmrDelegate) return electronTransport(window.nmrDelegate);
  const token = takeHarnessToken();
  return token ? harnessTransport(token) : null;
}
