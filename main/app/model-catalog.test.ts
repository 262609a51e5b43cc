import { describe, expect, it } from 'vitest';
import type { EventBus } from '../ipc/events';
import { silentLogger } from '../log/logger';
import type { SettingsStore } from '../store/settings';
import type { ChainSession, OnChainModel } from './chain-session';
import { ModelCatalog } from './model-catalog';
import { noRecordRow } from './model-rows';
import type { TrackRecords } from './track-records';

const QUERY = {
  scope: 'pool',
  search: '',
  filter: {},
  sort: { key: 'name', dir: 'asc' },
  offset: 0,
  limit: 100,
} as const;

/** The parts of the records the pool's list reads: every model known, none with a history. */
function fakeRecords() {
  let listener: ((setChanged: boolean) => void) | null = null;
  let rowsRead = 0;
  const records = {
    ready: () => Promise.resolve(),
    has: () => true,
    row: (name: string) => {
      rowsRead++;
      return noRecordRow(name);
    },
    summary: () => null,
    dataLabel: () => 'demo',
    prioritize: () => undefined,
    onChange: (l: (setChanged: boolean) => void) => {
      listener = l;
      return () => undefined;
    },
  };
  return {
    records: records as unknown as TrackRecords,
    replaceSet: () => listener?.(true),
    rowsRead: () => rowsRead,
  };
}

function fakeSession(models: () => OnChainModel[]) {
  let reads = 0;
  const session = {
    tx: { network: () => ({ kind: 'local' }) },
    catalog: {
      models: () => {
        reads++;
        return Promise.resolve(models());
      },
      currentRound: () => Promise.resolve(7),
      lockRounds: () => Promise.resolve(4),
    },
  };
  return { session: session as unknown as ChainSession, reads: () => reads };
}

const model = (id: number, stakeWei = 0n): OnChainModel => ({
  modelId: id,
  name: `model-${id}`,
  operator: `0x${String(id).padStart(40, '0')}`,
  feeBps: 100,
  capWei: 10n ** 21n,
  stakeWei,
  pendingInWei: 0n,
});

function catalogWith(records: TrackRecords) {
  let watchlist: string[] = [];
  const settings = {
    get: () => ({ watchlist }),
    update: (p: { watchlist: string[] }) => {
      watchlist = p.watchlist;
    },
  } as unknown as SettingsStore;
  const events = { emit: () => undefined } as unknown as EventBus;
  return new ModelCatalog({ records, settings, events, log: silentLogger });
}

describe("ModelCatalog's pool rows", () => {
  it("are built once for a start's warm-up and the first lists, and again when the views, the records or the watchlist change", async () => {
    const r = fakeRecords();
    // The catalog answers the same view objects until the chain moves on (StakingPoolService.models).
    let views = [model(1), model(2)];
    const s = fakeSession(() => [...views]);
    const catalog = catalogWith(r.records);
    catalog.prewarm(s.session);
    const first = await catalog.list(s.session, QUERY);
    const again = await catalog.list(s.session, { ...QUERY, sort: { key: 'name', dir: 'desc' } });
    expect(first.rows.map((x) => x.name)).toEqual(['model-1', 'model-2']);
    expect(again.rows.map((x) => x.name)).toEqual(['model-2', 'model-1']);
    // The rows themselves are the same objects: built once.
    expect(again.rows[1]).toBe(first.rows[0]);

    // New views (a new block): the figures are the new ones.
    views = [model(1, 5n * 10n ** 18n), model(2)];
    const moved = await catalog.list(s.session, QUERY);
    expect(moved.rows[0]!.delegatedWei).toBe('5000000000000000000');
    expect(moved.rows[0]).not.toBe(first.rows[0]);

    // A star changes the row's `watched`.
    await catalog.toggleWatch(s.session, 'model-2');
    const starred = await catalog.list(s.session, QUERY);
    expect(starred.rows.map((x) => x.watched)).toEqual([false, true]);

    // A new set of records: the rows are built again from it.
    const read = r.rowsRead();
    r.replaceSet();
    await catalog.list(s.session, QUERY);
    expect(r.rowsRead()).toBe(read + 2);
  });

  it('are not shared between sessions (another network)', async () => {
    const r = fakeRecords();
    const views = [model(1)];
    const a = fakeSession(() => [...views]);
    const b = fakeSession(() => [...views]);
    const catalog = catalogWith(r.records);
    const fromA = await catalog.list(a.session, QUERY);
    const fromB = await catalog.list(b.session, QUERY);
    expect(fromB.rows[0]).not.toBe(fromA.rows[0]);
    expect(fromB.rows[0]).toEqual(fromA.rows[0]);
  });
});

