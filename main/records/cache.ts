/**
 * The disk cache of a TrackRecordSet: one binary file, columnar, read back at near disk speed.
 *
 * Layout (all integers little-endian):
 *
 *   offset  size  field
 *   0       8     magic "NMRDRECS"
 *   8       4     u32 format version (CACHE_VERSION)
 *   12      4     u32 header length H in bytes
 *   16      4     u32 CRC-32 of the header bytes
 *   20      4     u32 CRC-32 of the body bytes
 *   24      8     u64 body length B in bytes
 *   32      H     header: UTF-8 JSON (source, asOfMs, fetchedAtMs, counts, calendars, section table)
 *   ..            zero padding to a multiple of 8
 *   S       B     body: the sections, each starting at a multiple of 8 (zero padding between)
 *
 * The file is exactly S + B bytes. Sections (n models, r rows):
 *   offsets u32[n+1] · rounds i32[r] · returnBps, corr20, mmc, tc, stakeNmr f32[r]   (the set's columns)
 *   cal.classic, cal.signals, cal.crypto f64[rounds of each calendar]                  (resolve times)
 *   model.tournament u8[n] · model.flags u8[n] (bit 0: demo) · model.startRound i32[n]
 *   model.feeBps i32[n] · model.poolId i32[n] (−1: none) · model.stakeLo, model.stakeHi u64[n]
 *     (current stake in wei as 128 bits: lo + hi·2⁶⁴ — stakes pass 2⁶⁴ wei at 18.4 NMR)
 *   name.offsets u32[n+1] · name.bytes u8[…] · sourceId.offsets u32[n+1] · sourceId.bytes u8[…]
 *     (UTF-8 strings end to end; an empty source id means none)
 *   partial.fetched u8[n]   only in a file saved by an unfinished load (header `partial`): 1 for
 *     each model that load has fetched, so the next one resumes it
 *   leaderboard.rank, leaderboard.return3mPct, leaderboard.return1yPct f64[n]   optional: what the
 *     source's leaderboards said of each model (NaN: nothing); a file without them has none
 *   figures.<metric> f64[n] for every METRIC_KEYS · spark.offsets u32[n+1] · spark.values f64[…]
 *     optional: each model's list figures and list sparkline, for a set saved without its rows (the
 *     demo world: demo-records.ts), with header `key` saying what the file was made from
 *
 * Reading validates everything before trusting anything: magic, version, lengths, both checksums,
 * the header's schema, every section's bounds, alignment and size against the counts, and that
 * offsets are monotone and names unique. A file that fails is renamed `<path>.corrupt` and reported;
 * the caller rebuilds. The typed-array columns of the set it returns are views straight into the
 * file's bytes (no per-row work at all). Writing is atomic: a temp file beside the target, fsync,
 * rename, fsync of the folder.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, mkdir, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { METRIC_KEYS, type MetricKey } from './metrics';
import { TOURNAMENTS, type ModelInfo, type RoundCalendar, type Tournament, type TrackRecordSet } from './types';

export const CACHE_MAGIC = 'NMRDRECS';
export const CACHE_VERSION = 1;
const PREFIX_BYTES = 32;
const MAX_HEADER_BYTES = 1 << 20;
const U64 = 1n << 64n;

/** What the cache holds: a set, when it was fetched, and each model's id at its source. */
export interface CachedTrackRecords {
  set: TrackRecordSet;
  /** When the data was fetched from its source (epoch ms): "data from 3 hours ago". */
  fetchedAtMs: number;
  /** Per model, in set order: the source's id (Numerai's model UUID), or undefined. */
  sourceIds: readonly (string | undefined)[];
  /**
   * Set while a load is unfinished (it saves as it goes): the next one resumes it instead of
   * starting over. `fetchedAtMs` is then the age of the oldest data in the file.
   */
  partial?: PartialLoad;
  /** What the source's leaderboards said of each model, in set order (NaN: nothing): shown while histories load, and offline. */
  leaderboard?: LeaderboardColumns;
  /** Each model's list figures and sparkline, for a set saved without rows (the demo world). */
  figures?: ListFigures;
  /** What the file was made from (the demo world's options): a reader expecting another key ignores it. */
  key?: string;
}

