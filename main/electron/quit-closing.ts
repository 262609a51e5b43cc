/**
 * Closing the app's services when it quits, also while they are still starting: the window opens
 * before they are up (main/entry/electron.ts), so it can be closed then, and the demo chain's node
 * they start must not outlive the app. Electron's `before-quit` is held (preventDefault) until the
 * services are closed, then the quit is asked for again and let through.
 */
export interface Closable {
  close(): Promise<void>;
}

export interface QuitClosing {
  /** The `before-quit` listener. */
  beforeQuit(e: { preventDefault(): void }): void;
  /** True once a quit began closing the services: a start that finishes then must not use them. */
  quitting(): boolean;
}

export function closeOnQuit<S extends Closable>(opts: {
  /** The services, once started. */
  started: () => S | null;
  /** The services while they start. */
  starting: () => Promise<S> | null;
  /** The entry lets go of its services (no call reaches them any more). */
  forget: () => void;
  quit: () => void;
}): QuitClosing {
  let closing = false;
  return {
    beforeQuit(e) {
      if (closing) return; // the second time: the services are closed
      const started = opts.started();
      const pending = started ? Promise.resolve(started) : opts.starting();
      if (!pending) return;
      closing = true;
      e.preventDefault();
      opts.forget();
      // A start that failed has nothing to close; either way the app then quits.
      void pending
        .then(
          (s) => s.close(),
          () => undefined,
        )
        .finally(() => opts.quit());
    },
    quitting: () => closing,
  };
}
