import { getAddress, isAddress, type Interface, type Provider } from 'ethers';
import { MAINNET_NMR, type AddressVerdict, type StakingRole } from '../../shared/api';
import { numeraiStakingIface, stakingPoolIface } from '../pool/staking-pool-views';
import { tokenCalls } from '../tx/staking-intents/draft';
import { chainLabel } from './network';

/**
 * The three addresses a real network needs for staking through the pool — NMR, Numerai's staking
 * contract for the tournament, and the pool — each checked on the node before the app uses them:
 * code present, answers as that contract does, and all three agree on the same NMR. Every check
 * says in its own words what is wrong, so Settings can show the right message beside the right field.
 *
 * Numerai's staking contract is asked through the functions of our adapter's choice (`nmr()`,
 * `tournamentId()`: contracts/src/numerai/INumeraiStaking.sol); ABS.md leaves the real names unknown,
 * and binding to mainnet's verified ABI changes them here and in the adapter.
 */

export type { StakingRole };

export interface StakingAddresses {
  nmr: string;
  staking: string;
  pool: string;
}

/** One address's verdict (the shape Settings shows beside the field: shared/api/networks.ts). */
export type AddressCheck = AddressVerdict;

const token = tokenCalls;
const staking = numeraiStakingIface;
const pool = stakingPoolIface;

/** One view call; undefined when the address does not answer it as the ABI says (reverts, wrong length). */
function view(provider: Provider, to: string, iface: Interface, fn: string): Promise<unknown> {
  return read(provider, to, iface.encodeFunctionData(fn, []), (out) => iface.decodeFunctionResult(fn, out)[0] as unknown);
}

async function read(provider: Provider, to: string, data: string, decode: (out: string) => unknown): Promise<unknown> {
  try {
    return decode(await provider.call({ to, data }));
  } catch {
    return undefined;
  }
}

/**
 * NMR's symbol and decimals, each call named where it is encoded: contracts/test/nmr-abi.test.ts
 * checks every token function the app calls against mainnet NMR's ABI by reading these names.
 */
function nmrFacts(provider: Provider, at: string): Promise<[unknown, unknown]> {
  return Promise.all([
    read(provider, at, token.encodeFunctionData('symbol', []), (out) => token.decodeFunctionResult('symbol', out)[0] as unknown),
    read(provider, at, token.encodeFunctionData('decimals', []), (out) => token.decodeFunctionResult('decimals', out)[0] as unknown),
  ]);
}

const same = (a: unknown, b: string) => typeof a === 'string' && isAddress(a) && a.toLowerCase() === b.toLowerCase();

export async function checkStakingAddresses(provider: Provider, chainId: number, input: StakingAddresses): Promise<AddressCheck[]> {
  const net = chainLabel(chainId);
  const checks: AddressCheck[] = [];
  const fail = (role: StakingRole, address: string, message: string) => checks.push({ role, address, ok: false, message });
  const pass = (role: StakingRole, address: string, detail: string) => checks.push({ role, address, ok: true, detail });

  const addr: Partial<StakingAddresses> = {};
  for (const role of ['nmr', 'staking', 'pool'] as const) {
    const raw = input[role].trim();
    if (!isAddress(raw)) fail(role, raw, 'This is not an address: 0x followed by 40 hexadecimal characters.');
    else if ((await provider.getCode(raw)) === '0x') fail(role, getAddress(raw), `There is no contract at this address on ${net}.`);
    else addr[role] = getAddress(raw);
  }

  // Agreement is checked against an NMR that passed its own check, and a staking contract that did:
  // a wrong NMR address is reported once, beside the NMR field, not three times.
  let nmr: string | undefined;
  let stakingOk: string | undefined;
  if (addr.nmr) {
    const [symbol, decimals] = await nmrFacts(provider, addr.nmr);
    if (chainId === 1 && addr.nmr.toLowerCase() !== MAINNET_NMR) fail('nmr', addr.nmr, `On Ethereum, NMR is ${getAddress(MAINNET_NMR)}.`);
    else if (symbol !== 'NMR' || decimals !== 18n)
      fail('nmr', addr.nmr, 'This contract does not answer as NMR does (symbol “NMR”, 18 decimals).');
    else {
      nmr = addr.nmr;
      pass('nmr', addr.nmr, 'NMR, 18 decimals');
    }
  }
  if (addr.staking) {
    const [held, tournament] = await Promise.all([
      view(provider, addr.staking, staking, 'nmr'),
      view(provider, addr.staking, staking, 'tournamentId'),
    ]);
    if (typeof tournament !== 'bigint') fail('staking', addr.staking, 'This contract does not answer as Numerai’s staking contract does.');
    else if (nmr && !same(held, nmr))
      fail('staking', addr.staking, `This staking contract stakes another token (${String(held)}), not the NMR above.`);
    else {
      stakingOk = addr.staking;
      pass('staking', addr.staking, `Numerai staking, tournament ${tournament}`);
    }
  }
  if (addr.pool) {
    const [held, through, rounds] = await Promise.all([
      view(provider, addr.pool, pool, 'nmr'),
      view(provider, addr.pool, pool, 'numeraiStaking'),
      view(provider, addr.pool, pool, 'concurrentRounds'),
    ]);
    if (typeof rounds !== 'bigint' || typeof through !== 'string')
      fail('pool', addr.pool, 'This contract does not answer as the staking pool does.');
    else if (nmr && !same(held, nmr)) fail('pool', addr.pool, `This pool holds another token (${String(held)}), not the NMR above.`);
    else if (stakingOk && !same(through, stakingOk))
      fail('pool', addr.pool, `This pool stakes through another contract (${through}), not the staking contract above.`);
    else pass('pool', addr.pool, `Staking pool, spreading each model over ${rounds} rounds`);
  }
  const order: StakingRole[] = ['nmr', 'staking', 'pool'];
  return checks.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
}
