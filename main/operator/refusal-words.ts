import type { NumeraiRefusalKind } from '../numerai/v3-api';

/**
 * What each of Numerai's refusals means for the person running a model's round, in words they can act
 * on. One sentence per kind, used by the operator's status and by a holder's claim relay alike.
 */
const WORDS: Record<NumeraiRefusalKind, (model: string) => string> = {
  'not-signed-in': () => 'Numerai did not accept the API token. Check it on numer.ai (Account → Custom API keys) and enter it again.',
  'missing-scope': () =>
    'The Numerai API token lacks the “web3_staking” permission. Create a token with it on numer.ai and enter it again.',
  'no-selected-submission': (model) =>
    `Numerai says ${model} has no submission selected for staking in this round. Select one on numer.ai; the app will try again.`,
  'staking-closed': () => 'Staking for this Numerai round is closed. The app stakes again when the next round opens.',
  'not-found': (model) => `Numerai has nothing for ${model} in this round yet (its results may not be posted).`,
  'rate-limited': () => 'Numerai asked us to slow down. The app will try again in a minute.',
  unavailable: () => 'Numerai could not be reached. The app will try again shortly.',
  'bad-answer': () => 'Numerai answered in a form the app does not understand. Nothing was staked; the app will try again later.',
};

export function refusalWords(kind: NumeraiRefusalKind, model: string): string {
  return WORDS[kind](model);
}

/** Kinds worth asking again soon within the same round; the rest wait for the person or the next round. */
export function isTransient(kind: NumeraiRefusalKind): boolean {
  return kind === 'unavailable' || kind === 'rate-limited' || kind === 'bad-answer';
}
