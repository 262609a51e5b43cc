import { describe, expect, it } from 'vitest';
import { mapAtMost, runWorkers } from './at-most';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('mapAtMost', () => {
  it('keeps the items’ order and never has more than the limit pending', async () => {
    let pending = 0;
    let most = 0;
    const out = await mapAtMost([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
      most = Math.max(most, ++pending);
      for (let k = 0; k < n; k++) await tick();
      pending--;
      return `${i}:${n * 2}`;
    });
    expect(out).toEqual(['0:10', '1:2', '2:8', '3:4', '4:6', '5:0', '6:12']);
    expect(most).toBe(3);
  });

  it('answers an empty list, and a limit below one still works one at a time', async () => {
    expect(await mapAtMost([], 4, async () => 1)).toEqual([]);
    expect(await mapAtMost([1, 2], 0, async (n) => n + 1)).toEqual([2, 3]);
  });

  it('rejects with the first failure', async () => {
    await expect(
      mapAtMost([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('two');
        return n;
      }),
    ).rejects.toThrow('two');
  });
});

describe('runWorkers', () => {
  it('starts the number asked for, at least one', async () => {
    let started = 0;
    await runWorkers(3, async () => void started++);
    expect(started).toBe(3);
    await runWorkers(0, async () => void started++);
    expect(started).toBe(4);
  });
});
