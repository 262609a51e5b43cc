import { Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type Anvil } from '../../contracts/test-support/anvil';
import { deployWorld, type World } from '../../contracts/test-support/staking';
import { checkStakingAddresses } from './staking-addresses';

describe('checkStakingAddresses on anvil', () => {
  let anvil: Anvil;
  let w: World;
  let other: World;

  beforeAll(async () => {
    anvil = await startAnvil();
    w = await deployWorld(anvil.url);
    // A second, complete set on the same chain: its NMR, staking contract and pool are real but not ours.
    other = await deployWorld(anvil.url);
  }, 60_000);
  afterAll(async () => {
    w?.stop();
    other?.stop();
    await anvil?.stop();
  });

  const check = (a: Partial<{ nmr: string; staking: string; pool: string }>) =>
    checkStakingAddresses(w.provider, Number(w.domain.chainId), { nmr: w.token, staking: w.staking, pool: w.pool, ...a });

  it('accepts the three addresses of one deployment, each with what it is', async () => {
    expect(await check({})).toEqual([
      { role: 'nmr', address: expect.stringMatching(/^0x/i), ok: true, detail: 'NMR, 18 decimals' },
      { role: 'staking', address: expect.stringMatching(/^0x/i), ok: true, detail: 'Numerai staking, tournament 8' },
      { role: 'pool', address: expect.stringMatching(/^0x/i), ok: true, detail: 'Staking pool, spreading each model over 4 rounds' },
    ]);
  });

  it('says which address is wrong and why, beside that address only', async () => {
    const words = async (a: Parameters<typeof check>[0]) => (await check(a)).map((c) => (c.ok ? 'ok' : c.message));
    expect(await words({ nmr: 'not an address' })).toEqual([expect.stringContaining('not an address'), 'ok', 'ok']);
    expect(await words({ staking: Wallet.createRandom().address })).toEqual(['ok', expect.stringContaining('no contract'), 'ok']);
    expect(await words({ nmr: w.pool })).toEqual([expect.stringContaining('does not answer as NMR'), 'ok', 'ok']);
    expect(await words({ staking: w.pool })).toEqual(['ok', expect.stringContaining('does not answer as Numerai'), 'ok']);
    expect(await words({ pool: w.staking })).toEqual(['ok', 'ok', expect.stringContaining('does not answer as the staking pool')]);
    // Real contracts that do not belong together: each mismatch is said once, beside the field that is off.
    expect(await words({ staking: other.staking })).toEqual(['ok', expect.stringContaining('another token'), 'ok']);
    expect(await words({ nmr: other.token })).toEqual([
      'ok',
      expect.stringContaining('another token'),
      expect.stringContaining('holds another token'),
    ]);
    expect(await words({ pool: other.pool })).toEqual(['ok', 'ok', expect.stringContaining('holds another token')]);
  });
});
