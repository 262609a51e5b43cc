import { createRecordsService, demoChainModels, DEMO_LATEST_ROUND, demoModelReturnAt, createDemoRecords } from '../records';
import type { DemoSpec } from '../devnet/world';
import type { TrackRecords } from './track-records';

const NMR = 10n ** 18n;

export interface DemoRecordsOptions {
  /** Demo models registered on the local chain. */
  chainModels?: number;
  /** Rounds of their history written on chain at first start. */
  historyRounds?: number;
}

/**
 * Track records for the embedded demo: the deterministic demo source, and the subset of its
 * models that the local chain registers, whose latest rounds are also posted on chain, so the
 * charts and the chain's own history agree.
 */
export function createRecords(opts: DemoRecordsOptions = {}): TrackRecords {
  const chainModels = opts.chainModels ?? Number(process.env.NMR_DELEGATE_DEMO_MODELS ?? 200);
  const historyRounds = opts.historyRounds ?? 30;
  const onChain = demoChainModels(chainModels);
  // The demo world's first models are the same whatever its size: generate just enough to hold them.
  const last = onChain.reduce((m, s) => Math.max(m, s.index), 0);
  const records = createRecordsService({ set: createDemoRecords({ models: last + 1 }) });
  return {
    demoSpec(): DemoSpec {
      return {
        models: onChain.map((m) => ({ name: m.name, feeBps: m.operatorFeeBps, capWei: 50_000n * NMR })),
        historyRounds,
        lastRound: DEMO_LATEST_ROUND,
        returnBps: (name, round) => demoModelReturnAt(name, round) ?? 0,
      };
    },
    summary: (name) => records.summary(name, 40),
    series: (name, maxPoints) => records.series(name, maxPoints),
  };
}
