import {
  AppError,
  HistoryPageWei,
  PortfolioPointWei,
  PositionReturnsWei,
  RETURNS_MAX_POINTS,
  type ApiOutput,
  type ApiParsedInput,
  type EventPayload,
} from '../../shared/api';
import type { EventBus } from '../ipc/events';
import type { Logger } from '../log/logger';
import type { AccountRegistry } from '../accounts';
import { CsvPriceSource, type Delivery, type PortfolioRoundPoint } from '../history';
import type { ChainSession } from './chain-session';
import { toAppError } from './errors';

const DAY_MS = 86_400_000;
/** At most this often a progress event per export: the page needs a moving bar, not every row. */
const PROGRESS_EVERY_MS = 100;

export interface HistoryApiDeps {
  session: () => Promise<ChainSession>;
  accounts: Pick<AccountRegistry, 'address' | 'allAddresses'>;
  events: EventBus;
  deliver: Delivery;
  log: Logger;
}

/** The accounts whose history is asked for: the one in use, or all of them (every kind). */
async function accountsOf(accounts: HistoryApiDeps['accounts'], all: boolean): Promise<string[]> {
  return all ? accounts.allAddresses() : [await accounts.address()];
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A period of UTC days as times: from the first day's midnight to the one after the last day (included). */
function periodOf(fromDay: string | null, toDay: string | null): { fromMs: number | null; toMs: number | null } {
  const fromMs = fromDay ? Date.parse(`${fromDay}T00:00:00Z`) : null;
  const toMs = toDay ? Date.parse(`${toDay}T00:00:00Z`) + DAY_MS : null;
  if (fromMs !== null && toMs !== null && fromMs >= toMs) throw new AppError('BAD_INPUT', 'The first day comes after the last day.');
  return { fromMs, toMs };
}

/**
 * At most `max` points of the portfolio's series: neighbouring rounds are taken together, each kept
 * point being the last of its group with the group's results summed, so the results still add up.
 */
export function groupRounds(points: readonly PortfolioRoundPoint[], max: number): PortfolioRoundPoint[] {
  const per = Math.max(1, Math.ceil(points.length / max));
  if (per === 1) return [...points];
  const out: PortfolioRoundPoint[] = [];
  for (let i = 0; i < points.length; i += per) {
    const group = points.slice(i, i + per);
    out.push({ ...group.at(-1)!, resultWei: group.reduce((sum, p) => sum + p.resultWei, 0n) });
  }
  return out;
}

/**
 * The reward-history calls: the returns charts, what can be exported, and exports with progress
 * events and cancel. All of it is built from the history ledger of the pool's events (main/history),
 * read from the chain.
 * Failures are thrown as they come: the one error mapper (errors.ts, applied by guard.ts) words them.
 */
export function historyHandlers(deps: HistoryApiDeps) {
  const running = new Map<string, AbortController>();

  return {
    'portfolio.returns': async (): Promise<ApiOutput<'portfolio.returns'>> => {
      const s = await deps.session();
      const r = await s.history.portfolioReturns(await accountsOf(deps.accounts, false));
      return {
        asOfBlock: r.asOfBlock,
        totalRounds: r.portfolio.length,
        points: groupRounds(r.portfolio, RETURNS_MAX_POINTS).map((p) => PortfolioPointWei.encode(p)),
        positions: r.positions.map((p) =>
          PositionReturnsWei.encode({
            ...p,
            // The latest rounds: a chart of one position's results is read from the right.
            rounds: p.rounds.slice(-RETURNS_MAX_POINTS).map((x) => ({
              ...x,
              returnPct: x.returnPct !== null && Number.isFinite(x.returnPct) ? x.returnPct : null,
            })),
          }),
        ),
      };
    },

    'history.summary': async (): Promise<ApiOutput<'history.summary'>> => {
      const accounts = await accountsOf(deps.accounts, true);
      const s = await deps.session();
      const sum = await s.history.summary(accounts);
      return {
        accounts,
        models: sum.models,
        rows: sum.rows,
        firstDay: sum.firstMs === null ? null : dayOf(sum.firstMs),
        lastDay: sum.lastMs === null ? null : dayOf(sum.lastMs),
        asOfBlock: sum.asOfBlock,
      };
    },

    'history.entries': async (input: ApiParsedInput<'history.entries'>): Promise<ApiOutput<'history.entries'>> => {
      const { fromDay, toDay, allAccounts, ...rest } = input;
      const period = periodOf(fromDay, toDay);
      const s = await deps.session();
      return HistoryPageWei.encode(await s.history.entries(await accountsOf(deps.accounts, allAccounts), { ...rest, ...period }));
    },

    'history.export': async (input: ApiParsedInput<'history.export'>): Promise<ApiOutput<'history.export'>> => {
      const { exportId, format, fromDay, toDay, modelIds, kinds, allAccounts, prices } = input;
      if (running.has(exportId)) throw new AppError('BAD_INPUT', 'An export with this id is already running.');
      const { fromMs, toMs } = periodOf(fromDay, toDay);
      const priceSource = prices ? CsvPriceSource.parse(prices.csv, prices.currency) : null;

      const controller = new AbortController();
      running.set(exportId, controller);
      let lastSent = 0;
      let lastPhase = '';
      const progress = (p: Omit<EventPayload<'history.progress'>, 'exportId'>) => {
        const now = Date.now();
        if (p.phase === lastPhase && p.done < p.total && now - lastSent < PROGRESS_EVERY_MS) return;
        lastSent = now;
        lastPhase = p.phase;
        deps.events.emit('history.progress', {
          exportId,
          phase: p.phase,
          done: Math.max(0, Math.floor(p.done)),
          total: Math.max(0, Math.floor(p.total)),
        });
      };
      try {
        const s = await deps.session();
        return await s.history.export(
          await accountsOf(deps.accounts, allAccounts),
          { format, fromMs, toMs, modelIds, kinds, prices: priceSource, signal: controller.signal, onProgress: progress },
          deps.deliver,
        );
      } catch (e) {
        // Mapped with every other failure (guard.ts); one the mapper does not know is worth a line in the log.
        if (!toAppError(e)) deps.log.warn('history.export_failed', { error: e instanceof Error ? e.message : String(e) });
        throw e;
      } finally {
        running.delete(exportId);
      }
    },

    'history.cancel': async ({ exportId }: ApiParsedInput<'history.cancel'>): Promise<ApiOutput<'history.cancel'>> => {
      const c = running.get(exportId);
      if (!c) return { cancelled: false };
      c.abort();
      return { cancelled: true };
    },
  };
}