/** Per model, in set order: the metrics table's columns and the list's sparkline (empty for a model without rounds). */
export interface ListFigures {
  columns: Record<MetricKey, Float64Array>;
  sparks: Float64Array[];
}

/** Per model, in set order: the leaderboard's rank and the source's own returns in percent; NaN where it gave none. */
export interface LeaderboardColumns {
  rank: Float64Array;
  return3mPct: Float64Array;
  return1yPct: Float64Array;
}

const LEADERBOARD_SECTIONS = ['rank', 'return3mPct', 'return1yPct'] as const;

/** An unfinished load, saved in the cache. */
export interface PartialLoad {
  /** When the load began (later attempts resume it, so this stays the first one's start). */
  startedAtMs: number;
  /** Models the load had to fetch in all (its leaderboards' count when it was saved). */
  total: number;
  /** Per model, in set order: 1 if this load has fetched it (it is not fetched again). */
  fetched: Uint8Array;
}

export type CacheReadResult =
  | { status: 'ok'; records: CachedTrackRecords; bytes: number }
  | { status: 'missing' }
  /** Written by another format version (an older or newer app): ignored, overwritten on the next write. */
  | { status: 'outdated'; reason: string }
  /** Failed validation: set aside as `movedTo` (null if even the rename failed) and never used. */
  | { status: 'corrupt'; reason: string; movedTo: string | null };

export class CacheFormatError extends Error {
  override readonly name = 'CacheFormatError';
}

type ElemType = 'u8' | 'u32' | 'i32' | 'f32' | 'f64' | 'u64';
const ELEM_BYTES: Record<ElemType, number> = { u8: 1, u32: 4, i32: 4, f32: 4, f64: 8, u64: 8 };

const SectionSchema = z.object({
  name: z.string(),
  type: z.enum(['u8', 'u32', 'i32', 'f32', 'f64', 'u64']),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
});
const CalendarSchema = z.object({ firstRound: z.number().int(), rounds: z.number().int().nonnegative() });
const HeaderSchema = z.object({
  format: z.literal('nmr-delegate track records'),
  source: z.enum(['demo', 'numerai', 'chain']),
  asOfMs: z.number(),
  fetchedAtMs: z.number(),
  models: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  calendars: z.object({ classic: CalendarSchema, signals: CalendarSchema, crypto: CalendarSchema }),
  sections: z.array(SectionSchema).max(64),
  // Optional, so files without it (complete loads, older apps' files) read as before, and an
  // older app reading this file sees a complete cache and simply refetches what it lacks.
  partial: z.object({ startedAtMs: z.number(), total: z.number().int().nonnegative() }).optional(),
  key: z.string().max(1000).optional(),
});
type Header = z.output<typeof HeaderSchema>;

const TOURNAMENT_CODE: Record<Tournament, number> = { classic: 0, signals: 1, crypto: 2 };

/** CRC-32 continued over `data`. (Node's zlib.crc32 returns 0 for an empty view over an empty ArrayBuffer.) */
function crc(data: Uint8Array, prev = 0): number {
  return data.length === 0 ? prev : crc32(data, prev);
}

