import { existsSync, readFileSync } from 'node:fs';
import { getAddress } from 'ethers';
import { z } from 'zod';
import { Address } from '../../shared/api';
import { writeFileAtomic } from '../store/atomic-file';

/**
 * The operator's consent to let the app send the round's transactions (stakeRound, claim) with no
 * person at the screen. Given in main's own window (operator-api.ts asks), never by the page alone,
 * and kept per account *and* per pool and chain: a consent given on the demo chain says nothing
 * about mainnet. Besides the standing consent there is a one-run grant, for "Run now" confirmed in
 * main's window while automatic staking is off. A damaged file counts as no consent (the safe side).
 */

export interface ConsentScope {
  chainId: number;
  pool: string;
  account: string;
}

const Entry = z.strictObject({ chainId: z.number().int().positive(), pool: Address, account: Address, since: z.number().int().min(0) });
const ConsentFile = z.strictObject({ version: z.literal(1), consents: z.array(Entry).max(1000) });
type Entry = z.infer<typeof Entry>;

const same = (e: Pick<Entry, 'chainId' | 'pool' | 'account'>, s: ConsentScope) =>
  e.chainId === s.chainId && getAddress(e.pool) === getAddress(s.pool) && getAddress(e.account) === getAddress(s.account);

const key = (s: ConsentScope) => `${s.chainId}:${getAddress(s.pool)}:${getAddress(s.account)}`;

export class AutomaticConsent {
  private readonly once = new Map<string, number>();

  constructor(
    private readonly path: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The standing consent for this account on this pool. */
  isOn(scope: ConsentScope): boolean {
    return this.read().some((e) => same(e, scope));
  }

  set(scope: ConsentScope, on: boolean): void {
    const rest = this.read().filter((e) => !same(e, scope));
    const consents = on
      ? [...rest, { chainId: scope.chainId, pool: getAddress(scope.pool), account: getAddress(scope.account), since: this.now() }]
      : rest;
    writeFileAtomic(this.path, JSON.stringify({ version: 1, consents }), 0o600);
  }

  /** One run confirmed in main's window; the returned function ends it (call it when the run is over). */
  grantOnce(scope: ConsentScope): () => void {
    const k = key(scope);
    this.once.set(k, (this.once.get(k) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const n = (this.once.get(k) ?? 1) - 1;
      if (n <= 0) this.once.delete(k);
      else this.once.set(k, n);
    };
  }

  /** Whether the app may send the round's transactions for this account on this pool right now. */
  allows(scope: ConsentScope): boolean {
    return this.once.has(key(scope)) || this.isOn(scope);
  }

  private read(): Entry[] {
    if (!existsSync(this.path)) return [];
    try {
      const parsed = ConsentFile.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success ? parsed.data.consents : [];
    } catch {
      return [];
    }
  }
}
