/**
 * Deploys LocalNMR on a local chain for tests and benchmarks, with anvil's unlocked dev accounts as
 * signers, and small helpers for custom-error assertions and snapshots. (The pool's own world is
 * staking.ts's deployWorld.)
 */
import { type Contract, ContractFactory, Interface, type JsonRpcProvider, type JsonRpcSigner } from 'ethers';
import { localNmrAbi, localNmrBytecode, localNumeraiStakingAbi, stakingPoolAbi } from '../generated/index';

export const WAD = 10n ** 18n;
export const nmr = (n: number | string): bigint => {
  const [i, f = ''] = String(n).split('.');
  return BigInt(i!) * WAD + BigInt((f + '0'.repeat(18)).slice(0, 18));
};

export interface Deployed {
  provider: JsonRpcProvider;
  signers: JsonRpcSigner[];
  admin: JsonRpcSigner;
  token: Contract;
  tokenAddress: string;
}

export async function deploy(provider: JsonRpcProvider): Promise<Deployed> {
  const accounts = (await provider.send('eth_accounts', [])) as string[];
  const signers = await Promise.all(accounts.map((a) => provider.getSigner(a)));
  const admin = signers[0]!;
  const tokenF = new ContractFactory(localNmrAbi, localNmrBytecode, admin);
  const token = (await tokenF.deploy()) as Contract;
  await token.waitForDeployment();
  const tokenAddress = await token.getAddress();
  return { provider, signers, admin, token, tokenAddress };
}

/** Every custom error our contracts can raise (the pool bubbles the token's up), each name once. */
const errorFragments = new Map<string, unknown>();
for (const f of [...stakingPoolAbi, ...localNmrAbi, ...localNumeraiStakingAbi]) {
  if (f.type === 'error' && !errorFragments.has(f.name)) errorFragments.set(f.name, f);
}
export const errorsInterface = new Interface([...errorFragments.values()] as ConstructorParameters<typeof Interface>[0]);

function revertData(e: unknown): string | undefined {
  const seen = new Set<unknown>();
  let cur: unknown = e;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 8 && !seen.has(cur); depth++) {
    seen.add(cur);
    const o = cur as Record<string, unknown>;
    if (typeof o.data === 'string' && o.data.startsWith('0x')) return o.data;
    if (o.data && typeof o.data === 'object' && typeof (o.data as Record<string, unknown>).data === 'string') {
      return (o.data as Record<string, string>).data;
    }
    cur = o.info && typeof o.info === 'object' ? ((o.info as Record<string, unknown>).error ?? o.error) : (o.error ?? o.cause);
  }
  return undefined;
}

/** The custom error a failed call or transaction reverted with: { name, args } (undefined if none). */
export function decodeRevert(e: unknown): { name: string; args: unknown[] } | undefined {
  const data = revertData(e);
  if (!data || data === '0x') return undefined;
  try {
    const parsed = errorsInterface.parseError(data);
    if (!parsed) return undefined;
    return { name: parsed.name, args: [...parsed.args] };
  } catch {
    return undefined;
  }
}

/** Awaits `p`, expects it to revert with custom error `name` (and `args`, when given). */
export async function expectRevert(p: Promise<unknown>, name: string, args?: unknown[]): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  if (err === undefined) throw new Error(`expected revert ${name}, but it succeeded`);
  const dec = decodeRevert(err);
  if (!dec) throw new Error(`expected revert ${name}, got: ${String((err as Error).message ?? err).slice(0, 300)}`);
  if (dec.name !== name) throw new Error(`expected revert ${name}, got ${dec.name}(${dec.args.join(', ')})`);
  if (args) {
    const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : String(v));
    const got = dec.args.map(norm);
    const want = args.map(norm);
    if (got.length !== want.length || got.some((g, i) => g !== want[i])) {
      throw new Error(`expected ${name}(${want.join(', ')}), got ${name}(${got.join(', ')})`);
    }
  }
}

export async function snapshot(provider: JsonRpcProvider): Promise<string> {
  return (await provider.send('evm_snapshot', [])) as string;
}

export async function revertTo(provider: JsonRpcProvider, id: string): Promise<void> {
  const ok = (await provider.send('evm_revert', [id])) as boolean;
  if (!ok) throw new Error(`evm_revert(${id}) failed`);
}

/** Sends a transaction and returns its receipt (throws on revert). */
export async function mined(
  tx: Promise<{ wait(): Promise<unknown> }>,
): Promise<{ gasUsed: bigint; logs: unknown[] } & Record<string, unknown>> {
  const sent = await tx;
  const receipt = (await sent.wait()) as { gasUsed: bigint; logs: unknown[]; status: number } & Record<string, unknown>;
  if (receipt.status !== 1) throw new Error('transaction reverted');
  return receipt;
}
