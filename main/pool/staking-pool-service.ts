/**
 * The holder's side of StakingPool (the pool that stakes through Numerai), read for the app: per
 * holder and model, the NMR waiting, the shares and their value, the model's stake in each Numerai
 * round with that round's state, what each settled round paid or burned, what is leaving,
 * withdrawable and withdrawn; and the pool's totals. Exact bigint wei throughout. Reads are parallel
 * eth_calls (ethers batches them into one request) and every answer is checked
 * (./staking-pool-views.ts). The staking session (main/app/staking-session.ts) serves it.
 */
import { id as topicOf, isError, makeError, zeroPadValue, toBeHex, type Log, type Provider, type Result } from 'ethers';
import type { z } from 'zod';
import { AppError, StakingPortfolioWei, type StakingPortfolio } from '../../shared/api';
import type { ClaimCheckReads } from '../numerai/verify-claim';
import { draftStakingIntent, type IntentDraft, type StakingIntent, type StakingReads } from '../tx/staking-intents';
import { tokenCalls } from '../tx/staking-intents/draft';
import {
  NumeraiRoundView,
  PoolModelView,
  PoolPositionView,
  PoolTotalsView,
  PoolTrancheView,
  numeraiStakingIface,
  readView,
  readViewList,
  roundStateWord,
  stakingPoolIface,
  type PoolTotalsView as PoolTotals,
  type RoundStateWord,
} from './staking-pool-views';
import { parseLog } from '../chain/log-decoder';
import { ethLogs } from '../chain/eth-call';
import { MODEL_REGISTERED_TOPIC, registrationOf } from './registration-log';

export interface StakingPoolContext {
  provider: Provider;
  poolAddress: string;
  /** Logs are read from here on (the pool's deployment block). */
  deployBlock: number;
}

export interface StakingModel extends PoolModelView {
  modelId: number;
  name: string;
}

/** A settled tranche's result (TrancheSettled): Numerai returned `returnedWei` for `principalWei`. */
export interface TrancheResult {
  returnedWei: bigint;
  /** returned − principal when positive (before the operator's fee), else 0. */
  paidWei: bigint;
  /** principal − returned when positive, else 0. */
  burnedWei: bigint;
  feeWei: bigint;
  /** Numerai had finalized or settled the position before the pool's claim booked it. */
  alreadySettled: boolean;
}

/** The model's stake in one Numerai round. */
export interface ModelRound {
  roundId: bigint;
  state: RoundStateWord;
  /** What the pool staked for the model in the round (TrancheStaked). */
  stakedWei: bigint;
  /**
   * The holder's part of a tranche still at Numerai: stakedWei × (shares + exiting shares) ÷ the
   * model's shares, rounded down (our choice: pro rata to the shares held now; null once settled,
   * because the holder's shares then may differ from now).
   */
  holderPartWei: bigint | null;
  result: TrancheResult | null;
}

export interface HolderModelPosition {
  modelId: number;
  name: string;
  numeraiModelId: string;
  /** Delegated, not converted to shares yet (cancellable). */
  waitingWei: bigint;
  shares: bigint;
  valueWei: bigint;
  /** Requested out, still at risk until every tranche up to `unlockRound` settled. */
  leavingShares: bigint;
  leavingValueWei: bigint;
  /** null: nothing leaving; 0: no tranche was at Numerai when it was requested. */
  unlockRound: bigint | null;
  /** Every tranche up to `unlockRound` settled: the leaving shares convert at the next checkpoint. */
  leavingMatured: boolean;
  withdrawableWei: bigint;
  /** Sum of the holder's Withdrawn events for the model. */
  withdrawnWei: bigint;
  rounds: ModelRound[];
}

/**
 * Models a `modelViews` call reads: each is ~30,000 gas of the call's budget (14 storage reads), and
 * nodes cap an eth_call at ~50M gas (geth's default RPC gas cap), so 100 stay far below it.
 */
const MODELS_PER_CALL = 100;

const topic = {
  registered: MODEL_REGISTERED_TOPIC,
  staked: topicOf('TrancheStaked(uint32,uint64,uint256,uint16)'),
  settled: topicOf('TrancheSettled(uint32,uint64,uint256,uint256,uint256,bool)'),
  withdrawn: topicOf('Withdrawn(address,uint32,uint256)'),
};
const word = (v: bigint | number | string) => zeroPadValue(toBeHex(v), 32);

