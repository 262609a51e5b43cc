import type { RecordsService } from '../records';
import type { DemoSpec } from '../devnet/world';

/** What the app needs from the track-record source (main/records), plus the demo chain's spec. */
export interface TrackRecords extends RecordsService {
  demoSpec(): DemoSpec;
  /** Shown with the list: where the figures come from and how old they are. */
  dataLabel(): string;
}
