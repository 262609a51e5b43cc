/**
 * The whole demo cycle on real staking, by role: deploy → a holder delegates → the demo Numerai opens
 * a round → each model's operator obtains an authorization naming the pool and stakes → Numerai
 * resolves (a payout for one model, a burn for another, a payout left unclaimed) → a stranger relays
 * the claims → the pool's and the holder's figures equal the payout formula to the wei → Numerai
 * finalizes the unclaimed position after 7 demo days and the pool books it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNmrAbi, localNumeraiStakingAbi, stakingPoolAbi } from '../../contracts/generated';
import { poolAuthorizationTuple } from '../../contracts/numerai-layout';
import { waitForReceipt } from '../chain/receipts';
import { silentLogger } from '../log/logger';
import { CLASSIC_PAYOUT, roundReturnNano, settle, type PayoutScores } from '../numerai/demo/payout';
import { DEMO_CONCURRENT_ROUNDS } from '../numerai/demo/schedule';
import { authorizationFromApi } from '../numerai/stake-authorization';
import { NumeraiRefusal } from '../numerai/v3-api';
import { demoOperatorKey, startStakingWorld, type StakingWorld, type StakingWorldSpec } from './staking-world';

const NMR = 10n ** 18n;
const VIRTUAL_SHARES = 10n ** 6n;
/** Scores chosen so the formula gives a burn (−17 %), a payout (+13 %) and a payout (+5 %). */
const SCORES: Record<string, PayoutScores> = {
  loser: { corr: -0.03, mmc: -0.002 },
  winner: { corr: 0.02, mmc: 0.003 },
  sleeper: { corr: 0.01, mmc: 0 },
};
const spec: StakingWorldSpec = {
  models: [
    { name: 'loser', feeBps: 500, capWei: 100_000n * NMR },
    { name: 'winner', feeBps: 1_000, capWei: 100_000n * NMR },
    { name: 'sleeper', feeBps: 0, capWei: 100_000n * NMR },
    // No scores: Numerai selects no submission of it.
    { name: 'absent', feeBps: 0, capWei: 100_000n * NMR },
  ],
  firstRoundId: 2_001n,
  historyRounds: 0,
  scores: (name) => SCORES[name] ?? null,
  holderDelegationWei: 700n * NMR,
};
const HOLDER_WEI = 1_234_567_890_123_456_789n;