export class StakingPoolService {
  private numeraiStakingAddress: Promise<string> | null = null;
  private nmrAddress: Promise<string> | null = null;
  /** The newest staked round found so far and the block the search reached (latestStakedRound). */
  private stakedScan: Promise<{ toBlock: number; latest: bigint }> | null = null;

  /** ModelRegistered read so far: names by model id, and the last block read (read again next time). */
  private readonly registered: { throughBlock: number; names: Map<number, string> };
  /**
   * Every model's view as of one block. A list sorted or paged again in the same block reads the
   * same state, so it is answered from here (200 eth_calls were most of what a sort click cost).
   */
  private views: { block: number; models: Promise<StakingModel[]> } | null = null;
  /** The registrations' read under way, if any (registeredNames). */
  private namesReading: Promise<{ names: ReadonlyMap<number, string>; head: number }> | null = null;
  /** Whether the pool has `modelViews` (found out at the first read): pools deployed before it was added do not. */
  private listView: 'unknown' | 'there' | 'missing' = 'unknown';

  constructor(private readonly ctx: StakingPoolContext) {
    this.registered = { throughBlock: ctx.deployBlock, names: new Map() };
  }

  private async call(fn: string, args: unknown[], to = this.ctx.poolAddress, iface = stakingPoolIface): Promise<Result> {
    const data = iface.encodeFunctionData(fn, args);
    return iface.decodeFunctionResult(fn, await this.ctx.provider.call({ to, data }));
  }

  /** A view's answer, decoded and checked (staking-pool-views.ts readView). */
  private view<T>(schema: z.ZodType<T>, fn: string, args: unknown[], what: string, to = this.ctx.poolAddress, iface = stakingPoolIface) {
    return readView({ provider: this.ctx.provider, to, iface }, schema, fn, args, what);
  }

  private logs(topics: (string | string[] | null)[]): Promise<Log[]> {
    return this.ctx.provider.getLogs({ address: this.ctx.poolAddress, topics, fromBlock: this.ctx.deployBlock, toBlock: 'latest' });
  }

  /** Numerai's staking contract the pool stakes with (immutable, read once). */
  numeraiStaking(): Promise<string> {
    this.numeraiStakingAddress ??= this.call('numeraiStaking', []).then((r) => String(r[0]));
    return this.numeraiStakingAddress;
  }

  /** NMR, as the pool holds it (immutable, read once). */
  nmr(): Promise<string> {
    this.nmrAddress ??= this.call('nmr', []).then((r) => String(r[0]));
    return this.nmrAddress;
  }

  /** What the pool's intent builders read (main/tx/staking-intents), answered from this node. */
  async intentReads(): Promise<StakingReads> {
    const tokenAddress = await this.nmr();
    return {
      poolAddress: this.ctx.poolAddress,
      tokenAddress,
      model: (modelId) => this.model(modelId),
      modelIdOf: (numeraiModelId) => this.modelIdOf(numeraiModelId),
      allowance: async (holder) => BigInt((await this.tokenCall('allowance', [holder, this.ctx.poolAddress])) as bigint),
      position: (holder, modelId) => this.positionView(holder, modelId),
      tranche: (modelId, roundId) => this.tranche(modelId, roundId),
      roundsToClaim: async (modelId) => (await this.rounds({ modelId })).filter((r) => r.state === 'resolved').map((r) => r.roundId),
    };
  }

  /**
   * An intent drafted for `holder` (what to show and the calls to sign; gas and fee are the plan's
   * part, ChainTx's): the chain facts read together (the balances unless the caller read
   * them already), then handed to its builder.
   */
  async draft(intent: StakingIntent, holder: string, known?: { ethWei: bigint; nmrWei: bigint }): Promise<IntentDraft> {
    const reads = await this.intentReads();
    const [balances, stopped] = await Promise.all([known ?? this.balancesOf(holder), this.tokenCall('stopped', [])]);
    return draftStakingIntent(intent, reads, { holder, balances, nmrStopped: Boolean(stopped) });
  }

  private async balancesOf(holder: string): Promise<{ ethWei: bigint; nmrWei: bigint }> {
    const [ethWei, nmrWei] = await Promise.all([this.ctx.provider.getBalance(holder), this.tokenCall('balanceOf', [holder])]);
    return { ethWei, nmrWei: BigInt(nmrWei as bigint) };
  }

  private async tokenCall(fn: string, args: unknown[]): Promise<unknown> {
    return (await this.call(fn, args, await this.nmr(), tokenCalls))[0];
  }

