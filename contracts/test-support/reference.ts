/**
 * An independent, eager reference model of DelegationPool for property tests.
 *
 * The contract converts deposits and exits lazily (per holder, on the next touch) and catches models
 * up lazily when they were left out of a round. This model does the opposite: at every result and at
 * every round close it converts every holder at once, in plain bigint arithmetic. The views of the
 * contract must equal this model's to the wei, and every call must succeed or fail alike.
 */

export const BPS = 10_000n;
export const VIRTUAL_SHARES = 1_000_000n;
export const MAX_FEE_BPS = 5000;
export const MAX_RETURN_BPS = 500;
const UINT96_MAX = 2n ** 96n - 1n;

export interface RefModel {
  operator: string;
  capWei: bigint;
  stakeWei: bigint;
  feesOwedWei: bigint;
  openRound: number;
  feeBps: number;
  nextFeeBps: number;
  nextFeeRound: number;
  totalShares: bigint;
  pendingInWei: bigint;
}

export interface RefHolding {
  shares: bigint;
  pendingInWei: bigint;
  pendingInRound: number;
  pendingOutShares: bigint;
  exitRound: number;
  withdrawableWei: bigint;
}

export interface ModelViewLike {
  operator: string;
  feeBps: bigint;
  capWei: bigint;
  stakeWei: bigint;
  pendingInWei: bigint;
  totalShares: bigint;
  pendingOutShares: bigint;
  feesOwedWei: bigint;
  nextFeeBps: bigint;
  nextFeeRound: bigint;
  openRound: bigint;
}

export interface PositionLike {
  shares: bigint;
  valueWei: bigint;
  pendingInWei: bigint;
  pendingInRound: bigint;
  pendingOutShares: bigint;
  pendingOutValueWei: bigint;
  unlockRound: bigint;
  withdrawableWei: bigint;
}

/** Thrown by the model where the contract would revert with the custom error `name`. */
export class RefRevert extends Error {
  constructor(public readonly errorName: string) {
    super(errorName);
  }
}

const fail = (name: string): never => {
  throw new RefRevert(name);
};

export interface RefState {
  lockRounds: number;
  currentRound: number;
  reserveWei: bigint;
  unlockedWei: bigint;
  paused: boolean;
  models: RefModel[]; // index = id - 1
  holdings: Record<string, RefHolding>; // `${holder}:${id}`
  balances: Record<string, bigint>; // token balances of the actors (lower-case address)
  poolBalance: bigint;
  burnedWei: bigint;
}

const emptyHolding = (): RefHolding => ({
  shares: 0n,
  pendingInWei: 0n,
  pendingInRound: 0,
  pendingOutShares: 0n,
  exitRound: 0,
  withdrawableWei: 0n,
});

export class RefPool {
  s: RefState;

  constructor(state: RefState) {
    this.s = state;
  }

  static create(lockRounds: number, firstRound: number): RefPool {
    return new RefPool({
      lockRounds,
      currentRound: firstRound,
      reserveWei: 0n,
      unlockedWei: 0n,
      paused: false,
      models: [],
      holdings: {},
      balances: {},
      poolBalance: 0n,
      burnedWei: 0n,
    });
  }

  clone(): RefPool {
    return new RefPool(structuredClone(this.s));
  }

  // ---------------------------------------------------------------- helpers

  private model(id: number): RefModel {
    const m = id >= 1 ? this.s.models[id - 1] : undefined;
    return m ?? fail('UnknownModel');
  }

  private holding(holder: string, id: number): RefHolding {
    const key = `${holder.toLowerCase()}:${id}`;
    return (this.s.holdings[key] ??= emptyHolding());
  }

  private holdersOf(id: number): RefHolding[] {
    return Object.entries(this.s.holdings)
      .filter(([k]) => k.endsWith(`:${id}`))
      .map(([, h]) => h);
  }

  private pull(from: string, amount: bigint): void {
    const a = from.toLowerCase();
    const bal = this.s.balances[a] ?? 0n;
    if (bal < amount) fail('ERC20InsufficientBalance');
    this.s.balances[a] = bal - amount;
    this.s.poolBalance += amount;
  }

  private pay(to: string, amount: bigint): void {
    const a = to.toLowerCase();
    this.s.balances[a] = (this.s.balances[a] ?? 0n) + amount;
    this.s.poolBalance -= amount;
  }

  private notPaused(): void {
    if (this.s.paused) fail('EnforcedPause');
  }

  mint(to: string, amount: bigint): void {
    const a = to.toLowerCase();
    this.s.balances[a] = (this.s.balances[a] ?? 0n) + amount;
  }

  // ---------------------------------------------------------------- admin

