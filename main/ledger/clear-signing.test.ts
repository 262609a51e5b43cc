import { describe, expect, it, vi } from 'vitest';
import { ledgerServiceResolver } from './clear-signing';
import type { LedgerEthService, Resolution } from './libs';

const RESOLUTION: Resolution = { erc20Tokens: ['034e4d52'], nfts: [], externalPlugin: [], plugin: [], domains: [] };

function service(resolveTransaction: () => Promise<Resolution>) {
  const fn = vi.fn(resolveTransaction);
  return { fn, service: () => ({ resolveTransaction: fn }) as unknown as LedgerEthService };
}

describe('ledgerServiceResolver', () => {
  it('asks Ledger’s service on the networks it knows and hands its answer to the device', async () => {
    const s = service(() => Promise.resolve(RESOLUTION));
    await expect(ledgerServiceResolver({ service: s.service })('02f8', 1n)).resolves.toBe(RESOLUTION);
    expect(s.fn).toHaveBeenCalledWith('02f8', {}, { erc20: true, externalPlugins: true, nft: false, uniswapV3: false });
  });

  it('never asks for the demo chain: Ledger knows nothing of it, and nothing leaves the machine', async () => {
    const s = service(() => Promise.resolve(RESOLUTION));
    await expect(ledgerServiceResolver({ service: s.service })('02f8', 31337n)).resolves.toBeNull();
    expect(s.fn).not.toHaveBeenCalled();
  });

  it('signs blind when the service fails or does not answer in time (no network)', async () => {
    const failing = service(() => Promise.reject(new Error('getaddrinfo ENOTFOUND')));
    await expect(ledgerServiceResolver({ service: failing.service })('02f8', 1n)).resolves.toBeNull();
    const silent = service(() => new Promise<Resolution>(() => undefined));
    const t0 = performance.now();
    await expect(ledgerServiceResolver({ service: silent.service, timeoutMs: 50 })('02f8', 11155111n)).resolves.toBeNull();
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});
