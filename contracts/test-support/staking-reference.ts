/**
 * An independent reference model of StakingPool (contracts/src/StakingPool.sol), written from the rules
 * in contracts/README.md rather than from the contract's code: where the contract books holders lazily
 * (batches, epochs, linked lists), this model converts every holder eagerly and keeps plain maps.
 * Every figure must equal the chain's to the wei, and every call must succeed or fail alike.
 *
 * Numerai's side is modelled only as far as the pool sees it: which (round, model) positions the pool
 * holds, which rounds have their root posted (and each position's payout and burn), and which
 * positions Numerai settled without the pool (finalized after the grace period, or claimed there).
 */

export const VIRTUAL_SHARES = 1_000_000n;
export const BPS = 10_000n;
export const MAX_FEE_BPS = 5_000;

/** A call the reference refuses, named as the contract's custom error. */
export class RefRevert extends Error {
  constructor(readonly errorName: string) {
    super(errorName);
  }
}
const fail = (name: string): never => {
  throw new RefRevert(name);
};

export interface RefModel {
  numeraiId: string;
  operator: string;
  feeBps: number;
  nextFeeBps: number;
  nextFeeAt: bigint; // 0: none
  capWei: bigint;
  idleWei: bigint;
  atStakeWei: bigint;
  totalShares: bigint;
  exitingShares: bigint;
  feesOwedWei: bigint;
  owedExitWei: bigint;
  lastStakedRound: bigint;
  depositEpoch: number;
  /** Unsettled tranches by Numerai round. */
  tranches: Map<bigint, { principalWei: bigint; feeBps: number }>;
  /** Pending deposits of the open epoch, by holder. */
  deposits: Map<string, bigint>;
  /** Exit requests waiting, oldest first; each with the round every tranche up to which must settle. */
  exits: { unlockRound: bigint; holders: Map<string, bigint> }[];
}

export interface RefHolding {
  shares: bigint;
  withdrawableWei: bigint;
}

/** Numerai's record of one of the pool's positions. */
export interface RefNumeraiPosition {
  amount: bigint;
  settled: boolean;
  /** Once the round's root is posted. */
  result?: { payout: bigint; burn: bigint };
}

export interface RefState {
  now: bigint;
  paused: boolean;
  concurrentRounds: bigint;
  feeNoticeSeconds: bigint;
  models: RefModel[];
  holdings: Map<string, RefHolding>; // `${holder}:${id}`
  /** Token balances of the actors and of the pool. */
  balances: Map<string, bigint>;
  poolBalance: bigint;
  /** The pool's positions at Numerai, `${round}:${modelId}`. */
  numerai: Map<string, RefNumeraiPosition>;
  /** Rounds whose root Numerai posted. */
  posted: Set<bigint>;
  /** The pool's next authorization nonce at Numerai. */
  nonce: bigint;
}

export interface RefModelView {
  numeraiModelId: string;
  operator: string;
  feeBps: number;
  nextFeeBps: number;
  nextFeeAt: bigint;
  capWei: bigint;
  navWei: bigint;
  idleWei: bigint;
  atStakeWei: bigint;
  totalShares: bigint;
  exitingShares: bigint;
  pendingDepositWei: bigint;
  feesOwedWei: bigint;
  owedExitWei: bigint;
  headRound: bigint;
  lastStakedRound: bigint;
  depositEpoch: number;
}

export interface RefPosition {
  shares: bigint;
  valueWei: bigint;
  pendingDepositWei: bigint;
  exitingShares: bigint;
  exitingValueWei: bigint;
  unlockRound: bigint;
  withdrawableWei: bigint;
}

const sum = (xs: Iterable<bigint>) => {
  let s = 0n;
  for (const x of xs) s += x;
  return s;
};

export class StakingRef {
  constructor(public s: RefState) {}

  static create(concurrentRounds: number, feeNoticeSeconds: number, now: bigint): StakingRef {
    return new StakingRef({
      now,
      paused: false,
      concurrentRounds: BigInt(concurrentRounds),
      feeNoticeSeconds: BigInt(feeNoticeSeconds),
      models: [],
      holdings: new Map(),
      balances: new Map(),
      poolBalance: 0n,
      numerai: new Map(),
      posted: new Set(),
      nonce: 0n,
    });
  }

