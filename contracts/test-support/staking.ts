/**
 * A local world for StakingPool tests and benchmarks: the faithful NMR (LocalNMR), Numerai's staking
 * stand-in (LocalNumeraiStaking, owned by "Numerai" = a dev account) and the pool, with anvil's unlocked
 * dev accounts as actors. Transactions go through one JSON-RPC round trip each (eth_sendTransactionSync),
 * reverts come back as the custom error's name, and block times are set explicitly so tests (and the
 * reference model) know the timestamp of every transaction.
 */
import { AbiCoder, ContractFactory, Interface, JsonRpcProvider, Network, Wallet, type JsonRpcSigner } from 'ethers';
import { localNmrAbi, localNmrBytecode, localNumeraiStakingAbi, stakingPoolAbi, stakingPoolBytecode } from '../generated/index';
import { buildRoundTree, deployNumerai, signStakeAuthorization, type RoundTree } from './numerai';
import { poolAuthorizationTuple, type StakeAuthorization, type StakingDomain } from '../numerai-layout';
import { Rpc, type Receipt } from './rpc';

export const WAD = 10n ** 18n;
export const MAX_UINT96 = (1n << 96n) - 1n;
export const poolIface = new Interface(stakingPoolAbi);
export const tokenIface = new Interface(localNmrAbi);
export const numeraiIface = new Interface(localNumeraiStakingAbi);
const coder = AbiCoder.defaultAbiCoder();

/** Numerai's authorization signer for tests (a fixed, public test key). */
export const NUMERAI_SIGNER_KEY = '0x' + '4e'.repeat(32);

const errorFragments = new Map<string, unknown>();
for (const f of [...stakingPoolAbi, ...localNumeraiStakingAbi, ...localNmrAbi]) {
  if (f.type === 'error' && !errorFragments.has(f.name)) errorFragments.set(f.name, f);
}
export const stakingErrors = new Interface([...errorFragments.values()] as ConstructorParameters<typeof Interface>[0]);

export function errorName(data: unknown): string | undefined {
  if (typeof data !== 'string' || !data.startsWith('0x') || data.length < 10) return undefined;
  try {
    return stakingErrors.parseError(data)?.name;
  } catch {
    return undefined;
  }
}

/** A bytes32 Numerai model id for tests. */
export const numeraiModelId = (n: number): string => '0x' + n.toString(16).padStart(4, '0').padStart(64, 'a');

/** A failure mined as a reverted transaction carries its block (a refusal before mining has none). */
export type SendResult = { ok: true; receipt: Receipt } | { ok: false; error: string; blockNumber?: string };

export interface WorldOptions {
  concurrentRounds?: number;
  feeNoticeSeconds?: number;
  adminDelaySeconds?: number;
  tournamentId?: bigint;
}

export interface World {
  url: string;
  rpc: Rpc;
  provider: JsonRpcProvider;
  accounts: string[];
  admin: string;
  numerai: string;
  token: string;
  staking: string;
  pool: string;
  domain: StakingDomain;
  tournamentId: bigint;
  signer: Wallet;
  concurrentRounds: number;
  feeNoticeSeconds: number;
  /** Timestamp the next transaction will carry (send() sets it and moves it on by one second). */
  now: bigint;
  send(from: string, to: string, data: string): Promise<SendResult>;
  mustSend(from: string, to: string, data: string): Promise<Receipt>;
  /** Calldata of a pool function. */
  poolData(fn: string, args?: unknown[]): string;
  /** Calls a pool function; returns the send result. */
  pool$(from: string, fn: string, args?: unknown[]): Promise<SendResult>;
  view<T = unknown>(fn: string, args?: unknown[], to?: string, iface?: Interface): Promise<T>;
  /** Moves the clock on by `seconds` (applies to the next transaction). */
  warp(seconds: bigint | number): void;
  stop(): void;
}

