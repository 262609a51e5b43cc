/**
 * "Check with Numerai": a settled result (a `v3StakeClaim` from Numerai's API) checked against what
 * Numerai itself posted on chain, without trusting the API or the pool: the proof must lead from the
 * result's leaf to the root on Numerai's staking contract, and the pool must have booked exactly that
 * result. The leaf is computed here, by contracts/numerai-layout.ts (the one place that fixes
 * Numerai's leaf encoding, ABS.md Q1), and the proof is walked with OpenZeppelin's merkle-tree
 * (sorted pairs, as Numerai's contract and OpenZeppelin's MerkleProof do); mainnet's verified source
 * would settle the encoding and change numerai-layout.ts only.
 */
import { SimpleMerkleTree } from '@openzeppelin/merkle-tree';
import { ZeroHash } from 'ethers';
import type { ClaimCheck } from '../../shared/api';
import { formatNmr } from '../../shared/money';
import { claimLeafHash } from '../../contracts/numerai-layout';
import type { V3StakeClaim } from './v3-api';

/** What the check reads from the chain. */
export interface ClaimCheckReads {
  /** The root Numerai's staking contract holds for the round: the zero hash until it is posted. */
  postedRoot(roundId: bigint): Promise<string>;
  /** What the pool booked for this position (TrancheSettled), or null when it has not booked it. */
  booked(claim: V3StakeClaim): Promise<{ principalWei: bigint; returnedWei: bigint } | null>;
}

/** The verdict's vocabulary and the answer's shape are the contract's (shared/api/claims.ts). */
export type { ClaimCheck, ClaimVerdict } from '../../shared/api';

/** Whether `proof` leads from the claim's leaf to `root` (no chain: pure computation). */
export function proofMatches(claim: V3StakeClaim, root: string): boolean {
  const leaf = claimLeafHash({
    roundId: BigInt(claim.roundId),
    staker: claim.staker,
    modelId: claim.modelId,
    payout: BigInt(claim.payoutAmountWei),
    burn: BigInt(claim.burnAmountWei),
  });
  try {
    return SimpleMerkleTree.verify(root, leaf, claim.proof);
  } catch {
    return false; // a malformed proof element: it cannot match
  }
}

/** Checks one result against Numerai's contract and the pool's books, and says so in words. */
export async function verifyClaim(claim: V3StakeClaim, reads: ClaimCheckReads): Promise<ClaimCheck> {
  const round = BigInt(claim.roundId);
  const payout = BigInt(claim.payoutAmountWei);
  const burn = BigInt(claim.burnAmountWei);
  const root = await reads.postedRoot(round);
  if (root === ZeroHash)
    return {
      verdict: 'root-not-posted',
      words: `Numerai has not posted the results of round ${round} on its contract yet, so there is nothing to check against.`,
    };
  if (!proofMatches(claim, root))
    return {
      verdict: 'proof-mismatch',
      words:
        claim.merkleRoot.toLowerCase() === root.toLowerCase()
          ? `This result does not match what Numerai posted for round ${round}: its proof does not lead to the root on Numerai's contract.`
          : `This result names another root than the one Numerai posted for round ${round} on its contract: it does not match.`,
    };
  const result = payout >= burn ? `a payout of ${formatNmr(payout - burn)} NMR` : `a burn of ${formatNmr(burn - payout)} NMR`;
  const booked = await reads.booked(claim);
  if (booked === null)
    return {
      verdict: 'verified',
      words: `Verified: Numerai's contract holds this result for round ${round} (${result}). The pool has not booked it yet.`,
    };
  const expected = booked.principalWei + payout - burn;
  if (booked.returnedWei !== expected)
    return {
      verdict: 'amounts-differ',
      words: `Numerai's contract confirms ${result} for round ${round}, but the pool booked ${formatNmr(booked.returnedWei)} NMR back for ${formatNmr(booked.principalWei)} NMR staked instead of ${formatNmr(expected)} NMR.`,
    };
  return {
    verdict: 'verified',
    words: `Verified: Numerai's contract holds this result for round ${round} (${result}), and the pool booked exactly it.`,
  };
}
