import { ledgerEthService, type LedgerEthService, type Resolution } from './libs';

/**
 * What the device needs, beside the transaction, to show a call in clear (a token's ticker and
 * decimals signed by Ledger, a plugin for a known contract). `null` asks it to sign blind.
 */
export type ClearSignResolver = (rawTxHex: string, chainId: bigint) => Promise<Resolution | null>;

/** Networks Ledger's service knows our contracts on (NMR is in its token list); the demo chain is not one. */
const LEDGER_SERVICE_CHAINS: readonly bigint[] = [1n, 11155111n];

/** Never resolves clearly: the device signs blind (or refuses, with its "Blind signing" setting off). */
export const blindOnly: ClearSignResolver = () => Promise.resolve(null);

/**
 * Asks Ledger's service (hw-app-eth's ledgerService, over the internet) on networks it knows. Its
 * lookups swallow their own network errors but set no time limit, so a dead network would hold the
 * signature forever: after `timeoutMs`, or on any error, the device is asked to sign blind instead.
 */
export function ledgerServiceResolver(
  opts: { service?: () => LedgerEthService; timeoutMs?: number; chains?: readonly bigint[] } = {},
): ClearSignResolver {
  const { service = ledgerEthService, timeoutMs = 5_000, chains = LEDGER_SERVICE_CHAINS } = opts;
  return async (rawTxHex, chainId) => {
    if (!chains.includes(chainId)) return null;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    try {
      const asked = service().resolveTransaction(rawTxHex, {}, { erc20: true, externalPlugins: true, nft: false, uniswapV3: false });
      return await Promise.race([asked, late]);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  };
}
