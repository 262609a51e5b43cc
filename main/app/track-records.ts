import type { RecordsService } from '../records';
import type { DemoSpec } from '../devnet/demo-spec';

/**
 * What the app needs from the track-record source (main/records), plus the demo chain's spec.
 * Every implementation provides every method: one with a single fixed source (the demo adapter)
 * answers the network and loading hooks with no-ops, so callers never ask whether a hook exists.
 */
export interface TrackRecords extends RecordsService {
  /**
   * Resolves once `set` holds the records of these models (of every model when none are named) as
   * they are at start: the demo world gives the chain's models at once and builds the rest in the
   * background; Numerai's records show their cache or nothing at once and say so in `dataLabel`,
   * so they are ready at once.
   */
  ready(names?: readonly string[]): Promise<void>;
  demoSpec(): DemoSpec;
  /** Shown with the list: where the figures come from and how old they are. */
  dataLabel(): string;
  /** The network in use changed (demo chain or a real one): records that depend on it switch source. */
  useNetwork(kind: 'local' | 'remote'): void;
  /**
   * `setChanged`: `set` was replaced (a refresh finished, the network switched), so rows built from
   * it are stale; false: only `dataLabel()` moved on (a long load's progress).
   */
  onChange(listener: (setChanged: boolean) => void): () => void;
  /**
   * Load these models' records before the others (a long first load: the pool's models, the
   * watchlist, a model the user opens); later calls go ahead of earlier ones.
   */
  prioritize(names: readonly string[]): void;
  /** Stops background work (the app is closing); a later `useNetwork` starts it again. */
  close(): Promise<void>;
}