  clone(): StakingRef {
    return new StakingRef(structuredClone(this.s));
  }

  // ------------------------------------------------------------------ helpers

  private model(id: number): RefModel {
    const m = this.s.models[id - 1];
    if (id < 1 || !m) return fail('UnknownModel');
    return m;
  }

  private holding(h: string, id: number): RefHolding {
    const k = `${h}:${id}`;
    let x = this.s.holdings.get(k);
    if (!x) {
      x = { shares: 0n, withdrawableWei: 0n };
      this.s.holdings.set(k, x);
    }
    return x;
  }

  private move(from: string, to: string, amount: bigint): void {
    const bal = from === 'pool' ? this.s.poolBalance : (this.s.balances.get(from) ?? 0n);
    if (bal < amount) fail('ERC20InsufficientBalance');
    if (from === 'pool') this.s.poolBalance -= amount;
    else this.s.balances.set(from, bal - amount);
    if (to === 'pool') this.s.poolBalance += amount;
    else if (to !== 'numerai') this.s.balances.set(to, (this.s.balances.get(to) ?? 0n) + amount);
  }

  nav(m: RefModel): bigint {
    return m.idleWei + m.atStakeWei;
  }

  valueOf(m: RefModel, shares: bigint): bigint {
    return (shares * (this.nav(m) + 1n)) / (m.totalShares + VIRTUAL_SHARES);
  }

  private feeNow(m: RefModel): number {
    return m.nextFeeAt !== 0n && this.s.now >= m.nextFeeAt ? m.nextFeeBps : m.feeBps;
  }

  /** The oldest unsettled tranche's round, 0 if none. */
  oldestRound(m: RefModel): bigint {
    let min = 0n;
    for (const r of m.tranches.keys()) if (min === 0n || r < min) min = r;
    return min;
  }

  newestRound(m: RefModel): bigint {
    let max = 0n;
    for (const r of m.tranches.keys()) if (r > max) max = r;
    return max;
  }

  /** The policy: idle minus what the exiting shares are worth (rounded up), at most staying NAV ÷ rounds. */
  stakeable(id: number): bigint {
    const m = this.model(id);
    const nav = this.nav(m);
    const ts = m.totalShares + VIRTUAL_SHARES;
    const exitingValue = (m.exitingShares * (nav + 1n) + ts - 1n) / ts;
    if (m.idleWei <= exitingValue) return 0n;
    const free = m.idleWei - exitingValue;
    const staying = nav > exitingValue ? nav - exitingValue : 0n;
    const perRound = staying / this.s.concurrentRounds;
    return free < perRound ? free : perRound;
  }

  // ------------------------------------------------------------------ admin and operators

  registerModel(numeraiId: string, operator: string, feeBps: number, capWei: bigint): number {
    if (this.s.paused) fail('EnforcedPause');
    if (feeBps > MAX_FEE_BPS) fail('FeeTooHigh');
    if (this.s.models.some((m) => m.numeraiId === numeraiId)) fail('NumeraiModelTaken');
    const cap = capWei > (1n << 96n) - 1n ? (1n << 96n) - 1n : capWei;
    this.s.models.push({
      numeraiId,
      operator,
      feeBps,
      nextFeeBps: feeBps,
      nextFeeAt: 0n,
      capWei: cap,
      idleWei: 0n,
      atStakeWei: 0n,
      totalShares: 0n,
      exitingShares: 0n,
      feesOwedWei: 0n,
      owedExitWei: 0n,
      lastStakedRound: 0n,
      depositEpoch: 1,
      tranches: new Map(),
      deposits: new Map(),
      exits: [],
    });
    return this.s.models.length;
  }

  setCap(id: number, capWei: bigint): void {
    this.model(id).capWei = capWei > (1n << 96n) - 1n ? (1n << 96n) - 1n : capWei;
  }

