/**
 * What the indexer reads of StakingPool: the streams' filters and which decoded event belongs to
 * which stream.
 *
 *   holder:<a>   STAKING_HOLDER_EVENTS (topic 1 = the holder)
 *   model:<id>   every STAKING_MODEL_EVENTS event (topic 1 = model id), ModelRegistered included
 */
import type { LogFilter, RawLog } from './log-reader';
import { topicForNumber } from './log-words';
import { decodeStakingLog, STAKING_HOLDER_EVENTS, STAKING_MODEL_EVENTS, STAKING_TOPIC, type StakingEvent } from './staking-events';

type Topics = LogFilter['topics'];

export interface IndexSchema {
  decode(log: RawLog): StakingEvent | null;
  /** Topic 0 of the holder events (topic 1 is the holder). */
  holderTopics: string[];
  /** The holder and model of a holder event, else null. */
  holderOf(e: StakingEvent): { holder: string; modelId: number } | null;
  /** The filter topics of the model streams of `ids`. */
  modelTopics(ids: number[]): Topics;
  /** The model of an event of the model streams, else null. */
  modelOf(e: StakingEvent): number | null;
}

const MODEL_KINDS = new Set<string>(STAKING_MODEL_EVENTS);
const MODEL_TOPICS = STAKING_MODEL_EVENTS.map((n) => STAKING_TOPIC[n]);

export const STAKING_SCHEMA: IndexSchema = {
  decode: decodeStakingLog,
  holderTopics: STAKING_HOLDER_EVENTS.map((n) => STAKING_TOPIC[n]),
  holderOf: (e) => ('holder' in e ? e : null),
  modelTopics: (ids) => [MODEL_TOPICS, ids.map(topicForNumber)],
  modelOf: (e) => (MODEL_KINDS.has(e.kind) ? (e as { modelId: number }).modelId : null),
};
