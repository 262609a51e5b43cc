import { describe, expect, it } from 'vitest';
import { OperatorService, type OperatorServiceDeps } from './operator-service';
import { NOW, fakeApi, fakeOperatorPool, models } from './test-support/fakes';

const ACCOUNT = '0x00000000000000000000000000000000000000aa';

function deps(over: Partial<OperatorServiceDeps> = {}) {
  const { api } = fakeApi();
  const { pool, sent } = fakeOperatorPool();
  const tokensAsked: string[] = [];
  const d: OperatorServiceDeps = {
    tokens: {
      savedFor: () => ACCOUNT,
      open: (account) => {
        tokensAsked.push(account);
        return Promise.resolve('TOKEN$SECRET');
      },
    },
    account: () => ACCOUNT,
    isUnlocked: () => true,
    api: () => api,
    pool: () => pool,
    linkedModels: () => Promise.resolve(models),
    now: () => NOW,
    ...over,
  };
  return { d, sent, tokensAsked };
}

describe('OperatorService', () => {
  it('runs the round for the linked models and keeps the outcome for the screen', async () => {
    const { d, sent } = deps();
    const service = new OperatorService(d);
    const seen: string[] = [];
    service.onChange((s) => seen.push(s.current.state));
    const status = await service.runNow();
    expect(sent).toHaveLength(1);
    expect(status.current.state).toBe('done');
    expect(status.lastRunAt).toBe(NOW);
    if (status.current.state === 'done')
      expect(status.current.round.models.map((m) => m.status.state)).toEqual(['staked', 'staked', 'staked']);
    expect(seen).toEqual(['running', 'done']);
  });

  it('says what is missing instead of acting: no wallet, no token, a token of another account, locked, no models', async () => {
    expect((await new OperatorService(deps({ account: () => null }).d).runNow()).current.state).toBe('no-wallet');
    expect(
      (await new OperatorService(deps({ tokens: { savedFor: () => null, open: () => Promise.resolve(null) } }).d).runNow()).current.state,
    ).toBe('no-token');
    const other = deps({ tokens: { savedFor: () => '0x00000000000000000000000000000000000000bb', open: () => Promise.resolve('T') } });
    expect((await new OperatorService(other.d).runNow()).current.state).toBe('no-token');
    const locked = deps({ isUnlocked: () => false });
    expect((await new OperatorService(locked.d).runNow()).current).toMatchObject({ state: 'locked' });
    expect(locked.tokensAsked).toEqual([]);
    expect((await new OperatorService(deps({ linkedModels: () => Promise.resolve([]) }).d).runNow()).current.state).toBe('no-models');
  });

  it('joins a run in progress instead of starting a second one', async () => {
    const { d, sent } = deps();
    const service = new OperatorService(d);
    const [a, b] = await Promise.all([service.runNow(), service.runNow()]);
    expect(a).toBe(b);
    expect(sent).toHaveLength(1);
  });

  it('records a failure in words and keeps going', async () => {
    const { d } = deps({ linkedModels: () => Promise.reject(new Error('The network did not answer.')) });
    expect((await new OperatorService(d).runNow()).current).toEqual({ state: 'failed', message: 'The network did not answer.' });
  });
});
