/**
 * Block explorers the screens link a transaction to, by chain id; none for a local chain. Their
 * hosts are among those the Electron window may open (main/electron/policy.ts, whose test checks it).
 */
const EXPLORERS: Readonly<Record<number, string>> = {
  1: 'https://etherscan.io',
  11155111: 'https://sepolia.etherscan.io',
};

/** The explorer's page of a transaction, or null where the chain has no public explorer. */
export function txExplorerUrl(chainId: number, txHash: string): string | null {
  const base = EXPLORERS[chainId];
  return base && /^0x[0-9a-fA-F]{64}$/.test(txHash) ? `${base}/tx/${txHash.toLowerCase()}` : null;
}
