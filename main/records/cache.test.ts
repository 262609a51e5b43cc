import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CACHE_VERSION, encodeTrackRecords, readTrackRecordCache, writeTrackRecordCache, type CachedTrackRecords } from './cache';
import { generateDemoRecords } from './demo-source';
import { leaderboardColumns, listingFromColumns } from './listing';
import { handSet } from './test-support/hand-sets';
import { TOURNAMENTS, type TrackRecordSet } from './types';

const dir = mkdtempSync(join(tmpdir(), 'records-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const fresh = () => join(dir, `cache-${seq++}.bin`);

function expectSameSet(a: TrackRecordSet, b: TrackRecordSet): void {
  expect(b.source).toBe(a.source);
  expect(b.asOfMs).toBe(a.asOfMs);
  expect(b.models).toEqual(a.models);
  expect([...b.index]).toEqual([...a.index]);
  expect(b.currentStakeWei).toEqual(a.currentStakeWei);
  for (const k of ['offsets', 'rounds', 'returnBps', 'corr20', 'mmc', 'tc', 'stakeNmr'] as const) {
    // Bit-exact (NaN included): compare the bytes.
    expect(
      Buffer.from(b[k].buffer, b[k].byteOffset, b[k].byteLength).equals(Buffer.from(a[k].buffer, a[k].byteOffset, a[k].byteLength)),
      k,
    ).toBe(true);
  }
  for (const t of TOURNAMENTS) {
    expect(b.calendars[t].firstRound).toBe(a.calendars[t].firstRound);
    expect(Array.from(b.calendars[t].resolveTimeMs)).toEqual(Array.from(a.calendars[t].resolveTimeMs));
  }
}

const hand = (): CachedTrackRecords => {
  const set = handSet([
    { name: 'alpha', returns: [10, -20.5, 30], corr20: [0.01, Number.NaN, 0.03], stakeWei: 250_000n * 10n ** 18n + 123n },
    { name: 'bêta_ü', returns: [], feeBps: 1500 },
    { name: 'gamma', returns: [5, 6], rounds: [3, 7], tournament: 'signals', stakeWei: (1n << 100n) + 7n },
  ]);
  const models = set.models.map((m, i) => (i === 0 ? { ...m, modelId: 42 } : m));
  return {
    set: { ...set, models },
    fetchedAtMs: Date.UTC(2025, 5, 1, 12),
    sourceIds: ['9b157d9b-ce61-4ab5-9413-413f13a0c0a6', undefined, 'x'],
  };
};

describe('track-record cache', () => {
  it('round-trips a set bit for bit: NaN scores, 128-bit stakes, unicode names, pool ids, source ids', async () => {
    const path = fresh();
    const c = hand();
    const bytes = await writeTrackRecordCache(path, c);
    expect(bytes).toBe(readFileSync(path).length);
    const r = await readTrackRecordCache(path);
    if (r.status !== 'ok') throw new Error(r.status);
    expectSameSet(c.set, r.records.set);
    expect(r.records.fetchedAtMs).toBe(c.fetchedAtMs);
    expect(r.records.sourceIds).toEqual(c.sourceIds);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the leaderboards’ figures when given (NaN: none), and a file without them has none', async () => {
    const path = fresh();
    const leaderboard = {
      rank: Float64Array.of(3, Number.NaN, 1),
      return3mPct: Float64Array.of(12.5, Number.NaN, Number.NaN),
      return1yPct: Float64Array.of(-4, Number.NaN, 20),
    };
    await writeTrackRecordCache(path, { ...hand(), leaderboard });
    const r = await readTrackRecordCache(path);
    if (r.status !== 'ok') throw new Error(r.status);
    expect(r.records.leaderboard).toEqual(leaderboard);
    const listing = listingFromColumns(r.records.set, r.records.leaderboard!);
    expect([...listing.keys()]).toEqual(['alpha', 'gamma']);
    expect(listing.get('gamma')).toEqual({ name: 'gamma', rank: 1, stakeWei: (1n << 100n) + 7n, return3mPct: null, return1yPct: 20 });
    expect(leaderboardColumns(r.records.set, listing)).toEqual(leaderboard);
    await writeTrackRecordCache(path, hand());
    const without = await readTrackRecordCache(path);
    expect(without.status === 'ok' && without.records.leaderboard).toBeUndefined();
    await expect(writeTrackRecordCache(path, { ...hand(), leaderboard: { ...leaderboard, rank: new Float64Array(2) } })).rejects.toThrow(
      /leaderboard figure/,
    );
  });

  it('round-trips a demo world, columns as views into the file bytes', async () => {
    const path = fresh();
    const set = generateDemoRecords({ models: 150 });
    await writeTrackRecordCache(path, { set, fetchedAtMs: 1, sourceIds: set.models.map(() => undefined) });
    const r = await readTrackRecordCache(path);
    if (r.status !== 'ok') throw new Error(r.status);
    expectSameSet(set, r.records.set);
    expect(r.records.set.rounds.buffer).toBe(r.records.set.returnBps.buffer); // one buffer, no copies
  });

  it('is one header then raw little-endian columns, 8-byte aligned', () => {
    const chunks = encodeTrackRecords(hand());
    const file = Buffer.concat(chunks);
    expect(file.toString('latin1', 0, 8)).toBe('NMRDRECS');
    expect(file.readUInt32LE(8)).toBe(CACHE_VERSION);
    const header = JSON.parse(file.toString('utf8', 32, 32 + file.readUInt32LE(12))) as {
      sections: { name: string; offset: number; length: number }[];
    };
    const bodyStart = (32 + file.readUInt32LE(12) + 7) & ~7;
    const rounds = header.sections.find((s) => s.name === 'rounds')!;
    expect(rounds.offset % 8).toBe(0);
    expect(file.readInt32LE(bodyStart + rounds.offset + 4 * 3)).toBe(3); // gamma's first round
    expect(file.length).toBe(bodyStart + Number(file.readBigUInt64LE(24)));
  });

  const corruptions: [string, (b: Buffer) => Buffer][] = [
    ['a flipped byte in a column', (b) => ((b[b.length - 40]! ^= 0x10), b)],
    ['a flipped byte in the header', (b) => ((b[40]! ^= 0x01), b)],
    ['a truncated file', (b) => b.subarray(0, b.length - 8)],
    ['extra bytes at the end', (b) => Buffer.concat([b, Buffer.alloc(8)])],
    ['a wrong magic', (b) => (b.write('NOTRECS!', 0, 'latin1'), b)],
    ['a header length past the end', (b) => (b.writeUInt32LE(0xffffff, 12), b)],
    ['a file of a few bytes', () => Buffer.from('NMRD')],
    ['an empty file', () => Buffer.alloc(0)],
  ];
  it.each(corruptions)('detects %s, sets the file aside as .corrupt and never trusts it', async (_what, damage) => {
    const path = fresh();
    await writeTrackRecordCache(path, hand());
    const damaged = damage(Buffer.from(readFileSync(path)));
    writeFileSync(path, damaged);
    const r = await readTrackRecordCache(path);
    expect(r.status).toBe('corrupt');
    if (r.status !== 'corrupt') return;
    expect(r.movedTo).toBe(`${path}.corrupt`);
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(`${path}.corrupt`).equals(damaged)).toBe(true);
    expect((await readTrackRecordCache(path)).status).toBe('missing');
  });

  it('detects a consistent-looking file whose header lies (checksums recomputed)', async () => {
    const path = fresh();
    const chunks = encodeTrackRecords(hand());
    const file = Buffer.concat(chunks);
    const hlen = file.readUInt32LE(12);
    const header = JSON.parse(file.toString('utf8', 32, 32 + hlen)) as { rows: number };
    const lie = Buffer.from(JSON.stringify({ ...header, rows: header.rows + 1 }).padEnd(hlen, ' '), 'utf8');
    lie.copy(file, 32);
    const { crc32 } = await import('node:zlib');
    file.writeUInt32LE(crc32(lie), 16);
    writeFileSync(path, file);
    const r = await readTrackRecordCache(path);
    expect(r.status).toBe('corrupt');
    if (r.status === 'corrupt') expect(r.reason).toMatch(/offsets|elements/);
  });

  it('ignores (without setting aside) a file of another format version', async () => {
    const path = fresh();
    await writeTrackRecordCache(path, hand());
    const b = readFileSync(path);
    b.writeUInt32LE(CACHE_VERSION + 1, 8);
    writeFileSync(path, b);
    expect((await readTrackRecordCache(path)).status).toBe('outdated');
    expect(existsSync(path)).toBe(true);
  });

  it('says missing when there is no file', async () => {
    expect(await readTrackRecordCache(join(dir, 'none.bin'))).toEqual({ status: 'missing' });
  });
});
