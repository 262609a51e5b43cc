import { eth, feeCapPerGas, feeWords } from './fees';
import { highFeeWarning } from './fee-limits';
import type { Replacement } from './in-flight';
import type { Plan } from './plan';

/**
 * The plan of a speed-up or cancel of a pending step: the same nonce with higher fees, shown with
 * the old and new fee and the total it can cost, exactly as it will be signed.
 */
export function replacementPlan(r: Replacement, at: { holder: string; chainId: number; networkLabel: string; ethWei: bigint }): Plan {
  const { ethWei } = at;
  const gasCostWei = r.body.gasLimit * feeCapPerGas(r.fees);
  const oldCost = r.previous.gasLimit * feeCapPerGas(r.previous.fees);
  const what = r.entry.ref.label;
  const cancel = r.purpose === 'cancel';
  const lines: Plan['lines'] = [
    { label: cancel ? 'Cancels' : 'Speeds up', value: `${what} (transaction number ${r.entry.nonce} of your account)` },
    {
      label: 'How',
      value: cancel
        ? 'An empty transfer of 0 ETH to your own address is sent with the same number and a higher fee. If it is mined first, the original can no longer happen.'
        : 'The same transaction is sent again with the same number and a higher fee, so the network picks it up sooner.',
    },
    { label: 'Fee per gas', value: `${feeWords(r.previous.fees)} → ${feeWords(r.fees)}` },
    { label: 'Network fee (at most)', value: `${eth(gasCostWei)} ETH instead of ${eth(oldCost)} ETH` },
    { label: 'Total cost (at most)', value: `${eth(gasCostWei + r.body.value)} ETH from your ${eth(ethWei)} ETH` },
  ];
  const warnings = [
    'Only one of them can go through, and only that one is paid for. If the original is mined first, this one is dropped and costs nothing.',
  ];
  if (cancel && r.entry.ref.steps > r.entry.ref.step)
    warnings.push('The later steps of this action will not be sent; your NMR stays where it is.');
  const blocker =
    gasCostWei + r.body.value > ethWei ? `You need about ${eth(gasCostWei)} ETH for the higher fee and have ${eth(ethWei)}.` : null;
  const highFee = highFeeWarning(r.fees, gasCostWei);
  if (highFee) warnings.unshift(highFee);
  const description = cancel ? `Cancel: ${what}` : `Speed up: ${what}`;
  return {
    holder: at.holder,
    chainId: at.chainId,
    networkLabel: at.networkLabel,
    title: description,
    lines,
    warnings,
    steps: [{ kind: r.purpose, description, tx: { to: r.body.to, data: r.body.data, value: r.body.value }, gasLimit: r.body.gasLimit }],
    fees: r.fees,
    gasCostWei,
    blocker,
    highFee,
  };
}
