import {
  buildTrackRecordSet,
  createDemoRecordsService,
  createRecordsService,
  demoChainModels,
  DEMO_LATEST_ROUND,
  type RecordsService,
} from '../records';
import { demoWorld } from '../records/demo-source';
import { demoFiguresSteps, demoServiceOver } from '../records/demo-records';
import { runInSlices } from '../async/slices';
import type { Logger } from '../log/logger';
import { checkDemoFiguresLater, loadDemoFigures, saveDemoFigures } from './demo-figures-file';
import { countText, forwardRecords } from './numerai-records';
import type { DemoSpec } from '../devnet/demo-spec';
import type { TrackRecords } from './track-records';
import { lazy } from '../../shared/lazy';

const NMR = 10n ** 18n;
/** A slice of the demo world's build: short, so a request that comes meanwhile waits at most this long. */
const WORLD_SLICE_MS = 5;

export interface DemoRecordsOptions {
  /** Demo models registered on the local chain. */
  chainModels?: number;
  /** Models in the demo track-record world (the list a holder browses). */
  worldModels?: number;
  /**
   * Where the world's figures are kept between starts (the user-data folder): a start then reads
   * them (a few ms) instead of generating 15,000 models (~1 s of main's CPU while the page loads).
   */
  figuresPath?: string;
  log?: Logger;
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
  const worldOptions = { models: worldModels };
  let service: RecordsService;
  /** Settles once the first models are served: at once, or once the saved figures are read (or found missing). */
  let first: Promise<void>;
  let whole: Promise<void>;
  let check: { cancel(): void } | null = null;
  let closed = false;
  const listeners = new Set<(setChanged: boolean) => void>();
  // The first screen lists the chain's models only: their records come first, at once (the first
  // models of any demo world are the same), and the whole world's figures (its rows are generated
  // when asked for: demo-records.ts) are built in small slices while the chain starts and the page loads.
  const build = (): Promise<void> => {
    service = createDemoRecordsService({ models: needed });
    if (needed >= worldModels) return Promise.resolve();
    const world = demoWorld(worldOptions);
    return runInSlices(demoFiguresSteps(world), WORLD_SLICE_MS).then((figures) => {
      service = demoServiceOver(figures, () => world);
      if (opts.figuresPath) void saveDemoFigures(opts.figuresPath, worldOptions, figures, opts.log);
    });
  };
  const { figuresPath } = opts;
  if (figuresPath) {
    // Read off the main thread, so that the page is served while the file loads; nothing listed until then.
    service = createRecordsService({ set: buildTrackRecordSet([], { source: 'demo' }) });
    const loaded = loadDemoFigures(figuresPath, worldOptions, opts.log).then((saved) => {
      if (!saved) return { rest: build() };
      const world = lazy(() => demoWorld(worldOptions));
      service = demoServiceOver(saved, world);
      // A file from another version of the generator is caught by a few models made again, after the first screen.
      if (!closed)
        check = checkDemoFiguresLater(
          saved,
          world,
          figuresPath,
          worldOptions,
          (rebuilt) => {
            service = demoServiceOver(rebuilt, world);
            for (const l of listeners) l(true);
          },
          opts.log,
        );
      return { rest: Promise.resolve() };
    });
    first = loaded.then(() => undefined);
    whole = loaded.then(({ rest }) => rest);
  } else {
    whole = build();
    first = Promise.resolve();
  }
  return Object.assign(
    forwardRecords(() => service),
    {
      async ready(names?: readonly string[]) {
        await first;
        if (!names || !names.every((n) => service.has(n))) await whole;
      },
      demoSpec(): DemoSpec {
        return {
          models: onChain.map((m) => ({ name: m.name, feeBps: m.operatorFeeBps, capWei: 50_000n * NMR })),
          lastRound: DEMO_LATEST_ROUND,
        };
      },
      dataLabel: () => `Demo track records: ${countText(worldModels)} generated models, not real Numerai data`,
      // One fixed world: no network to follow, no load to order.
      useNetwork: () => undefined,
      // The set changes only when a saved file turns out to be another generator's and is rebuilt.
      onChange(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      prioritize: () => undefined,
      close: async () => {
        closed = true;
        check?.cancel();
      },
    } satisfies Omit<TrackRecords, keyof RecordsService>,
  );
}
