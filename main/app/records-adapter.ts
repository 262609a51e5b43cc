import { createDemoRecordsService, demoChainModels, demoRecordsServiceSteps, DEMO_LATEST_ROUND, type RecordsService } from '../records';
import { runInSlices } from '../async/slices';
import { forwardRecords } from './numerai-records';
import type { DemoSpec } from '../devnet/demo-spec';
import type { TrackRecords } from './track-records';

const NMR = 10n ** 18n;
/** A slice of the demo world's build: short, so a request that comes meanwhile waits at most this long. */
const WORLD_SLICE_MS = 5;

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
  // The first screen lists the chain's models only: their records come first, at once (the first
  // models of any demo world are the same), and the whole world's figures (its rows are generated
  // when asked for: demo-records.ts) are built in small slices while the chain starts and the page loads.
  let service: RecordsService = createDemoRecordsService({ models: needed });
  const whole =
    needed >= worldModels
      ? Promise.resolve()
      : runInSlices(demoRecordsServiceSteps({ models: worldModels }), WORLD_SLICE_MS).then((s) => {
          service = s;
        });
  return Object.assign(
    forwardRecords(() => service),
    {
      ready: (names?: readonly string[]) => (names && names.every((n) => service.has(n)) ? Promise.resolve() : whole),
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
    } satisfies Omit<TrackRecords, keyof RecordsService>,
  );
}
