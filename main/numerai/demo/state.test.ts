import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRoundTree } from '../round-tree';
import {
  DEMO_NUMERAI_STATE_VERSION,
  loadDemoNumeraiState,
  peekDemoNumeraiState,
  saveDemoNumeraiState,
  type DemoNumeraiState,
} from './state';

const dir = mkdtempSync(join(tmpdir(), 'demo-numerai-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const staking = '0x' + '12'.repeat(20);
const staker = '0x' + '34'.repeat(20);
const model = '0x' + '56'.repeat(32);

const state: DemoNumeraiState = {
  version: DEMO_NUMERAI_STATE_VERSION,
  chainId: 31337,
  stakingAddress: staking,
  nextRoundId: '1502',
  demoTime: '300',
  rounds: [
    {
      roundId: '1501',
      openTime: '100',
      closeTime: '200',
      resolveTime: '400',
      corrMultiplier: 5,
      mmcMultiplier: 10,
      payoutFactor: 1,
      tree: buildRoundTree(1501n, [{ roundId: 1501n, staker, modelId: model, payout: 5n, burn: 0n }]).dump(),
      resolvedAt: '250',
    },
  ],
  submissions: [{ submissionId: 'sub', apiModelId: 'api', roundId: '1501', submissionHash: model }],
  authorizations: [{ staker, nonce: '0', deadline: '150', roundId: '1501', submissionId: 'sub' }],
};

describe("the demo Numerai's saved state", () => {
  it('round-trips through the file', () => {
    const file = join(dir, 'a.json');
    saveDemoNumeraiState(file, state);
    expect(loadDemoNumeraiState(file, { chainId: 31337, stakingAddress: staking.toUpperCase().replace('0X', '0x') })).toEqual(state);
  });

  it("is ignored when it is another chain's or contract's, damaged, or absent", () => {
    const file = join(dir, 'b.json');
    saveDemoNumeraiState(file, state);
    expect(loadDemoNumeraiState(file, { chainId: 1, stakingAddress: staking })).toBeNull();
    expect(loadDemoNumeraiState(file, { chainId: 31337, stakingAddress: staker })).toBeNull();
    writeFileSync(file, JSON.stringify({ ...state, nextRoundId: -1 }));
    expect(loadDemoNumeraiState(file, { chainId: 31337, stakingAddress: staking })).toBeNull();
    writeFileSync(file, '{');
    expect(loadDemoNumeraiState(file, { chainId: 31337, stakingAddress: staking })).toBeNull();
    expect(loadDemoNumeraiState(join(dir, 'none.json'), { chainId: 31337, stakingAddress: staking })).toBeNull();
  });

  it('gives a start its head alone (demo time, newest round), from a file the full load would take', () => {
    const file = join(dir, 'd.json');
    const expect31337 = { chainId: 31337, stakingAddress: staking };
    saveDemoNumeraiState(file, state);
    expect(peekDemoNumeraiState(file, expect31337)).toEqual({ demoTime: 300n, latestRoundId: 1501n });
    saveDemoNumeraiState(file, { ...state, rounds: [] });
    expect(peekDemoNumeraiState(file, expect31337)).toEqual({ demoTime: 300n, latestRoundId: null });
    expect(peekDemoNumeraiState(file, { chainId: 1, stakingAddress: staking })).toBeNull();
    writeFileSync(file, JSON.stringify({ ...state, demoTime: 'soon' }));
    expect(peekDemoNumeraiState(file, expect31337)).toBeNull();
    writeFileSync(file, JSON.stringify({ ...state, rounds: [{ roundId: -1 }] }));
    expect(peekDemoNumeraiState(file, expect31337)).toBeNull();
    expect(peekDemoNumeraiState(join(dir, 'none.json'), expect31337)).toBeNull();
  });

  it('refuses to save a state outside its schema', () => {
    expect(() => saveDemoNumeraiState(join(dir, 'c.json'), { ...state, nextRoundId: 'x' })).toThrow();
  });
});
