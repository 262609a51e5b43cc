import { describe, expect, it } from 'vitest';
import { createRecords } from './records-adapter';
import { countText } from './numerai-records';

describe('the demo records at start', () => {
  it('hold the chain’s models at once and build the rest of the world in the background, the same figures either way', async () => {
    const records = createRecords({ chainModels: 12, worldModels: 3000 });
    const chainNames = records.demoSpec().models.map((m) => m.name);
    // The first screen's models are there before the world is.
    expect(chainNames.every((n) => records.has(n))).toBe(true);
    expect(records.set.models.length).toBeLessThan(3000);
    const figures = () => chainNames.map((n) => ({ row: records.detail(n, { maxPoints: 20 }), spark: records.summary(n, 40)?.spark }));
    const early = figures();
    let whole = false;
    const pending = records.ready().then(() => (whole = true));
    await records.ready(chainNames);
    expect(whole).toBe(false);

    await pending;
    expect(records.set.models.length).toBe(3000);
    expect(figures()).toEqual(early);
    // A name the world does not have waits for the whole world, then is simply not there.
    await records.ready(['no-such-model']);
    expect(records.has('no-such-model')).toBe(false);
  });
});

describe('countText', () => {
  it('writes counts as en-US does, without loading ICU', () => {
    for (const n of [0, 7, 999, 1000, 15_000, 123_456, 1_234_567, 1e9]) expect(countText(n)).toBe(n.toLocaleString('en-US'));
    expect(createRecords({ chainModels: 3, worldModels: 1500 }).dataLabel()).toBe(
      'Demo track records: 1,500 generated models, not real Numerai data',
    );
  });
});
