import { describe, expect, it } from 'vitest';
import { planView, stepView, type TxEvent } from './txSteps';

const R = 'a'.repeat(32);
const H1 = `0x${'1'.repeat(64)}`;
const H2 = `0x${'2'.repeat(64)}`;

function ev(p: Partial<TxEvent> & Pick<TxEvent, 'txId' | 'state'>): TxEvent {
  return {
    requestId: R,
    label: 'Let the pool move 5 NMR',
    step: 1,
    steps: 2,
    hash: null,
    error: null,
    purpose: 'step',
    replaces: null,
    replacedBy: null,
    nonce: 7,
    sentAt: 1_000,
    confirmations: 0,
    confirmationsNeeded: 1,
    waitingFor: null,
    ...p,
  };
}

const orig = (state: TxEvent['state'], more: Partial<TxEvent> = {}) => ev({ txId: `${R}:1`, state, hash: H1, ...more });
const repl = (state: TxEvent['state'], purpose: 'speed-up' | 'cancel', more: Partial<TxEvent> = {}) =>
  ev({ txId: `${R}:1:r1`, state, hash: H2, purpose, replaces: `${R}:1`, ...more });

describe('what the page shows for a step', () => {
  it('offers speed up and cancel while the step waits, and says when a replacement waits with it', () => {
    expect(stepView([orig('signing', { hash: null }), orig('pending')])).toMatchObject({
      state: 'pending',
      replaceableTxId: `${R}:1`,
      replacing: null,
      sentAt: 1_000,
    });
    expect(stepView([orig('pending'), repl('pending', 'speed-up')])).toMatchObject({
      state: 'pending',
      replacing: 'speed-up',
      words: expect.stringMatching(/higher fee/),
    });
    expect(
      stepView([orig('pending'), repl('failed', 'cancel', { error: 'It went through before the replacement could be sent' })]),
    ).toMatchObject({
      replacing: null,
      replacementError: expect.stringMatching(/went through before/),
    });
  });

  it('follows a speed-up that won to its confirmation, and the plan goes on', () => {
    const events = [
      orig('pending'),
      repl('pending', 'speed-up'),
      orig('replaced', { replacedBy: { hash: H2, by: 'speed-up' } }),
      repl('mined', 'speed-up', { confirmations: 1 }),
      repl('confirmed', 'speed-up', { confirmations: 1 }),
    ];
    expect(stepView(events)).toMatchObject({ state: 'confirmed', words: 'Sped up · Done, confirmed', replaceableTxId: null, error: null });
    expect(planView(events, 2)).toMatchObject({ done: false, stopped: null });
  });

  it('counts confirmations on a network that needs several', () => {
    expect(stepView([orig('mined', { confirmations: 2, confirmationsNeeded: 3 })])?.words).toBe('In a block, confirmation 2 of 3…');
  });

  it('stops the plan in plain words after a cancel or a transaction from elsewhere', () => {
    const cancelled = [
      orig('pending'),
      repl('pending', 'cancel'),
      orig('replaced', { replacedBy: { hash: H2, by: 'cancel' }, error: 'You cancelled it, so this step did not happen.' }),
      repl('confirmed', 'cancel'),
    ];
    expect(planView(cancelled, 2)).toEqual({
      views: [expect.objectContaining({ state: 'cancelled' }), null],
      done: false,
      stopped: {
        step: 1,
        message:
          'You cancelled it, so this step did not happen. Nothing after it was sent. Your NMR did not move; only the network fee was paid.',
      },
    });
    const other = [
      orig('pending'),
      orig('replaced', { replacedBy: { hash: null, by: 'other' }, error: 'Another transaction from your account went through instead.' }),
    ];
    expect(planView(other, 2).stopped?.message).toBe(
      'Another transaction from your account went through instead. Nothing after it was sent.',
    );
  });

  it('is done only when the last step is confirmed', () => {
    const step2 = (state: TxEvent['state']) => ev({ txId: `${R}:2`, step: 2, state, hash: H2 });
    const base = [orig('mined'), orig('confirmed')];
    expect(planView([...base, step2('mined')], 2).done).toBe(false);
    expect(planView([...base, step2('confirmed')], 2).done).toBe(true);
    expect(planView([...base, step2('failed')], 2).stopped).toEqual({ step: 2, message: 'A transaction failed.' });
  });
});
