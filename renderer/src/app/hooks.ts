import { useCallback, useEffect, useRef, useState } from 'react';
import { AppError } from '../../../shared/api';

export type Loadable<T> =
  | { status: 'loading'; data: T | null; error: null }
  | { status: 'ready'; data: T; error: null }
  | { status: 'error'; data: T | null; error: AppError };

export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  return new AppError('INTERNAL', e instanceof Error ? e.message : 'Something went wrong.');
}

/** Loads data from main, keeps the last good value while reloading, and exposes `reload`. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loadable<T> & { reload: () => void; replace: (data: T) => void } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading', data: null, error: null });
  const seq = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `deps` is the caller's list, as with useEffect; `load` is a new closure each render
  const run = useCallback(load, deps);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ status: 'loading', data: s.data, error: null }));
    run().then(
      (data) => mine === seq.current && setState({ status: 'ready', data, error: null }),
      (e: unknown) => mine === seq.current && setState((s) => ({ status: 'error', data: s.data, error: toAppError(e) })),
    );
  }, [run]);
  // For answers that already carry the fresh value (e.g. settings.update), so the screen never shows the old one in between.
  const replace = useCallback((data: T) => {
    ++seq.current;
    setState({ status: 'ready', data, error: null });
  }, []);
  useEffect(reload, [reload]);
  return { ...state, reload, replace };
}

/**
 * One action at a time from a screen: `busy` while the task `run` was given is in flight (to
 * disable its buttons), and a failure handed to `onError` in words a person reads.
 */
export function useTask(onError: (message: string) => void): { busy: boolean; run: (task: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  async function run(task: () => Promise<void>) {
    setBusy(true);
    try {
      await task();
    } catch (e) {
      onError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  }
  return { busy, run };
}
