import { Interface, type Provider, type TransactionReceipt } from 'ethers';
import type { z } from 'zod';
import { localNmrAbi, localNumeraiStakingAbi, stakingPoolAbi } from '../../contracts/generated';
import { poolAuthorizationTuple, uuidFromModelId, type PoolAuthorizationTuple } from '../../contracts/numerai-layout';
import { authorizationFromApi } from '../numerai/stake-authorization';
import type { V3StakeAuthorization } from '../numerai/v3-api';
import { VIRTUAL_SHARES } from '../chain/contracts';
import { PoolModelView, PoolTrancheView, readView, stakingPoolIface } from '../pool/staking-pool-views';
import type { ClaimRelayPort, ClaimToRelay } from './claim-relay';
import { chainErrorWords } from './refusal-words';
import type { LinkedModel, OperatorPoolPort, StakeItem, StakeOutcome } from './operator-round';
import { parseLog } from '../chain/log-decoder';

/**
 * The operator's round and the claim relay, bound to a deployed StakingPool: reads through the
 * provider, writes through `send`, which signs as the app's account under the app's fee limits and
 * resolves with the mined receipt (a revert rejects). Decoding Numerai's answers into the pool's
 * call arguments happens here and nowhere else.
 */

const pool = stakingPoolIface;
/** Reverts bubble up from Numerai's contract and NMR through the pool: name them with all three ABIs. */
const errors = new Interface([...stakingPoolAbi, ...localNumeraiStakingAbi, ...localNmrAbi].filter((f) => f.type === 'error'));

export interface PoolTx {
  to: string;
  data: string;
  /** What the transaction does, in words, for the log and the transaction list. */
  description: string;
}

export interface StakingPoolPortOptions {
  provider: Provider;
  poolAddress: string;
  stakingAddress: string;
  chainId: bigint;
  send: (tx: PoolTx) => Promise<TransactionReceipt>;
}

/**
 * What to ask Numerai to authorize: the pool's policy (StakingPool._stakeable) as it will stand after
 * the checkpoint stakeRound runs first, i.e. with the waiting deposits converted. The contract's
 * `stakeable` view is the figure before that checkpoint (0 for a model whose NMR all waits), so it
 * would skip a model whose holders just delegated. Converting matured exits can only lower the
 * figure, and the pool stakes min(policy, authorized), so this upper bound never over-stakes.
 */
export function stakeableAfterCheckpoint(
  m: Pick<PoolModelView, 'navWei' | 'idleWei' | 'totalShares' | 'exitingShares' | 'pendingDepositWei'>,
  concurrentRounds: bigint,
): bigint {
  // Deposits convert at the current price, so the exiting shares are worth what they are worth now.
  const ts = m.totalShares + VIRTUAL_SHARES;
  const exitingValue = (m.exitingShares * (m.navWei + 1n) + ts - 1n) / ts;
  const nav = m.navWei + m.pendingDepositWei;
  const idle = m.idleWei + m.pendingDepositWei;
  if (idle <= exitingValue) return 0n;
  const free = idle - exitingValue;
  const perRound = (nav > exitingValue ? nav - exitingValue : 0n) / concurrentRounds;
  return free < perRound ? free : perRound;
}

/**
 * A send that the chain refused, in the words refusal-words.ts has for the contract's error (the node
 * gives its data when the gas estimate or the call reverts); any other failure as it is.
 */
async function inWords<T>(sending: Promise<T>): Promise<T> {
  try {
    return await sending;
  } catch (e) {
    const data = (e as { data?: unknown } | null)?.data;
    if (typeof data === 'string' && data.length >= 10) throw new Error(chainErrorWords(revertReason(e)), { cause: e });
    throw e;
  }
}

type Port = OperatorPoolPort & ClaimRelayPort & { linkedModels(operator: string): Promise<LinkedModel[]> };

/** The adapter's Authorization tuple (the fields the pool does not fill in itself, and the signature). */
function authTuple(a: V3StakeAuthorization): PoolAuthorizationTuple {
  return poolAuthorizationTuple(authorizationFromApi(a), a.signature);
}

function stakeRoundData(items: readonly StakeItem[]): string {
  return pool.encodeFunctionData('stakeRound', [items.map((i) => i.poolModelId), items.map((i) => authTuple(i.auth))]);
}

