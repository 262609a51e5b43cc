import { describe, expect, it } from 'vitest';
import { applyRound, backtest, postedBps } from './backtest';
import { handSet } from './test-support/hand-sets';

const NMR = 10n ** 18n;

const set = handSet([
  // Round 10's result comes before the money is at risk; 13 is missed.
  { name: 'm', rounds: [10, 11, 12, 14], returns: [300, 123, -77, 500], feeBps: 1500 },
  { name: 'n', rounds: [11, 12, 13, 14], returns: [-500, 0, 250.6, 100], feeBps: 0 },
]);

describe('applyRound: the contract’s integer arithmetic', () => {
  it('floors the reward, then floors the fee on the reward', () => {
    // reward = ⌊12345 · 123 / 10000⌋ = ⌊1518435 / 10000⌋ = 151; fee = ⌊151 · 1500 / 10000⌋ = ⌊22.65⌋ = 22
    expect(applyRound(12345n, 123, 1500)).toEqual({ valueWei: 12345n + 151n - 22n, rewardWei: 151n, feeWei: 22n, burnedWei: 0n });
  });

  it('floors the burn on a loss, takes no fee', () => {
    // burned = ⌊12474 · 77 / 10000⌋ = ⌊960498 / 10000⌋ = 96
    expect(applyRound(12474n, -77, 1500)).toEqual({ valueWei: 12378n, rewardWei: 0n, feeWei: 0n, burnedWei: 96n });
  });

  it('tiny amounts: a reward below one wei is zero', () => {
    // ⌊3 · 1 / 10000⌋ = 0
    expect(applyRound(3n, 1, 0).valueWei).toBe(3n);
    expect(applyRound(3n, -1, 0).valueWei).toBe(3n);
    // ⌊20000 · 1 / 10000⌋ = 2 reward, fee ⌊2 · 2000 / 10000⌋ = ⌊0.4⌋ = 0
    expect(applyRound(20000n, 1, 2000).valueWei).toBe(20002n);
  });

  it('refuses results outside the records’ bound or in part bps', () => {
    expect(() => applyRound(1n, 501, 0)).toThrow(RangeError);
    expect(() => applyRound(1n, 1.5, 0)).toThrow(RangeError);
  });

  it('replays stored returns in whole bps within the records’ bound', () => {
    expect([postedBps(250.6), postedBps(-0.4), postedBps(-499.5), postedBps(812)]).toEqual([251, 0, -499, 500]);
  });
});

describe('backtest', () => {
  const r = backtest(set, {
    fromRound: 10,
    allocations: [
      { name: 'm', amountWei: 12345n },
      { name: 'n', amountWei: NMR },
    ],
  });

  it('starts one round after the delegation and skips missed rounds', () => {
    expect(r.atRiskFromRound).toBe(11);
    expect(r.rounds).toEqual([10, 11, 12, 13, 14]);
    const m = r.models[0]!;
    // 11: +123 → 12474 (above); 12: −77 → 12378 (above); 13: no result; 14: +500:
    // reward ⌊12378 · 500 / 10000⌋ = ⌊618.9⌋ = 618, fee ⌊618 · 0.15⌋ = ⌊92.7⌋ = 92 → 12378 + 526 = 12904
    expect(m.valueWei).toEqual([12345n, 12474n, 12378n, 12378n, 12904n]);
    expect(m.appliedBps).toEqual([null, 123, -77, null, 500]);
    expect([m.rewardWei, m.feeWei, m.burnedWei, m.finalWei]).toEqual([151n + 618n, 22n + 92n, 96n, 12904n]);
    // The books balance: principal + rewards − fees − burns = final.
    expect(m.principalWei + m.rewardWei - m.feeWei - m.burnedWei).toBe(m.finalWei);
  });

  it('1 NMR through −5 %, 0, +2.506 % (posted 251 bps), +1 %', () => {
    const n = r.models[1]!;
    // 1e18 − 5e16 = 9.5e17; unchanged; + 9.5e17 · 251 / 1e4 = 2.3845e16 → 9.73845e17;
    // + 9.73845e17 · 100 / 1e4 = 9.73845e15 → 9.8358345e17
    expect(n.valueWei).toEqual([
      NMR,
      950_000_000_000_000_000n,
      950_000_000_000_000_000n,
      973_845_000_000_000_000n,
      983_583_450_000_000_000n,
    ]);
    expect(n.feeWei).toBe(0n);
  });

  it('replays under the fee it is given (a pool model’s) instead of its record’s', () => {
    const own = backtest(set, { allocations: [{ name: 'n', amountWei: NMR, feeBps: 2000 }], fromRound: 10 }).models[0]!;
    // Round 13: reward 9.5e17 · 251 / 1e4 = 2.3845e16, fee 20 % = 4.769e15; round 14: reward
    // ⌊9.69076e17 · 100 / 1e4⌋ = 9.69076e15, fee 1.938152e15.
    expect(own.feeBps).toBe(2000);
    expect(own.feeWei).toBe(4_769_000_000_000_000n + 1_938_152_000_000_000n);
    expect(own.finalWei).toBe(own.principalWei + own.rewardWei - own.feeWei - own.burnedWei);
    const record = backtest(set, { allocations: [{ name: 'm', amountWei: 12345n }], fromRound: 10 }).models[0]!;
    expect(record.feeBps).toBe(1500);
  });

  it('sums the models round by round', () => {
    expect(r.totalValueWei).toEqual(r.rounds.map((_, k) => r.models[0]!.valueWei[k]! + r.models[1]!.valueWei[k]!));
    expect(r.totalPrincipalWei).toBe(NMR + 12345n);
    expect(r.totalFinalWei).toBe(983_583_450_000_000_000n + 12904n);
  });

  it('toRound cuts the replay; a delegation after the last result stays flat', () => {
    expect(backtest(set, { fromRound: 10, toRound: 12, allocations: [{ name: 'm', amountWei: 12345n }] }).models[0]!.valueWei).toEqual([
      12345n,
      12474n,
      12378n,
    ]);
    const late = backtest(set, { fromRound: 14, allocations: [{ name: 'm', amountWei: 5n }] });
    expect(late.rounds).toEqual([14]);
    expect(late.totalFinalWei).toBe(5n);
  });

  it('refuses a start after every result, saying the latest round (nothing to replay)', () => {
    expect(() => backtest(set, { fromRound: 15, allocations: [{ name: 'm', amountWei: 5n }] })).toThrow(
      "Round 15 is after m's latest result (round 14): choose a round up to 13.",
    );
    expect(() => backtest(set, { fromRound: 2 ** 32 - 1, allocations: [{ name: 'm', amountWei: 5n }] })).toThrow(RangeError);
  });

  it('rejects bad input', () => {
    expect(() => backtest(set, { fromRound: 10, allocations: [] })).toThrow(/at least one/);
    expect(() => backtest(set, { fromRound: 10, allocations: [{ name: 'm', amountWei: 0n }] })).toThrow(/positive/);
    expect(() => backtest(set, { fromRound: 10, allocations: [{ name: 'zzz', amountWei: 1n }] })).toThrow(/unknown model/);
    expect(() =>
      backtest(set, {
        fromRound: 10,
        allocations: [
          { name: 'm', amountWei: 1n },
          { name: 'm', amountWei: 2n },
        ],
      }),
    ).toThrow(/twice/);
  });
});
