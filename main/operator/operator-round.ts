import { getAddress } from 'ethers';
import { NumeraiRefusal, type NumeraiStakingApi, type V3StakeAuthorization, type V3StakeConfig } from '../numerai/v3-api';
import { chainErrorWords, isTransient, refusalWords } from './refusal-words';

/**
 * The operator's part of each Numerai round, for the models they linked to the pool: ask Numerai for
 * an authorization naming the pool as staker, check it names what we expect, and submit the batch to
 * the pool's stakeRound. Pure orchestration over two ports (Numerai's API, the pool), so the same code
 * runs against the demo Numerai, the real API, and test fakes.
 */

/** A model whose operator linked it to the pool, by Numerai's ids (the pool never matches by name). */
export interface LinkedModel {
  poolModelId: number;
  /** The on-chain bytes32 model id the pool stores. */
  numeraiModelId: string;
  /** Numerai's API UUID of the model. */
  apiModelId: string;
  name: string;
}

export interface StakeItem {
  poolModelId: number;
  auth: V3StakeAuthorization;
}

/** What the pool said of one model after stakeRound: the amount it staked, or that it skipped it. */
export type StakeOutcome = { poolModelId: number; stakedWei: bigint } | { poolModelId: number; skipped: true };

export interface OperatorPoolPort {
  /** The pool: the staker of record every authorization must name. */
  readonly address: string;
  /** Numerai's staking contract the pool stakes through. */
  readonly stakingAddress: string;
  readonly chainId: bigint;
  lastStakedRound(poolModelId: number): Promise<bigint>;
  stakeable(poolModelId: number): Promise<bigint>;
  /** eth_call of stakeRound(items); resolves with null when it would succeed, else the reason. */
  simulateStakeRound(items: readonly StakeItem[]): Promise<string | null>;
  /** Signs and sends stakeRound(items), waits for its receipt and reads TrancheStaked/StakeSkipped. */
  sendStakeRound(items: readonly StakeItem[]): Promise<{ hash: string; outcomes: StakeOutcome[] }>;
}

export type ModelRoundStatus =
  | { state: 'staked'; roundId: bigint; stakedWei: bigint; hash: string }
  | { state: 'already-staked'; roundId: bigint }
  | { state: 'nothing-to-stake'; roundId: bigint }
  | { state: 'refused'; kind: NumeraiRefusal['kind']; message: string; retrySoon: boolean }
  | { state: 'failed'; message: string; retrySoon: boolean };

export interface RoundReport {
  at: number;
  models: { model: LinkedModel; status: ModelRoundStatus }[];
}