  pause(): void {
    if (this.s.paused) fail('EnforcedPause');
    this.s.paused = true;
  }

  unpause(): void {
    if (!this.s.paused) fail('ExpectedPause');
    this.s.paused = false;
  }

  scheduleFeeChange(op: string, id: number, fee: number): void {
    const m = this.model(id);
    if (op !== m.operator) fail('NotOperator');
    if (fee > MAX_FEE_BPS) fail('FeeTooHigh');
    m.feeBps = this.feeNow(m);
    m.nextFeeBps = fee;
    m.nextFeeAt = this.s.now + this.s.feeNoticeSeconds;
  }

  claimFees(op: string, id: number): bigint {
    const m = this.model(id);
    if (op !== m.operator) fail('NotOperator');
    const amount = m.feesOwedWei;
    if (amount === 0n) fail('NothingToClaim');
    m.feesOwedWei = 0n;
    this.move('pool', op, amount);
    return amount;
  }

  // ------------------------------------------------------------------ holders

  delegate(h: string, id: number, amount: bigint): void {
    if (this.s.paused) fail('EnforcedPause');
    this.delegateOne(h, id, amount);
    this.move(h, 'pool', amount);
  }

  delegateBatch(h: string, ids: number[], amounts: bigint[]): void {
    if (this.s.paused) fail('EnforcedPause');
    if (ids.length === 0) fail('EmptyBatch');
    if (ids.length !== amounts.length) fail('LengthMismatch');
    ids.forEach((id, i) => this.delegateOne(h, id, amounts[i]!));
    this.move(h, 'pool', sum(amounts));
  }

  private delegateOne(h: string, id: number, amount: bigint): void {
    if (amount === 0n) fail('ZeroAmount');
    const m = this.model(id);
    const pending = sum(m.deposits.values());
    if (this.nav(m) + pending + amount > m.capWei) fail('CapExceeded');
    m.deposits.set(h, (m.deposits.get(h) ?? 0n) + amount);
  }

  cancelDeposit(h: string, id: number): bigint {
    const m = this.model(id);
    const amount = m.deposits.get(h) ?? 0n;
    if (amount === 0n) fail('NothingToCancel');
    m.deposits.delete(h);
    this.move('pool', h, amount);
    return amount;
  }

  requestRedeem(h: string, id: number, shares: bigint): bigint {
    if (this.s.paused) fail('EnforcedPause');
    if (shares === 0n) fail('ZeroAmount');
    const m = this.model(id);
    const x = this.holding(h, id);
    if (shares > x.shares) fail('InsufficientShares');
    const unlock = this.newestRound(m);
    // A waiting request of the holder joins this one.
    let carried = 0n;
    for (const e of m.exits) {
      const had = e.holders.get(h);
      if (had !== undefined) {
        carried += had;
        e.holders.delete(h);
      }
    }
    m.exits = m.exits.filter((e) => e.holders.size > 0);
    let last = m.exits[m.exits.length - 1];
    if (!last || last.unlockRound !== unlock) {
      last = { unlockRound: unlock, holders: new Map() };
      m.exits.push(last);
    }
    last.holders.set(h, carried + shares);
    x.shares -= shares;
    m.exitingShares += shares;
    return unlock;
  }

  withdraw(h: string, id: number): bigint {
    this.model(id);
    const x = this.holding(h, id);
    const amount = x.withdrawableWei;
    if (amount === 0n) fail('NothingToWithdraw');
    x.withdrawableWei = 0n;
    this.model(id).owedExitWei -= amount;
    this.move('pool', h, amount);
    return amount;
  }

  // ------------------------------------------------------------------ rounds

  /** The rule: no conversion while a posted round holds an unsettled tranche of the model. */
  private requireNoPostedRoot(id: number, m: RefModel): void {
    for (const r of m.tranches.keys()) if (this.s.posted.has(r)) fail('ClaimRoundFirst');
    void id;
  }

