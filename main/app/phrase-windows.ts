import { AppError } from '../../shared/api';
import type { PhraseDisplay } from '../confirm/phrase-display';
import type { EventBus } from '../ipc/events';

/**
 * Where recovery phrases are shown, once a transport plugged its display in (never the renderer).
 * A phrase window must not outlive the unlocked wallet it was opened from: every phrase is
 * withdrawn when the wallet locks, whatever locked it (the person, the idle timer, the OS).
 */
export class PhraseWindows {
  private display: PhraseDisplay | null = null;

  constructor(events: EventBus) {
    events.subscribe((e) => {
      if (e.name === 'wallet.locked') this.forget();
    });
  }

  set(display: PhraseDisplay): void {
    this.display = display;
  }

  /** The display, asked for before any words are made or decrypted; NOT_AVAILABLE before a transport set one up. */
  ready(): PhraseDisplay {
    if (!this.display) throw new AppError('NOT_AVAILABLE', 'The recovery phrase window is not set up yet.');
    return this.display;
  }

  /** Withdraws the phrase shown under `key`, or every phrase. */
  forget(key?: string): void {
    this.display?.forget(key);
  }
}
