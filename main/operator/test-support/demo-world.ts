import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startStakingWorld, type StakingWorld, type StakingWorldSpec } from '../../devnet/staking-world';
import { silentLogger } from '../../log/logger';
import { startDemoNumeraiApi, type DemoNumeraiApi } from '../../numerai/demo/demo-api';

/** The HTTP client's transport without waits, for the demo Numerai's API on loopback. */
export const FAST = { requestsPerSecond: 1_000, burst: 100, maxRetries: 0, timeoutMs: 10_000 };

/**
 * A staking world and the demo Numerai's API on loopback, started before the calling file's tests and
 * stopped after them (call it inside `describe`). `world()` and `api()` are valid inside tests.
 */
export function useDemoWorld(name: string, spec: StakingWorldSpec): { dir: string; world: () => StakingWorld; api: () => DemoNumeraiApi } {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  let w: StakingWorld | undefined;
  let api: DemoNumeraiApi | undefined;
  beforeAll(async () => {
    w = await startStakingWorld({ dir, spec, log: silentLogger });
    api = await startDemoNumeraiApi(w.numerai);
  }, 120_000);
  afterAll(async () => {
    await api?.server.close();
    await w?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, world: () => w!, api: () => api! };
}
