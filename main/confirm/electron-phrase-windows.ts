import { randomBytes } from 'node:crypto';
import type { PhraseDisplay, ShownPhrase } from './phrase-display';
import { renderPhrasePage, renderResultPage } from './render';

/**
 * Electron's recovery-phrase window: a window main opens itself, with no preload and no script, drawn
 * from a document main renders (the words never pass through the app's page). The page gets a URL
 * naming the phrase (`nmr-delegate-phrase:<random id>`); "Open my recovery phrase again" opens it as
 * any page opens a window, and main's window-open handler (main/electron/harden.ts) hands it here
 * instead of opening anything: the window comes back (or to the front) for as long as the phrase is
 * kept (until confirmed, locked or expired). Locking closes the windows too.
 */
export const PHRASE_URL_SCHEME = 'nmr-delegate-phrase:';

/** The part of a BrowserWindow this needs (main/electron/phrase-window.ts makes real ones). */
export interface PhraseWindow {
  focus(): void;
  close(): void;
  isDestroyed(): boolean;
}

/** Opens a window showing `html` (a whole document with its own CSP and style). */
export type OpenPhraseWindow = (html: string, title: string) => PhraseWindow;

export interface ElectronPhraseWindows extends PhraseDisplay {
  /** A URL the app's page asked to open: true when it was a phrase URL (shown again, or "expired" said). */
  reopen(url: string): boolean;
}

const TITLE = { create: 'Write down your recovery phrase', reveal: 'Your recovery phrase' } as const;

export function electronPhraseWindows(open: OpenPhraseWindow, now: () => number = Date.now): ElectronPhraseWindows {
  const phrases = new Map<string, { phrase: ShownPhrase; window: PhraseWindow | null }>();

  const close = (id: string) => {
    const e = phrases.get(id);
    if (e?.window && !e.window.isDestroyed()) e.window.close();
    phrases.delete(id);
  };
  const openFor = (id: string) => {
    const e = phrases.get(id)!;
    if (e.window && !e.window.isDestroyed()) return e.window.focus();
    e.window = open(renderPhrasePage(e.phrase.words, e.phrase.purpose, 'inline'), TITLE[e.phrase.purpose]);
  };

  return {
    async show(phrase) {
      const t = now();
      for (const [id, e] of phrases) if (e.phrase.expires < t || e.phrase.key === phrase.key) close(id);
      const id = randomBytes(16).toString('hex');
      phrases.set(id, { phrase: { ...phrase, words: [...phrase.words] }, window: null });
      openFor(id);
      return { phraseUrl: `${PHRASE_URL_SCHEME}${id}` };
    },
    forget(key) {
      for (const [id, e] of phrases) if (key === undefined || e.phrase.key === key) close(id);
    },
    reopen(url) {
      if (!url.startsWith(PHRASE_URL_SCHEME)) return false;
      const id = /^[0-9a-f]{32}$/.exec(url.slice(PHRASE_URL_SCHEME.length))?.[0];
      const e = id ? phrases.get(id) : undefined;
      if (id && e && e.phrase.expires >= now()) openFor(id);
      else {
        if (id) close(id);
        open(
          renderResultPage(
            'Nothing to show',
            'This recovery phrase window has expired or was closed. Start again in NMR Delegate.',
            'inline',
          ),
          'Nothing to show',
        );
      }
      return true;
    },
  };
}
