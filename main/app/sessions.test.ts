import { describe, expect, it } from 'vitest';
import type { ChainSession } from './chain-session';
import { freshChainNotice } from './sessions';

const withStartup = (setAside: string | null) => ({ local: { startup: { cold: true, seconds: 1, setAside } } }) as unknown as ChainSession;

describe('freshChainNotice', () => {
  it('tells that a fresh demo chain replaced one whose saved state could not be read, and where that state was kept', () => {
    const notice = freshChainNotice(withStartup('/data/devnet/staking/anvil-state.json.unreadable'));
    expect(notice).toMatch(/fresh demo chain was started/);
    expect(notice).toMatch(/wallet and settings are unchanged/);
    expect(notice).toContain('/data/devnet/staking/anvil-state.json.unreadable');
  });

  it('says nothing when the chain reloaded, started for the first time, or is a real network', () => {
    expect(freshChainNotice(withStartup(null))).toBeNull();
    expect(freshChainNotice({ local: null } as unknown as ChainSession)).toBeNull();
  });
});
