/** A saved local chain whose state file anvil cannot read: set aside, and the chain deployed afresh. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../log/logger';
import { startSavedChain, type SavedChain } from './saved-chain';
import { savedChainFiles } from './staking-chain';

let dir = '';
let chain: SavedChain<{ deployedAt: number }> | null = null;
afterEach(async () => {
  chain?.provider.destroy();
  await chain?.anvil.stop();
  chain = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('startSavedChain', () => {
  it('sets an unreadable state file aside and deploys afresh instead of failing every start', async () => {
    dir = mkdtempSync(join(tmpdir(), 'saved-chain-'));
    const files = savedChainFiles(dir);
    writeFileSync(files.state, '{"block": {"number": 12'); // cut short by a crash
    writeFileSync(files.deployment, JSON.stringify({ deployedAt: 7 }));
    const warnings: string[] = [];
    const log = {
      info: () => undefined,
      error: () => undefined,
      log: () => undefined,
      warn: (event: string) => void warnings.push(event),
    } as Logger;
    let deploys = 0;
    chain = await startSavedChain<{ deployedAt: number }>({
      dir,
      chainId: 31337,
      log,
      name: 'test_chain',
      parse: (raw) => raw as { deployedAt: number },
      matches: async () => true,
      deploy: async (provider) => {
        deploys++;
        return { deployedAt: await provider.getBlockNumber() };
      },
    });
    expect(chain.cold).toBe(true);
    expect(deploys).toBe(1);
    expect(warnings).toEqual(['test_chain.state_unreadable']);
    expect(chain.setAside).toBe(`${files.state}.unreadable`);
    expect(readFileSync(`${files.state}.unreadable`, 'utf8')).toBe('{"block": {"number": 12');
    expect(JSON.parse(readFileSync(files.deployment, 'utf8'))).toEqual({ deployedAt: 0 });
    // The fresh chain's own state is written when its node stops, and reads back.
    chain.provider.destroy();
    await chain.anvil.stop();
    chain = null;
    expect(existsSync(files.state)).toBe(true);
    expect(() => JSON.parse(readFileSync(files.state, 'utf8')) as unknown).not.toThrow();
  });
});