  /** Converts matured exits (in order, while idle covers them), then the epoch's deposits; eagerly. */
  private convert(m: RefModel): void {
    const oldest = this.oldestRound(m);
    while (m.exits.length) {
      const e = m.exits[0]!;
      if (oldest !== 0n && oldest <= e.unlockRound) break;
      const shares = sum(e.holders.values());
      const assets = this.valueOf(m, shares);
      if (assets > m.idleWei) break;
      for (const [h, s] of e.holders) {
        const x = this.holding(h, this.s.models.indexOf(m) + 1);
        x.withdrawableWei += shares === 0n ? 0n : (s * assets) / shares;
      }
      m.totalShares -= shares;
      m.idleWei -= assets;
      m.exitingShares -= shares;
      m.owedExitWei += assets;
      m.exits.shift();
    }
    const deposits = sum(m.deposits.values());
    if (deposits !== 0n) {
      const minted = (deposits * (m.totalShares + VIRTUAL_SHARES)) / (this.nav(m) + 1n);
      for (const [h, d] of m.deposits) {
        this.holding(h, this.s.models.indexOf(m) + 1).shares += (d * minted) / deposits;
      }
      m.totalShares += minted;
      m.idleWei += deposits;
      m.deposits.clear();
      m.depositEpoch++;
    }
  }

  checkpoint(ids: number[]): void {
    for (const id of ids) {
      const m = this.model(id);
      this.requireNoPostedRoot(id, m);
      this.convert(m);
    }
  }

  /**
   * What stakeRound would do, model by model: the amount staked (0 = skipped), or a refusal. `items`
   * carry what the pool checks; Numerai's own refusals (round not open, nonce) are the caller's to add.
   * The pool stakes as itself on the model's own Numerai id: an authorization Numerai signed for another
   * model fails Numerai's signature check whenever the pool stakes anything.
   */
  stakeRound(items: { id: number; roundId: bigint; numeraiId: string; maxAmount: bigint; roundOpen: boolean }[]): bigint[] {
    if (this.s.paused) fail('EnforcedPause');
    if (items.length === 0) fail('EmptyBatch');
    const out: bigint[] = [];
    for (const it of items) {
      const m = this.model(it.id);
      if (it.roundId <= m.lastStakedRound) fail('RoundNotAfterLast');
      this.requireNoPostedRoot(it.id, m);
      // The pool keeps a model's unsettled tranches in a ring of 64 rounds.
      const oldest = this.oldestRound(m);
      if (oldest !== 0n && oldest + 64n <= it.roundId) fail('TrancheRingFull');
      this.convert(m);
      let amount = this.stakeable(it.id);
      if (amount > it.maxAmount) amount = it.maxAmount;
      out.push(amount);
      if (amount === 0n) continue;
      if (!it.roundOpen) fail('RoundNotOpen');
      if (it.numeraiId !== m.numeraiId) fail('InvalidSigner');
      const key = `${it.roundId}:${m.numeraiId}`;
      if (this.s.numerai.has(key)) fail('PositionExists');
      const fee = this.feeNow(m);
      if (m.nextFeeAt !== 0n && this.s.now >= m.nextFeeAt) {
        m.feeBps = m.nextFeeBps;
        m.nextFeeAt = 0n;
      }
      m.tranches.set(it.roundId, { principalWei: amount, feeBps: fee });
      m.lastStakedRound = it.roundId;
      m.idleWei -= amount;
      m.atStakeWei += amount;
      this.s.nonce++;
      this.s.numerai.set(key, { amount, settled: false });
      this.move('pool', 'numerai', amount);
    }
    return out;
  }

  /** Numerai posts a round's root: the results of the pool's positions in it. */
  postRoot(roundId: bigint, results: Map<string, { payout: bigint; burn: bigint }>): void {
    this.s.posted.add(roundId);
    for (const [numeraiId, r] of results) {
      const p = this.s.numerai.get(`${roundId}:${numeraiId}`);
      if (p) p.result = r;
    }
  }

  /** Numerai settles a position without the pool (finalization, or a claim made at Numerai directly). */
  settleAtNumerai(roundId: bigint, numeraiId: string): void {
    const p = this.s.numerai.get(`${roundId}:${numeraiId}`);
    if (!p || !p.result || p.settled) throw new Error('reference: nothing to settle at Numerai');
    p.settled = true;
    this.s.poolBalance += p.amount + p.result.payout - p.result.burn;
  }

