import { describe, expect, it } from 'vitest';
import type { NotificationConstructorOptions } from 'electron';
import type { AppNotification } from '../../shared/api';
import { appNotification } from '../notifications/test-support/fixtures';
import { EventBus } from '../ipc/events';
import { nativeText, wireNativeNotifications, type NativeNotificationClass } from './native-notifications';

const notification = appNotification;

/** Electron's Notification at the module boundary: records what was shown and lets a test click it. */
function fakeNotificationClass(supported: boolean) {
  const made: { options: NotificationConstructorOptions; shown: boolean; click: () => void }[] = [];
  const Fake: NativeNotificationClass = class {
    private readonly record: (typeof made)[number];
    constructor(options: NotificationConstructorOptions) {
      this.record = { options, shown: false, click: () => undefined };
      made.push(this.record);
    }
    static isSupported() {
      return supported;
    }
    show() {
      this.record.shown = true;
    }
    on(event: 'click' | 'close', listener: () => void) {
      if (event === 'click') this.record.click = listener;
      return this;
    }
  };
  return { Fake, made };
}

function setup(opts: { supported?: boolean; enabled?: boolean } = {}) {
  const events = new EventBus();
  const { Fake, made } = fakeNotificationClass(opts.supported ?? true);
  const calls: string[] = [];
  let enabled = opts.enabled ?? true;
  const stop = wireNativeNotifications({
    Notification: Fake,
    subscribe: (l) => events.subscribe(l),
    enabled: () => enabled,
    focusWindow: () => calls.push('focus'),
    open: (id) => calls.push(`open ${id}`),
  });
  const add = (items: AppNotification[]) => events.emit('notifications.changed', { items, unread: items.length, added: items });
  return { events, made, calls, stop, add, setEnabled: (on: boolean) => (enabled = on) };
}

describe('native notifications', () => {
  it('shows each new notification with its amount formatted, and a click focuses the window and opens its place', () => {
    const { made, calls, add } = setup();
    add([
      notification({}),
      notification({ id: 'w', kind: 'withdrawable', title: 'NMR from alpha is ready to withdraw', amountWei: '30000000000000000000' }),
    ]);
    expect(made.map((m) => [m.options.title, m.options.body, m.shown])).toEqual([
      ['alpha earned in round 7', '≈1.2346 NMR', true],
      ['NMR from alpha is ready to withdraw', '30 NMR', true],
    ]);
    made[1]!.click();
    expect(calls).toEqual(['focus', 'open w']);
  });

  it('shows nothing for a list that only changed (marked read), when turned off, or where the system has none', () => {
    const on = setup();
    on.events.emit('notifications.changed', { items: [notification({ read: true })], unread: 0, added: [] });
    expect(on.made).toEqual([]);
    on.setEnabled(false);
    on.add([notification({})]);
    expect(on.made).toEqual([]);
    on.setEnabled(true);
    on.add([notification({})]);
    expect(on.made).toHaveLength(1);

    const unsupported = setup({ supported: false });
    unsupported.add([notification({})]);
    expect(unsupported.made).toEqual([]);
  });

  it('words a failure with its reason, and stops when asked', () => {
    expect(
      nativeText(
        notification({
          kind: 'tx-failed',
          title: 'Delegate 5 NMR to alpha: did not go through',
          amountWei: null,
          detail: 'The transaction was reverted.',
        }),
      ),
    ).toEqual({
      title: 'Delegate 5 NMR to alpha: did not go through',
      body: 'The transaction was reverted.',
    });
    expect(nativeText(notification({ title: 'beta lost in round 7 (burned by Numerai)', amountWei: '-500000000000000000' })).body).toBe(
      '-0.5 NMR',
    );
    const { made, stop, add } = setup();
    stop();
    add([notification({})]);
    expect(made).toEqual([]);
  });
});
