import type { PhraseDisplay, ShownPhrase } from '../confirm/phrase-display';

/**
 * A phrase display for tests that drive the app through its router: it keeps what main showed, as
 * the person would read it off main's own window, so a test can type the words back.
 */
export function phraseRecorder(): PhraseDisplay & { shown: ShownPhrase[]; last(): readonly string[] } {
  const shown: ShownPhrase[] = [];
  return {
    shown,
    last() {
      const p = shown.at(-1);
      if (!p) throw new Error('no recovery phrase was shown');
      return p.words;
    },
    async show(phrase) {
      shown.push(phrase);
      return { phraseUrl: null };
    },
    forget() {},
  };
}
