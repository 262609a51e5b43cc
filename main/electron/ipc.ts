import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { METHOD_NAMES } from '../../shared/api/methods';
import type { EventBus } from '../ipc/events';
import type { Router } from '../ipc/router';

export const EVENT_CHANNEL = 'nmr-delegate:event';

/**
 * True only for the app's own page: the renderer's index page on its own origin (app://renderer in
 * the app; any URL given, e.g. a file:// one, works the same). Scheme, host (with port) and path
 * must all match; credentials never do; hash and query are ignored.
 */
export function ipcSenderCheck(rendererIndexUrl: string) {
  const expected = new URL(rendererIndexUrl);
  return (sender: { kind: string; frameUrl?: string | null }) => {
    if (sender.kind !== 'ipc' || typeof sender.frameUrl !== 'string' || !sender.frameUrl) return false;
    try {
      const u = new URL(sender.frameUrl);
      return (
        u.protocol === expected.protocol &&
        u.host === expected.host &&
        u.pathname === expected.pathname &&
        u.username === '' &&
        u.password === ''
      );
    } catch {
      return false;
    }
  };
}

/**
 * The URL the router's sender check sees: the sending frame's URL when the message comes from the
 * main frame of the app's own window, else null (refused). A subframe, another window or a
 * destroyed frame never passes, whatever its URL.
 */
export function senderFrameUrl(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, target: () => WebContents | null): string | null {
  const wc = target();
  const frame = event.senderFrame;
  if (!wc || !frame || event.sender?.id !== wc.id) return null;
  if (frame.parent !== null) return null;
  return typeof frame.url === 'string' ? frame.url : null;
}

/** One ipcMain.handle per named method, all through the shared router; nothing generic. */
export function registerIpc(
  ipcMain: IpcMain,
  router: Router,
  events: Pick<EventBus, 'subscribe'>,
  target: () => WebContents | null,
): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(method, (event, input: unknown) =>
      router.handle(method, input, { kind: 'ipc', frameUrl: senderFrameUrl(event, target) }),
    );
  }
  const unsubscribe = events.subscribe((e) => {
    const wc = target();
    if (wc && !wc.isDestroyed()) wc.send(EVENT_CHANNEL, e);
  });
  return () => {
    unsubscribe();
    for (const method of METHOD_NAMES) ipcMain.removeHandler(method);
  };
}
