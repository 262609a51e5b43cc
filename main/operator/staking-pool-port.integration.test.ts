import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelIdFromUuid } from '../../contracts/numerai-layout';
import { startAnvil, type Anvil } from '../../contracts/test-support/anvil';
import { authorize, createRound, deployWorld, fund, numeraiIface, postRoot, WAD, type World } from '../../contracts/test-support/staking';
import { NumeraiRefusal, type NumeraiStakingApi, type V3StakeClaimsEntry } from '../numerai/v3-api';
import { authAnswer, roundAnswer } from './test-support/fakes';
import { relayClaims } from './claim-relay';
import { runOperatorRound } from './operator-round';
import { stakingPoolPort, type PoolTx } from './staking-pool-port';

/**
 * The operator's round and the claim relay against a real StakingPool and Numerai's staking stand-in:
 * what the port reads and sends is what the contracts accept, to the wei.
 */
describe('stakingPoolPort on anvil', () => {
  let anvil: Anvil;
  let w: World;
  const uuid = '2b9b1a8e-4c2f-4d8e-9a51-0f3c6d7e8f90';
  const numeraiId = modelIdFromUuid(uuid);
  let operator: string;
  let holder: string;

  beforeAll(async () => {
    anvil = await startAnvil();
    w = await deployWorld(anvil.url);
    [operator, holder] = [w.accounts[2]!, w.accounts[3]!];
    await w
      .pool$(w.admin, 'registerModel', [numeraiId, 'alpha', operator, 1000, 10n ** 24n])
      .then((r) => expect(r).toMatchObject({ ok: true }));
    await fund(w, [holder], 1000n * WAD, w.pool);
    await fund(w, [w.numerai], 1000n * WAD, w.staking); // Numerai funds the payouts it posts
    expect(await w.pool$(holder, 'delegate', [1, 400n * WAD])).toMatchObject({ ok: true });
    await createRound(w, 1n);
  }, 60_000);

  afterAll(async () => {
    w?.stop();
    await anvil?.stop();
  });

  const send = async (tx: PoolTx) => {
    const receipt = await w.mustSend(operator, tx.to, tx.data);
    return (await w.provider.getTransactionReceipt(receipt.transactionHash))!;
  };
  const port = () =>
    stakingPoolPort({ provider: w.provider, poolAddress: w.pool, stakingAddress: w.staking, chainId: w.domain.chainId as bigint, send });

  const where = () => ({ chainId: BigInt(w.domain.chainId), stakingAddress: w.staking, nmrAddress: w.token, signer: w.signer.address });

  /** Numerai's API as the stand-in would answer for this world: Numerai's signer, nonces from the chain. */
  function api(claims: V3StakeClaimsEntry[] = []): NumeraiStakingApi {
    return {
      tournamentId: 8,
      config: () =>
        Promise.resolve({
          address: w.staking,
          authorizationSigner: w.signer.address,
          nmrAddress: w.token,
          owner: w.numerai,
          paused: false,
          pendingOwner: null,
          serviceWallet: null,
        }),
      round: (roundId) => Promise.resolve(roundAnswer(roundId, 'open')),
      selectedSubmission: (id) =>
        id === uuid
          ? Promise.resolve({ submissionId: 'sub-1', roundId: 1n })
          : Promise.reject(new NumeraiRefusal('no-selected-submission', 'none')),
      async authorize({ staker, maxAmountWei }) {
        const nonce = await w.view<bigint>('nonces', [staker], w.staking, numeraiIface);
        const { auth, signature } = await authorize(w, { roundId: 1n, modelId: numeraiId, maxAmount: maxAmountWei, nonce, staker });
        return authAnswer(auth, signature, where());
      },
      claim: () => Promise.reject(new NumeraiRefusal('not-found', 'none')),
      claims: () => Promise.resolve(claims),
    };
  }

  it('finds the operator’s models by the pool’s own record, stakes the round, and relays the result', async () => {
    const p = port();
    const models = await p.linkedModels(operator);
    expect(models).toEqual([{ poolModelId: 1, numeraiModelId: numeraiId, apiModelId: uuid, name: 'alpha' }]);
    expect(await p.linkedModels(holder)).toEqual([]);

    const stakeable = await p.stakeable(1);
    expect(stakeable).toBeGreaterThan(0n);
    const report = await runOperatorRound({ api: api(), pool: p, now: () => Number(w.now) * 1000 }, models);
    expect(report.models[0]!.status).toMatchObject({ state: 'staked', roundId: 1n, stakedWei: stakeable });
    expect(await p.unsettledPrincipal(1, 1n)).toBe(stakeable);
    expect(await p.lastStakedRound(1)).toBe(1n);

    // Again in the same round: nothing is sent twice.
    const again = await runOperatorRound({ api: api(), pool: p, now: () => Number(w.now) * 1000 }, models);
    expect(again.models[0]!.status).toEqual({ state: 'already-staked', roundId: 1n });

    w.warp(2 * 86_400 + 10);
    const payout = stakeable / 10n;
    const tree = await postRoot(w, 1n, [{ modelId: numeraiId, payout, burn: 0n }]);
    const proof = tree.proofOf(w.pool, numeraiId);
    const entry: V3StakeClaimsEntry = {
      apiModelId: uuid,
      burnAmountWei: '0',
      merkleRoot: tree.root,
      modelId: numeraiId,
      payoutAmountWei: String(payout),
      proof,
      roundId: '1',
      staker: w.pool,
      submissionId: 'sub-1',
      tournamentId: 8,
      claimableAmountWei: String(stakeable + payout),
    };
    const relayed = await relayClaims(api([entry]), p);
    expect(relayed.results).toMatchObject([{ state: 'relayed', claim: { roundId: 1n, poolModelId: 1, payoutWei: payout, burnWei: 0n } }]);
    expect(await p.unsettledPrincipal(1, 1n)).toBe(0n);
    // A second relay (the holder's app, late) finds nothing pending.
    expect(await relayClaims(api([entry]), p)).toEqual({ results: [], notPending: 1 });
  }, 60_000);

  it('reports the contract’s reason when a batch would revert (round 1 is already staked above)', async () => {
    const p = port();
    const { auth, signature } = await authorize(w, { roundId: 1n, modelId: numeraiId, maxAmount: WAD, nonce: 99n });
    const reason = await p.simulateStakeRound([
      {
        poolModelId: 1,
        auth: authAnswer(auth, signature, where()),
      },
    ]);
    expect(reason).toBe('RoundNotAfterLast');
  });
});
