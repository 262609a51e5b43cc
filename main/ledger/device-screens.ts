import { formatEther, getAddress, getBigInt, getBytes } from 'ethers';
import type { DeviceGuide, DeviceScreen } from '../confirm/render';
import { feeCapPerGas } from '../tx/fees';
import type { Plan } from '../tx/plan';

/** One transaction as the Ethereum app reviews it. */
export interface DeviceStep {
  to: string;
  value: bigint;
  data: string;
  gasLimit: bigint;
  /** The most one unit of gas may cost (EIP-1559's max fee; a legacy gas price). */
  maxFeePerGas: bigint;
  chainId: number;
}

/** An amount of ETH as the device writes it: the ticker first, every decimal, no trailing zeros. */
function deviceEth(wei: bigint): string {
  return `ETH ${formatEther(wei).replace(/\.0$/, '')}`;
}

/** Networks the Ethereum app names; it shows others by their chain id. */
const APP_NETWORKS: Record<number, string> = { 11155111: 'Sepolia', 17000: 'Holesky' };

/**
 * What the Ethereum app on a Ledger (Nano S Plus, Nano X, Stax, Flex) shows for one transaction,
 * screen by screen, with what to check on each: said in main's window before the device is asked,
 * so the person knows what to expect there and compares the device with this window, not with the
 * page. The app's calls to the pool (and NMR's approve) are contract calls the device cannot read
 * without Ledger's service, so it warns about blind signing and shows only ETH, the address and
 * the fee; the NMR amounts are checked here, in main's window.
 */
export function deviceScreens(step: DeviceStep): DeviceScreen[] {
  const callsContract = getBytes(step.data).length > 0;
  const screens: DeviceScreen[] = [{ title: 'Review transaction', value: 'The first screen.' }];
  if (callsContract)
    screens.push({
      title: 'Blind signing',
      value:
        'A warning that the device cannot show what this contract call does: expected for this app’s calls. The NMR amounts are the ones in this window.',
    });
  screens.push({ title: 'Amount', value: deviceEth(step.value) }, { title: 'Address', value: getAddress(step.to) });
  const network = step.chainId === 1 ? null : (APP_NETWORKS[step.chainId] ?? `Chain ID ${step.chainId}`);
  if (network) screens.push({ title: 'Network', value: network });
  screens.push(
    { title: 'Max fees', value: `${deviceEth(step.gasLimit * step.maxFeePerGas)} at most` },
    { title: 'Accept and send', value: 'Approve only if everything matches; otherwise Reject, and nothing is sent.' },
  );
  return screens;
}

/** The guide main's confirmation window shows for a plan signed on a Ledger: each step's screens, in order. */
export function ledgerGuide(plan: Plan): DeviceGuide {
  const cap = feeCapPerGas(plan.fees);
  return {
    device: 'Ledger',
    steps: plan.steps.map((s) => ({
      description: s.description,
      screens: deviceScreens({
        to: s.tx.to,
        value: getBigInt(s.tx.value ?? 0n),
        data: s.tx.data ?? '0x',
        gasLimit: s.gasLimit,
        maxFeePerGas: cap,
        chainId: plan.chainId,
      }),
    })),
  };
}
