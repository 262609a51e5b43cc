import type { AbstractSigner, Provider } from 'ethers';
import type { NumeraiStakingApi, TournamentId } from '../numerai/v3-api';
import { createStakingClient, type StakingClientOptions } from '../numerai/v3-client';
import type { WalletService } from '../wallet/wallet-service';
import type { AutomaticConsent, ConsentScope } from './automatic-consent';
import { AutoSendRefused, autoSender, type AutoSendDeps } from './auto-send';
import { OperatorService, type TokenSource } from './operator-service';
import { stakingPoolPort, type PoolTx } from './staking-pool-port';

/**
 * Everything the operator's part needs from a staking session, put together once, so the session's
 * wiring is one line: `operator: createOperatorService({ … })`. The handler group
 * (main/app/operator-api.ts) gets the handle through a getter and never builds any of this itself.
 */

/** The service and the pool it stakes through (the consent's scope and what main's window shows). */
export interface OperatorHandle {
  service: OperatorService;
  pool: { chainId: number; address: string; networkLabel: string };
}

export interface OperatorParts {
  /** The app's wallet (WalletService): the active account, and its signer for main's own sends. */
  wallet: {
    status(): Pick<ReturnType<WalletService['status']>, 'state' | 'address'>;
    signer(provider: Provider): AbstractSigner & { address: string };
  };
  tokens: TokenSource;
  consent: AutomaticConsent;
  /** Numerai's staking API: the real one or the demo Numerai's on loopback (over HTTP), or an in-process one. */
  numerai:
    | { url: string; tournamentId: TournamentId; transport?: Omit<StakingClientOptions, 'url' | 'tournamentId' | 'token'> }
    | { api: (token: string) => NumeraiStakingApi };
  provider: Provider;
  chainId: number;
  networkLabel: string;
  poolAddress: string;
  /** Numerai's staking contract for the tournament, which the pool stakes through. */
  stakingAddress: string;
  tracker: AutoSendDeps['tracker'];
  checkChain: AutoSendDeps['checkChain'];
  intervalMs?: number;
  now?: () => number;
}

export const NO_CONSENT =
  'Automatic staking is off for this account. Turn on “Stake automatically each round”, or use “Run now”, in Settings → Your models.';

export function createOperatorService(parts: OperatorParts): OperatorHandle {
  const { consent, provider } = parts;
  const pool = { chainId: parts.chainId, address: parts.poolAddress, networkLabel: parts.networkLabel };
  const scope = (account: string): ConsentScope => ({ chainId: parts.chainId, pool: parts.poolAddress, account });

  // One client per token, kept across runs, so the client's rate limiter really limits us.
  const clients = new Map<string, NumeraiStakingApi>();
  const n = parts.numerai;
  const api = (token: string): NumeraiStakingApi => {
    if ('api' in n) return n.api(token);
    let c = clients.get(token);
    if (!c) {
      clients.clear();
      c = createStakingClient({ ...n.transport, url: n.url, tournamentId: n.tournamentId, token });
      clients.set(token, c);
    }
    return c;
  };

  const send = autoSender({
    provider,
    chainId: parts.chainId,
    poolAddress: parts.poolAddress,
    signer: () => parts.wallet.signer(provider),
    tracker: parts.tracker,
    checkChain: parts.checkChain,
  });
  const port = (account: string) =>
    stakingPoolPort({
      provider,
      poolAddress: parts.poolAddress,
      stakingAddress: parts.stakingAddress,
      chainId: BigInt(parts.chainId),
      // Checked again at each send: the consent may have been withdrawn while the run went on.
      send: (tx: PoolTx) => (consent.allows(scope(account)) ? send(tx) : Promise.reject(new AutoSendRefused(NO_CONSENT))),
    });

  const service = new OperatorService({
    tokens: parts.tokens,
    account: () => parts.wallet.status().address,
    isUnlocked: () => parts.wallet.status().state === 'unlocked',
    api,
    pool: port,
    linkedModels: (account) => port(account).linkedModels(account),
    mayAct: (account) => (consent.allows(scope(account)) ? null : NO_CONSENT),
    intervalMs: parts.intervalMs,
    now: parts.now,
  });
  const active = parts.wallet.status().address;
  if (active !== null && consent.isOn(scope(active))) service.start();
  return { service, pool };
}