  registerModel(operator: string, feeBps: number, capWei: bigint): number {
    this.notPaused();
    if (feeBps > MAX_FEE_BPS) fail('FeeTooHigh');
    this.s.models.push({
      operator: operator.toLowerCase(),
      capWei: capWei > UINT96_MAX ? UINT96_MAX : capWei,
      stakeWei: 0n,
      feesOwedWei: 0n,
      openRound: this.s.currentRound,
      feeBps,
      nextFeeBps: feeBps,
      nextFeeRound: 0,
      totalShares: 0n,
      pendingInWei: 0n,
    });
    return this.s.models.length;
  }

  fundReserve(from: string, amount: bigint): void {
    if (amount === 0n) fail('ZeroAmount');
    this.pull(from, amount);
    this.s.reserveWei += amount;
  }

  pause(): void {
    if (this.s.paused) fail('EnforcedPause');
    this.s.paused = true;
  }

  unpause(): void {
    if (!this.s.paused) fail('ExpectedPause');
    this.s.paused = false;
  }

  // ---------------------------------------------------------------- operators

  scheduleFeeChange(caller: string, id: number, fee: number): void {
    const m = this.model(id);
    if (caller.toLowerCase() !== m.operator) fail('NotOperator');
    if (fee > MAX_FEE_BPS) fail('FeeTooHigh');
    const c = this.s.currentRound;
    if (m.nextFeeBps !== m.feeBps && c >= m.nextFeeRound) m.feeBps = m.nextFeeBps;
    m.nextFeeBps = fee;
    m.nextFeeRound = fee === m.feeBps ? 0 : c + this.s.lockRounds + 1;
  }

  claimFees(caller: string, id: number): bigint {
    const m = this.model(id);
    if (caller.toLowerCase() !== m.operator) fail('NotOperator');
    if (m.feesOwedWei === 0n) fail('NothingToClaim');
    const amount = m.feesOwedWei;
    m.feesOwedWei = 0n;
    this.pay(m.operator, amount);
    return amount;
  }

  // ---------------------------------------------------------------- delegators

  delegate(holder: string, id: number, amount: bigint): void {
    this.notPaused();
    if (amount === 0n) fail('ZeroAmount');
    this.pull(holder, amount);
    this.addDeposit(holder, id, amount);
  }

  delegateBatch(holder: string, ids: number[], amounts: bigint[]): void {
    this.notPaused();
    if (ids.length !== amounts.length) fail('LengthMismatch');
    if (ids.length === 0) fail('EmptyBatch');
    if (amounts.some((a) => a === 0n)) fail('ZeroAmount');
    this.pull(
      holder,
      amounts.reduce((a, b) => a + b, 0n),
    );
    ids.forEach((id, i) => this.addDeposit(holder, id, amounts[i]!));
  }

  private addDeposit(holder: string, id: number, amount: bigint): void {
    const m = this.model(id);
    const wouldBe = m.stakeWei + m.pendingInWei + amount;
    if (wouldBe > m.capWei) fail('CapExceeded');
    m.pendingInWei += amount;
    const h = this.holding(holder, id);
    h.pendingInWei += amount;
    h.pendingInRound = m.openRound;
  }

  cancelDelegation(holder: string, id: number): bigint {
    const m = this.model(id);
    const h = this.holding(holder, id);
    if (h.pendingInWei === 0n) fail('NothingToCancel');
    const amount = h.pendingInWei;
    m.pendingInWei -= amount;
    h.pendingInWei = 0n;
    h.pendingInRound = 0;
    this.pay(holder, amount);
    return amount;
  }

  requestUndelegate(holder: string, id: number, shares: bigint): void {
    this.notPaused();
    if (shares === 0n) fail('ZeroAmount');
    const m = this.model(id);
    const h = this.holding(holder, id);
    if (shares > h.shares) fail('InsufficientShares');
    const exitRound = m.openRound + this.s.lockRounds - 1;
    h.shares -= shares;
    h.pendingOutShares += shares;
    h.exitRound = exitRound; // an earlier locked request merges and restarts its lock
  }

  withdraw(holder: string, id: number): bigint {
    this.model(id);
    const h = this.holding(holder, id);
    if (h.withdrawableWei === 0n) fail('NothingToWithdraw');
    const amount = h.withdrawableWei;
    h.withdrawableWei = 0n;
    this.s.unlockedWei -= amount;
    this.pay(holder, amount);
    return amount;
  }

  // ---------------------------------------------------------------- rounds

  /** postResults (close = false) or resolveRound (close = true). Transactional like a transaction. */
  post(round: number, ids: number[], returnsBps: number[], close: boolean): void {
    this.notPaused();
    if (round !== this.s.currentRound) fail('WrongRound');
    if (ids.length !== returnsBps.length) fail('LengthMismatch');
    const saved = structuredClone(this.s);
    try {
      let reward = 0n;
      ids.forEach((id, i) => {
        const ret = returnsBps[i]!;
        if (id < 1 || id > this.s.models.length) fail('UnknownModel');
        if (ret > MAX_RETURN_BPS || ret < -MAX_RETURN_BPS) fail('ReturnOutOfBounds');
        const m = this.s.models[id - 1]!;
        if (m.openRound > round) fail('AlreadyResolved');
        reward += this.apply(id, m, round, ret);
      });
      if (reward > this.s.reserveWei) fail('ReserveTooLow');
      this.s.reserveWei -= reward;
      if (close) {
        this.s.models.forEach((m, i) => {
          if (m.openRound === round) this.apply(i + 1, m, round, 0);
        });
        this.s.currentRound = round + 1;
      }
    } catch (e) {
      this.s = saved;
      throw e;
    }
  }