export interface OperatorRoundDeps {
  api: NumeraiStakingApi;
  pool: OperatorPoolPort;
  now?: () => number;
  /** Tries per Numerai call on a transient refusal (unavailable, rate-limited); default 3. */
  tries?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** One model after the first half of a round: an authorization ready to submit, or its status already. */
export type PreparedModel = { model: LinkedModel; item: StakeItem } | { model: LinkedModel; status: ModelRoundStatus };

/** Runs one round for `models`. Never throws: every model ends with a status the screen can show. */
export async function runOperatorRound(deps: OperatorRoundDeps, models: readonly LinkedModel[]): Promise<RoundReport> {
  const now = deps.now ?? Date.now;
  const prepared = await prepareOperatorRound(deps, models);
  const items = prepared.flatMap((p) => ('item' in p ? [p] : []));
  const statuses = new Map<number, ModelRoundStatus>();
  for (const p of prepared) if ('status' in p) statuses.set(p.model.poolModelId, p.status);
  if (items.length > 0) {
    for (const [id, status] of await submitAuthorizations(deps.pool, items)) statuses.set(id, status);
  }
  return {
    at: now(),
    models: models.map((model) => ({ model, status: statuses.get(model.poolModelId) ?? failed('No result for this model.') })),
  };
}

/**
 * The first half of a round: Numerai's authorization for each model, asked and checked, nothing sent.
 * Split from the submission so that several operators' authorizations can go in one batch (anyone
 * may submit them: Numerai's signature is the permission), as the demo's operators do.
 */
export async function prepareOperatorRound(deps: OperatorRoundDeps, models: readonly LinkedModel[]): Promise<PreparedModel[]> {
  // Numerai's config is the same for every model: asked once per round.
  let config: V3StakeConfig;
  try {
    config = await retry(deps, () => deps.api.config());
  } catch (e) {
    return models.map((model) => ({ model, status: statusOf(e, model) }));
  }
  const prepared: PreparedModel[] = [];
  for (const model of models) prepared.push(await prepare(deps, config, model));
  return prepared;
}

async function prepare(deps: OperatorRoundDeps, config: V3StakeConfig, model: LinkedModel): Promise<PreparedModel> {
  try {
    if (config.paused)
      return { model, status: { state: 'refused', kind: 'staking-closed', message: 'Numerai has paused staking.', retrySoon: false } };
    if (getAddress(config.address) !== getAddress(deps.pool.stakingAddress)) {
      return {
        model,
        status: failed(
          `Numerai stakes through ${config.address}, but the pool stakes through ${deps.pool.stakingAddress}. Check the network settings.`,
        ),
      };
    }
    const selected = await retry(deps, () => deps.api.selectedSubmission(model.apiModelId));
    const round = await retry(deps, () => deps.api.round(selected.roundId));
    if (round.state !== 'open') return { model, status: refused('staking-closed', model) };
    if ((await deps.pool.lastStakedRound(model.poolModelId)) >= selected.roundId) {
      return { model, status: { state: 'already-staked', roundId: selected.roundId } };
    }
    const stakeable = await deps.pool.stakeable(model.poolModelId);
    if (stakeable === 0n) return { model, status: { state: 'nothing-to-stake', roundId: selected.roundId } };
    const auth = await retry(deps, () =>
      deps.api.authorize({ submissionId: selected.submissionId, staker: deps.pool.address, maxAmountWei: stakeable }),
    );
    const mismatch = checkAuthorization(deps.pool, model, selected.roundId, auth, (deps.now ?? Date.now)());
    if (mismatch) return { model, status: failed(mismatch) };
    return { model, item: { poolModelId: model.poolModelId, auth } };
  } catch (e) {
    return { model, status: statusOf(e, model) };
  }
}

/**
 * An authorization is only submitted if it names exactly this pool, this model, this round, this
 * chain and Numerai's contract, and has time left: a wrong one would revert on chain and cost gas, or
 * (a wrong model) stake for someone else's model.
 */
export function checkAuthorization(
  pool: OperatorPoolPort,
  model: LinkedModel,
  roundId: bigint,
  auth: V3StakeAuthorization,
  nowMs: number,
): string | null {
  if (getAddress(auth.staker) !== getAddress(pool.address)) return `Numerai's authorization names ${auth.staker} as staker, not the pool.`;
  if (auth.modelId.toLowerCase() !== model.numeraiModelId.toLowerCase())
    return `Numerai's authorization is for another model (${auth.modelId}).`;
  if (BigInt(auth.roundId) !== roundId) return `Numerai's authorization is for round ${auth.roundId}, not ${roundId}.`;
  if (BigInt(auth.chainId) !== pool.chainId) return `Numerai's authorization is for chain ${auth.chainId}, not ${pool.chainId}.`;
  if (getAddress(auth.stakingAddress) !== getAddress(pool.stakingAddress))
    return `Numerai's authorization is for another staking contract (${auth.stakingAddress}).`;
  if (BigInt(auth.deadline) * 1000n <= BigInt(nowMs)) return 'Numerai’s authorization has already expired.';
  return null;
}

/**
 * Numerai's nonces are consecutive per staker, so the batch goes in nonce order. If the batch as a
 * whole would fail (one model's round closed meanwhile, another operator used a nonce first), each
 * model goes alone in order, so one bad authorization does not cost the others their round.
 */
export async function submitAuthorizations(
  pool: Pick<OperatorPoolPort, 'simulateStakeRound' | 'sendStakeRound'>,
  prepared: readonly { model: LinkedModel; item: StakeItem }[],
): Promise<Map<number, ModelRoundStatus>> {
  const ordered = [...prepared].sort((a, b) => Number(BigInt(a.item.auth.nonce) - BigInt(b.item.auth.nonce)));
  const out = new Map<number, ModelRoundStatus>();
  const whole = await pool.simulateStakeRound(ordered.map((p) => p.item));
  const batches = whole === null ? [ordered] : ordered.map((p) => [p]);
  for (const batch of batches) {
    const items = batch.map((p) => p.item);
    const reason = whole === null ? null : await pool.simulateStakeRound(items);
    if (reason !== null) {
      for (const p of batch) out.set(p.model.poolModelId, failed(chainErrorWords(reason), true));
      continue;
    }
    try {
      const sent = await pool.sendStakeRound(items);
      for (const o of sent.outcomes) {
        const roundId = BigInt(batch.find((p) => p.model.poolModelId === o.poolModelId)?.item.auth.roundId ?? 0);
        out.set(
          o.poolModelId,
          'skipped' in o ? { state: 'nothing-to-stake', roundId } : { state: 'staked', roundId, stakedWei: o.stakedWei, hash: sent.hash },
        );
      }
    } catch (e) {
      for (const p of batch) out.set(p.model.poolModelId, statusOf(e, p.model));
    }
  }
  return out;
}

async function retry<T>(deps: OperatorRoundDeps, call: () => Promise<T>): Promise<T> {
  const tries = deps.tries ?? 3;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof NumeraiRefusal) || !isTransient(e.kind) || i >= tries) throw e;
      await sleep(1000 * 2 ** (i - 1));
    }
  }
}

function refused(kind: NumeraiRefusal['kind'], model: LinkedModel): ModelRoundStatus {
  return { state: 'refused', kind, message: refusalWords(kind, model.name), retrySoon: isTransient(kind) };
}

function failed(message: string, retrySoon = false): ModelRoundStatus {
  return { state: 'failed', message, retrySoon };
}

function statusOf(e: unknown, model: LinkedModel): ModelRoundStatus {
  if (e instanceof NumeraiRefusal) return refused(e.kind, model);
  return failed(e instanceof Error ? e.message.slice(0, 300) : 'Something went wrong while staking.', true);
}