  /** What "Check with Numerai" reads (main/numerai/verify-claim.ts): Numerai's posted root and the pool's booking. */
  claimCheckReads(): ClaimCheckReads {
    return {
      postedRoot: async (roundId) => (await this.numeraiRound(roundId)).merkleRoot,
      booked: async (claim) => {
        if (claim.staker.toLowerCase() !== this.ctx.poolAddress.toLowerCase()) return null;
        const modelId = await this.modelIdOf(claim.modelId);
        if (modelId === 0) return null;
        const round = (await this.rounds({ modelId })).find((r) => r.roundId === BigInt(claim.roundId));
        return round?.result ? { principalWei: round.stakedWei, returnedWei: round.result.returnedWei } : null;
      },
    };
  }

  /** Every registered model (ids 1…n from the ModelRegistered logs) with its view now. */
  async models(): Promise<StakingModel[]> {
    const { names, head } = await this.registeredNames();
    if (this.views?.block !== head) {
      const ids = [...names.keys()].sort((a, b) => a - b);
      // Read after the head was asked for: the views are that block's or newer, and a newer head reads them again.
      const models = this.modelViews(ids).then((views) => views.map((v, i) => ({ ...v, modelId: ids[i]!, name: names.get(ids[i]!)! })));
      this.views = { block: head, models };
      // A failed read is not kept: the next ask tries again.
      models.catch(() => {
        if (this.views?.models === models) this.views = null;
      });
    }
    return [...(await this.views.models)];
  }

  /**
   * Every registration's name by model id. Registrations only grow and a name never changes, so the
   * ModelRegistered logs are read once and then only from the last block read on.
   */
  private registeredNames(): Promise<{ names: ReadonlyMap<number, string>; head: number }> {
    // Asks that come together (the start's warm-up and the page's first list) share one read.
    const reading = (this.namesReading ??= this.readRegisteredNames().finally(() => {
      if (this.namesReading === reading) this.namesReading = null;
    }));
    return reading;
  }

  private async readRegisteredNames(): Promise<{ names: ReadonlyMap<number, string>; head: number }> {
    // Asked together (one round trip): the head, and the logs from the last block read (again: a
    // node refuses a range that starts past its head) up to at least that head. A block read twice
    // only sets the same names again.
    const [head, logs] = await Promise.all([
      this.ctx.provider.getBlockNumber(),
      ethLogs(this.ctx.provider, {
        address: this.ctx.poolAddress,
        topics: [topic.registered],
        fromBlock: this.registered.throughBlock,
        toBlock: 'latest',
      }),
    ]);
    for (const log of logs) {
      const { modelId, name } = registrationOf(log);
      this.registered.names.set(modelId, name);
    }
    this.registered.throughBlock = Math.max(this.registered.throughBlock, head);
    return { names: this.registered.names, head };
  }

  /** The pool's id for a Numerai model id (bytes32): 0 when none is registered. */
  async modelIdOf(numeraiModelId: string): Promise<number> {
    return Number((await this.call('modelIdOf', [numeraiModelId]))[0] as bigint);
  }

  /** One model's view; NOT_FOUND when the pool has no such model. */
  async model(modelId: number): Promise<StakingModel> {
    const found = (await this.models()).find((m) => m.modelId === modelId);
    if (!found) throw new AppError('NOT_FOUND', `There is no model number ${modelId} in the pool.`);
    return found;
  }

  private async modelView(modelId: number): Promise<PoolModelView> {
    return this.view(PoolModelView, 'model', [modelId], `model ${modelId}`);
  }

  /**
   * The views of models `ids` (ascending, registered), in that order: a call per MODELS_PER_CALL
   * models (`modelViews`), or a call per model from a pool deployed before that view existed.
   */
  private async modelViews(ids: readonly number[]): Promise<PoolModelView[]> {
    if (ids.length === 0) return [];
    if (this.listView !== 'missing') {
      try {
        const last = ids[ids.length - 1]!;
        const pages: Promise<PoolModelView[]>[] = [];
        for (let first = 1; first <= last; first += MODELS_PER_CALL)
          pages.push(
            readViewList(
              { provider: this.ctx.provider, to: this.ctx.poolAddress, iface: stakingPoolIface },
              PoolModelView,
              'modelViews',
              [first, Math.min(MODELS_PER_CALL, last - first + 1)],
              'the models',
            ),
          );
        const byId = new Map((await Promise.all(pages)).flat().map((v) => [Number(v.id), v]));
        this.listView = 'there';
        return ids.map((id) => {
          const v = byId.get(id);
          if (!v) throw makeError(`The node's answer for the models does not hold model ${id}.`, 'BAD_DATA', { value: id });
          return v;
        });
      } catch (e) {
        // A pool without the view reverts with no data (no such function); anything else is a real failure.
        if (this.listView === 'there' || !isError(e, 'CALL_EXCEPTION') || (e.data !== null && e.data !== '0x')) throw e;
        this.listView = 'missing';
      }
    }
    return Promise.all(ids.map((id) => this.modelView(id)));
  }

