import { getAddress } from 'ethers';
import { NumeraiRefusal, type NumeraiStakingApi, type V3StakeClaim } from '../numerai/v3-api';
import { mapAtMost } from '../async/at-most';
import { refusalWords } from './refusal-words';

/**
 * Relays the results Numerai posted for the pool's positions: each claim moves stake + payout − burn
 * back into the pool and books it for the model's holders. Anyone may relay (Numerai's contract checks
 * the proof), so the operator's app does it each round and a holder's app does it too when the
 * operator is late; a claim someone else relayed first is simply no longer pending.
 */

export interface ClaimToRelay {
  roundId: bigint;
  poolModelId: number;
  payoutWei: bigint;
  burnWei: bigint;
  proof: readonly string[];
}

export interface ClaimRelayPort {
  /** The pool: the staker of record of every position it claims. */
  readonly address: string;
  /** The pool's id of the model with this on-chain Numerai model id, or null if none is linked. */
  poolModelIdOf(numeraiModelId: string): Promise<number | null>;
  /** The principal of the pool's still unsettled tranche of (model, round); 0n once settled or if none. */
  unsettledPrincipal(poolModelId: number, roundId: bigint): Promise<bigint>;
  sendClaim(claim: ClaimToRelay): Promise<{ hash: string }>;
}

export type RelayResult =
  { state: 'relayed'; claim: ClaimToRelay; hash: string } | { state: 'failed'; claim: ClaimToRelay; message: string };

export interface RelayReport {
  /** Numerai could not be asked: the words for the person, nothing was relayed. */
  refused?: string;
  results: RelayResult[];
  /** Claims Numerai listed that are not the pool's to relay or already settled. */
  notPending: number;
}

export function claimToRelay(c: V3StakeClaim, poolModelId: number): ClaimToRelay {
  return {
    roundId: BigInt(c.roundId),
    poolModelId,
    payoutWei: BigInt(c.payoutAmountWei),
    burnWei: BigInt(c.burnAmountWei),
    proof: c.proof,
  };
}

/**
 * Relays every pending claim Numerai lists for the pool, in round order. Never throws. `inFlight`
 * claims go at once (default one at a time): only for a sender that keeps its own nonces in order.
 */
export async function relayClaims(
  api: Pick<NumeraiStakingApi, 'claims'>,
  pool: ClaimRelayPort,
  opts: { inFlight?: number } = {},
): Promise<RelayReport> {
  let listed: V3StakeClaim[];
  try {
    listed = await api.claims(pool.address);
  } catch (e) {
    const kind = e instanceof NumeraiRefusal ? e.kind : 'unavailable';
    return { refused: refusalWords(kind, 'the pool'), results: [], notPending: 0 };
  }
  const ordered = [...listed].sort((a, b) => (BigInt(a.roundId) < BigInt(b.roundId) ? -1 : BigInt(a.roundId) > BigInt(b.roundId) ? 1 : 0));
  const outcomes = await mapAtMost(ordered, opts.inFlight ?? 1, (c) => relayOne(pool, c));
  const results = outcomes.filter((r): r is RelayResult => r !== null);
  return { results, notPending: ordered.length - results.length };
}

/** One listed claim: relayed, failed, or null when it is not the pool's to relay (another staker's, or settled). */
async function relayOne(pool: ClaimRelayPort, c: V3StakeClaim): Promise<RelayResult | null> {
  if (getAddress(c.staker) !== getAddress(pool.address)) return null;
  const poolModelId = await pool.poolModelIdOf(c.modelId);
  if (poolModelId === null || (await pool.unsettledPrincipal(poolModelId, BigInt(c.roundId))) === 0n) return null;
  const claim = claimToRelay(c, poolModelId);
  try {
    return { state: 'relayed', claim, hash: (await pool.sendClaim(claim)).hash };
  } catch (e) {
    return { state: 'failed', claim, message: e instanceof Error ? e.message.slice(0, 300) : 'The claim could not be sent.' };
  }
}
