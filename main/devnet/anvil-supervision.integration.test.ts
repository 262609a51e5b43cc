/**
 * The local chain's supervisor on a real anvil: killed from outside, it is started again on the
 * same URL from its state file, and a chain that keeps dying is given up with a reason. And the
 * state file a stop leaves: without traces (saved-traces.ts), the chain read back from it whole.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RESTARTS_PER_MINUTE, startAnvil, type AnvilHandle } from './anvil';
import { rawRpc } from './test-support/raw-rpc';
import { waitFor } from './test-support/wait-for';

const ADDRESS = '0x000000000000000000000000000000000000bEEF';
/** anvil's first dev account, unlocked on every anvil. */
const DEV = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
let dir: string;
let anvil: AnvilHandle | null = null;

afterEach(async () => {
  await anvil?.stop();
  anvil = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the local chain, supervised', () => {
  it('is started again on the same URL with its saved state after it is killed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'anvil-supervision-'));
    const restarts: { exitCode: number | null; signal: string | null }[] = [];
    const gaveUp: string[] = [];
    anvil = await startAnvil({
      stateFile: join(dir, 'state.json'),
      stateIntervalS: 1,
      supervise: { onRestarted: (i) => void restarts.push(i), onGaveUp: (r) => void gaveUp.push(r) },
    });
    await rawRpc(anvil.url, 'anvil_setBalance', [ADDRESS, '0x1234']);
    await rawRpc(anvil.url, 'evm_mine', []);
    await rawRpc(anvil.url, 'anvil_dumpState', []);
    // Anvil's own interval save, which is what a crash leaves behind.
    await new Promise((r) => setTimeout(r, 1500));
    const before = anvil.process.pid;
    anvil.process.kill('SIGKILL');
    await waitFor('the restart', () => restarts.length === 1);
    expect(restarts[0]).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(anvil.process.pid).not.toBe(before);
    expect(await rawRpc(anvil.url, 'eth_getBalance', [ADDRESS, 'latest'])).toBe('0x1234');
    expect(gaveUp).toEqual([]);
  });

  it('gives up on a chain that keeps dying, and is not restarted after a normal stop', async () => {
    dir = mkdtempSync(join(tmpdir(), 'anvil-supervision-'));
    const restarts: unknown[] = [];
    const gaveUp: string[] = [];
    anvil = await startAnvil({ supervise: { onRestarted: (i) => void restarts.push(i), onGaveUp: (r) => void gaveUp.push(r) } });
    for (let i = 0; i < MAX_RESTARTS_PER_MINUTE; i++) {
      anvil.process.kill('SIGKILL');
      await waitFor(`restart ${i + 1}`, () => restarts.length === i + 1);
    }
    anvil.process.kill('SIGKILL');
    await waitFor('giving up', () => gaveUp.length === 1);
    expect(gaveUp[0]).toMatch(/stopped 4 times within a minute/);
    expect(restarts).toHaveLength(MAX_RESTARTS_PER_MINUTE);

    const calm = await startAnvil({ supervise: { onRestarted: (i) => void restarts.push(i), onGaveUp: (r) => void gaveUp.push(r) } });
    await calm.stop();
    await new Promise((r) => setTimeout(r, 300));
    expect(restarts).toHaveLength(MAX_RESTARTS_PER_MINUTE);
  });
});

describe('the saved state after a stop', () => {
  it('holds no traces, and the chain read back from it keeps the transaction and its receipt', async () => {
    dir = mkdtempSync(join(tmpdir(), 'anvil-saved-state-'));
    const stateFile = join(dir, 'state.json');
    anvil = await startAnvil({ stateFile });
    const hash = (await rawRpc(anvil.url, 'eth_sendTransaction', [{ from: DEV, to: ADDRESS, value: '0x1234' }])) as string;
    // Mined, and its block kept, before the stop's save: anvil answers the hash a moment sooner.
    for (let i = 0; (await rawRpc(anvil.url, 'eth_getTransactionReceipt', [hash])) === null; i++) {
      if (i > 200) throw new Error('the transaction was not mined');
      await new Promise((r) => setTimeout(r, 25));
    }
    await anvil.stop();
    anvil = null;
    const saved = readFileSync(stateFile, 'utf8');
    expect(saved).toContain(hash.slice(2));
    expect(saved).toContain('"traces":[]');
    expect(saved).not.toContain('"traces":[{');

    anvil = await startAnvil({ stateFile });
    const receipt = (await rawRpc(anvil.url, 'eth_getTransactionReceipt', [hash])) as { status: string } | null;
    expect(receipt?.status).toBe('0x1');
    expect(await rawRpc(anvil.url, 'eth_getBalance', [ADDRESS, 'latest'])).toBe('0x1234');
  });
});
