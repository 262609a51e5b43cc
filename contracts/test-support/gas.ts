/**
 * Gas figures of the pool's main calls, measured on a real local EVM. Used by the contracts tests (to
 * hold the resolveRound budget) and by `npm run bench`.
 *
 *   const chain = await startAnvil({ gasLimit: 100_000_000n });
 *   const gas = await measureGas(chain.url);                       // ~5 s
 *   const big = await measureGas(chain.url, { thousandModels: true }); // adds the 1,000-model round, ~30 s
 *
 * The chain's dev accounts must be unlocked (anvil's are); each call deploys a fresh token and pool.
 */
import { Interface, JsonRpcProvider, Network } from 'ethers';
import { delegationPoolAbi, localNmrAbi } from '../generated/index';
import { deploy, fundReserve, nmr, type Deployed } from './deploy';
import { Rpc } from './rpc';

export interface GasFigures {
  /** A holder's delegation to a model that already has deposits this round (converting the holder's earlier deposit on the way). */
  delegate: number;
  /** The first delegation of a round to a model (pays for pre-warming the round's record). */
  delegate_first_in_round: number;
  /** One transaction delegating to 5 models. */
  delegate_batch_5: number;
  /** resolveRound over 100 models, each converting pending deposits and maturing exits (the busiest case). */
  resolve_round_100_models: number;
  /** resolve_round_100_models / 100, transaction overhead included. */
  resolve_round_per_model: number;
  /** resolveRound over 100 models with nothing to convert (half gains, half losses). */
  resolve_round_100_models_quiet: number;
  resolve_round_per_model_quiet: number;
  /** requestUndelegate of part of a position. */
  request_undelegate: number;
  /** withdraw of a matured exit (converting it on the way). */
  withdraw: number;
  /** With { thousandModels: true }: the busiest round over 1,000 models in one transaction. */
  resolve_round_1000_models?: number;
  resolve_round_1000_models_quiet?: number;
}

export interface MeasureOptions {
  thousandModels?: boolean;
}

async function readChainId(rpcUrl: string): Promise<number> {
  return Number(BigInt(await new Rpc(rpcUrl).call<string>('eth_chainId')));
}

const pool = new Interface(delegationPoolAbi);
const token = new Interface(localNmrAbi);

interface Scene {
  rpc: Rpc;
  d: Deployed;
  /** Sends a pool call from `from` and returns its gas. */
  call: (from: string, name: string, ...args: unknown[]) => Promise<number>;
  admin: string;
  holders: [string, string, string];
}

async function scene(rpc: Rpc, provider: JsonRpcProvider, models: number): Promise<Scene> {
  const d = await deploy(provider, { lockRounds: 2, firstRound: 1000 });
  const admin = d.admin.address;
  const [a, b, c, operator] = d.signers.slice(1, 5).map((s) => s.address) as [string, string, string, string];
  const call = async (from: string, name: string, ...args: unknown[]) =>
    Number(BigInt((await rpc.mustSend({ from, to: d.poolAddress, data: pool.encodeFunctionData(name, args) })).gasUsed));
  for (let i = 0; i < models; i++) {
    await call(admin, 'registerModel', `model-${i + 1}`, operator, 1500, nmr(10_000_000));
  }
  await fundReserve(d, nmr(5_000_000));
  for (const h of [a, b, c]) {
    await rpc.mustSend({ from: admin, to: d.tokenAddress, data: token.encodeFunctionData('demoMint', [h, nmr(100_000_000)]) });
    await rpc.mustSend({ from: h, to: d.tokenAddress, data: token.encodeFunctionData('approve', [d.poolAddress, nmr(100_000_000)]) });
  }
  return { rpc, d, call, admin, holders: [a, b, c] };
}

async function sharesOf(sc: Scene, holder: string, id: number): Promise<bigint> {
  const out = await sc.rpc.call<string>('eth_call', [
    { to: sc.d.poolAddress, data: pool.encodeFunctionData('positionOf', [holder, id]) },
    'latest',
  ]);
  return (pool.decodeFunctionResult('positionOf', out)[0] as { shares: bigint }).shares;
}

/**
 * Round 1000: deposits into every model. Round 1001: exit requests on every model (they mature at the
 * result of 1002). Round 1002: new deposits everywhere → its resolution converts both on every model.
 * Round 1003: nothing to convert. Returns the gas of the two resolutions and of single calls.
 */
async function rounds(sc: Scene, n: number) {
  const { call, admin } = sc;
  const [a, b, c] = sc.holders;
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  const rets = ids.map((_, i) => (i % 2 === 0 ? 321 : -123));
  const chunks = Array.from({ length: Math.ceil(n / 100) }, (_, k) => ids.slice(k * 100, k * 100 + 100));
  for (const part of chunks)
    await call(
      a,
      'delegateBatch',
      part,
      part.map(() => nmr(1000)),
    );
  for (const part of chunks)
    await call(
      b,
      'delegateBatch',
      part,
      part.map(() => nmr(500)),
    );
  await call(admin, 'resolveRound', 1000, ids, rets);

  for (const id of ids) await call(a, 'requestUndelegate', id, (await sharesOf(sc, a, id)) / 2n);
  const request = await call(b, 'requestUndelegate', 1, 1000n);
  await call(admin, 'resolveRound', 1001, ids, rets);

  const firstInRound = await call(c, 'delegate', 2, nmr(10));
  const single = await call(b, 'delegate', 2, nmr(10));
  const batch = await call(c, 'delegateBatch', [3, 4, 5, 6, 7], [nmr(1), nmr(2), nmr(3), nmr(4), nmr(5)]);
  const rest = ids.filter((id) => id > 7);
  for (let k = 0; k < rest.length; k += 100) {
    const part = rest.slice(k, k + 100);
    await call(
      b,
      'delegateBatch',
      part,
      part.map(() => nmr(50)),
    );
  }
  const busy = await call(admin, 'resolveRound', 1002, ids, rets);
  const quiet = await call(admin, 'resolveRound', 1003, ids, rets);
  const withdraw = await call(a, 'withdraw', 1);
  return { request, firstInRound, single, batch, busy, quiet, withdraw };
}

/** Deploys fresh pools on the chain at `rpcUrl` and measures. */
export async function measureGas(rpcUrl: string, opts: MeasureOptions = {}): Promise<GasFigures> {
  const chainId = await readChainId(rpcUrl);
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(rpcUrl, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    pollingInterval: 20,
    batchStallTime: 0,
  });
  const rpc = new Rpc(rpcUrl);
  try {
    const g = await rounds(await scene(rpc, provider, 100), 100);
    const figures: GasFigures = {
      delegate: g.single,
      delegate_first_in_round: g.firstInRound,
      delegate_batch_5: g.batch,
      resolve_round_100_models: g.busy,
      resolve_round_per_model: Math.round(g.busy / 100),
      resolve_round_100_models_quiet: g.quiet,
      resolve_round_per_model_quiet: Math.round(g.quiet / 100),
      request_undelegate: g.request,
      withdraw: g.withdraw,
    };
    if (opts.thousandModels) {
      const big = await rounds(await scene(rpc, provider, 1000), 1000);
      figures.resolve_round_1000_models = big.busy;
      figures.resolve_round_1000_models_quiet = big.quiet;
    }
    return figures;
  } finally {
    provider.destroy();
  }
}
