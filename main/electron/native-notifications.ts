import type { NotificationConstructorOptions } from 'electron';
import { ENGLISH_PAGES, shownNmr } from '../../shared/amount-format';
import type { AnyEvent, AppNotification } from '../../shared/api';

/**
 * The system's own notifications in Electron, shown by main for what the notifier adds (the list
 * under the bell has them all). Clicking one brings the window forward and asks the page to open
 * the place it concerns. Written against Electron's Notification class without importing
 * Electron, so a test drives it with a fake class.
 */
export interface NativeNotification {
  show(): void;
  on(event: 'click' | 'close', listener: () => void): unknown;
}
export interface NativeNotificationClass {
  new (options: NotificationConstructorOptions): NativeNotification;
  isSupported(): boolean;
}

export interface NativeNotificationsDeps {
  Notification: NativeNotificationClass;
  subscribe(listener: (event: AnyEvent) => void): () => void;
  /** The person's choice in Settings, read at each notification. */
  enabled(): boolean;
  /** Brings the app's window forward (restored if minimized). */
  focusWindow(): void;
  /** Asks the page to open what the notification concerns. */
  open(id: string): void;
}

/** What the system shows: the sentence, and the amount as the app writes it on its own pages. */
export function nativeText(n: AppNotification): { title: string; body: string } {
  const parts: string[] = [];
  if (n.amountWei !== null) parts.push(`${shownNmr(BigInt(n.amountWei), ENGLISH_PAGES).text} NMR`);
  if (n.detail) parts.push(n.detail);
  return { title: n.title, body: parts.join(' · ') };
}

/** Shows a native notification for each one main adds; answers a function that stops it. */
export function wireNativeNotifications(deps: NativeNotificationsDeps): () => void {
  if (!deps.Notification.isSupported()) return () => undefined;
  // A notification nobody holds can be collected before it is clicked; keep each until it closes.
  const shown = new Set<NativeNotification>();
  return deps.subscribe((event) => {
    if (event.name !== 'notifications.changed' || !deps.enabled()) return;
    for (const n of event.payload.added) {
      const native = new deps.Notification({ ...nativeText(n), silent: false });
      shown.add(native);
      native.on('click', () => {
        deps.focusWindow();
        deps.open(n.id);
        shown.delete(native);
      });
      native.on('close', () => shown.delete(native));
      native.show();
    }
  });
}
