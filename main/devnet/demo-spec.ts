export interface DemoModelSpec {
  name: string;
  feeBps: number;
  capWei: bigint;
}

/** What the demo chain needs from the track-record source: which models, and the records' latest round. */
export interface DemoSpec {
  models: DemoModelSpec[];
  /** The demo records' latest round: the chain's Numerai rounds follow it. */
  lastRound: number;
}
