import { z } from 'zod';
import { SignedWei, SignedWeiString } from '../money';
import { Address, ModelId, ModelName, Round, TxHash } from './primitives';

/**
 * What main tells the holder about on its own (main/notifications): a transaction of theirs went
 * through or failed, a Numerai round's result reached one of their positions, NMR they asked back
 * is ready to withdraw. Main decides every one; the page only lists them and marks them read.
 */
export const NOTIFICATION_KINDS = ['tx-confirmed', 'tx-failed', 'round-result', 'withdrawable'] as const;
export const NotificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** At most this many are kept (newest first); older ones drop off. */
export const NOTIFICATIONS_MAX = 200;

/** Where a notification leads: the position in Portfolio, or the History entries of a transaction. */
export const NotificationPlace = z.enum(['portfolio', 'history']);
export type NotificationPlace = z.infer<typeof NotificationPlace>;

function notificationOf<S extends z.ZodType>(signed: S) {
  return z.strictObject({
    /** Stable for the same fact (the same round's result, the same request's outcome): a repeat is never added twice. */
    id: z.string().min(1).max(300),
    kind: NotificationKind,
    /** When main noticed it (ms since 1970). */
    timeMs: z.number().int().nonnegative(),
    /** What happened, in a sentence without the amount (the amount is formatted where it is shown). */
    title: z.string().max(300),
    /** The NMR it concerns (a round's result is signed: a burn is negative); null for none. */
    amountWei: signed.nullable(),
    account: Address,
    modelId: ModelId.nullable(),
    model: ModelName.nullable(),
    roundId: Round.nullable(),
    txHash: TxHash.nullable(),
    /** A failure's reason in words. */
    detail: z.string().max(2000).nullable(),
    place: NotificationPlace,
    read: z.boolean(),
  });
}

export const AppNotification = notificationOf(SignedWeiString);
export type AppNotification = z.output<typeof AppNotification>;
export const AppNotificationWei = notificationOf(SignedWei);
export type AppNotificationWei = z.output<typeof AppNotificationWei>;

/** The list as the bell shows it: newest first, with how many are unread. */
export const NotificationList = z.strictObject({
  items: z.array(AppNotification).max(NOTIFICATIONS_MAX),
  unread: z.number().int().nonnegative(),
});
export type NotificationList = z.output<typeof NotificationList>;
