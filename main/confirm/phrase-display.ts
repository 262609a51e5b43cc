import type { PhrasePurpose } from './render';

export type { PhrasePurpose };

/** A recovery phrase to show: `key` names it so it can be withdrawn (e.g. `draft:<id>`). */
export interface ShownPhrase {
  key: string;
  purpose: PhrasePurpose;
  words: readonly string[];
  /** Epoch ms after which the window no longer shows the words. */
  expires: number;
}

/**
 * Where recovery phrases are shown: never in the renderer. Like the Confirmer, each transport plugs
 * in its own: a window owned by main (Electron), or a page on main's confirmation origin, which the
 * app's page can open but not read (harness).
 */
export interface PhraseDisplay {
  /** Shows the words; returns a URL when the renderer must open the window itself. */
  show(phrase: ShownPhrase): Promise<{ phraseUrl: string | null }>;
  /** Withdraws the phrase shown under `key`, or every phrase (on lock). */
  forget(key?: string): void;
}
