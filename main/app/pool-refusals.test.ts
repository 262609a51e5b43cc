/**
 * Each pool refuses what is the other pool's, in plain words, before anything reaches a chain: the
 * sessions here are stand-ins whose pools fail the test if they are asked to plan or read at all.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api';
import type { WalletService } from '../wallet/wallet-service';
import type { ChainSession } from './chain-session';
import { claimsHandlers } from './claims-api';
import { portfolioHandlers } from './portfolio-api';
import { planFor } from './tx-api';

const untouched = new Proxy(
  {},
  {
    get: (_, key) => {
      throw new Error(`the pool was asked for ${String(key)}`);
    },
  },
);
const delegation = { poolKind: 'delegation', pool: untouched } as unknown as ChainSession;
const staking = { poolKind: 'staking', staking: untouched } as unknown as ChainSession;
const wallet = { address: () => '0x0000000000000000000000000000000000000001' } as unknown as WalletService;

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return { code: (e as AppError).code, message: (e as AppError).message };
}

describe('the old pool’s session', () => {
  it.each([
    { kind: 'cancel-deposit', modelId: 1 },
    { kind: 'take-back', modelId: 1, amountWei: 'all' },
    { kind: 'relay-claim', modelId: 1, roundId: 7 },
  ] as const)('refuses the staking pool’s $kind as bad input', async (intent) => {
    const r = await refusal(planFor(delegation, intent));
    expect(r.code).toBe('BAD_INPUT');
    expect(r.message).toContain(`“${intent.kind}” belongs to the staking pool`);
  });

  it('has no staking portfolio and no result to check with Numerai', async () => {
    const portfolio = portfolioHandlers({ session: async () => delegation, wallet });
    expect(await refusal(portfolio['portfolio.staking']({}))).toMatchObject({ code: 'NOT_AVAILABLE' });
    const claims = claimsHandlers({ session: async () => delegation });
    const r = await refusal(claims['claims.check']({ modelId: 1, roundId: 7 }));
    expect(r).toEqual({
      code: 'NOT_AVAILABLE',
      message: 'Checking a result with Numerai needs the staking pool; this network runs the old pool.',
    });
  });
});

describe('the staking pool’s session', () => {
  it('refuses undelegate and says to take back instead', async () => {
    const r = await refusal(planFor(staking, { kind: 'undelegate', modelId: 1, amountWei: 5n }));
    expect(r).toEqual({ code: 'BAD_INPUT', message: 'This pool has no undelegate: use take back to take NMR out of a model.' });
  });

  it('has no old-pool positions', async () => {
    const portfolio = portfolioHandlers({ session: async () => staking, wallet });
    const r = await refusal(portfolio['portfolio.positions']({}));
    expect(r).toEqual({
      code: 'NOT_AVAILABLE',
      message: 'This portfolio view belongs to the old pool; this network runs the staking pool.',
    });
  });
});
