import { createDemoRecords, createRecordsService, demoChainModels, DEMO_LATEST_ROUND, demoModelReturnAt } from '../records';
import type { DemoSpec } from '../devnet/world';
import type { TrackRecords } from './track-records';

const NMR = 10n ** 18n;

export interface DemoRecordsOptions {
  /** Demo models registered on the local chain. */
  chainModels?: number;
  /** Rounds of their history written on chain at first start. */
  historyRounds?: number;
  /** Models in the demo track-record world (the list a holder browses). */
  worldModels?: number;
}

/**
 * Track records for the embedded demo: the deterministic demo world (15,000 models by default),
 * of which the first suitable ones are registered on the local chain, with their latest rounds
 * posted there too, so the charts and the chain's own history agree.
 */
export function createRecords(opts: DemoRecordsOptions = {}): TrackRecords {
  const chainModels = opts.chainModels ?? Number(process.env.NMR_DELEGATE_DEMO_MODELS ?? 200);
  const historyRounds = opts.historyRounds ?? 30;
  const onChain = demoChainModels(chainModels);
  const needed = onChain.reduce((m, s) => Math.max(m, s.index + 1), 0);
  const worldModels = Math.max(needed, opts.worldModels ?? Number(process.env.NMR_DELEGATE_DEMO_WORLD ?? 15_000));
  const service = createRecordsService({ set: createDemoRecords({ models: worldModels }) });
  return {
    ...service,
    demoSpec(): DemoSpec {
      return {
        models: onChain.map((m) => ({ name: m.name, feeBps: m.operatorFeeBps, capWei: 50_000n * NMR })),
        historyRounds,
        lastRound: DEMO_LATEST_ROUND,
        returnBps: (name, round) => demoModelReturnAt(name, round) ?? 0,
      };
    },
    dataLabel: () => `Demo track records: ${worldModels.toLocaleString('en-US')} generated models, not real Numerai data`,
    // One fixed set, generated whole: no network to follow, no load to order, nothing to stop.
    useNetwork: () => undefined,
    onChange: () => () => undefined,
    prioritize: () => undefined,
    close: async () => undefined,
  };
}
