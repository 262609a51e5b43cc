import { join } from 'node:path';
import { AppError, type ApiOutput, type ModelRow } from '../../shared/api';
import { toWei } from '../../shared/money';
import { EventBus } from '../ipc/events';
import type { Handlers } from '../ipc/router';
import type { Logger } from '../log/logger';
import { WalletService } from '../wallet/wallet-service';
import { PoolService } from '../pool/pool-service';
import { HistoryService, type Delivery } from '../history/history-service';
import { faucet, startDevnet, type Devnet } from '../devnet/world';
import type { TrackRecords } from './track-records';

export interface AppOptions {
  userDataDir: string;
  transport: 'electron' | 'harness';
  appVersion: string;
  log: Logger;
  records: TrackRecords;
  deliverExport: Delivery;
  /** Lower scrypt cost for tests only; the app always uses ethers' default (2^17). */
  scryptN?: number;
}

export interface App {
  handlers: Handlers;
  events: EventBus;
  devnet: Devnet | null;
  close(): Promise<void>;
}

const FAUCET_NMR = 1_000n * 10n ** 18n;
const FAUCET_ETH = 10n ** 18n;

/** Builds every service main runs and the handlers both transports serve. */
export async function createApp(opts: AppOptions): Promise<App> {
  const { log, records } = opts;
  const events = new EventBus();
  const wallet = new WalletService(join(opts.userDataDir, 'wallet'), events, opts.scryptN);
  const devnet = await startDevnet({ dir: join(opts.userDataDir, 'devnet'), demo: records.demoSpec(), log });
  const pool = new PoolService(
    {
      provider: devnet.provider,
      chainId: devnet.deployment.chainId,
      kind: 'local',
      label: 'Local demo chain',
      tokenAddress: devnet.deployment.token,
      poolAddress: devnet.deployment.pool,
      deployBlock: devnet.deployment.deployBlock,
    },
    wallet,
    events,
  );
  const history = new HistoryService(pool, join(opts.userDataDir, 'exports'));

  async function modelRows(): Promise<ModelRow[]> {
    const models = await pool.models();
    return models.map((m) => {
      const s = records.summary(m.name);
      const delegated = m.stakeWei + m.pendingInWei;
      const room = m.capWei - delegated;
      return {
        modelId: m.modelId,
        name: m.name,
        isDemo: pool.ctx.kind === 'local',
        feeBps: m.feeBps,
        capWei: m.capWei.toString(),
        delegatedWei: delegated.toString(),
        capacityLeftWei: (room > 0n ? room : 0n).toString(),
        rounds: s?.rounds ?? 0,
        return20Pct: s?.return20Pct ?? null,
        return1yPct: s?.return1yPct ?? null,
        sharpe: s?.sharpe ?? null,
        maxDrawdownPct: s?.maxDrawdownPct ?? null,
        spark: s?.spark ?? [],
      };
    });
  }

  const handlers: Handlers = {
    'app.info': async () => ({
      appVersion: opts.appVersion,
      transport: opts.transport,
      network: { kind: pool.ctx.kind, chainId: pool.ctx.chainId, label: pool.ctx.label },
    }),
    'wallet.status': async () => wallet.status(),
    'wallet.createDraft': async ({ words }) => wallet.createDraft(words),
    'wallet.confirmCreate': async ({ draftId, password, confirmations }) => wallet.confirmCreate(draftId, password, confirmations),
    'wallet.unlock': async ({ password }) => wallet.unlock(password),
    'wallet.lock': async () => wallet.lock('user'),
    'account.balances': async () => {
      const address = wallet.address();
      const b = await pool.balances(address);
      return { address, ethWei: b.ethWei.toString(), nmrWei: b.nmrWei.toString() };
    },
    'faucet.request': async () => {
      if (pool.ctx.kind !== 'local') throw new AppError('NOT_AVAILABLE', 'Demo NMR exists only on the local demo chain.');
      const address = wallet.address();
      await faucet(devnet, address, FAUCET_NMR, FAUCET_ETH);
      const b = await pool.balances(address);
      return { nmrWei: FAUCET_NMR.toString(), ethWei: FAUCET_ETH.toString(), balanceNmrWei: b.nmrWei.toString() };
    },
    'models.list': async ({ search, sort, offset, limit }) => {
      const [rows, currentRound] = await Promise.all([modelRows(), pool.currentRound()]);
      const q = search.trim().toLowerCase();
      const filtered = q ? rows.filter((r) => r.name.toLowerCase().includes(q)) : rows;
      const dir = sort.dir === 'asc' ? 1 : -1;
      const key = sort.key;
      filtered.sort((a, b) => {
        if (key === 'name') return dir * a.name.localeCompare(b.name);
        if (key === 'delegatedWei') return dir * (BigInt(a.delegatedWei) < BigInt(b.delegatedWei) ? -1 : BigInt(a.delegatedWei) > BigInt(b.delegatedWei) ? 1 : 0);
        const x = a[key];
        const y = b[key];
        // Models without the figure go last whichever way the column is sorted.
        if (x === null) return y === null ? 0 : 1;
        if (y === null) return -1;
        return dir * (x - y);
      });
      return { total: filtered.length, rows: filtered.slice(offset, offset + limit), currentRound };
    },
    'models.detail': async ({ modelId }) => {
      const rows = await modelRows();
      const model = rows.find((r) => r.modelId === modelId);
      if (!model) throw new AppError('NOT_FOUND', `There is no model number ${modelId} in the pool.`);
      return { model, series: records.series(model.name, 400), lockRounds: await pool.lockRounds() };
    },
    'pool.reviewDelegate': async ({ allocations }) =>
      pool.review(allocations.map((a) => ({ modelId: a.modelId, amountWei: toWei(a.amountWei) }))),
    'pool.delegate': async ({ allocations }) =>
      pool.delegate(allocations.map((a) => ({ modelId: a.modelId, amountWei: toWei(a.amountWei) }))),
    'portfolio.positions': async (): Promise<ApiOutput<'portfolio.positions'>> => pool.positions(wallet.address()),
    'history.export': async ({ format }) => history.export(wallet.address(), format, opts.deliverExport),
  };

  return {
    handlers,
    events,
    devnet,
    async close() {
      wallet.lock('quit');
      await devnet.stop();
    },
  };
}
