import { formatUnits, type Provider } from 'ethers';

/** What a transaction offers to pay per unit of gas: EIP-1559 where the chain has a base fee, a legacy gas price otherwise. */
export type Fees = { type: 2; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { type: 0; gasPrice: bigint };

/**
 * Nodes refuse a replacement (same nonce) unless it raises the offer; geth wants at least +10 % on
 * both the fee cap and the tip. 12.5 % clears that after integer rounding on every node we know.
 */
export const REPLACEMENT_BUMP_NUM = 9n;
export const REPLACEMENT_BUMP_DEN = 8n;

const FALLBACK_GAS_PRICE = 1_000_000_000n;

/** Today's fees, as ethers reads them (max fee = 2 × base fee + tip when the chain has a base fee). */
export async function marketFees(provider: Provider): Promise<Fees> {
  const fee = await provider.getFeeData();
  if (fee.maxFeePerGas !== null && fee.maxPriorityFeePerGas !== null) {
    return { type: 2, maxFeePerGas: fee.maxFeePerGas, maxPriorityFeePerGas: fee.maxPriorityFeePerGas };
  }
  return { type: 0, gasPrice: fee.gasPrice ?? FALLBACK_GAS_PRICE };
}

/** The most one unit of gas can cost with these fees: what a "network fee at most" figure multiplies. */
export function feeCapPerGas(f: Fees): bigint {
  return f.type === 2 ? f.maxFeePerGas : f.gasPrice;
}

const bump = (v: bigint) => (v * REPLACEMENT_BUMP_NUM + REPLACEMENT_BUMP_DEN - 1n) / REPLACEMENT_BUMP_DEN;
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Fees for a replacement of a transaction sent with `old`: at least the bump nodes require, and
 * at least today's market so the replacement is not stuck in turn. The type stays the original's.
 */
export function replacementFees(old: Fees, market: Fees): Fees {
  if (old.type === 2) {
    const marketTip = market.type === 2 ? market.maxPriorityFeePerGas : 0n;
    const tip = max(bump(old.maxPriorityFeePerGas), marketTip);
    const cap = max(max(bump(old.maxFeePerGas), feeCapPerGas(market)), tip);
    return { type: 2, maxFeePerGas: cap, maxPriorityFeePerGas: tip };
  }
  return { type: 0, gasPrice: max(bump(old.gasPrice), feeCapPerGas(market)) };
}

/** "12.5 gwei", for the confirmation page. */
export function gwei(v: bigint): string {
  return `${formatUnits(v, 'gwei').replace(/\.0$/, '')} gwei`;
}
