import { describe, expect, it } from 'vitest';
import { finiteNumbers } from './primitives';
import { ModelRow } from './models';

describe('finiteNumbers', () => {
  const list = finiteNumbers(3);

  it('takes a list of at most its length of finite numbers, as it is', () => {
    for (const ok of [[], [0], [1.5, -2, 1e300]]) expect(list.parse(ok)).toEqual(ok);
  });

  it('refuses anything else, with the reason', () => {
    for (const bad of [[1, 2, 3, 4], [Number.NaN], [Infinity], [-Infinity], ['1'], [null], [[1]], null, '1,2', { 0: 1, length: 1 }]) {
      const r = list.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toBe('not a list of at most 3 finite numbers');
    }
  });

  it('is the model row’s sparkline check', () => {
    expect(ModelRow.shape.spark.safeParse(Array.from({ length: 200 }, (_, i) => i)).success).toBe(true);
    expect(ModelRow.shape.spark.safeParse(Array.from({ length: 201 }, (_, i) => i)).success).toBe(false);
  });
});
