import { createDemoRecordsService, demoChainModels, DEMO_LATEST_ROUND } from '../records';
import type { DemoSpec } from '../devnet/demo-spec';
import type { TrackRecords } from './track-records';

const NMR = 10n ** 18n;

export interface DemoRecordsOptions {
  /** Demo models registered on the local chain. */
  chainModels?: number;
  /** Models in the demo track-record world (the list a holder browses). */
  worldModels?: number;
}

/**
 * Track records for the embedded demo: the deterministic demo world (15,000 models by default),
 * of which the first suitable ones are registered on the local chain, whose Numerai rounds start
 * after the demo records' latest round.
 */
export function createRecords(opts: DemoRecordsOptions = {}): TrackRecords {
  const chainModels = opts.chainModels ?? Number(process.env.NMR_DELEGATE_DEMO_MODELS ?? 200);
  const onChain = demoChainModels(chainModels);
  const needed = onChain.reduce((m, s) => Math.max(m, s.index + 1), 0);
  const worldModels = Math.max(needed, opts.worldModels ?? Number(process.env.NMR_DELEGATE_DEMO_WORLD ?? 15_000));
  // The world's figures without its 200 MB of rows: a model's rows are generated when asked for.
  const service = createDemoRecordsService({ models: worldModels });
  return {
    ...service,
    demoSpec(): DemoSpec {
      return {
        models: onChain.map((m) => ({ name: m.name, feeBps: m.operatorFeeBps, capWei: 50_000n * NMR })),
        lastRound: DEMO_LATEST_ROUND,
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
