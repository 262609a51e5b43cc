/**
 * "Check with Numerai" against Numerai's staking stand-in on anvil: the root read from the contract,
 * the proof walked in main. (The whole journey with the pool's booking is in
 * main/pool/staking-pool-service.integration.test.ts.)
 */
import { JsonRpcProvider, Network } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../contracts/test-support/anvil';
import { buildRoundTree } from '../../contracts/test-support/numerai';
import * as world from '../../contracts/test-support/staking';
import { StakingPoolService } from '../pool/staking-pool-service';
import type { V3StakeClaim } from './v3-api';
import { verifyClaim, type ClaimCheckReads } from './verify-claim';

const ROUND = 42n;
const someone = '0x' + '5'.repeat(40);
const rows = [1, 2, 3].map((n) => ({
  roundId: ROUND,
  staker: someone,
  modelId: world.numeraiModelId(n),
  payout: BigInt(n) * world.WAD,
  burn: 0n,
}));

describe('verifyClaim on anvil', () => {
  let chain: Anvil;
  let w: world.World;
  let provider: JsonRpcProvider;
  let reads: ClaimCheckReads;
  const tree = buildRoundTree(rows);
  const claim = (i: number, payout = rows[i]!.payout): V3StakeClaim => ({
    apiModelId: `api-${i}`,
    burnAmountWei: '0',
    merkleRoot: tree.root,
    modelId: rows[i]!.modelId,
    payoutAmountWei: payout.toString(),
    proof: tree.proofs[i]!,
    roundId: ROUND.toString(),
    staker: someone,
    submissionId: null,
    tournamentId: 8,
  });

  beforeAll(async () => {
    chain = await startAnvil({ accounts: 3 });
    w = await world.deployWorld(chain.url);
    await world.fund(w, [w.numerai], 100n * world.WAD, w.staking);
    const network = Network.from(chain.chainId);
    provider = new JsonRpcProvider(chain.url, network, { staticNetwork: network, cacheTimeout: -1 });
    reads = new StakingPoolService({ provider, poolAddress: w.pool, deployBlock: 0 }).claimCheckReads();
  });
  afterAll(async () => {
    provider?.destroy();
    w?.stop();
    await chain?.stop();
  });

  it('says the root is not posted, then verified once Numerai posts it, and refuses a changed amount', async () => {
    await world.createRound(w, ROUND, 60n, 60n);
    expect((await verifyClaim(claim(0), reads)).verdict).toBe('root-not-posted');
    w.warp(200n);
    const posted = await world.postRoot(w, ROUND, rows);
    expect(posted.root).toBe(tree.root);
    for (const i of [0, 1, 2]) {
      expect(await verifyClaim(claim(i), reads)).toEqual({
        verdict: 'verified',
        words: `Verified: Numerai's contract holds this result for round 42 (a payout of ${i + 1} NMR). The pool has not booked it yet.`,
      });
    }
    expect((await verifyClaim(claim(1, 3n * world.WAD), reads)).verdict).toBe('proof-mismatch');
  });
});
