import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { AppNotification, NotificationList } from '../../../shared/api';
import { useApi } from '../api/context';
import { pageLocale } from '../locale';
import { Nmr } from './Amount';

/** Where a notification leads: the position in Portfolio, or History for a transaction. */
export type NotificationTarget = { page: 'portfolio'; model?: number } | { page: 'history' };

export function targetOf(n: AppNotification): NotificationTarget {
  return n.place === 'portfolio' && n.modelId !== null ? { page: 'portfolio', model: n.modelId } : { page: n.place };
}

const LINK_WORDS: Record<AppNotification['place'], string> = { portfolio: 'Open in Portfolio', history: 'See in History' };

/** "5 min ago", "yesterday"…: how long ago, in the page's language. */
function ago(timeMs: number, now: number): string {
  const s = Math.round((timeMs - now) / 1000);
  const words = new Intl.RelativeTimeFormat(pageLocale(), { numeric: 'auto' });
  if (Math.abs(s) < 60) return words.format(0, 'second');
  if (Math.abs(s) < 3600) return words.format(Math.round(s / 60), 'minute');
  if (Math.abs(s) < 86_400) return words.format(Math.round(s / 3600), 'hour');
  return words.format(Math.round(s / 86_400), 'day');
}

/**
 * The bell in the header and its panel: what main noticed for the wallet's accounts, newest first
 * (main decides every one; this only lists them and marks them read). Opening one marks it read
 * and goes to the place it concerns; a native notification clicked in Electron does the same.
 */
export function Notifications({ onGo }: { onGo: (to: NotificationTarget) => void }) {
  const api = useApi();
  const [list, setList] = useState<NotificationList>({ items: [], unread: 0 });
  const [open, setOpen] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const panelId = useId();
  const bell = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const latest = useRef(list);
  latest.current = list;
  // The caller's navigation changes with every page; the subscriptions below need not.
  const goTo = useRef(onGo);
  goTo.current = onGo;

  useEffect(() => {
    let live = true;
    void api.call('notifications.list', {}).then(
      (l) => live && setList(l),
      () => undefined,
    );
    const off = api.on('notifications.changed', ({ items, unread }) => setList({ items, unread }));
    return () => {
      live = false;
      off();
    };
  }, [api]);

  const go = useCallback(
    (n: AppNotification) => {
      setOpen(false);
      if (!n.read) void api.call('notifications.markRead', { id: n.id }).then(setList, () => undefined);
      goTo.current(targetOf(n));
    },
    [api],
  );

  // A native notification clicked (Electron): main asks the page to open its place.
  useEffect(
    () =>
      api.on('notifications.open', ({ id }) => {
        const n = latest.current.items.find((x) => x.id === id);
        if (n) go(n);
      }),
    [api, go],
  );

  useEffect(() => {
    if (!open) return;
    setNow(Date.now());
    panel.current?.focus();
    const outside = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!panel.current?.contains(t) && !bell.current?.contains(t)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      bell.current?.focus();
    };
    document.addEventListener('pointerdown', outside);
    document.addEventListener('keydown', escape);
    return () => {
      document.removeEventListener('pointerdown', outside);
      document.removeEventListener('keydown', escape);
    };
  }, [open]);

  return (
    <div className="notifications">
      <button
        ref={bell}
        className="ghost icon bell"
        aria-label={list.unread > 0 ? `Notifications, ${list.unread} unread` : 'Notifications'}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
            fill="currentColor"
          />
        </svg>
        {list.unread > 0 && (
          <span className="badge" aria-hidden="true">
            {list.unread > 99 ? '99+' : list.unread}
          </span>
        )}
      </button>
      {open && (
        <div id={panelId} ref={panel} className="notification-panel" role="dialog" aria-label="Notifications" tabIndex={-1}>
          <div className="row notification-head">
            <h2>Notifications</h2>
            <div className="spacer" />
            <button
              className="link"
              disabled={list.unread === 0}
              onClick={() => void api.call('notifications.markAllRead', {}).then(setList, () => undefined)}
            >
              Mark all read
            </button>
          </div>
          {list.items.length === 0 ? (
            <p className="muted notification-empty">
              Nothing yet. You will see here when a transaction of yours goes through or fails, when a round’s result reaches your
              positions, and when NMR you asked back is ready to withdraw.
            </p>
          ) : (
            <ul className="notification-list" aria-label={`${list.items.length} notifications, ${list.unread} unread`}>
              {list.items.map((n) => (
                <li key={n.id} className={n.read ? 'read' : 'unread'}>
                  <button className="notification" onClick={() => go(n)}>
                    <span className="dot" aria-hidden="true" />
                    <span className="notification-text">
                      <span className="notification-title">
                        {!n.read && <span className="visually-hidden">Unread: </span>}
                        {n.title}
                      </span>
                      {n.amountWei !== null && <NotificationAmount n={n} />}
                      {n.detail && <span className="notification-detail">{n.detail}</span>}
                      <span className="notification-meta">
                        <time dateTime={new Date(n.timeMs).toISOString()} title={new Date(n.timeMs).toLocaleString(pageLocale())}>
                          {ago(n.timeMs, now)}
                        </time>
                        {' · '}
                        <span className="notification-link">{LINK_WORDS[n.place]}</span>
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** A round's result coloured and signed as Portfolio's "Your part" shows it (a burn negative); other amounts plain. */
function NotificationAmount({ n }: { n: AppNotification }) {
  const wei = BigInt(n.amountWei!);
  const tone = n.kind !== 'round-result' ? '' : wei > 0n ? 'pos' : wei < 0n ? 'neg' : 'muted';
  return (
    <span className={`notification-amount ${tone}`}>
      <Nmr wei={wei} focusable={false} />
    </span>
  );
}