function revertReason(e: unknown): string {
  const data = (e as { data?: unknown }).data;
  if (typeof data === 'string' && data.length >= 10) {
    const parsed = errors.parseError(data);
    if (parsed) return parsed.name;
    return `error ${data.slice(0, 10)}`;
  }
  return e instanceof Error ? ((e as { shortMessage?: string }).shortMessage ?? e.message.slice(0, 200)) : 'reverted';
}

export function stakingPoolPort(o: StakingPoolPortOptions): Port {
  const read = async (fn: string, args: unknown[]) =>
    pool.decodeFunctionResult(fn, await o.provider.call({ to: o.poolAddress, data: pool.encodeFunctionData(fn, args) }));
  const view = <T>(schema: z.ZodType<T>, fn: string, args: unknown[], what: string) =>
    readView({ provider: o.provider, to: o.poolAddress, iface: pool }, schema, fn, args, what);
  const modelView = (id: number) => view(PoolModelView, 'model', [id], `model #${id}`);
  let rounds: Promise<bigint> | null = null;
  const concurrentRounds = () => (rounds ??= read('concurrentRounds', []).then((r) => r[0] as bigint));
  return {
    address: o.poolAddress,
    stakingAddress: o.stakingAddress,
    chainId: o.chainId,
    async lastStakedRound(id) {
      return (await modelView(id)).lastStakedRound;
    },
    stakeable: async (id) => stakeableAfterCheckpoint(await modelView(id), await concurrentRounds()),
    async simulateStakeRound(items) {
      try {
        await o.provider.call({ to: o.poolAddress, data: stakeRoundData(items) });
        return null;
      } catch (e) {
        return revertReason(e);
      }
    },
    async sendStakeRound(items) {
      const receipt = await inWords(
        o.send({
          to: o.poolAddress,
          data: stakeRoundData(items),
          description: `Stake ${items.length} model(s) in Numerai round ${items[0]?.auth.roundId ?? ''}`,
        }),
      );
      const outcomes: StakeOutcome[] = [];
      for (const log of receipt.logs) {
        if (log.address.toLowerCase() !== o.poolAddress.toLowerCase()) continue;
        const parsed = parseLog(pool, log);
        if (parsed?.name === 'TrancheStaked')
          outcomes.push({ poolModelId: Number(parsed.args.getValue('modelId')), stakedWei: parsed.args.getValue('amountWei') as bigint });
        if (parsed?.name === 'StakeSkipped') outcomes.push({ poolModelId: Number(parsed.args.getValue('modelId')), skipped: true });
      }
      return { hash: receipt.hash, outcomes };
    },
    async poolModelIdOf(numeraiModelId) {
      const id = Number((await read('modelIdOf', [numeraiModelId]))[0] as bigint);
      return id === 0 ? null : id;
    },
    async unsettledPrincipal(id, roundId) {
      return (await view(PoolTrancheView, 'tranche', [id, roundId], `the tranche of model #${id} in round ${roundId}`)).principalWei;
    },
    async sendClaim(c: ClaimToRelay) {
      const data = pool.encodeFunctionData('claim', [c.roundId, c.poolModelId, c.payoutWei, c.burnWei, c.proof]);
      const receipt = await inWords(
        o.send({ to: o.poolAddress, data, description: `Relay Numerai's result of round ${c.roundId} for model #${c.poolModelId}` }),
      );
      return { hash: receipt.hash };
    },
    async linkedModels(operator) {
      const logs = await o.provider.getLogs({
        address: o.poolAddress,
        topics: [pool.getEvent('ModelRegistered')!.topicHash],
        fromBlock: 0,
      });
      const registered = logs.map((log) => parseLog(pool, log)!);
      // The operator may have changed since registration: each model's view is the truth (read together).
      const views = await Promise.all(registered.map((e) => modelView(Number(e.args.getValue('modelId')))));
      return registered.flatMap((e, i): LinkedModel[] => {
        const view = views[i]!;
        if (view.operator.toLowerCase() !== operator.toLowerCase()) return [];
        const numeraiModelId = view.numeraiModelId;
        return [
          {
            poolModelId: Number(e.args.getValue('modelId')),
            numeraiModelId,
            apiModelId: uuidFromModelId(numeraiModelId),
            name: e.args.getValue('name') as string,
          },
        ];
      });
    },
  };
}