/** Deploys token, Numerai stand-in and pool on the anvil at `url`. Accounts: 0 admin, 1 Numerai, the rest actors. */
export async function deployWorld(url: string, opts: WorldOptions = {}): Promise<World> {
  const rpc = new Rpc(url);
  const chainId = Number(BigInt(await rpc.call<string>('eth_chainId')));
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(url, network, { staticNetwork: network, cacheTimeout: -1, pollingInterval: 20, batchStallTime: 0 });
  const accounts = (await rpc.call<string[]>('eth_accounts')).map((a) => a.toLowerCase());
  const [admin, numerai] = accounts as [string, string];
  const signers: JsonRpcSigner[] = await Promise.all([admin, numerai].map((a) => provider.getSigner(a)));
  const latest = await rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
  let now = BigInt(latest.timestamp) + 10n;

  const setTime = async () => {
    await rpc.call('evm_setNextBlockTimestamp', ['0x' + now.toString(16)]);
    now += 1n;
  };
  await setTime();
  const tokenC = await new ContractFactory(localNmrAbi, localNmrBytecode, signers[0]).deploy();
  await tokenC.waitForDeployment();
  const token = (await tokenC.getAddress()).toLowerCase();
  const signer = new Wallet(NUMERAI_SIGNER_KEY);
  const tournamentId = opts.tournamentId ?? 8n;
  await setTime();
  const n = await deployNumerai(provider, {
    nmr: token,
    authorizationSigner: signer.address,
    owner: numerai,
    tournamentId,
    deployer: signers[1],
  });
  const staking = n.address.toLowerCase();
  const concurrentRounds = opts.concurrentRounds ?? 4;
  const feeNoticeSeconds = opts.feeNoticeSeconds ?? 30 * 86_400;
  await setTime();
  const poolC = await new ContractFactory(stakingPoolAbi, stakingPoolBytecode, signers[0]).deploy(
    token,
    staking,
    admin,
    opts.adminDelaySeconds ?? 2 * 86_400,
    concurrentRounds,
    feeNoticeSeconds,
  );
  await poolC.waitForDeployment();
  const pool = (await poolC.getAddress()).toLowerCase();

  const world: World = {
    url,
    rpc,
    provider,
    accounts,
    admin,
    numerai,
    token,
    staking,
    pool,
    domain: n.domain,
    tournamentId,
    signer,
    concurrentRounds,
    feeNoticeSeconds,
    now,
    async send(from, to, data) {
      await rpc.call('evm_setNextBlockTimestamp', ['0x' + world.now.toString(16)]);
      const [r] = await rpc.batch([['eth_sendTransactionSync', [{ from, to, data, gas: '0xe4e1c0' }]]]);
      if (r!.error) return { ok: false, error: errorName(r!.error.data) ?? `send failed: ${r!.error.message.slice(0, 200)}` };
      world.now += 1n;
      const receipt = r!.result as Receipt;
      if (receipt.status === '0x1') return { ok: true, receipt };
      // Replayed on the failed transaction's own block: it changed no contract state, and the block
      // carries the same timestamp (rounds and fees depend on time).
      const [c] = await rpc.batch([['eth_call', [{ from, to, data, gas: '0xe4e1c0' }, receipt.blockNumber]]]);
      return {
        ok: false,
        error: errorName(c!.error?.data) ?? `reverted (${c!.error?.message.slice(0, 160) ?? 'no error on replay'})`,
        blockNumber: receipt.blockNumber,
      };
    },
    async mustSend(from, to, data) {
      const r = await world.send(from, to, data);
      if (!r.ok) throw new Error(`transaction to ${to} failed: ${r.error}`);
      return r.receipt;
    },
    poolData(fn, args = []) {
      return poolIface.encodeFunctionData(fn, args);
    },
    pool$(from, fn, args = []) {
      return world.send(from, pool, poolIface.encodeFunctionData(fn, args));
    },
    async view<T>(fn: string, args: unknown[] = [], to = pool, iface = poolIface) {
      const out = await rpc.call<string>('eth_call', [{ to, data: iface.encodeFunctionData(fn, args) }, 'latest']);
      const dec = iface.decodeFunctionResult(fn, out);
      return (dec.length === 1 ? dec[0] : dec) as T;
    },
    warp(seconds) {
      world.now += BigInt(seconds);
    },
    stop() {
      provider.destroy();
    },
  };
  return world;
}

