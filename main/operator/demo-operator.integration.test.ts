/**
 * The operator's round and a holder's relay on the demo chain, through the same HTTP client the app
 * uses against Numerai's real API: the staking world, the demo Numerai served on loopback with one
 * token per model's operator, the operator's pool port signing with the operator's key.
 */
import { Wallet } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoOperatorKey, type StakingWorld, type StakingWorldSpec } from '../devnet/staking-world';
import type { DemoNumeraiApi } from '../numerai/demo/demo-api';
import type { PayoutScores } from '../numerai/demo/payout';
import { createStakingClient } from '../numerai/v3-client';
import { relayClaims } from './claim-relay';
import { runOperatorRound } from './operator-round';
import { stakingPoolPort, type PoolTx } from './staking-pool-port';
import { FAST, useDemoWorld } from './test-support/demo-world';

const NMR = 10n ** 18n;
const SCORES: Record<string, PayoutScores> = { winner: { corr: 0.02, mmc: 0.003 }, loser: { corr: -0.03, mmc: -0.002 } };
const spec: StakingWorldSpec = {
  models: [
    { name: 'winner', feeBps: 1_000, capWei: 100_000n * NMR },
    { name: 'loser', feeBps: 500, capWei: 100_000n * NMR },
  ],
  firstRoundId: 3_001n,
  historyRounds: 0,
  scores: (name) => SCORES[name] ?? null,
  holderDelegationWei: 500n * NMR,
};
describe('the operator’s round on the demo chain, over the API stand-in', () => {
  const demo = useDemoWorld('demo-operator', spec);
  let w: StakingWorld;
  let api: DemoNumeraiApi;
  beforeAll(() => {
    w = demo.world();
    api = demo.api();
  });

  /** The pool as an account sees it, sending as that account. */
  const portFor = (wallet: Wallet) =>
    stakingPoolPort({
      provider: w.provider,
      poolAddress: w.deployment.pool,
      stakingAddress: w.deployment.staking,
      chainId: BigInt(w.deployment.chainId),
      send: async (tx: PoolTx) => {
        const sent = await wallet.connect(w.provider).sendTransaction({ to: tx.to, data: tx.data });
        const receipt = await sent.wait();
        if (!receipt || receipt.status !== 1) throw new Error(`${tx.description} failed`);
        return receipt;
      },
    });
  const now = async () => Number((await w.provider.getBlock('latest'))!.timestamp) * 1000;

  it('each operator stakes only its own model with its own token; a holder with no token relays the results', async () => {
    const roundId = await w.numerai.openRound();
    const identities = w.numerai.identities();
    const operators = [0, 1].map((i) => new Wallet(demoOperatorKey(i)));

    // The first operator's models, found in the pool's own record.
    const port0 = portFor(operators[0]!);
    const models0 = await port0.linkedModels(operators[0]!.address);
    expect(models0.map((m) => [m.name, m.apiModelId])).toEqual([['winner', identities.find((x) => x.name === 'winner')!.apiModelId]]);
    const client0 = createStakingClient({ url: api.server.url, tournamentId: 8, token: api.tokenOf(models0[0]!.apiModelId), ...FAST });

    // Its token does not own the other model: Numerai refuses, in words, and nothing is sent.
    const models1 = await portFor(operators[1]!).linkedModels(operators[1]!.address);
    const t = await now();
    const foreign = await runOperatorRound({ api: client0, pool: port0, now: () => t }, models1);
    expect(foreign.models[0]!.status).toMatchObject({ state: 'refused', kind: 'not-found' });

    const expected = await port0.stakeable(models0[0]!.poolModelId);
    const mine = await runOperatorRound({ api: client0, pool: port0, now: () => t }, models0);
    expect(mine.models[0]!.status).toMatchObject({ state: 'staked', roundId, stakedWei: expected });

    // The second operator, with its own token.
    const port1 = portFor(operators[1]!);
    const client1 = createStakingClient({ url: api.server.url, tournamentId: 8, token: api.tokenOf(models1[0]!.apiModelId), ...FAST });
    const theirs = await runOperatorRound({ api: client1, pool: port1, now: () => t }, models1);
    expect(theirs.models[0]!.status).toMatchObject({ state: 'staked', roundId });

    // Numerai closes and resolves the round; a holder's app, with no token, relays both results.
    await w.numerai.closeRound(roundId);
    const resolution = await w.numerai.resolveRound(roundId);
    expect(resolution.roundId).toBe(roundId);
    const holder = Wallet.createRandom();
    await w.provider.send('anvil_setBalance', [holder.address, '0x8ac7230489e80000']);
    const anyone = createStakingClient({ url: api.server.url, tournamentId: 8, ...FAST });
    const holderPort = portFor(new Wallet(holder.privateKey));
    const relayed = await relayClaims(anyone, holderPort);
    expect(relayed.refused).toBeUndefined();
    expect(relayed.results.map((r) => r.state)).toEqual(['relayed', 'relayed']);
    for (const m of [...models0, ...models1]) expect(await holderPort.unsettledPrincipal(m.poolModelId, roundId)).toBe(0n);
  }, 120_000);
});
