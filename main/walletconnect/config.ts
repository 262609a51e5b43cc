/** Where WalletConnect's relay is and which project the app uses there (cloud.reown.com gives project ids). */
export interface WalletConnectConfig {
  projectId: string | null;
  relayUrl: string;
  /** How long a request waits for the person to answer in their wallet. */
  requestTimeoutMs: number;
}

export const DEFAULT_RELAY_URL = 'wss://relay.walletconnect.org';
const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000;

/**
 * From the environment: NMR_DELEGATE_WC_PROJECT_ID (none: WalletConnect says it needs one),
 * NMR_DELEGATE_WC_RELAY_URL (tests point it at a relay on 127.0.0.1) and
 * NMR_DELEGATE_WC_TIMEOUT_MS (tests shorten the wait for an answer).
 */
export function walletConnectConfig(env: Record<string, string | undefined>): WalletConnectConfig {
  const timeout = Number(env.NMR_DELEGATE_WC_TIMEOUT_MS);
  return {
    projectId: env.NMR_DELEGATE_WC_PROJECT_ID?.trim() || null,
    relayUrl: env.NMR_DELEGATE_WC_RELAY_URL?.trim() || DEFAULT_RELAY_URL,
    requestTimeoutMs: Number.isSafeInteger(timeout) && timeout >= 1_000 ? timeout : DEFAULT_REQUEST_TIMEOUT_MS,
  };
}
