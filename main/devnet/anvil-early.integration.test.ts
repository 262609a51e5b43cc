/**
 * anvil started early (the harness starts the saved demo chain's node while main loads): taken by
 * startAnvil when the options agree, stopped otherwise, and never left running when the app exits
 * in the middle of a start.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, startAnvil, startAnvilEarly, type AnvilHandle } from './anvil';
import { rawRpc } from './test-support/raw-rpc';
import { waitFor } from './test-support/wait-for';

const ADDRESS = '0x000000000000000000000000000000000000bEEF';
let dir: string;
let anvil: AnvilHandle | null = null;

afterEach(async () => {
  await anvil?.stop();
  anvil = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Whether an anvil process listens on `port` (by its command line). */
const anvilOnPort = (port: number) =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .some((l) => l.includes('anvil') && l.includes(`--port ${port} `));

describe('anvil started early', () => {
  it('is the node startAnvil gives when the options agree, once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'anvil-early-'));
    const options = { chainId: 31337, stateFile: join(dir, 'state.json'), stateIntervalS: 5, extraArgs: ['--gas-limit', '1000000000'] };
    const early = startAnvilEarly(options);
    const taken = early.take({ ...options, supervise: { onRestarted: () => undefined, onGaveUp: () => undefined } });
    expect(taken).not.toBeNull();
    expect(early.take(options)).toBeNull(); // at most once
    const launched = await taken!;
    anvil = await startAnvil(options, taken);
    expect(anvil.port).toBe(launched.port);
    expect(anvil.process.pid).toBe(launched.launched.child.pid);
    expect(await rawRpc(anvil.url, 'eth_chainId', [])).toBe('0x7a69');
    early.discard(); // taken: nothing to stop
    expect(alive(anvil.process.pid!)).toBe(true);
  });

  it('is stopped when asked for with other options, or discarded, and a node of its own is started instead', async () => {
    dir = mkdtempSync(join(tmpdir(), 'anvil-early-'));
    const [portA, portB] = [await freePort(), await freePort()];
    const other = startAnvilEarly({ chainId: 31337, port: portA });
    const wanted = { chainId: 31337, extraArgs: ['--gas-limit', '1000000000'] };
    expect(other.take(wanted)).toBeNull();
    anvil = await startAnvil(wanted, other.take(wanted));
    await rawRpc(anvil.url, 'anvil_setBalance', [ADDRESS, '0x1234']);
    expect(await rawRpc(anvil.url, 'eth_getBalance', [ADDRESS, 'latest'])).toBe('0x1234');

    const discarded = startAnvilEarly({ chainId: 31337, port: portB });
    discarded.discard();
    expect(discarded.take({ chainId: 31337 })).toBeNull();
    // Neither early node is left running on its port.
    for (const port of [portA, portB]) await waitFor(`the early node on ${port} to stop`, () => !anvilOnPort(port));
  });

  it('does not outlive a process that exits after taking it, before startAnvil watches it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'anvil-early-'));
    const pidFile = join(dir, 'pid');
    // A child process starts a node early and exits before anything takes it.
    const script = `
      const { startAnvilEarly } = await import(${JSON.stringify(new URL('./anvil.ts', import.meta.url).href)});
      const early = startAnvilEarly({ chainId: 31337 });
      const started = early.take({ chainId: 31337 });
      const { launched } = await started;
      (await import('node:fs')).writeFileSync(${JSON.stringify(pidFile)}, String(launched.child.pid));
      process.exit(0);
    `;
    writeFileSync(join(dir, 'early.mts'), script);
    const child = spawn(process.execPath, ['--import', 'tsx', join(dir, 'early.mts')], { stdio: 'ignore' });
    await new Promise((r) => child.once('exit', r));
    const { readFileSync } = await import('node:fs');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor('the early node to be stopped with its process', () => !alive(pid));
  });
});
