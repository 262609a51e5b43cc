import { Contract } from 'ethers';
import { poolAbi } from '../chain/contracts';
import { waitForReceipt } from '../chain/receipts';
import type { DemoSpec, Devnet } from './world';

const BATCH = 200;

/**
 * The local chain's reporter: posts the open round's demo results for every model, as Numerai's
 * results would be posted on a real network. Returns the round that was resolved.
 */
export async function advanceDemoRound(devnet: Devnet, demo: DemoSpec): Promise<number> {
  const pool = new Contract(devnet.deployment.pool, poolAbi, devnet.deployer);
  const round = Number(await pool.getFunction('currentRound')());
  const count = Number(await pool.getFunction('modelCount')());
  const names = demo.models.map((m) => m.name);
  const ids = Array.from({ length: Math.min(count, names.length) }, (_, i) => i + 1);
  const rets = ids.map((id) => Math.max(-500, Math.min(500, Math.round(demo.returnBps(names[id - 1]!, round)))));
  for (let i = 0; i < ids.length; i += BATCH) {
    const fn = i + BATCH >= ids.length ? 'resolveRound' : 'postResults';
    const sent = await pool.getFunction(fn).send(round, ids.slice(i, i + BATCH), rets.slice(i, i + BATCH));
    const receipt = await waitForReceipt(devnet.provider, sent.hash);
    if (receipt.status !== 1) throw new Error(`posting round ${round} failed`);
  }
  return round;
}