  /** A claim relayed through the pool, with the position's true (payout, burn) unless `wrong`. */
  claim(roundId: bigint, id: number, payout: bigint, burn: bigint): void {
    const m = this.model(id);
    const t = m.tranches.get(roundId);
    if (!t) fail('NoTranche');
    const p = this.s.numerai.get(`${roundId}:${m.numeraiId}`)!;
    if (!p.result) fail('RoundNotResolved');
    const truthful = p.result!.payout === payout && p.result!.burn === burn;
    if (p.settled) {
      if (!truthful) fail('InvalidSettledProof');
    } else {
      if (!truthful) fail('InvalidProof');
      p.settled = true;
      this.s.poolBalance += p.amount + payout - burn;
    }
    const returned = t!.principalWei + payout - burn;
    const fee = returned > t!.principalWei ? ((returned - t!.principalWei) * BigInt(t!.feeBps)) / BPS : 0n;
    m.tranches.delete(roundId);
    m.atStakeWei -= t!.principalWei;
    m.idleWei += returned - fee;
    m.feesOwedWei += fee;
  }

  // ------------------------------------------------------------------ views

  modelView(id: number): RefModelView {
    const m = this.model(id);
    const feeBps = this.feeNow(m);
    const scheduled = m.nextFeeAt !== 0n && this.s.now < m.nextFeeAt;
    return {
      numeraiModelId: m.numeraiId,
      operator: m.operator,
      feeBps,
      nextFeeBps: scheduled ? m.nextFeeBps : feeBps,
      nextFeeAt: scheduled ? m.nextFeeAt : 0n,
      capWei: m.capWei,
      navWei: this.nav(m),
      idleWei: m.idleWei,
      atStakeWei: m.atStakeWei,
      totalShares: m.totalShares,
      exitingShares: m.exitingShares,
      pendingDepositWei: sum(m.deposits.values()),
      feesOwedWei: m.feesOwedWei,
      owedExitWei: m.owedExitWei,
      headRound: this.oldestRound(m),
      lastStakedRound: m.lastStakedRound,
      depositEpoch: m.depositEpoch,
    };
  }

  position(h: string, id: number): RefPosition {
    const m = this.model(id);
    const x = this.s.holdings.get(`${h}:${id}`) ?? { shares: 0n, withdrawableWei: 0n };
    const exit = m.exits.find((e) => e.holders.has(h));
    const exiting = exit?.holders.get(h) ?? 0n;
    return {
      shares: x.shares,
      valueWei: this.valueOf(m, x.shares),
      pendingDepositWei: m.deposits.get(h) ?? 0n,
      exitingShares: exiting,
      exitingValueWei: this.valueOf(m, exiting),
      unlockRound: exit?.unlockRound ?? 0n,
      withdrawableWei: x.withdrawableWei,
    };
  }

  totals(): { idleWei: bigint; atStakeWei: bigint; pendingDepositWei: bigint; owedExitWei: bigint; feesOwedWei: bigint } {
    const ms = this.s.models;
    return {
      idleWei: sum(ms.map((m) => m.idleWei)),
      atStakeWei: sum(ms.map((m) => m.atStakeWei)),
      pendingDepositWei: sum(ms.map((m) => sum(m.deposits.values()))),
      owedExitWei: sum(ms.map((m) => m.owedExitWei)),
      feesOwedWei: sum(ms.map((m) => m.feesOwedWei)),
    };
  }

  /** The pool's NMR as the books say it must be: everything but the principal at Numerai. */
  accountedWei(): bigint {
    const t = this.totals();
    return t.idleWei + t.pendingDepositWei + t.owedExitWei + t.feesOwedWei;
  }

  /** Rounds with at least one unsettled tranche. */
  activeRounds(): bigint[] {
    const set = new Set<bigint>();
    for (const m of this.s.models) for (const r of m.tranches.keys()) set.add(r);
    return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
