import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecords } from '../main/app/records-adapter';
import { stakingWorldSpec } from '../main/app/staking-session';
import { advanceStakingDemo } from '../main/devnet/staking-demo-step';
import { startStakingWorld } from '../main/devnet/staking-world';
import { silentLogger } from '../main/log/logger';
import { startDemoNumeraiApi } from '../main/numerai/demo/demo-api';
import type { Figure } from './results-file';

/**
 * One demo day on the default demo chain (200 models), what "Move to the next demo day" and the
 * round timer wait for: every operator's authorization through the demo Numerai's API, the stakes,
 * Numerai's day, and the claims of the round it resolved relayed. Measured once rounds resolve
 * every day (the steady state: 200 stakes and 200 claims a day).
 */
export async function benchDemoDay(days = 3): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'nmr-bench-demo-day-'));
  const world = await startStakingWorld({ dir, spec: stakingWorldSpec(createRecords().demoSpec()), log: silentLogger });
  const api = await startDemoNumeraiApi(world.numerai, null);
  const times: number[] = [];
  let claims = 0;
  try {
    for (let warm = 0; ; warm++) {
      const t0 = performance.now();
      const step = await advanceStakingDemo(world, api, true);
      if (step.relayed > 0) {
        times.push((performance.now() - t0) / 1000);
        claims = Math.max(claims, step.relayed);
        if (times.length === days) break;
      }
      if (warm > 20) throw new Error('no round resolved after 20 demo days');
    }
  } finally {
    await api.server.close();
    await world.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  return [
    {
      name: 'devnet.demo_day_200_s',
      value: Number(median.toFixed(3)),
      unit: 's',
      note: `median of ${days} demo days with a round resolving (${world.deployment.models.length} models: their authorizations from the demo Numerai's API, stakeRound in batches of 50, up to ${claims} claims relayed, mined a block at a time); each: ${times.map((t) => t.toFixed(2)).join(', ')} s`,
    },
  ];
}
