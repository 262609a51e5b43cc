import { describe, expect, it } from 'vitest';
import { resultBars } from './portfolioSeries';

const NMR = 10n ** 18n;

describe('resultBars', () => {
  it('one bar a round, gains up and losses down, in NMR', () => {
    const { bars, roundsPerBar } = resultBars(
      [
        { round: 5, resultWei: (2n * NMR).toString() },
        { round: 6, resultWei: (-NMR / 2n).toString() },
      ],
      200,
    );
    expect(roundsPerBar).toBe(1);
    expect(bars).toEqual([
      { round: 5, toRound: 5, gain: 2, loss: null },
      { round: 6, toRound: 6, gain: null, loss: -0.5 },
    ]);
  });

  it('groups neighbouring rounds when there are too many, summing them exactly', () => {
    const points = Array.from({ length: 450 }, (_, i) => ({ round: i + 1, resultWei: (i % 2 === 0 ? NMR : -NMR).toString() }));
    const { bars, roundsPerBar } = resultBars(points, 200);
    expect(roundsPerBar).toBe(3);
    expect(bars).toHaveLength(150);
    expect(bars[0]).toEqual({ round: 1, toRound: 3, gain: 1, loss: null });
    expect(bars[1]).toEqual({ round: 4, toRound: 6, gain: null, loss: -1 });
  });
});
