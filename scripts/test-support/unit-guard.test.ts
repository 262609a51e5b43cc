import { spawn, spawnSync } from 'node:child_process';
import { createServer, connect, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findAnvil } from '../../main/devnet/anvil';
import { isChainProgram, isLoopbackHost, takeViolations } from './unit-guard';

// The guard is the `unit` project's setup file, so it is active here: each case checks that it stops
// what it must (and clears what it recorded, so the guard's own afterEach does not fail the case).
describe('unit guard', () => {
  it('refuses to start anvil, with a message that says what to do', () => {
    const anvil = findAnvil();
    expect(() => spawn(anvil, ['--version'])).toThrow(/local chain.*integration\.test\.ts/);
    expect(() => spawnSync(anvil, ['--version'])).toThrow(/local chain/);
    expect(takeViolations()).toHaveLength(2);
  });

  it('still runs other programs, such as a child Node process', () => {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect(r.stdout).toBe('ok');
    expect(takeViolations()).toEqual([]);
  });

  it('refuses a socket to a host that is not loopback, even when the caller swallows the error', async () => {
    // 192.0.2.1 is TEST-NET-1: never routed, so without the guard this would hang, not fail fast.
    const error = await new Promise<Error>((resolve) => connect(80, '192.0.2.1').once('error', resolve));
    expect(error.message).toMatch(/192\.0\.2\.1 \(not loopback\)/);
    await expect(fetch('http://192.0.2.1/', { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
    expect(takeViolations()).toEqual(['a socket to 192.0.2.1 (not loopback)', 'a socket to 192.0.2.1 (not loopback)']);
  });

  it('lets a test talk to a server of its own on loopback', async () => {
    const server = createServer((s) => s.end('hi'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const text = await new Promise<string>((resolve, reject) => {
      let got = '';
      connect(port, '127.0.0.1')
        .on('data', (d) => (got += String(d)))
        .on('end', () => resolve(got))
        .on('error', reject);
    });
    server.close();
    expect(text).toBe('hi');
    expect(takeViolations()).toEqual([]);
  });

  it('tells chain programs and loopback hosts apart', () => {
    expect(isChainProgram('/x/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil')).toBe(true);
    expect(isChainProgram('C:\\foundry\\anvil.exe')).toBe(true);
    expect(isChainProgram('anvil --port 8545')).toBe(true);
    expect(isChainProgram(process.execPath)).toBe(false);
    expect(isChainProgram('/usr/bin/anvil-report')).toBe(false);
    for (const h of ['localhost', '127.0.0.1', '127.3.2.1', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['192.0.2.1', 'example.com', '10.0.0.1', '::ffff:10.0.0.1', '0.0.0.0']) expect(isLoopbackHost(h)).toBe(false);
  });
});
