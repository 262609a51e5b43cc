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

/**
 * The pool's and Numerai's contract errors an operator's round or a relay can meet, in words. Names
 * are the contracts' (StakingPool, and Numerai's staking through our adapter's stand-in); an error
 * not listed is shown by its name.
 */
const CHAIN_WORDS: Record<string, string> = {
  RoundNotAfterLast: 'The pool already staked this model in this round or a later one.',
  ClaimRoundFirst:
    'A Numerai round of this model has its results posted but not yet claimed, and the claims go first: the app relays them in this run and stakes the model on its next one.',
  TrancheRingFull:
    'This model still has a stake from 64 or more Numerai rounds ago that was never claimed, so the pool cannot stake it again yet. Once Numerai posts that round’s results the app relays the claim and staking resumes.',
  RoundNotOpen: 'Numerai’s round is not open for staking any more.',
  AuthorizationExpired: 'Numerai’s authorization expired before it was sent; the app asks for a new one.',
  InvalidNonce: 'Another authorization for the pool was used first; the app asks Numerai for a new one.',
  InvalidSigner:
    'Numerai’s contract did not accept the authorization’s signature: it was not signed by Numerai’s key, or it is for another staker, model or tournament than the pool’s.',
  AmountAboveMax: 'The amount is above what Numerai authorized.',
  PositionExists: 'The pool already has a position for this model in this round.',
  ModelTakenByAnotherStaker: 'Someone else already staked this model in this round.',
  InvalidProof: 'Numerai’s contract did not accept the proof of this result.',
  RoundNotResolved: 'Numerai has not posted this round’s results yet.',
  AlreadySettled: 'This result was already claimed.',
  NoTranche: 'The pool has nothing at stake for this model in this round (already claimed?).',
  EnforcedPause: 'The pool is paused: staking waits until it resumes (claims still go through).',
};

export function chainErrorWords(name: string): string {
  return CHAIN_WORDS[name] ?? `The contract refused it (${name}).`;
}
