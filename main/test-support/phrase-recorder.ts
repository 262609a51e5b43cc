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

type RouterCall = (method: 'wallet.createDraft' | 'wallet.confirmCreate', input: unknown) => Promise<Record<string, unknown>>;

/** Creates a wallet through the router as a person would: the draft, the words off main's window, three typed back. */
export async function createWalletAsPerson(call: RouterCall, phrases: ReturnType<typeof phraseRecorder>, password: string): Promise<void> {
  const draft = (await call('wallet.createDraft', { words: 12 })) as { draftId: string; confirmPositions: number[] };
  const words = phrases.last();
  await call('wallet.confirmCreate', {
    draftId: draft.draftId,
    password,
    confirmations: draft.confirmPositions.map((position) => ({ position, word: words[position - 1]! })),
  });
}