describe("ModelCatalog's what-if replay", () => {
  it('replays a pool model under the pool’s fee, and a model outside it under its record’s', async () => {
    const r = fakeRecords();
    const asked: unknown[] = [];
    const records = {
      ...(r.records as unknown as Record<string, unknown>),
      backtest: (input: { allocations: unknown[] }) => {
        asked.push(...input.allocations);
        return {
          fromRound: 1,
          atRiskFromRound: 2,
          toRound: 2,
          rounds: [1, 2],
          models: [],
          totalValueWei: [],
          totalPrincipalWei: '0',
          totalFinalWei: '0',
        };
      },
    } as unknown as TrackRecords;
    const s = fakeSession(() => [model(1)]);
    await catalogWith(records).backtest(s.session, {
      allocations: [
        { name: 'model-1', amountWei: '5' },
        { name: 'elsewhere', amountWei: '7' },
      ],
      fromRound: 1,
    });
    expect(asked).toEqual([
      { name: 'model-1', amountWei: 5n, feeBps: 100 },
      { name: 'elsewhere', amountWei: 7n, feeBps: undefined },
    ]);
  });
});

describe("ModelCatalog's list of all models", () => {
  it('asks the records to filter and sort by the pool’s fee where a model is in the pool', async () => {
    const r = fakeRecords();
    const asked: { fees?: ReadonlyMap<string, number> }[] = [];
    const records = {
      ...(r.records as unknown as Record<string, unknown>),
      list: (q: { fees?: ReadonlyMap<string, number> }) => {
        asked.push(q);
        return { total: 1, offset: 0, limit: 100, rows: [{ ...noRecordRow('model-2'), feeBps: null }] };
      },
    } as unknown as TrackRecords;
    const s = fakeSession(() => [model(1), { ...model(2), feeBps: 700 }]);
    const page = await catalogWith(records).list(s.session, { ...QUERY, scope: 'all', filter: { maxFeeBps: 800 } });
    expect([...asked[0]!.fees!]).toEqual([
      ['model-1', 100],
      ['model-2', 700],
    ]);
    // The row shows the fee the filter went by.
    expect(page.rows[0]!.feeBps).toBe(700);
  });

  it('hands the records the same fees while the pool’s models stay, and new ones when a fee changes', async () => {
    const r = fakeRecords();
    const asked: ReadonlyMap<string, number>[] = [];
    const records = {
      ...(r.records as unknown as Record<string, unknown>),
      list: (q: { fees: ReadonlyMap<string, number> }) => {
        asked.push(q.fees);
        return { total: 0, offset: 0, limit: 100, rows: [] };
      },
    } as unknown as TrackRecords;
    let models = [model(1), model(2)];
    const s = fakeSession(() => [...models]);
    const catalog = catalogWith(records);
    const all = { ...QUERY, scope: 'all' as const };
    await catalog.list(s.session, all);
    await catalog.list(s.session, { ...all, sort: { key: 'feeBps', dir: 'asc' } });
    expect(asked[1]).toBe(asked[0]);
    models = [model(1), { ...model(2), feeBps: 300 }];
    await catalog.list(s.session, all);
    expect(asked[2]).not.toBe(asked[0]);
    expect(asked[2]!.get('model-2')).toBe(300);
  });
});
