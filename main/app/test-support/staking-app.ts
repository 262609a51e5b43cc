/**
 * The app on the staking world for integration tests, driven through its own API as the page calls
 * it (the router, as the harness sender), every transaction confirmed in "main's window" at once.
 * `env` sets the demo's choices (main/app/pool-choice.ts) for the app's life and puts them back on close.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract } from 'ethers';
import { expect } from 'vitest';
import type { EventPayload, StakingPortfolio } from '../../../shared/api';
import { createProvider } from '../../chain/provider';
import { stakingPoolAbi } from '../../chain/contracts';
import { silentLogger } from '../../log/logger';
import { createRouter } from '../../ipc/router';
import type { TrackRecords } from '../track-records';
import { createTestApp } from '../../test-support/test-app';
import type { App } from '../create-app';
import { stakingWorldDir } from '../../devnet/staking-chain';
import { until } from './until';

type TxEvent = EventPayload<'tx.status'>;
export type Envelope = { ok: true; value: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

export interface StakingTestApp {
  app: App;
  /** The app's user-data directory (removed on close). */
  dir: string;
  call(method: string, input?: unknown): Promise<Envelope>;
  /** The call's value; a refusal throws with its code and words. */
  ok(method: string, input?: unknown): Promise<Record<string, unknown>>;
  /** Asks for a transaction and waits until its last step is mined (a failed step fails the test). */
  transact(intent: unknown): Promise<void>;
  portfolio(): Promise<StakingPortfolio>;
  /** Runs `read` on the staking world's pool, read directly from the chain (not through the app). */
  withPool<T>(read: (pool: Contract) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function startStakingTestApp(
  prefix: string,
  records: TrackRecords,
  env: Readonly<Record<string, string>>,
  /** The user-data folder of an earlier app, to open it again (a restart); kept on close. Default a new one, removed on close. */
  reuseDir?: string,
): Promise<StakingTestApp & { dir: string }> {
  const dir = reuseDir ?? mkdtempSync(join(tmpdir(), prefix));
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  const app = await createTestApp(dir, { records });
  const events: TxEvent[] = [];
  app.coordinator.setConfirmer({
    present: async (_req, decide) => {
      setTimeout(() => decide('confirm'), 10);
      return { confirmUrl: null };
    },
  });
  app.events.subscribe((e) => e.name === 'tx.status' && events.push(e.payload));
  const router = createRouter({ handlers: app.handlers, allowSender: () => true, log: silentLogger });
  const call = async (method: string, input: unknown = {}) =>
    (await router.handle(method, input, { kind: 'harness', token: 'x' })) as Envelope;
  const ok = async (method: string, input: unknown = {}) => {
    const r = await call(method, input);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  return {
    app,
    dir,
    call,
    ok,
    async transact(intent) {
      const v = await ok('tx.request', { intent });
      expect(v.blocker).toBeNull();
      const last = `${String(v.requestId)}:${(v.steps as unknown[]).length}`;
      const end = await until(
        `${JSON.stringify(intent)} mined`,
        () => events.find((e) => e.requestId === v.requestId && (e.state === 'failed' || (e.txId === last && e.state === 'mined'))),
        () => events.map((e) => [e.txId, e.state, e.error]),
        60_000,
      );
      expect(end.state, end.error ?? '').toBe('mined');
    },
    portfolio: async () => (await ok('portfolio.staking')) as unknown as StakingPortfolio,
    async withPool(read) {
      const deployment = JSON.parse(readFileSync(join(stakingWorldDir(dir), 'deployment.json'), 'utf8')) as {
        pool: string;
        chainId: number;
      };
      const provider = createProvider(app.localRpcUrl()!, deployment.chainId, 20);
      try {
        return await read(new Contract(deployment.pool, stakingPoolAbi, provider));
      } finally {
        provider.destroy();
      }
    },
    async close() {
      for (const [k, v] of Object.entries(before)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await app.close();
      if (!reuseDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every position of `p` equals the pool's own view of `holder`'s position, to the wei. */
export async function expectPortfolioOnChain(pool: Contract, holder: string, p: StakingPortfolio): Promise<void> {
  for (const x of p.positions) {
    const view = (await pool.getFunction('positionOf')(holder, x.modelId)) as Record<string, bigint>;
    expect([x.waitingWei, x.shares, x.valueWei, x.withdrawableWei]).toEqual(
      [view.pendingDepositWei, view.shares, view.valueWei, view.withdrawableWei].map(String),
    );
  }
}