  /** Applies one result and converts every holder at once; returns the reward paid from the reserve. */
  private apply(id: number, m: RefModel, round: number, ret: number): bigint {
    let stake = m.stakeWei;
    let reward = 0n;
    if (ret > 0) {
      if (m.nextFeeBps !== m.feeBps && round >= m.nextFeeRound) m.feeBps = m.nextFeeBps;
      reward = (stake * BigInt(ret)) / BPS;
      const fee = (reward * BigInt(m.feeBps)) / BPS;
      stake += reward - fee;
      m.feesOwedWei += fee;
    } else if (ret < 0) {
      const burned = (stake * BigInt(-ret)) / BPS;
      stake -= burned;
      this.s.poolBalance -= burned;
      this.s.burnedWei += burned;
    }
    const pS = m.totalShares + VIRTUAL_SHARES;
    const pA = stake + 1n;
    let outShares = 0n;
    let inWei = 0n;
    const holders = this.holdersOf(id);
    for (const h of holders) {
      if (h.pendingOutShares !== 0n && h.exitRound === round) {
        outShares += h.pendingOutShares;
        h.withdrawableWei += (h.pendingOutShares * pA) / pS;
        h.pendingOutShares = 0n;
        h.exitRound = 0;
      }
      if (h.pendingInWei !== 0n && h.pendingInRound === round) {
        inWei += h.pendingInWei;
        h.shares += (h.pendingInWei * pS) / pA;
        h.pendingInWei = 0n;
        h.pendingInRound = 0;
      }
    }
    if (inWei !== m.pendingInWei) throw new Error(`reference: model ${id} pending ${m.pendingInWei} != holders ${inWei}`);
    const outAssets = (outShares * pA) / pS;
    const minted = (inWei * pS) / pA;
    m.stakeWei = stake - outAssets + inWei;
    m.totalShares = m.totalShares - outShares + minted;
    m.pendingInWei = 0n;
    m.openRound = round + 1;
    this.s.unlockedWei += outAssets;
    return reward;
  }

  // ---------------------------------------------------------------- views (as the contract computes them)

  modelView(id: number): ModelViewLike {
    const m = this.model(id);
    let fee = m.feeBps;
    let nextFeeBps = fee;
    let nextFeeRound = 0;
    if (m.nextFeeBps !== m.feeBps) {
      if (m.openRound >= m.nextFeeRound) {
        fee = m.nextFeeBps;
        nextFeeBps = fee;
      } else {
        nextFeeBps = m.nextFeeBps;
        nextFeeRound = m.nextFeeRound;
      }
    }
    const pendingOut = this.holdersOf(id).reduce((a, h) => a + h.pendingOutShares, 0n);
    return {
      operator: m.operator,
      feeBps: BigInt(fee),
      capWei: m.capWei,
      stakeWei: m.stakeWei,
      pendingInWei: m.pendingInWei,
      totalShares: m.totalShares,
      pendingOutShares: pendingOut,
      feesOwedWei: m.feesOwedWei,
      nextFeeBps: BigInt(nextFeeBps),
      nextFeeRound: BigInt(nextFeeRound),
      openRound: BigInt(m.openRound),
    };
  }

  position(holder: string, id: number): PositionLike {
    const m = this.model(id);
    const h = this.s.holdings[`${holder.toLowerCase()}:${id}`] ?? emptyHolding();
    const pS = m.totalShares + VIRTUAL_SHARES;
    const pA = m.stakeWei + 1n;
    return {
      shares: h.shares,
      valueWei: (h.shares * pA) / pS,
      pendingInWei: h.pendingInWei,
      pendingInRound: BigInt(h.pendingInRound),
      pendingOutShares: h.pendingOutShares,
      pendingOutValueWei: (h.pendingOutShares * pA) / pS,
      unlockRound: h.pendingOutShares === 0n ? 0n : BigInt(h.exitRound + 1),
      withdrawableWei: h.withdrawableWei,
    };
  }

  /** The pool's NMR = stakes + pending deposits + unlocked exits + reserve + unpaid fees. */
  accountedWei(): bigint {
    return this.s.models.reduce((a, m) => a + m.stakeWei + m.pendingInWei + m.feesOwedWei, 0n) + this.s.unlockedWei + this.s.reserveWei;
  }
}
