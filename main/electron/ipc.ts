import type { IpcMain, WebContents } from 'electron';
import { METHOD_NAMES } from '../../shared/api/methods';
import type { EventBus } from '../ipc/events';
import type { Router } from '../ipc/router';

export const EVENT_CHANNEL = 'nmr-delegate:event';

/** True only for the app's own page: a file:// URL of the bundled renderer (hash and query ignored). */
export function ipcSenderCheck(rendererIndexUrl: string) {
  const expected = new URL(rendererIndexUrl);
  return (sender: { kind: string; frameUrl?: string | null }) => {
    if (sender.kind !== 'ipc' || !sender.frameUrl) return false;
    try {
      const u = new URL(sender.frameUrl);
      return u.protocol === expected.protocol && u.host === expected.host && u.pathname === expected.pathname;
    } catch {
      return false;
    }
  };
}

/** One ipcMain.handle per named method, all through the shared router; nothing generic. */
export function registerIpc(ipcMain: IpcMain, router: Router, events: EventBus, target: () => WebContents | null): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(method, (event, input: unknown) =>
      router.handle(method, input, { kind: 'ipc', frameUrl: event.senderFrame?.url ?? null }),
    );
  }
  const unsubscribe = events.subscribe((e) => target()?.send(EVENT_CHANNEL, e));
  return () => {
    unsubscribe();
    for (const method of METHOD_NAMES) ipcMain.removeHandler(method);
  };
}