  async totals(): Promise<PoolTotals> {
    return this.view(PoolTotalsView, 'totals', [], 'the pool totals');
  }

  /** The holder's raw position view in a model. */
  async positionView(holder: string, modelId: number): Promise<PoolPositionView> {
    return this.view(PoolPositionView, 'positionOf', [holder, modelId], `position in model ${modelId}`);
  }

  /** Every model the holder has anything in (waiting, shares, leaving, withdrawable or withdrawn). */
  async holderPositions(holder: string): Promise<HolderModelPosition[]> {
    const models = await this.models();
    const all = await this.positionsIn(holder, models);
    return all.filter((p) => p.waitingWei + p.shares + p.leavingShares + p.withdrawableWei + p.withdrawnWei > 0n);
  }

  /** The holder's positions in the wire form the renderer will get (shared/api StakingPortfolio). */
  async portfolio(holder: string): Promise<StakingPortfolio> {
    const positions = await this.holderPositions(holder);
    const totalValueWei = positions.reduce((s, p) => s + p.waitingWei + p.valueWei + p.leavingValueWei + p.withdrawableWei, 0n);
    return StakingPortfolioWei.encode({
      address: holder,
      positions: positions.map((p) => ({
        ...p,
        unlockRound: p.unlockRound === null ? null : Number(p.unlockRound),
        rounds: p.rounds.map((r) => ({ ...r, roundId: Number(r.roundId) })),
      })),
      totalValueWei,
    });
  }

  /** The holder's position in one model, with the model's rounds. */
  async holderPosition(holder: string, modelId: number): Promise<HolderModelPosition> {
    const [p] = await this.positionsIn(holder, [await this.model(modelId)]);
    return p!;
  }

  /**
   * The holder's positions in `models`, read together: one position call per model, two log
   * queries for all of them (the tranches, the holder's withdrawals), and Numerai's state once per
   * round still at stake (models share rounds), all in parallel.
   */
  private async positionsIn(holder: string, models: StakingModel[]): Promise<HolderModelPosition[]> {
    const ids = models.map((m) => word(m.modelId));
    const [views, trancheLogs, withdrawnLogs] = await Promise.all([
      Promise.all(models.map((m) => this.positionView(holder, m.modelId))),
      this.logs([[topic.staked, topic.settled], ids]),
      this.logs([topic.withdrawn, word(holder), ids]),
    ]);
    const rounds = await this.roundsFromLogs(trancheLogs);
    const withdrawn = new Map<number, bigint>();
    for (const log of withdrawnLogs) {
      const a = parseLog(stakingPoolIface, log)!.args;
      withdrawn.set(Number(a.modelId), (withdrawn.get(Number(a.modelId)) ?? 0n) + (a.amountWei as bigint));
    }
    return models.map((m, i) => {
      const p = views[i]!;
      const held = p.shares + p.exitingShares;
      const modelRounds = (rounds.get(m.modelId) ?? []).map((r) => ({
        ...r,
        holderPartWei: r.result !== null ? null : m.totalShares === 0n ? 0n : (r.stakedWei * held) / m.totalShares,
      }));
      return {
        modelId: m.modelId,
        name: m.name,
        numeraiModelId: m.numeraiModelId,
        waitingWei: p.pendingDepositWei,
        shares: p.shares,
        valueWei: p.valueWei,
        leavingShares: p.exitingShares,
        leavingValueWei: p.exitingValueWei,
        unlockRound: p.exitingShares > 0n ? p.unlockRound : null,
        leavingMatured: p.exitingShares > 0n && (m.headRound === 0n || m.headRound > p.unlockRound),
        withdrawableWei: p.withdrawableWei,
        withdrawnWei: withdrawn.get(m.modelId) ?? 0n,
        rounds: modelRounds,
      };
    });
  }

  /** How many Numerai rounds the pool spreads a model over: the longest a take-back waits, in rounds. */
  async concurrentRounds(): Promise<bigint> {
    return (await this.call('concurrentRounds', []))[0] as bigint;
  }

