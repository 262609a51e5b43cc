import { describe, expect, it } from 'vitest';
import { ApiErrorShape, AppError } from '../../shared/api';
import { silentLogger } from '../log/logger';
import { fakeHandlers } from '../ipc/test-support/fake-handlers';
import { createRouter, type Sender } from './router';

const ok: Sender = { kind: 'harness', token: 'good' };
const router = createRouter({
  handlers: fakeHandlers({
    'wallet.status': async () => ({ state: 'none', address: null }),
    'wallet.unlock': async ({ password }) => {
      // A service that quotes what it was given, at length (as a validation message may).
      if (password.startsWith('long')) throw new AppError('BAD_INPUT', `Not understood: ${password.repeat(4)}`);
      if (password !== 'right') throw new AppError('BAD_PASSWORD', 'That password does not open this wallet.');
      return { state: 'unlocked', address: '0x' + '1'.repeat(40) };
    },
    // A service that returns more than the contract names must not leak it.
    'wallet.lock': async () => ({ state: 'locked', address: null, privateKey: '0xdead' }) as never,
  }),
  allowSender: (s) => s.kind === 'harness' && s.token === 'good',
  log: silentLogger,
});

describe('router', () => {
  it('answers a valid call in an ok envelope', async () => {
    expect(await router.handle('wallet.status', {}, ok)).toEqual({ ok: true, value: { state: 'none', address: null } });
  });
  it('refuses a caller the transport does not allow, before anything else', async () => {
    const r = await router.handle('wallet.status', {}, { kind: 'harness', token: 'bad' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });
  it('refuses unknown and inherited method names', async () => {
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(await router.handle(m, {}, ok)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });
  it('rejects bad input with BAD_INPUT and a readable message', async () => {
    const r = await router.handle('wallet.unlock', { password: 42 }, ok);
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await router.handle('wallet.status', { extra: 1 }, ok)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await router.handle('wallet.status', JSON.parse('{"__proto__":{"x":1}}'), ok)).toMatchObject({ ok: false });
  });
  it('passes service errors through with their stable code', async () => {
    expect(await router.handle('wallet.unlock', { password: 'wrong' }, ok)).toEqual({
      ok: false,
      error: { code: 'BAD_PASSWORD', message: 'That password does not open this wallet.' },
    });
  });
  it('never lets a result carry fields the contract does not name', async () => {
    const r = await router.handle('wallet.lock', {}, ok);
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(r)).not.toContain('dead');
  });
  it('keeps every error message within the contract, quoting only a short clean excerpt of the input', async () => {
    const hugeKey = `k${'x'.repeat(100_000)}`;
    const answers = [
      await router.handle('wallet.status', { [hugeKey]: 1, ['\u202eevil\u0000']: 2 }, ok),
      await router.handle('wallet.unlock', { password: ['y'.repeat(50_000)] }, ok),
      await router.handle('wallet.unlock', { password: `long${'z'.repeat(900)}\u202e\n` }, ok),
    ];
    for (const r of answers) {
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(ApiErrorShape.safeParse(r.error).success).toBe(true);
      expect(r.error.message.length).toBeLessThanOrEqual(600);
      expect(r.error.message).not.toMatch(/[\p{Cc}\u202a-\u202e]/u);
      expect(r.error.message).not.toContain('x'.repeat(200));
    }
    expect(answers[2]).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/^Not understood: longz+…$/) },
    });
  });
});