async function sent(w: StakingWorld, tx: Promise<{ hash: string }>): Promise<void> {
  const r = await waitForReceipt(w.provider, (await tx).hash);
  expect(r.status).toBe(1);
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NumeraiRefusal) return e.kind;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('the demo cycle on real staking', () => {
  const dir = mkdtempSync(join(tmpdir(), 'staking-cycle-'));
  let w: StakingWorld;
  let pool: Contract;
  let nmr: Contract;
  let staking: Contract;
  const holder = Wallet.createRandom();
  const stranger = Wallet.createRandom();
  let roundId: bigint;
  /** What each model's tranche was: its NAV before staking, the principal staked. */
  const before = new Map<number, { nav: bigint; totalShares: bigint; principal: bigint }>();

  beforeAll(async () => {
    w = await startStakingWorld({ dir, spec, log: silentLogger });
    pool = new Contract(w.deployment.pool, stakingPoolAbi, w.provider);
    nmr = new Contract(w.deployment.nmr, localNmrAbi, w.provider);
    staking = new Contract(w.deployment.staking, localNumeraiStakingAbi, w.provider);
    for (const a of [holder.address, stranger.address]) await w.provider.send('anvil_setBalance', [a, '0x8ac7230489e80000']);
  });
  afterAll(async () => {
    await w?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a holder delegates to the three models', async () => {
    const h = holder.connect(w.provider);
    await sent(w, (nmr.connect(w.deployer) as Contract).getFunction('demoMint')(h.address, 3n * HOLDER_WEI));
    await sent(w, (nmr.connect(h) as Contract).getFunction('approve')(w.deployment.pool, 3n * HOLDER_WEI));
    await sent(w, (pool.connect(h) as Contract).getFunction('delegateBatch')([1, 2, 3], [HOLDER_WEI, HOLDER_WEI, HOLDER_WEI]));
    const pos = await pool.getFunction('positionOf')(h.address, 2);
    expect(pos.pendingDepositWei).toBe(HOLDER_WEI);
  });

  it('no round is open yet: Numerai says staking is closed', async () => {
    expect(await refusal(w.numerai.selectedSubmission(w.deployment.models[0]!.apiModelId))).toBe('staking-closed');
  });

  it("a round opens and each model's operator stakes through the pool with Numerai's authorization", async () => {
    roundId = await w.numerai.openRound();
    expect(roundId).toBe(spec.firstRoundId);
    expect((await w.numerai.round(roundId)).state).toBe('open');
    for (const [i, m] of w.deployment.models.slice(0, 3).entries()) {
      const operator = new Wallet(demoOperatorKey(i), w.provider);
      const sub = await w.numerai.selectedSubmission(m.apiModelId);
      expect(sub.roundId).toBe(roundId);
      const auth = await w.numerai.authorize({ submissionId: sub.submissionId, staker: w.deployment.pool, maxAmountWei: 10n ** 27n });
      // The stand-in's nonces are consecutive per staker.
      expect(auth.nonce).toBe(String(i));
      expect(auth.modelId).toBe(m.numeraiModelId);
      const m0 = await pool.getFunction('model')(m.poolModelId);
      // Before the checkpoint stakeRound runs, the model's NAV is 0 and deposits wait.
      const deposits = BigInt(m0.pendingDepositWei) + BigInt(m0.navWei);
      await sent(
        w,
        (pool.connect(operator) as Contract).getFunction('stakeRound')(
          [m.poolModelId],
          [poolAuthorizationTuple(authorizationFromApi(auth), auth.signature)],
        ),
      );
      const [principal] = (await pool.getFunction('tranche')(m.poolModelId, roundId)) as [bigint, bigint];
      // The pool's policy: NAV ÷ concurrent rounds.
      expect(principal).toBe(deposits / BigInt(DEMO_CONCURRENT_ROUNDS));
      expect(await staking.getFunction('stakeByRound')(roundId, w.deployment.pool, m.numeraiModelId)).toBe(principal);
      const m1 = await pool.getFunction('model')(m.poolModelId);
      before.set(m.poolModelId, { nav: BigInt(m1.navWei), totalShares: BigInt(m1.totalShares), principal });
      expect(BigInt(m1.navWei)).toBe(deposits);
    }
    expect(await staking.getFunction('nonces')(w.deployment.pool)).toBe(3n);
    const absent = w.deployment.models[3]!;
    expect(await refusal(w.numerai.selectedSubmission(absent.apiModelId))).toBe('no-selected-submission');
    expect(await refusal(w.numerai.authorize({ submissionId: 'no-such-submission', staker: w.deployment.pool, maxAmountWei: 1n }))).toBe(
      'not-found',
    );
  });

  it('refuses authorizations once staking closes, and has no claims before the root', async () => {
    const m = w.deployment.models[0]!;
    const sub = await w.numerai.selectedSubmission(m.apiModelId);
    await w.numerai.closeRound(roundId);
    expect((await w.numerai.round(roundId)).state).toBe('closed');
    expect(await refusal(w.numerai.authorize({ submissionId: sub.submissionId, staker: w.deployment.pool, maxAmountWei: 1n }))).toBe(
      'staking-closed',
    );
    expect(await refusal(w.numerai.claim({ roundId, apiModelId: m.apiModelId, staker: w.deployment.pool }))).toBe('not-found');
  });

  it('resolves with the formula: a burn, a payout, a payout; root, totals and funding posted', async () => {
    const expected = w.deployment.models
      .slice(0, 3)
      .map((m) => settle(before.get(m.poolModelId)!.principal, roundReturnNano(SCORES[m.name]!, CLASSIC_PAYOUT)));
    expect(expected[0]!.burn).toBeGreaterThan(0n);
    expect(expected[1]!.payout).toBeGreaterThan(0n);
    const res = await w.numerai.resolveRound(roundId);
    expect(res.positions).toBe(3);
    expect(res.totalPayout).toBe(expected.reduce((a, e) => a + e.payout, 0n));
    expect(res.totalBurn).toBe(expected.reduce((a, e) => a + e.burn, 0n));
    const round = await w.numerai.round(roundId);
    expect(round).toMatchObject({ state: 'resolved', resolved: true, merkleRoot: res.root, totalPayout: String(res.totalPayout) });
    // Numerai funded the payouts: the contract holds every stake plus the payouts.
    const principals = [...before.values()].reduce((a, b) => a + b.principal, 0n);
    expect(await nmr.getFunction('balanceOf')(w.deployment.staking)).toBe(principals + res.totalPayout);
    for (const [i, m] of w.deployment.models.slice(0, 3).entries()) {
      const c = await w.numerai.claim({ roundId, apiModelId: m.apiModelId, staker: w.deployment.pool });
      expect({ payout: BigInt(c.payoutAmountWei), burn: BigInt(c.burnAmountWei) }).toEqual(expected[i]);
    }
  });

  it('a stranger relays the claims of the burn and the payout; the pool books them to the wei', async () => {
    const relay = pool.connect(stranger.connect(w.provider)) as Contract;
    const poolNmrBefore = BigInt(await nmr.getFunction('balanceOf')(w.deployment.pool));
    let returnedSum = 0n;
    for (const m of w.deployment.models.slice(0, 2)) {
      const c = await w.numerai.claim({ roundId, apiModelId: m.apiModelId, staker: w.deployment.pool });
      const payout = BigInt(c.payoutAmountWei);
      const burn = BigInt(c.burnAmountWei);
      await sent(w, relay.getFunction('claim')(roundId, m.poolModelId, payout, burn, c.proof));
      const b = before.get(m.poolModelId)!;
      const returned = b.principal + payout - burn;
      returnedSum += returned;
      const fee = ((payout > 0n ? payout : 0n) * BigInt(spec.models[m.poolModelId - 1]!.feeBps)) / 10_000n;
      const view = await pool.getFunction('model')(m.poolModelId);
      expect(BigInt(view.navWei)).toBe(b.nav - b.principal + returned - fee);
      expect(BigInt(view.feesOwedWei)).toBe(fee);
      expect(BigInt(view.atStakeWei)).toBe(0n);
      // The holder's share: HOLDER_WEI × 1e6 shares of the first conversion (empty model: price 1e-6).
      const shares = HOLDER_WEI * VIRTUAL_SHARES;
      const pos = await pool.getFunction('positionOf')(holder.address, m.poolModelId);
      expect(BigInt(pos.shares)).toBe(shares);
      expect(BigInt(pos.valueWei)).toBe((shares * (BigInt(view.navWei) + 1n)) / (b.totalShares + VIRTUAL_SHARES));
    }
    expect(BigInt(await nmr.getFunction('balanceOf')(w.deployment.pool))).toBe(poolNmrBefore + returnedSum);
    // Only the sleeper's position is still unclaimed at Numerai.
    const open = await w.numerai.claims(w.deployment.pool);
    expect(open.map((c) => c.modelId)).toEqual([w.deployment.models[2]!.numeraiModelId]);
    // Asked again, the list answers the same: positions seen settled stay out, the open one stays in.
    expect(await w.numerai.claims(w.deployment.pool)).toEqual(open);
    const sleeper = before.get(3)!;
    const s = settle(sleeper.principal, roundReturnNano(SCORES.sleeper!, CLASSIC_PAYOUT));
    expect(BigInt(open[0]!.claimableAmountWei)).toBe(sleeper.principal + s.payout);
  });

  it('finalizes the unclaimed position after 7 demo days; anyone books it in the pool', async () => {
    expect(await w.numerai.finalizeDue()).toBe(0);
    await w.numerai.advanceDays(6.9);
    expect(await w.numerai.finalizeDue()).toBe(0);
    await w.numerai.advanceDays(0.2);
    const poolNmr = BigInt(await nmr.getFunction('balanceOf')(w.deployment.pool));
    expect(await w.numerai.finalizeDue()).toBe(1);
    const m = w.deployment.models[2]!;
    const b = before.get(3)!;
    const s = settle(b.principal, roundReturnNano(SCORES.sleeper!, CLASSIC_PAYOUT));
    // Numerai returned stake + payout to the staker of record, the pool.
    expect(BigInt(await nmr.getFunction('balanceOf')(w.deployment.pool))).toBe(poolNmr + b.principal + s.payout);
    expect(await w.numerai.claims(w.deployment.pool)).toEqual([]);
    const c = await w.numerai.claim({ roundId, apiModelId: m.apiModelId, staker: w.deployment.pool });
    const receipt = await waitForReceipt(
      w.provider,
      (
        await (pool.connect(stranger.connect(w.provider)) as Contract).getFunction('claim')(
          roundId,
          m.poolModelId,
          s.payout,
          s.burn,
          c.proof,
        )
      ).hash,
    );
    const settled = receipt.logs.map((l) => pool.interface.parseLog(l)).find((e) => e?.name === 'TrancheSettled');
    expect(settled?.args.alreadySettled).toBe(true);
    expect(settled?.args.returnedWei).toBe(b.principal + s.payout);
    expect(BigInt((await pool.getFunction('model')(3)).navWei)).toBe(b.nav + s.payout);
    const round = await w.numerai.round(roundId);
    expect(round.remainingPayout).toBe('0');
    expect(round.remainingBurn).toBe('0');
    // The pool's NMR is exactly what it books (STATUS.md: idle + pending + owed + fees).
    const t = await pool.getFunction('totals')();
    expect(await nmr.getFunction('balanceOf')(w.deployment.pool)).toBe(t.idleWei + t.pendingDepositWei + t.owedExitWei + t.feesOwedWei);
  });
});
