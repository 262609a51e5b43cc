/**
 * What the indexer reads for each pool kind: the streams' filters, which decoded event belongs to
 * which stream, and the stored form. The indexer's reading, resuming and reorg handling are the same
 * for both pools; only this table differs.
 *
 *   delegation  global: RoundClosed, ModelRegistered · holder:<a>: the six holder events (topic 1) ·
 *               model:<id>: RoundResolved (topic 2 = model id)
 *   staking     no global stream · holder:<a>: STAKING_HOLDER_EVENTS (topic 1) · model:<id>: every
 *               STAKING_MODEL_EVENTS event (topic 1 = model id), ModelRegistered included
 */
import type { RawLog, LogFilter } from './log-reader';
import { DELEGATION_CODEC, STAKING_CODEC, type EventCodec, type StoredEvent } from './index-store';
import { decodeLog, HOLDER_EVENTS, poolInterface, TOPIC, topicForNumber, type PoolEvent } from './pool-events';
import type { PoolKind } from './pool-kind';
import { decodeStakingLog, STAKING_HOLDER_EVENTS, STAKING_MODEL_EVENTS, STAKING_TOPIC, type StakingEvent } from './staking-events';

type Topics = LogFilter['topics'];

export interface IndexSchema<E extends StoredEvent> {
  codec: EventCodec<E>;
  decode(log: RawLog): E | null;
  /** Topics of the `global` stream (events read whoever they concern), or null when there is none. */
  globalTopics: Topics | null;
  isGlobal(e: E): boolean;
  /** Topic 0 of the holder events (topic 1 is the holder). */
  holderTopics: string[];
  /** The holder and model of a holder event, else null. */
  holderOf(e: E): { holder: string; modelId: number } | null;
  /** The filter topics of the model streams of `ids`. */
  modelTopics(ids: number[]): Topics;
  /** The model of an event of the model streams, else null. */
  modelOf(e: E): number | null;
  /** Blocks where rounds closed (the old pool's planning of model reads); empty when unknown. */
  closes(events: readonly E[]): number[];
  /** eth_call data for the pool's lock rounds, read once (the old pool's catch-up flows), or null. */
  lockRoundsCall: string | null;
}

const DELEGATION_MODEL_TOPIC = TOPIC.RoundResolved;

export const DELEGATION_SCHEMA: IndexSchema<PoolEvent> = {
  codec: DELEGATION_CODEC,
  decode: decodeLog,
  globalTopics: [[TOPIC.RoundClosed, TOPIC.ModelRegistered]],
  isGlobal: (e) => e.kind === 'RoundClosed' || e.kind === 'ModelRegistered',
  holderTopics: HOLDER_EVENTS.map((n) => TOPIC[n]),
  holderOf: (e) => ('holder' in e ? e : null),
  modelTopics: (ids) => [DELEGATION_MODEL_TOPIC, null, ids.map(topicForNumber)],
  modelOf: (e) => (e.kind === 'RoundResolved' ? e.modelId : null),
  closes: (events) => events.filter((e) => e.kind === 'RoundClosed').map((e) => e.block),
  lockRoundsCall: poolInterface.encodeFunctionData('lockRounds'),
};

const MODEL_KINDS = new Set<string>(STAKING_MODEL_EVENTS);
const MODEL_TOPICS = STAKING_MODEL_EVENTS.map((n) => STAKING_TOPIC[n]);

export const STAKING_SCHEMA: IndexSchema<StakingEvent> = {
  codec: STAKING_CODEC,
  decode: decodeStakingLog,
  globalTopics: null,
  isGlobal: () => false,
  holderTopics: STAKING_HOLDER_EVENTS.map((n) => STAKING_TOPIC[n]),
  holderOf: (e) => ('holder' in e ? e : null),
  modelTopics: (ids) => [MODEL_TOPICS, ids.map(topicForNumber)],
  modelOf: (e) => (MODEL_KINDS.has(e.kind) ? (e as { modelId: number }).modelId : null),
  closes: () => [],
  lockRoundsCall: null,
};

export function indexSchema(kind: 'delegation'): IndexSchema<PoolEvent>;
export function indexSchema(kind: 'staking'): IndexSchema<StakingEvent>;
export function indexSchema(kind: PoolKind): IndexSchema<PoolEvent> | IndexSchema<StakingEvent>;
export function indexSchema(kind: PoolKind): IndexSchema<PoolEvent> | IndexSchema<StakingEvent> {
  return kind === 'staking' ? STAKING_SCHEMA : DELEGATION_SCHEMA;
}