/** Mints demo NMR to each account and approves `spender` for all of it (0 first, as NMR requires). */
export async function fund(w: World, accounts: string[], amount: bigint, spender: string): Promise<void> {
  for (const a of accounts) {
    await w.mustSend(w.admin, w.token, tokenIface.encodeFunctionData('demoMint', [a, amount]));
    await w.mustSend(a, w.token, tokenIface.encodeFunctionData('approve', [spender, 0n]));
    await w.mustSend(a, w.token, tokenIface.encodeFunctionData('approve', [spender, (1n << 255n) - 1n]));
  }
}

/** A stake authorization as the contracts take it (contracts/numerai-layout.ts). */
export type Auth = StakeAuthorization;

/** What Numerai's API (`v3StakeAuth`) gives the operator: the authorization and its signature. */
export async function authorize(
  w: World,
  a: { roundId: bigint; modelId: string; maxAmount: bigint; nonce: bigint; staker?: string; deadline?: bigint },
): Promise<{ auth: Auth; signature: string }> {
  const auth: Auth = {
    tournamentId: w.tournamentId,
    roundId: a.roundId,
    staker: a.staker ?? w.pool,
    modelId: a.modelId,
    submissionHash: '0x' + BigInt(a.roundId).toString(16).padStart(8, '0').padEnd(64, '5'),
    maxAmount: a.maxAmount,
    nonce: a.nonce,
    deadline: a.deadline ?? w.now + 365n * 86_400n,
  };
  const signature = await signStakeAuthorization(w.signer, w.domain, auth);
  return { auth, signature };
}

/** The stakeRound calldata for these authorizations. */
export function stakeRoundData(ids: number[], auths: { auth: Auth; signature: string }[]): string {
  return poolIface.encodeFunctionData('stakeRound', [ids, auths.map((x) => poolAuthorizationTuple(x.auth, x.signature))]);
}

/** Numerai opens round `roundId` now for `openSeconds`, resolving `resolveAfter` seconds after it closes. */
export async function createRound(w: World, roundId: bigint, openSeconds = 86_400n, resolveAfter = 86_400n): Promise<void> {
  const open = w.now;
  await w.mustSend(
    w.numerai,
    w.staking,
    numeraiIface.encodeFunctionData('createRound', [roundId, open, open + openSeconds, open + openSeconds + resolveAfter]),
  );
}

/** Numerai posts round `roundId`'s results (rows for the pool's positions) and funds the payouts. */
export async function postRoot(
  w: World,
  roundId: bigint,
  rows: { modelId: string; payout: bigint; burn: bigint; staker?: string }[],
): Promise<RoundTree> {
  const tree = buildRoundTree(
    rows.map((r) => ({ roundId, staker: r.staker ?? w.pool, modelId: r.modelId, payout: r.payout, burn: r.burn })),
  );
  await w.mustSend(
    w.numerai,
    w.staking,
    numeraiIface.encodeFunctionData('postRoot', [roundId, tree.root, tree.totalPayout, tree.totalBurn]),
  );
  return tree;
}

export const encodeWords = (types: string[], values: unknown[]) => coder.encode(types, values);

/** Back to snapshot `snap` (taken again: a snapshot is used up by reverting), the clock after its last block. */
export async function freshFrom(w: World, snap: string): Promise<string> {
  await w.rpc.call('evm_revert', [snap]);
  const again = await w.rpc.call<string>('evm_snapshot');
  const latest = await w.rpc.call<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
  w.now = BigInt(latest.timestamp) + 1n;
  return again;
}
