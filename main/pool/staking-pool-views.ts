/**
 * StakingPool's and Numerai's staking contract's views as main reads them: each answer decoded by
 * the ABI, then checked here (a node is outside the process: a wrong-length or out-of-range answer
 * is refused, not trusted), so the service above works with plain bigint records.
 */
import { Interface, type FunctionFragment, type Provider } from 'ethers';
import { z } from 'zod';
import { wordCall, wordListCall, type WordCall } from '../chain/word-call';
import { ethCall } from '../chain/eth-call';
import type { RoundState } from '../../shared/api';
import { numeraiStakingAbi, stakingPoolAbi } from '../chain/contracts';

export const stakingPoolIface = new Interface(stakingPoolAbi);
export const numeraiStakingIface = new Interface(numeraiStakingAbi);

const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

/** Unsigned integer fields of a view, each checked to fit its Solidity type. */
function uints<K extends string>(bits: 16 | 32 | 64 | 256, ...keys: K[]): Record<K, z.ZodBigInt> {
  const field = z
    .bigint()
    .min(0n)
    .max((1n << BigInt(bits)) - 1n);
  return Object.fromEntries(keys.map((k) => [k, field])) as Record<K, z.ZodBigInt>;
}

/** `model(id)`: field names as in the ABI tuple (contracts/STATUS.md "ModelView"). */
export const PoolModelView = z.object({
  id: z
    .bigint()
    .min(1n)
    .max(2n ** 32n - 1n),
  numeraiModelId: Bytes32,
  operator: Address,
  ...uints(16, 'feeBps', 'nextFeeBps'),
  ...uints(64, 'nextFeeAt', 'headRound', 'lastStakedRound'),
  ...uints(32, 'depositEpoch'),
  ...uints(256, 'capWei', 'navWei', 'idleWei', 'atStakeWei', 'totalShares', 'exitingShares', 'pendingDepositWei'),
  ...uints(256, 'feesOwedWei', 'owedExitWei'),
});
export type PoolModelView = z.infer<typeof PoolModelView>;

/** `positionOf(holder, id)` (contracts/STATUS.md "Position"). */
export const PoolPositionView = z.object({
  ...uints(256, 'shares', 'valueWei', 'pendingDepositWei', 'exitingShares', 'exitingValueWei', 'withdrawableWei'),
  ...uints(64, 'unlockRound'),
});
export type PoolPositionView = z.infer<typeof PoolPositionView>;

/** `totals()`: the pool's NMR by where it is. */
export const PoolTotalsView = z.object(uints(256, 'idleWei', 'atStakeWei', 'pendingDepositWei', 'owedExitWei', 'feesOwedWei'));
export type PoolTotalsView = z.infer<typeof PoolTotalsView>;

/** `tranche(id, round)`: principal 0 when there is none or it settled. */
export const PoolTrancheView = z.object({ ...uints(256, 'principalWei'), ...uints(16, 'feeBps') });

/** Numerai's `rounds(roundId)` (INumeraiStaking.Round). */
export const NumeraiRoundView = z.object({
  ...uints(64, 'openTime', 'closeTime', 'resolveTime', 'resolvedAt'),
  merkleRoot: Bytes32,
  ...uints(256, 'totalStaked', 'totalPayout', 'totalBurn', 'remainingPayout', 'remainingBurn'),
});
export type NumeraiRoundView = z.infer<typeof NumeraiRoundView>;

/** How a view's call is encoded and its answer decoded into a plain object of its fields. */
export type ViewCodec = Pick<WordCall, 'data'> & { result(hex: string): Record<string, unknown> };

/** A contract's view to read: the node, the contract's address and its ABI. */
export interface ViewTarget {
  provider: Provider;
  to: string;
  iface: Interface;
}

const codecs = new WeakMap<Interface, Map<string, unknown>>();

/** `make`'s codec for function `fn` of `iface`, made once (an ABI's codecs are kept as long as the ABI). */
function codecOf<C>(iface: Interface, fn: string, kind: string, make: (f: FunctionFragment) => C | null): C {
  let byName = codecs.get(iface);
  if (!byName) codecs.set(iface, (byName = new Map<string, unknown>()));
  const key = `${kind} ${fn}`;
  let codec = byName.get(key) as C | undefined;
  if (!codec) {
    const f = iface.getFunction(fn);
    const made = f ? make(f) : null;
    if (!made) throw new Error(`The ABI has no ${kind} called ${fn}.`);
    byName.set(key, (codec = made));
  }
  return codec;
}

/**
 * The codec of view `fn`: word-call.ts's for views of words only (all of this file's views; ethers'
 * decoding was most of what reading 200 models cost), ethers' AbiCoder for anything else. A single
 * tuple output answers its fields, several outputs answer themselves, by name.
 */
export function viewCodec(iface: Interface, fn: string): ViewCodec {
  return codecOf<ViewCodec>(iface, fn, 'function', (f) => {
    const tuple = f.outputs.length === 1 && f.outputs[0]!.baseType === 'tuple';
    return (
      wordCall(f) ?? {
        data: (args) => iface.encodeFunctionData(f, [...args]),
        result: (hex) => {
          const r = iface.decodeFunctionResult(f, hex);
          return tuple ? (r[0] as typeof r).toObject(true) : r.toObject(true);
        },
      }
    );
  });
}

/** Calls view `fn` of the contract at `to` and answers its fields, decoded (viewCodec) and checked against `schema`. */
export async function readView<T>(read: ViewTarget, schema: z.ZodType<T>, fn: string, args: readonly unknown[], what: string): Promise<T> {
  const codec = viewCodec(read.iface, fn);
  return checked(schema, codec.result(await ethCall(read.provider, read.to, codec.data(args))), what);
}

/**
 * Calls view `fn`, which answers a list of tuples of words (StakingPool's `modelViews`), and answers
 * each item decoded (word-call.ts's wordListCall) and checked against `schema`.
 */
export async function readViewList<T>(
  read: ViewTarget,
  schema: z.ZodType<T>,
  fn: string,
  args: readonly unknown[],
  what: string,
): Promise<T[]> {
  const codec = codecOf(read.iface, fn, 'list of word tuples', wordListCall);
  const items = codec.results(await ethCall(read.provider, read.to, codec.data(args)));
  return items.map((item) => checked(schema, item, what));
}

/** A view's answer (its fields as a plain object), checked against `schema`. */
export function checked<T>(schema: z.ZodType<T>, value: Record<string, unknown> & { toObject?: never }, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`The node's answer for ${what} does not have the expected shape.`);
  return parsed.data;
}

/**
 * Numerai's RoundState (None, Pending, Open, Closed, Resolving, Resolved) in the app's words
 * (shared/api RoundState); a round the pool staked in cannot be None or Pending, so those are
 * refused. "claimed" is the pool's own fact (the tranche settled), not Numerai's: the service adds it.
 */
export type RoundStateWord = RoundState;

export function roundStateWord(state: bigint, roundId: bigint): Exclude<RoundStateWord, 'claimed'> {
  switch (state) {
    case 2n:
      return 'open';
    case 3n:
      return 'closed';
    case 4n:
      return 'resolving';
    case 5n:
      return 'resolved';
    default:
      throw new Error(`Numerai's staking contract does not show round ${roundId} as open or past (state ${state}).`);
  }
}
