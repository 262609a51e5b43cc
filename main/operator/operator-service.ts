import type { NumeraiStakingApi } from '../numerai/v3-api';
import { relayClaims, type ClaimRelayPort, type RelayReport } from './claim-relay';
import { runOperatorRound, type LinkedModel, type OperatorPoolPort, type RoundReport } from './operator-round';

/**
 * Keeps an operator's models staked round after round: on a timer (and on demand), open the token,
 * run the operator's round, relay the claims Numerai lists for the pool, and keep the last outcome
 * for the screen. One run at a time; a run never throws, it records why it could not act.
 */

export interface TokenSource {
  /** Which account has a token saved, without opening it. */
  savedFor(): string | null;
  /** The token; throws while the wallet is locked. */
  open(account: string): Promise<string | null>;
}

export interface OperatorServiceDeps {
  tokens: TokenSource;
  /** The active account, or null when no wallet is set up. */
  account: () => string | null;
  isUnlocked: () => boolean;
  /** Numerai's staking API holding `token` (the real client or the demo Numerai's stand-in). */
  api: (token: string) => NumeraiStakingApi;
  /** The pool as the operator's round and the relay see it, signing as `account`. */
  pool: (account: string) => OperatorPoolPort & ClaimRelayPort;
  /** The pool's models whose operator is `account`. */
  linkedModels: (account: string) => Promise<LinkedModel[]>;
  /**
   * Why the app may not send for `account` now (no consent given in main's window), or null when it
   * may. Checked before Numerai is asked for anything: an authorization asked for and never used would
   * hold up the pool's next nonce. Default: always allowed.
   */
  mayAct?: (account: string) => string | null;
  now?: () => number;
  /** Between automatic runs; default 10 minutes (a round stays open for hours, Numerai's API is rate-limited). */
  intervalMs?: number;
}

export type OperatorState =
  | { state: 'no-wallet' }
  | { state: 'no-token' }
  | { state: 'locked'; message: string }
  | { state: 'no-models'; message: string }
  | { state: 'no-consent'; message: string }
  | { state: 'running' }
  | { state: 'done'; round: RoundReport; claims: RelayReport }
  | { state: 'failed'; message: string };

export interface OperatorStatus {
  current: OperatorState;
  lastRunAt: number | null;
  nextRunAt: number | null;
}

export class OperatorService {
  private status: OperatorStatus = { current: { state: 'no-token' }, lastRunAt: null, nextRunAt: null };
  private running: Promise<OperatorStatus> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<(s: OperatorStatus) => void>();

  constructor(private readonly deps: OperatorServiceDeps) {}

  get(): OperatorStatus {
    return this.status;
  }

  onChange(listener: (s: OperatorStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs now, or joins the run in progress. */
  runNow(): Promise<OperatorStatus> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  /** Starts the timer; the first run is right away. */
  start(): void {
    this.stop();
    const tick = (): void => {
      void this.runNow().then(() => {
        if (this.timer === null) return;
        this.timer = setTimeout(tick, this.interval());
        this.set({ ...this.status, nextRunAt: this.now() + this.interval() });
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.set({ ...this.status, nextRunAt: null });
  }

  private async run(): Promise<OperatorStatus> {
    const current = await this.attempt();
    this.set({ ...this.status, current, lastRunAt: this.now() });
    return this.status;
  }

  private async attempt(): Promise<OperatorState> {
    const account = this.deps.account();
    if (account === null) return { state: 'no-wallet' };
    try {
      // Inside the try: a damaged token file is a failure in words, not a run that throws.
      const saved = this.deps.tokens.savedFor();
      if (saved === null || saved.toLowerCase() !== account.toLowerCase()) return { state: 'no-token' };
      if (!this.deps.isUnlocked())
        return { state: 'locked', message: 'Unlock the wallet so the app can stake your models in Numerai’s round.' };
      const refusal = this.deps.mayAct?.(account) ?? null;
      if (refusal !== null) return { state: 'no-consent', message: refusal };
      const models = await this.deps.linkedModels(account);
      if (models.length === 0) return { state: 'no-models', message: 'No model in the pool names this account as its operator.' };
      const token = await this.deps.tokens.open(account);
      if (token === null) return { state: 'no-token' };
      this.set({ ...this.status, current: { state: 'running' } });
      const api = this.deps.api(token);
      const pool = this.deps.pool(account);
      const round = await runOperatorRound({ api, pool, now: this.deps.now }, models);
      const claims = await relayClaims(api, pool);
      return { state: 'done', round, claims };
    } catch (e) {
      return { state: 'failed', message: e instanceof Error ? e.message.slice(0, 300) : 'The operator’s round could not run.' };
    }
  }

  private set(s: OperatorStatus): void {
    this.status = s;
    for (const l of this.listeners) l(s);
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private interval(): number {
    return this.deps.intervalMs ?? 10 * 60_000;
  }
}
