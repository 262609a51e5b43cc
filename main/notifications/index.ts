export { Notifier, type NotifierChain, type NotifierDeps } from './notifier';
export { NotificationStore } from './store';
export type { ChainKey, NotificationDraft } from './derive';
