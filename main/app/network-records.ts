import { join } from 'node:path';
import type { RecordsService } from '../records';
import type { Logger } from '../log/logger';
import {
  createNumeraiRecords,
  forwardRecords,
  numeraiUrl,
  type NumeraiRecords,
  type NumeraiRecordsOptions,
  type RecordsListener,
} from './numerai-records';
import { createRecords } from './records-adapter';
import type { TrackRecords } from './track-records';

/** The cache of Numerai's track records, in the user-data folder. */
export function trackRecordCachePath(userDataDir: string): string {
  return join(userDataDir, 'track-records.bin');
}

/** The demo world's figures, kept between starts (demo-figures-file.ts). */
export function demoFiguresPath(userDataDir: string): string {
  return join(userDataDir, 'demo-world.bin');
}

/**
 * The records the app shows follow the network in use: the demo world on the local demo chain
 * (whose models it registered), Numerai's real track records on a real network.
 */
export function createNetworkRecords(demo: TrackRecords, numerai: NumeraiRecords): TrackRecords {
  let kind: 'local' | 'remote' = 'local';
  const listeners = new Set<RecordsListener>();
  numerai.onChange((setChanged) => {
    if (kind === 'remote') for (const l of listeners) l(setChanged);
  });
  const cur = (): RecordsService => (kind === 'remote' ? numerai : demo);
  return Object.assign(forwardRecords(cur), {
    ready: (names) => (kind === 'remote' ? Promise.resolve() : demo.ready(names)),
    demoSpec: () => demo.demoSpec(),
    dataLabel: () => (kind === 'remote' ? numerai.dataLabel() : demo.dataLabel()),
    useNetwork(next) {
      const changed = next !== kind;
      kind = next;
      if (next === 'remote') numerai.start();
      else void numerai.stop();
      if (changed) for (const l of listeners) l(true);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    // The demo world is loaded whole: only Numerai's records have an order to change.
    prioritize(names) {
      if (kind === 'remote') numerai.prioritize(names);
    },
    close: async () => {
      await demo.close();
      await numerai.stop();
    },
  } satisfies Omit<TrackRecords, keyof RecordsService>);
}

export interface AppRecordsOptions {
  userDataDir: string;
  log: Logger;
  /** Where NMR_DELEGATE_NUMERAI_URL is read (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Default createRecords(): the 15,000-model demo world. */
  demo?: TrackRecords;
  /** Anything else for the Numerai side (tests: a fast client, a clock). */
  numerai?: Partial<Omit<NumeraiRecordsOptions, 'cachePath' | 'log' | 'url'>>;
}

/** What both entries (Electron, browser harness) give createApp. */
export function createAppRecords(opts: AppRecordsOptions): TrackRecords {
  const numerai = createNumeraiRecords({
    ...opts.numerai,
    cachePath: trackRecordCachePath(opts.userDataDir),
    log: opts.log,
    url: numeraiUrl(opts.env),
  });
  return createNetworkRecords(opts.demo ?? createRecords({ figuresPath: demoFiguresPath(opts.userDataDir), log: opts.log }), numerai);
}
