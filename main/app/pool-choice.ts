/**
 * How the demo chain's staking behaves, for tests and for people trying the demo (read only here):
 * `NMR_DELEGATE_DEMO_RELAY=off` leaves Numerai's posted results unrelayed (the operators never
 * relay: a holder's app must, the "Claim" on the portfolio); `NMR_DELEGATE_DEMO_UNSCOPED_TOKEN=<model>`
 * gives that demo model's operator a Numerai token without the web3_staking scope, so Numerai
 * refuses its authorization and the pool's NMR for it stays idle.
 */
export const DEMO_RELAY_VARIABLE = 'NMR_DELEGATE_DEMO_RELAY';
export const DEMO_UNSCOPED_TOKEN_VARIABLE = 'NMR_DELEGATE_DEMO_UNSCOPED_TOKEN';

export interface DemoStakingChoices {
  /** Whether each demo step relays the results Numerai posted (default on). */
  relayClaims: boolean;
  /** The demo model whose operator's token lacks the web3_staking scope, else null. */
  unscopedTokenModel: string | null;
}

const OFF = new Set(['off', '0', 'false', 'no']);

export function demoStakingChoices(env: Readonly<Record<string, string | undefined>> = process.env): DemoStakingChoices {
  const relay = env[DEMO_RELAY_VARIABLE]?.trim().toLowerCase() ?? '';
  const unscoped = env[DEMO_UNSCOPED_TOKEN_VARIABLE]?.trim() ?? '';
  return { relayClaims: !OFF.has(relay), unscopedTokenModel: unscoped === '' ? null : unscoped };
}
