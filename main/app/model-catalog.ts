import { AppError, isRecordSortKey, type ApiOutput, type ApiParsedInput, type ModelRow } from '../../shared/api';
import { Wei } from '../../shared/money';
import { thin } from '../../shared/thin';
import type { EventBus } from '../ipc/events';
import type { Logger } from '../log/logger';
import { LIST_SPARK_POINTS, queryRows, type ModelListRow } from '../records';
import type { SettingsStore } from '../store/settings';
import type { ChainSession, OnChainModel } from './chain-session';
import { listSpark, modelRow, noRecordRow, rowSortValue } from './model-rows';
import type { TrackRecords } from './track-records';

export interface ModelCatalogDeps {
  records: TrackRecords;
  settings: SettingsStore;
  events: EventBus;
  log: Logger;
}

type RecordPart = { row: ModelListRow; spark: number[] };

/** Points of a backtest's value line at most: evenly spaced, first and last kept, light for the chart. */
const BACKTEST_POINTS = 500;
/** Points of each line of a comparison chart. */
const COMPARE_POINTS = 400;

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The models capability: a model's track record (main/records) joined with its figures in the pool
 * (the session's chain), the watchlist, and every question about models the page asks. Lists of
 * every scope are sorted and filtered by the one engine in main/records/query.ts: the track records
 * by their index sort ("all"), rows held here by its in-memory walk ("pool", "watchlist").
 */
export class ModelCatalog {
  private readonly watched: Set<string>;
  // A model's track-record half of a row changes only when the set is replaced: built once per set.
  private readonly recordParts = new Map<string, RecordPart>();
  // A list row's sparkline, alone: "all" rows need only this, not the whole record part (a sort of all models meets 100 new ones).
  private readonly sparks = new Map<string, number[]>();
  /**
   * The pool's rows as last built, and what they were built from: a start's warm-up and the page's
   * first list, and every later sort or page of the pool, share one build until the chain's views,
   * the set of track records or the watchlist change.
   */
  private pool: { session: ChainSession; models: readonly object[]; epoch: number; rows: ModelRow[] } | null = null;
  /** The pool's models by name and their fees, kept while the catalog answers the same views (every sort of "All models" asks). */
  private poolByName: { models: readonly object[]; chain: Map<string, OnChainModel>; fees: Map<string, number> } | null = null;
  /** Counts changes of the record set and the watchlist: a row built under an older count is stale. */
  private epoch = 0;

  constructor(private readonly deps: ModelCatalogDeps) {
    this.watched = new Set(deps.settings.get().watchlist);
    deps.records.onChange((setChanged) => {
      if (setChanged) {
        this.recordParts.clear();
        this.sparks.clear();
        this.epoch++;
      }
      deps.events.emit('records.updated', { setChanged, dataLabel: deps.records.dataLabel() });
    });
  }

  /** A first load of Numerai's ~15,000 models takes an hour: the pool's and the watchlist's come first. */
  loadFirst(s: ChainSession): void {
    if (s.tx.network().kind !== 'remote') return;
    const watchlist = this.deps.settings.get().watchlist;
    void s.catalog.models().then(
      (ms) => this.deps.records.prioritize([...ms.map((m) => m.name), ...watchlist]),
      (e: unknown) => this.deps.log.warn('records.priority_unavailable', { error: errorText(e) }),
    );
  }

  /** Builds the first screen's rows (the pool's models) ahead of the first ask, e.g. while the person unlocks. */
  prewarm(s: ChainSession): void {
    void this.poolRows(s).catch((e: unknown) => this.deps.log.warn('models.prewarm_failed', { error: errorText(e) }));
  }

  async list(s: ChainSession, q: ApiParsedInput<'models.list'>): Promise<ApiOutput<'models.list'>> {
    const { records } = this.deps;
    const currentRound = await s.catalog.currentRound();
    const search = q.search.trim().toLowerCase();
    const filter = { nameContains: search || undefined, ...q.filter };
    if (q.scope === 'all') {
      await records.ready();
      const { chain, fees } = this.poolModelsByName(await s.catalog.models());
      const page = records.list({
        fees,
        // The pool's own columns are not the records': the record list falls back to names.
        sortBy: isRecordSortKey(q.sort.key) ? q.sort.key : 'name',
        sortDir: q.sort.dir,
        filter,
        offset: q.offset,
        limit: q.limit,
      });
      const isDemo = s.tx.network().kind === 'local';
      const rows = page.rows.map((r) => modelRow(r, chain.get(r.name), this.sparkOf(r.name), isDemo, this.watched.has(r.name)));
      return { total: page.total, rows, currentRound, dataLabel: records.dataLabel() };
    }
    const base = q.scope === 'pool' ? await this.poolRows(s) : await this.watchlistRows(s);
    const { key, dir } = q.sort;
    const page = queryRows(base, {
      sortBy: key === 'name' ? 'name' : rowSortValue(key),
      sortDir: dir,
      filter,
      offset: q.offset,
      limit: q.limit,
    });
    return { total: page.total, rows: page.rows, currentRound, dataLabel: records.dataLabel() };
  }

  async detail(s: ChainSession, name: string, maxPoints: number): Promise<ApiOutput<'models.detail'>> {
    const { records } = this.deps;
    await records.ready([name]);
    records.prioritize([name]); // still loading: this one next
    const model = await this.row(s, name);
    const d = records.has(name) ? records.detail(name, { maxPoints }) : { series: [], totalPoints: 0 };
    return {
      model,
      series: d.series,
      totalPoints: d.totalPoints,
      lockRounds: await s.catalog.lockRounds(),
      currentRound: await s.catalog.currentRound(),
    };
  }

  async compare(s: ChainSession, names: readonly string[]): Promise<ApiOutput<'models.compare'>> {
    const { records } = this.deps;
    await records.ready(names);
    const unique = [...new Set(names)];
    records.prioritize(unique);
    const models = await Promise.all(unique.map((n) => this.row(s, n)));
    const known = unique.filter((n) => records.has(n));
    const series = unique.map((n) => ({
      name: n,
      points: records.has(n)
        ? records.detail(n, { maxPoints: COMPARE_POINTS }).series.map((p) => ({ round: p.round, cumulativePct: p.cumulativePct }))
        : [],
    }));
    // A model without a track record correlates with nothing: its row and column stay blank.
    const m = records.correlation(known).matrix;
    const at = (n: string) => known.indexOf(n);
    const correlation = unique.map((a) => unique.map((b) => (at(a) >= 0 && at(b) >= 0 ? m[at(a)]![at(b)]! : null)));
    return { models, series, correlation };
  }

  async backtest(s: ChainSession, { allocations, fromRound }: ApiParsedInput<'models.backtest'>): Promise<ApiOutput<'models.backtest'>> {
    const { records } = this.deps;
    await records.ready(allocations.map((a) => a.name));
    for (const a of allocations) if (!records.has(a.name)) throw new AppError('NOT_FOUND', `“${a.name}” has no track record to replay.`);
    // A pool model is replayed under the fee its page states, the pool's (Numerai's records hold none).
    const poolFee = new Map((await s.catalog.models()).map((m) => [m.name, m.feeBps]));
    let r;
    try {
      r = records.backtest({
        allocations: allocations.map((a) => ({ name: a.name, amountWei: Wei.decode(a.amountWei), feeBps: poolFee.get(a.name) })),
        fromRound,
      });
    } catch (e) {
      throw new AppError('BAD_INPUT', e instanceof Error ? e.message : 'That backtest cannot be run.');
    }
    return {
      fromRound: r.fromRound,
      atRiskFromRound: r.atRiskFromRound,
      toRound: r.toRound,
      points: thin(
        r.rounds.map((round, k) => ({ round, valueWei: r.totalValueWei[k]! })),
        BACKTEST_POINTS,
      ),
      principalWei: r.totalPrincipalWei,
      finalWei: r.totalFinalWei,
      models: r.models.map(({ name, principalWei, finalWei, rewardWei, feeWei, burnedWei }) => ({
        name,
        principalWei,
        finalWei,
        rewardWei,
        feeWei,
        burnedWei,
      })),
    };
  }

  /** Stars or unstars a model (one in the pool or with a track record); the watchlist is saved. */
  async toggleWatch(s: ChainSession, name: string): Promise<ApiOutput<'watchlist.toggle'>> {
    await this.deps.records.ready([name]);
    const { records, settings } = this.deps;
    if (!records.has(name) && !(await s.catalog.models()).some((m) => m.name === name))
      throw new AppError('NOT_FOUND', `There is no model called “${name}”.`);
    this.epoch++;
    if (this.watched.has(name)) this.watched.delete(name);
    else {
      this.watched.add(name);
      records.prioritize([name]);
    }
    settings.update({ watchlist: [...this.watched] });
    return { watched: this.watched.has(name), count: this.watched.size };
  }

  private recordPart(name: string): RecordPart {
    let part = this.recordParts.get(name);
    if (!part) {
      const { records } = this.deps;
      part = records.has(name) ? { row: records.row(name)!, spark: this.sparkOf(name) } : { row: noRecordRow(name), spark: [] };
      this.recordParts.set(name, part);
    }
    return part;
  }

  private sparkOf(name: string): number[] {
    let spark = this.sparks.get(name);
    if (!spark) {
      spark = listSpark(this.deps.records.summary(name, LIST_SPARK_POINTS)?.spark ?? []);
      this.sparks.set(name, spark);
    }
    return spark;
  }

  private poolModelsByName(models: readonly OnChainModel[]): { chain: Map<string, OnChainModel>; fees: Map<string, number> } {
    const built = this.poolByName;
    if (built && sameItems(built.models, models)) return built;
    const chain = new Map(models.map((m) => [m.name, m]));
    // The same map while the fees stay: the records keep their fee column for it (records/query.ts feeColumn).
    this.poolByName = { models, chain, fees: new Map(models.map((m) => [m.name, m.feeBps])) };
    return this.poolByName;
  }

  /** Every pool model as a list row (a few hundred at most). */
  private async poolRows(s: ChainSession): Promise<ModelRow[]> {
    const isDemo = s.tx.network().kind === 'local';
    const models = await s.catalog.models();
    // Rows built before the set holds these models would be kept (recordParts) with blank figures.
    await this.deps.records.ready(models.map((m) => m.name));
    const built = this.pool;
    // The catalog answers the same view objects until the chain moves on: compared one by one.
    if (built && built.session === s && built.epoch === this.epoch && sameItems(built.models, models)) return built.rows;
    // Listed even without a track record (blank figures), never dropped: it can still be delegated to.
    const rows = models.map((m) => {
      const part = this.recordPart(m.name);
      return modelRow(part.row, m, part.spark, isDemo, this.watched.has(m.name));
    });
    this.pool = { session: s, models, epoch: this.epoch, rows };
    return rows;
  }

  /** The watched models still known (in the pool or with a track record). */
  private async watchlistRows(s: ChainSession): Promise<ModelRow[]> {
    await this.deps.records.ready([...this.watched]);
    const chain = new Map((await s.catalog.models()).map((m) => [m.name, m]));
    const isDemo = s.tx.network().kind === 'local';
    return [...this.watched]
      .filter((n) => this.deps.records.has(n) || chain.has(n))
      .map((n) => {
        const part = this.recordPart(n);
        return modelRow(part.row, chain.get(n), part.spark, isDemo, true);
      });
  }

  /** One model's row, in the pool or with a track record; NOT_FOUND when neither. */
  private async row(s: ChainSession, name: string): Promise<ModelRow> {
    await this.deps.records.ready([name]);
    const chain = (await s.catalog.models()).find((m) => m.name === name);
    if (!this.deps.records.has(name) && !chain) throw new AppError('NOT_FOUND', `There is no model called “${name}”.`);
    const part = this.recordPart(name);
    return modelRow(part.row, chain, part.spark, s.tx.network().kind === 'local', this.watched.has(name));
  }
}

function sameItems(a: readonly object[], b: readonly object[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
