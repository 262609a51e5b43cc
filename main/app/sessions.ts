import { AppError } from '../../shared/api';
import type { Logger } from '../log/logger';
import type { NetworkInfo } from '../tx/chain-tx';
import type { Settings, SettingsStore } from '../store/settings';
import { advanceRound, openSession, type ChainSession, type DemoStep, type LocalChain, type SessionDeps } from './chain-session';

export interface SessionsDeps {
  settings: SettingsStore;
  session: SessionDeps;
  log: Logger;
  /** Called with every session opened (at start and after each switch), before anyone uses it. */
  onOpen(session: ChainSession): void;
}

/**
 * The network session in use (main/app/chain-session.ts) and everything that replaces it: the
 * start on the saved network (falling back to the demo chain when it cannot be reached), a switch
 * of network, and the demo chain's automatic round timer.
 */
/** Said when the demo chain's saved state could not be read and a fresh demo chain was started instead. */
export function freshChainNotice(session: ChainSession): string | null {
  const setAside = session.local?.startup.setAside;
  return setAside
    ? `The demo chain's saved state could not be read, so a fresh demo chain was started: your demo positions are gone, your wallet and settings are unchanged. The old state was kept as ${setAside}.`
    : null;
}

export class Sessions {
  private switching: Promise<unknown> = Promise.resolve();
  private roundTimer: NodeJS.Timeout | null = null;
  /** The demo step under way (steps run one after another), and how many are running or queued. */
  private stepping: Promise<unknown> = Promise.resolve();
  private steps = 0;

  private constructor(
    private session: ChainSession,
    /** Why the app did not open the saved network, shown once the page asks (app.info); else null. */
    readonly startNotice: string | null,
    private readonly deps: SessionsDeps,
  ) {
    deps.onOpen(session);
    this.startRoundTimer();
  }

  static async open(deps: SessionsDeps): Promise<Sessions> {
    const saved = deps.settings.get().network;
    try {
      const session = await openSession(saved, deps.session);
      return new Sessions(session, freshChainNotice(session), deps);
    } catch (e) {
      // A saved real network that cannot be reached must not keep the app from starting.
      if (saved.kind === 'local') throw e;
      deps.log.warn('network.unavailable_at_start', { error: e instanceof Error ? e.message : String(e) });
      const fault = e instanceof AppError ? e : null;
      const notice =
        fault?.code === 'WRONG_CHAIN' || fault?.code === 'NOT_A_POOL'
          ? fault.message
          : `Your saved network ${fault?.code === 'RPC_BAD_ANSWER' ? 'answered with nonsense' : 'could not be reached'}, so the app opened the local demo chain. Check Settings → Network.`;
      const local = await openSession({ kind: 'local' }, deps.session);
      return new Sessions(local, [notice, freshChainNotice(local)].filter(Boolean).join(' '), deps);
    }
  }

  /** The session to use, once a switch under way has finished. */
  async current(): Promise<ChainSession> {
    await this.switching;
    return this.session;
  }

  /** The session in place now, without waiting for a switch (decoding an error, the demo chain's URL). */
  get now(): ChainSession {
    return this.session;
  }

  network(): NetworkInfo {
    return this.session.tx.network();
  }

  /** Replaces the session and saves the choice; calls made meanwhile wait for the switch to finish. */
  async switchTo(network: Settings['network'], before?: () => void): Promise<NetworkInfo> {
    const run = this.switching.then(async () => {
      this.stopRoundTimer();
      await this.stepping; // a demo step under way finishes on the chain it started on
      await this.session.close();
      before?.();
      this.session = await openSession(network, this.deps.session);
      this.deps.onOpen(this.session);
      this.deps.settings.update({ network });
      this.startRoundTimer();
    });
    this.switching = run.catch(() => undefined);
    await run;
    return this.network();
  }

  /** The session's demo chain, or NOT_AVAILABLE on a real network. */
  async requireLocal(what = 'This works'): Promise<ChainSession & { local: LocalChain }> {
    const s = await this.current();
    if (!s.local) throw new AppError('NOT_AVAILABLE', `${what} only on the local demo chain.`);
    return s as ChainSession & { local: LocalChain };
  }

  /** Moves the demo one step now: Numerai's next demo day. */
  async advanceRound(): Promise<DemoStep> {
    return this.step(await this.requireLocal());
  }

  /**
   * One demo step at a time: the staking demo's step sends every operator's transactions as the pool's
   * staker, in nonce order, so a timer's step and a button's never run together.
   */
  private step(s: ChainSession): Promise<DemoStep> {
    this.steps++;
    const run = this.stepping.then(() => advanceRound(s, this.deps.session)).finally(() => this.steps--);
    this.stepping = run.catch(() => undefined);
    return run;
  }

  /** (Re)starts the demo chain's automatic rounds at the saved interval (none when 0 or on a real network). */
  startRoundTimer(): void {
    this.stopRoundTimer();
    const seconds = this.deps.settings.get().demoRoundIntervalS;
    if (seconds > 0 && this.session.local) {
      this.roundTimer = setInterval(() => {
        // A step longer than the interval (the staking demo with many models) is not queued up behind.
        if (this.steps > 0) return;
        void this.step(this.session).catch((e: unknown) => this.deps.log.warn('devnet.round_failed', { error: String(e) }));
      }, seconds * 1000);
      this.roundTimer.unref();
    }
  }

  private stopRoundTimer(): void {
    if (this.roundTimer) clearInterval(this.roundTimer);
    this.roundTimer = null;
  }

  /** Stops the timer, waits for a switch under way, runs `before` (no switch can follow it) and closes the session. */
  async close(before: () => Promise<void>): Promise<void> {
    this.stopRoundTimer();
    await this.switching;
    this.stopRoundTimer(); // a switch that was under way started it again
    await this.stepping;
    await before();
    await this.session.close();
  }
}
