import { eth as ethText, feeCapPerGas, gwei, type Fees } from './fees';

const GWEI = 10n ** 9n;
const ETH = 10n ** 18n;
const ABSURD_ETH = 1_000_000n * ETH;
const ABSURD_PER_GAS = 1_000_000_000n * GWEI;
const ABSURD_TIMES = 1_000_000_000n;

/** What a network's fees usually are, and where "unusually high" starts. */
export interface FeeLimits {
  /** A usual offer per gas: the "normal" the warning compares with. */
  typicalPerGasWei: bigint;
  /** An offer per gas above this is unusually high. */
  maxPerGasWei: bigint;
  /** A network fee ("at most") above this is unusually high, whatever the offer per gas. */
  maxTotalWei: bigint;
}

/**
 * Ethereum mainnet. What the app offers is ethers' max fee: twice the latest base fee plus the tip.
 * In 2024–2025 the base fee mostly sat between 1 and 20 gwei, so an offer of about 25 gwei is usual.
 * 500 gwei (20× that) means a base fee above ~250 gwei: seen only for minutes at a time, during
 * the largest NFT mints and market crashes of 2021–2022. The biggest plan the app builds counts
 * ~0.84 M gas (an approval reset, an approval and a delegation, the last two at a 400 k bound), so
 * 0.021 ETH at a usual fee; 0.1 ETH (about 5× that, several hundred dollars) is more than anyone
 * should pay without noticing, even when the offer per gas looks ordinary.
 */
/**
 * The same limits on every chain. Testnets and the local demo chain use mainnet's numbers on
 * purpose: their ETH is worth nothing, but the warning and its extra step then look and work the
 * same everywhere, and are tested where they can be. A rollup, whose gas costs about a hundredth of
 * mainnet's, would need limits of its own; the pool exists only with NMR on Ethereum.
 */
export const FEE_LIMITS: FeeLimits = { typicalPerGasWei: 25n * GWEI, maxPerGasWei: 500n * GWEI, maxTotalWei: ETH / 10n };

/**
 * The warning a plan carries when what it would pay is far above normal, or null. The confirmation
 * then needs a deliberate extra step ("I accept this unusually high network fee").
 */
export function highFeeWarning(fees: Fees, gasCostWei: bigint): string | null {
  const limits = FEE_LIMITS;
  const perGas = feeCapPerGas(fees);
  if (perGas <= limits.maxPerGasWei && gasCostWei <= limits.maxTotalWei) return null;
  // Past these, exact digits say nothing more and would only make the sentence unreadable.
  const eth = gasCostWei > ABSURD_ETH ? `more than ${ethText(ABSURD_ETH)}` : ethText(gasCostWei);
  const perGasWords = perGas > ABSURD_PER_GAS ? `more than ${gwei(ABSURD_PER_GAS)}` : gwei(perGas);
  return (
    `The network asks for an unusually high fee: up to ${eth} ETH ` +
    `(${timesNormal(perGas, limits.typicalPerGasWei)} normal: ${perGasWords} per unit of gas, where about ${gwei(limits.typicalPerGasWei)} is usual). ` +
    'This happens at moments of extreme demand, or when the node you use is faulty or dishonest. If you are not sure, reject it and try again later.'
  );
}

/** "about 40,000×" or "about 4.5×": how many times the usual offer per gas this one is. */
function timesNormal(perGas: bigint, typical: bigint): string {
  if (perGas > typical * ABSURD_TIMES) return `over ${ABSURD_TIMES.toLocaleString('en-US')}×`;
  const tenths = (perGas * 10n + typical / 2n) / typical;
  if (tenths >= 100n) return `about ${((tenths + 5n) / 10n).toLocaleString('en-US')}×`;
  return `about ${(Number(tenths) / 10).toFixed(1).replace(/\.0$/, '')}×`;
}
