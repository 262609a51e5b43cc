import type { Provider } from 'ethers';
import { ENGLISH_PAGES, shownEth, shownGwei } from '../../shared/amount-format';
import { AppError } from '../../shared/api';

/** What a transaction offers to pay per unit of gas: EIP-1559 where the chain has a base fee, a legacy gas price otherwise. */
export type Fees = { type: 2; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { type: 0; gasPrice: bigint };

/**
 * Nodes refuse a replacement (same nonce) unless it raises the offer; geth wants at least +10 % on
 * both the fee cap and the tip. 12.5 % clears that after integer rounding on every node we know.
 */
export const REPLACEMENT_BUMP_NUM = 9n;
export const REPLACEMENT_BUMP_DEN = 8n;

const FALLBACK_GAS_PRICE = 1_000_000_000n;
/** No EVM value can reach this: a fee at or above it is not a fee but a broken or lying node. */
const UINT256_LIMIT = 2n ** 256n;

/**
 * Today's fees, as ethers reads them (max fee = 2 × base fee + tip when the chain has a base fee).
 * A quote no node can honestly give (negative, beyond 256 bits) is refused here, before anything is built on it.
 */
export async function marketFees(provider: Provider): Promise<Fees> {
  const fee = await provider.getFeeData();
  const fees: Fees =
    fee.maxFeePerGas !== null && fee.maxPriorityFeePerGas !== null
      ? { type: 2, maxFeePerGas: fee.maxFeePerGas, maxPriorityFeePerGas: fee.maxPriorityFeePerGas }
      : { type: 0, gasPrice: fee.gasPrice ?? FALLBACK_GAS_PRICE };
  checkQuotedFees(fees);
  return fees;
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

/** "12.5 gwei", "≈1 gwei" (at most 2 decimals), for the confirmation page. */
export function gwei(v: bigint): string {
  return `${shownGwei(v, ENGLISH_PAGES).text} gwei`;
}

/** "≈0.0004561" (about 4 significant digits): an amount of ETH in main's plans and pages, without the unit. */
export function eth(v: bigint): string {
  return shownEth(v, ENGLISH_PAGES).text;
}

/**
 * Refuses fees no node can honestly quote: negative, or beyond what a 256-bit EVM word holds, or a
 * tip above the cap. Checked as soon as the node's quote arrives, so nothing is built on it.
 */
export function checkQuotedFees(f: Fees): void {
  const values = f.type === 2 ? [f.maxFeePerGas, f.maxPriorityFeePerGas] : [f.gasPrice];
  const impossible = values.find((v) => v < 0n || v >= UINT256_LIMIT);
  if (impossible !== undefined || (f.type === 2 && f.maxPriorityFeePerGas > f.maxFeePerGas)) {
    const what =
      impossible === undefined
        ? 'a tip larger than its fee cap'
        : impossible < 0n
          ? 'a negative fee'
          : 'a fee larger than any number the network can hold';
    throw new AppError(
      'RPC_BAD_ANSWER',
      `The network node quoted an impossible fee (${what}). It may be faulty or dishonest: nothing was signed. Try again later, or choose another node in Settings → Network.`,
    );
  }
}

/** "max 3 gwei, tip 1 gwei" or "12 gwei": the offer per unit of gas, for the confirmation. */
export function feeWords(f: Fees): string {
  return f.type === 2 ? `max ${gwei(f.maxFeePerGas)}, tip ${gwei(f.maxPriorityFeePerGas)}` : gwei(f.gasPrice);
}
