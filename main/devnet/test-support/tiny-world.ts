import type { DemoSpec } from '../world';

const NMR = 10n ** 18n;

/**
 * A demo world small enough to deploy in a few seconds: `models` models with fees 0 %, 5 %, 10 %…,
 * caps of 10,000 NMR, and `historyRounds` resolved rounds ending at round 100, each model earning
 * (model number − 2) % per round, so some gain and some lose.
 */
export function tinyDemo(models = 3, historyRounds = 2): DemoSpec {
  return {
    models: Array.from({ length: models }, (_, i) => ({ name: `model_${i + 1}`, feeBps: (i * 500) % 2000, capWei: 10_000n * NMR })),
    historyRounds,
    lastRound: 100,
    returnBps: (name) => (Number(name.slice('model_'.length)) - 2) * 100,
  };
}