function align8(x: number): number {
  return (x + 7) & ~7;
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function encodeStrings(values: readonly string[]): { offsets: Uint32Array; bytes: Uint8Array } {
  const offsets = new Uint32Array(values.length + 1);
  const parts = values.map((v) => Buffer.from(v, 'utf8'));
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  return { offsets, bytes: Buffer.concat(parts) };
}

/**
 * The file's bytes as chunks (the big columns are views of the set's arrays, not copies).
 * Throws CacheFormatError for what the format cannot hold (a pool id beyond i32, a stake of 2¹²⁸
 * wei or more) and on big-endian machines.
 */
export function encodeTrackRecords(c: CachedTrackRecords): Uint8Array[] {
  if (endianness() !== 'LE') throw new CacheFormatError('the track-record cache is little-endian only');
  const { set } = c;
  const n = set.models.length;
  const r = set.rounds.length;
  if (set.offsets.length !== n + 1 || set.offsets[n] !== r) throw new CacheFormatError('set offsets do not match its rows');
  if (c.sourceIds.length !== n) throw new CacheFormatError('one source id per model is needed');
  if (c.partial && c.partial.fetched.length !== n) throw new CacheFormatError('one fetched flag per model is needed');
  if (c.leaderboard && LEADERBOARD_SECTIONS.some((k) => c.leaderboard![k].length !== n))
    throw new CacheFormatError('one leaderboard figure per model is needed');
  if (c.figures && (METRIC_KEYS.some((k) => c.figures!.columns[k].length !== n) || c.figures.sparks.length !== n))
    throw new CacheFormatError('one figure of each kind per model is needed');
  const stakes = set.models.map((m, i) => {
    if (m.modelId !== undefined && (!Number.isInteger(m.modelId) || m.modelId < 0 || m.modelId > 0x7fffffff))
      throw new CacheFormatError(`${m.name}: pool id ${m.modelId} does not fit the cache`);
    const wei = set.currentStakeWei[i] ?? 0n;
    if (wei < 0n || wei >= U64 * U64) throw new CacheFormatError(`${m.name}: stake out of range`);
    return wei;
  });
  const tournament = Uint8Array.from(set.models, (m) => TOURNAMENT_CODE[m.tournament]);
  const flags = Uint8Array.from(set.models, (m) => (m.isDemo ? 1 : 0));
  const startRound = Int32Array.from(set.models, (m) => m.startRound);
  const feeBps = Int32Array.from(set.models, (m) => m.operatorFeeBps);
  const poolId = Int32Array.from(set.models, (m) => m.modelId ?? -1);
  // A stake is up to 128 bits: two 64-bit halves.
  const stakeLo = BigUint64Array.from(stakes, (wei) => wei % U64);
  const stakeHi = BigUint64Array.from(stakes, (wei) => wei / U64);
  const names = encodeStrings(set.models.map((m) => m.name));
  const ids = encodeStrings(c.sourceIds.map((s) => s ?? ''));

  const columns: [string, ElemType, ArrayBufferView][] = [
    ['offsets', 'u32', set.offsets],
    ['rounds', 'i32', set.rounds],
    ['returnBps', 'f32', set.returnBps],
    ['corr20', 'f32', set.corr20],
    ['mmc', 'f32', set.mmc],
    ['tc', 'f32', set.tc],
    ['stakeNmr', 'f32', set.stakeNmr],
    ...TOURNAMENTS.map((t): [string, ElemType, ArrayBufferView] => [`cal.${t}`, 'f64', set.calendars[t].resolveTimeMs]),
    ['model.tournament', 'u8', tournament],
    ['model.flags', 'u8', flags],
    ['model.startRound', 'i32', startRound],
    ['model.feeBps', 'i32', feeBps],
    ['model.poolId', 'i32', poolId],
    ['model.stakeLo', 'u64', stakeLo],
    ['model.stakeHi', 'u64', stakeHi],
    ['name.offsets', 'u32', names.offsets],
    ['name.bytes', 'u8', names.bytes],
    ['sourceId.offsets', 'u32', ids.offsets],
    ['sourceId.bytes', 'u8', ids.bytes],
    ...(c.partial ? [['partial.fetched', 'u8', c.partial.fetched] as [string, ElemType, ArrayBufferView]] : []),
    ...(c.leaderboard
      ? LEADERBOARD_SECTIONS.map((k): [string, ElemType, ArrayBufferView] => [`leaderboard.${k}`, 'f64', c.leaderboard![k]])
      : []),
    ...(c.figures ? figureSections(c.figures) : []),
  ];
  for (const k of ['rounds', 'returnBps', 'corr20', 'mmc', 'tc', 'stakeNmr'] as const) {
    if (set[k].length !== r) throw new CacheFormatError(`column ${k} has ${set[k].length} rows, rounds has ${r}`);
  }

  const body: Uint8Array[] = [];
  const sections: Header['sections'] = [];
  let pos = 0;
  for (const [name, type, arr] of columns) {
    const b = bytesOf(arr);
    sections.push({ name, type, offset: pos, length: b.length });
    if (b.length > 0) body.push(b);
    pos += b.length;
    const pad = align8(pos) - pos;
    if (pad) body.push(new Uint8Array(pad));
    pos += pad;
  }
  let bodyCrc = 0;
  for (const b of body) bodyCrc = crc(b, bodyCrc);

  const header: Header = {
    format: 'nmr-delegate track records',
    source: set.source,
    asOfMs: set.asOfMs,
    fetchedAtMs: c.fetchedAtMs,
    models: n,
    rows: r,
    calendars: Object.fromEntries(
      TOURNAMENTS.map((t) => [t, { firstRound: set.calendars[t].firstRound, rounds: set.calendars[t].resolveTimeMs.length }]),
    ) as Header['calendars'],
    sections,
    ...(c.partial ? { partial: { startedAtMs: c.partial.startedAtMs, total: c.partial.total } } : {}),
    ...(c.key !== undefined ? { key: c.key } : {}),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  if (headerBytes.length > MAX_HEADER_BYTES) throw new CacheFormatError('cache header too large');
  const prefix = Buffer.alloc(align8(PREFIX_BYTES + headerBytes.length));
  prefix.write(CACHE_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(CACHE_VERSION, 8);
  prefix.writeUInt32LE(headerBytes.length, 12);
  prefix.writeUInt32LE(crc(headerBytes), 16);
  prefix.writeUInt32LE(bodyCrc >>> 0, 20);
  prefix.writeBigUInt64LE(BigInt(pos), 24);
  headerBytes.copy(prefix, PREFIX_BYTES);
  return [prefix, ...body];
}

function figureSections(f: ListFigures): [string, ElemType, ArrayBufferView][] {
  const offsets = new Uint32Array(f.sparks.length + 1);
  f.sparks.forEach((s, i) => (offsets[i + 1] = offsets[i]! + s.length));
  const values = new Float64Array(offsets[f.sparks.length]!);
  f.sparks.forEach((s, i) => values.set(s, offsets[i]));
  return [
    ...METRIC_KEYS.map((k): [string, ElemType, ArrayBufferView] => [`figures.${k}`, 'f64', f.columns[k]]),
    ['spark.offsets', 'u32', offsets],
    ['spark.values', 'f64', values],
  ];
}

/**
 * Writes the cache atomically (temp file + fsync + rename + fsync of the folder): after a crash
 * the path holds the old file or the new one, never a mix. Returns the bytes written.
 */
export async function writeTrackRecordCache(path: string, c: CachedTrackRecords): Promise<number> {
  const chunks = encodeTrackRecords(c);
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  let total = 0;
  try {
    for (const chunk of chunks) {
      let off = 0;
      while (off < chunk.length) {
        const { bytesWritten } = await fh.write(chunk, off, Math.min(chunk.length - off, 64 << 20));
        off += bytesWritten;
      }
      total += chunk.length;
    }
    await fh.sync();
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  await rename(tmp, path);
  if (process.platform !== 'win32') {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }
  return total;
}

class Corrupt extends Error {}

function fail(msg: string): never {
  throw new Corrupt(msg);
}

/** Parses and validates a cache file's bytes. Throws Corrupt (or returns 'outdated'). */
function decode(buf: Uint8Array): CacheReadResult {
  if (buf.length < PREFIX_BYTES) fail(`file too short (${buf.length} bytes)`);
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.toString('latin1', 0, 8) !== CACHE_MAGIC) fail('not a track-record cache (bad magic)');
  const version = b.readUInt32LE(8);
  if (version !== CACHE_VERSION) return { status: 'outdated', reason: `format version ${version}, this app reads ${CACHE_VERSION}` };
  const headerLen = b.readUInt32LE(12);
  if (headerLen > MAX_HEADER_BYTES || PREFIX_BYTES + headerLen > b.length) fail('header length out of bounds');
  const headerBytes = b.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLen);
  if (crc(headerBytes) !== b.readUInt32LE(16)) fail('header checksum mismatch');
  let header: Header;
  try {
    const parsed = HeaderSchema.safeParse(JSON.parse(headerBytes.toString('utf8')));
    if (!parsed.success) fail(`invalid header: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    header = parsed.data;
  } catch (e) {
    if (e instanceof Corrupt) throw e;
    fail('header is not JSON');
  }
  const bodyStart = align8(PREFIX_BYTES + headerLen);
  const bodyLen = b.readBigUInt64LE(24);
  if (BigInt(bodyStart) + bodyLen !== BigInt(b.length)) fail(`file is ${b.length} bytes, header says ${BigInt(bodyStart) + bodyLen}`);
  const body = b.subarray(bodyStart);
  if (crc(body) !== b.readUInt32LE(20)) fail('body checksum mismatch');

  const n = header.models;
  const r = header.rows;
  const sections = new Map<string, z.output<typeof SectionSchema>>();
  for (const s of header.sections) {
    if (sections.has(s.name)) fail(`section ${s.name} twice`);
    if (s.offset % 8 !== 0 || s.offset + s.length > body.length) fail(`section ${s.name} out of bounds`);
    if (s.length % ELEM_BYTES[s.type] !== 0) fail(`section ${s.name} has a partial element`);
    sections.set(s.name, s);
  }
  function view<T>(
    name: string,
    type: ElemType,
    count: number | null,
    make: (buffer: ArrayBufferLike, byteOffset: number, length: number) => T,
  ): T {
    const s = sections.get(name);
    if (!s) fail(`section ${name} missing`);
    if (s.type !== type) fail(`section ${name} is ${s.type}, expected ${type}`);
    const len = s.length / ELEM_BYTES[type];
    if (count !== null && len !== count) fail(`section ${name} has ${len} elements, expected ${count}`);
    return make(body.buffer, body.byteOffset + s.offset, len);
  }
  const u8 = (name: string, count: number | null) => view(name, 'u8', count, (a, o, l) => new Uint8Array(a, o, l));
  const u32 = (name: string, count: number | null) => view(name, 'u32', count, (a, o, l) => new Uint32Array(a, o, l));
  const i32 = (name: string, count: number | null) => view(name, 'i32', count, (a, o, l) => new Int32Array(a, o, l));
  const f32 = (name: string, count: number | null) => view(name, 'f32', count, (a, o, l) => new Float32Array(a, o, l));
  const f64 = (name: string, count: number | null) => view(name, 'f64', count, (a, o, l) => new Float64Array(a, o, l));
  const u64 = (name: string, count: number | null) => view(name, 'u64', count, (a, o, l) => new BigUint64Array(a, o, l));

  const offsets = u32('offsets', n + 1);
  if (offsets[0] !== 0 || offsets[n] !== r) fail('row offsets do not span the rows');
  for (let i = 0; i < n; i++) if (offsets[i]! > offsets[i + 1]!) fail(`row offsets decrease at model ${i}`);
  const strings = (prefix: string): string[] => {
    const offs = u32(`${prefix}.offsets`, n + 1);
    const bytes = u8(`${prefix}.bytes`, null);
    if (offs[0] !== 0 || offs[n] !== bytes.length) fail(`${prefix} offsets do not span the bytes`);
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      if (offs[i]! > offs[i + 1]!) fail(`${prefix} offsets decrease at ${i}`);
      out[i] = text.toString('utf8', offs[i], offs[i + 1]);
    }
    return out;
  };
  const names = strings('name');
  const ids = strings('sourceId');
  const tournament = u8('model.tournament', n);
  const flags = u8('model.flags', n);
  const startRound = i32('model.startRound', n);
  const feeBps = i32('model.feeBps', n);
  const poolId = i32('model.poolId', n);
  const stakeLo = u64('model.stakeLo', n);
  const stakeHi = u64('model.stakeHi', n);
  const calendars = Object.fromEntries(
    TOURNAMENTS.map((t): [Tournament, RoundCalendar] => [
      t,
      { firstRound: header.calendars[t].firstRound, resolveTimeMs: f64(`cal.${t}`, header.calendars[t].rounds) },
    ]),
  ) as Record<Tournament, RoundCalendar>;

  const models: ModelInfo[] = new Array<ModelInfo>(n);
  const index = new Map<string, number>();
  const currentStakeWei: bigint[] = new Array<bigint>(n);
  for (let i = 0; i < n; i++) {
    const t = TOURNAMENTS[tournament[i]!];
    if (!t) fail(`model ${i} has tournament code ${tournament[i]}`);
    const name = names[i]!;
    if (index.has(name)) fail(`model name "${name}" twice`);
    index.set(name, i);
    const base = { name, tournament: t, startRound: startRound[i]!, isDemo: (flags[i]! & 1) === 1, operatorFeeBps: feeBps[i]! };
    models[i] = poolId[i]! >= 0 ? { ...base, modelId: poolId[i]! } : base;
    currentStakeWei[i] = stakeHi[i]! * U64 + stakeLo[i]!;
  }
  const set: TrackRecordSet = {
    source: header.source,
    asOfMs: header.asOfMs,
    models,
    offsets,
    rounds: i32('rounds', r),
    returnBps: f32('returnBps', r),
    corr20: f32('corr20', r),
    mmc: f32('mmc', r),
    tc: f32('tc', r),
    stakeNmr: f32('stakeNmr', r),
    currentStakeWei,
    calendars,
    index,
  };
  const records: CachedTrackRecords = { set, fetchedAtMs: header.fetchedAtMs, sourceIds: ids.map((s) => (s === '' ? undefined : s)) };
  if (header.partial) records.partial = { ...header.partial, fetched: u8('partial.fetched', n) };
  // Optional (files before it have none): the leaderboards' figures.
  if (sections.has('leaderboard.rank'))
    records.leaderboard = {
      rank: f64('leaderboard.rank', n),
      return3mPct: f64('leaderboard.return3mPct', n),
      return1yPct: f64('leaderboard.return1yPct', n),
    };
  if (sections.has('figures.rounds')) {
    const columns = Object.fromEntries(METRIC_KEYS.map((k) => [k, f64(`figures.${k}`, n)])) as Record<MetricKey, Float64Array>;
    const offs = u32('spark.offsets', n + 1);
    const values = f64('spark.values', null);
    if (offs[0] !== 0 || offs[n] !== values.length) fail('spark offsets do not span the values');
    const sparks: Float64Array[] = new Array<Float64Array>(n);
    for (let i = 0; i < n; i++) {
      if (offs[i]! > offs[i + 1]!) fail(`spark offsets decrease at ${i}`);
      sparks[i] = values.subarray(offs[i], offs[i + 1]);
    }
    records.figures = { columns, sparks };
  }
  if (header.key !== undefined) records.key = header.key;
  return { status: 'ok', records, bytes: b.length };
}

/** Reads a whole file into one 8-byte-aligned buffer, several chunks in flight (off the event loop). */
async function readAll(path: string): Promise<Uint8Array | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const { size } = await fh.stat();
    const buf = new Uint8Array(new ArrayBuffer(size));
    const CHUNK = 16 << 20;
    let next = 0;
    const worker = async () => {
      for (;;) {
        const start = next;
        if (start >= size) return;
        next += CHUNK;
        const end = Math.min(size, start + CHUNK);
        let pos = start;
        while (pos < end) {
          const { bytesRead } = await fh.read(buf, pos, end - pos, pos);
          if (bytesRead === 0) throw new Corrupt('file shrank while being read');
          pos += bytesRead;
        }
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return buf;
  } finally {
    await fh.close();
  }
}

/**
 * Reads and validates the cache. Never throws for a bad file: a corrupt one is renamed
 * `<path>.corrupt` (replacing an older one) and reported, so the next start does not trip on it
 * again and the evidence is kept. I/O errors other than "no such file" do throw.
 */
export async function readTrackRecordCache(path: string): Promise<CacheReadResult> {
  if (endianness() !== 'LE') return { status: 'outdated', reason: 'the track-record cache is little-endian only' };
  let buf: Uint8Array | null;
  try {
    buf = await readAll(path);
    if (buf === null) return { status: 'missing' };
    return decode(buf);
  } catch (e) {
    if (!(e instanceof Corrupt)) throw e;
    const movedTo = `${path}.corrupt`;
    try {
      await rename(path, movedTo);
      return { status: 'corrupt', reason: e.message, movedTo };
    } catch {
      return { status: 'corrupt', reason: e.message, movedTo: null };
    }
  }
}

/** Size of the cache file in bytes, or null when there is none. */
export async function cacheFileBytes(path: string): Promise<number | null> {
  try {
    return (await stat(path)).size;
  } catch {
    return null;
  }
}