  /**
   * The newest Numerai round the pool staked in (0 before the first): "now" on a real network. Asked on
   * every models list, so each call reads only the blocks since the last one, not the pool's whole life.
   */
  async latestStakedRound(): Promise<bigint> {
    const before = this.stakedScan ?? Promise.resolve({ toBlock: this.ctx.deployBlock - 1, latest: 0n });
    const next = before.then(async ({ toBlock, latest }) => {
      const head = await this.ctx.provider.getBlockNumber();
      if (head <= toBlock) return { toBlock, latest };
      const logs = await this.ctx.provider.getLogs({
        address: this.ctx.poolAddress,
        topics: [topic.staked],
        fromBlock: toBlock + 1,
        toBlock: head,
      });
      for (const log of logs) {
        const roundId = parseLog(stakingPoolIface, log)!.args.roundId as bigint;
        if (roundId > latest) latest = roundId;
      }
      return { toBlock: head, latest };
    });
    // A failed read leaves the last good scan in place, to be extended by the next call.
    this.stakedScan = next.catch(() => before);
    return (await next).latest;
  }

  /** A model's tranches, newest round first: staked (TrancheStaked), settled (TrancheSettled), and Numerai's state of the rest. */
  async rounds(m: Pick<StakingModel, 'modelId'>): Promise<ModelRound[]> {
    const logs = await this.logs([[topic.staked, topic.settled], word(m.modelId)]);
    return (await this.roundsFromLogs(logs)).get(m.modelId) ?? [];
  }

  /** Tranche logs → each model's rounds (holderPartWei still null), with Numerai's state read once per unsettled round. */
  private async roundsFromLogs(logs: Log[]): Promise<Map<number, ModelRound[]>> {
    const staked: { modelId: number; roundId: bigint; stakedWei: bigint }[] = [];
    const results = new Map<string, TrancheResult>();
    for (const log of logs) {
      const a = parseLog(stakingPoolIface, log)!.args;
      const modelId = Number(a.modelId);
      const roundId = a.roundId as bigint;
      if (log.topics[0] === topic.staked) {
        staked.push({ modelId, roundId, stakedWei: a.amountWei as bigint });
        continue;
      }
      const principal = a.principalWei as bigint;
      const returned = a.returnedWei as bigint;
      results.set(`${modelId}:${roundId}`, {
        returnedWei: returned,
        paidWei: returned > principal ? returned - principal : 0n,
        burnedWei: principal > returned ? principal - returned : 0n,
        feeWei: a.feeWei as bigint,
        alreadySettled: Boolean(a.alreadySettled),
      });
    }
    const open = [...new Set(staked.filter((t) => !results.has(`${t.modelId}:${t.roundId}`)).map((t) => t.roundId))];
    const states = new Map(await Promise.all(open.map(async (r) => [r, await this.numeraiRoundState(r)] as const)));
    const out = new Map<number, ModelRound[]>();
    for (const t of staked) {
      const result = results.get(`${t.modelId}:${t.roundId}`) ?? null;
      const list = out.get(t.modelId) ?? [];
      list.push({
        roundId: t.roundId,
        stakedWei: t.stakedWei,
        state: result ? 'claimed' : states.get(t.roundId)!,
        holderPartWei: null,
        result,
      });
      out.set(t.modelId, list);
    }
    for (const list of out.values()) list.sort((a, b) => (a.roundId < b.roundId ? 1 : a.roundId > b.roundId ? -1 : 0));
    return out;
  }

  /** Numerai's state of a round, in the app's words. */
  async numeraiRoundState(roundId: bigint): Promise<Exclude<RoundStateWord, 'claimed'>> {
    const staking = await this.numeraiStaking();
    const r = await this.call('roundState', [roundId], staking, numeraiStakingIface);
    return roundStateWord(BigInt(r[0] as bigint), roundId);
  }

  /** Numerai's round as its contract holds it (root, totals, times). */
  async numeraiRound(roundId: bigint): Promise<NumeraiRoundView> {
    const staking = await this.numeraiStaking();
    return this.view(NumeraiRoundView, 'rounds', [roundId], `round ${roundId}`, staking, numeraiStakingIface);
  }

  /** The pool's unsettled tranche of (model, round): principal 0 when none. */
  async tranche(modelId: number, roundId: bigint): Promise<{ principalWei: bigint; feeBps: bigint }> {
    return this.view(PoolTrancheView, 'tranche', [modelId, roundId], `tranche ${modelId}/${roundId}`);
  }
}
