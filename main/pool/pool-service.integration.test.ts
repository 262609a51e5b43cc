/**
 * The holder's side of the pool on anvil, end to end: plan a delegation (with NMR's approve rule),
 * sign and send it through the wallet, read the position back, then take it back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Contract, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api';
import { poolAbi, tokenAbi } from '../chain/contracts';
import { createProvider } from '../chain/provider';
import { waitForReceipt } from '../chain/receipts';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { tinyDemo } from '../devnet/test-support/tiny-world';
import { DEPLOYER_KEY, DEVNET_CHAIN_ID, deployWorld, type Deployment } from '../devnet/world';
import { EventBus } from '../ipc/events';
import { WalletService } from '../wallet/wallet-service';
import { PoolService, type ChainContext } from './pool-service';

const NMR = 10n ** 18n;

describe('PoolService on anvil', () => {
  let anvil: AnvilHandle;
  let provider: ReturnType<typeof createProvider>;
  let deployment: Deployment;
  let ctx: ChainContext;
  let service: PoolService;
  let holder: string;
  let holderKey: string;
  let wallet: WalletService;
  let dir: string;
  let token: Contract;
  let pool: Contract;

  const mined = async (sent: Promise<{ hash: string }>) => {
    const receipt = await waitForReceipt(provider, (await sent).hash);
    expect(receipt.status).toBe(1);
  };

  beforeAll(async () => {
    anvil = await startAnvil({ chainId: DEVNET_CHAIN_ID });
    provider = createProvider(anvil.url, DEVNET_CHAIN_ID, 20);
    const deployer = new Wallet(DEPLOYER_KEY, provider);
    deployment = await deployWorld(provider, deployer, tinyDemo(3, 2));
    token = new Contract(deployment.token, tokenAbi, deployer);
    pool = new Contract(deployment.pool, poolAbi, deployer);

    dir = mkdtempSync(join(tmpdir(), 'pool-service-'));
    const bus = new EventBus();
    wallet = new WalletService(dir, bus, 2 ** 10, { idleMinutes: 0 });
    holderKey = Wallet.createRandom().privateKey;
    await wallet.importPrivateKey(holderKey, 'pool service test password');
    holder = wallet.address();
    await mined(token.getFunction('demoMint').send(holder, 1_000n * NMR));
    await mined(deployer.sendTransaction({ to: holder, value: NMR }));

    ctx = {
      provider,
      chainId: DEVNET_CHAIN_ID,
      kind: 'local',
      label: 'Local chain',
      tokenAddress: deployment.token,
      poolAddress: deployment.pool,
      deployBlock: deployment.deployBlock,
    };
    service = new PoolService(ctx, wallet, bus);
  });
  afterAll(async () => {
    service?.close();
    provider?.destroy();
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the models, the round and the balances from the chain', async () => {
    const models = await service.models();
    expect(models.map((m) => [m.modelId, m.name, m.feeBps, m.capWei])).toEqual([
      [1, 'model_1', 0, 10_000n * NMR],
      [2, 'model_2', 500, 10_000n * NMR],
      [3, 'model_3', 1000, 10_000n * NMR],
    ]);
    expect(await service.currentRound()).toBe(101);
    expect(await service.balances(holder)).toEqual({ ethWei: NMR, nmrWei: 1_000n * NMR });
    await expect(service.model(9)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('plans a delegation: approve then delegate, with the facts a holder needs', async () => {
    const plan = await service.plan({ kind: 'delegate', allocations: [{ modelId: 2, amountWei: 250n * NMR }] });
    expect(plan).toMatchObject({ holder, chainId: DEVNET_CHAIN_ID, networkLabel: 'Local chain', title: 'Delegate 250 NMR', blocker: null });
    expect(plan.steps.map((s) => s.kind)).toEqual(['approve', 'delegate']);
    expect(plan.steps.map((s) => s.tx.to)).toEqual([deployment.token, deployment.pool]);
    expect(plan.lines).toContainEqual({ label: 'To model_2', value: '250 NMR (operator fee 5.0% of gains)' });
    expect(plan.lines).toContainEqual({ label: 'Total', value: '250 NMR of your 1000 NMR' });
    expect(plan.lines).toContainEqual({ label: 'At risk from', value: 'round 102 (round 101 is open now)' });
    // Every step has a gas limit, and the fee shown is what those limits can cost at the fees signed with.
    for (const s of plan.steps) expect(s.gasLimit).toBeGreaterThan(21_000n);
    expect(plan.gasCostWei).toBeGreaterThan(0n);
    expect(plan.gasCostWei).toBeLessThan(NMR);
  });

  it('executes the plan: both steps mined, the NMR in the pool, the position read back', async () => {
    const plan = await service.plan({ kind: 'delegate', allocations: [{ modelId: 2, amountWei: 250n * NMR }] });
    const { txHashes } = await service.execute(plan, 'delegate-1');
    expect(txHashes).toHaveLength(2);
    for (const h of txHashes) expect((await provider.getTransactionReceipt(h))?.status).toBe(1);
    expect((await service.balances(holder)).nmrWei).toBe(750n * NMR);
    const { positions, totalValueWei, currentRound } = await service.positions(holder);
    expect(currentRound).toBe(101);
    expect(positions).toEqual([
      {
        modelId: 2,
        name: 'model_2',
        principalWei: (250n * NMR).toString(),
        valueWei: '0',
        pendingInWei: (250n * NMR).toString(),
        pendingOutValueWei: '0',
        withdrawableWei: '0',
        unlockRound: null,
      },
    ]);
    expect(totalValueWei).toBe((250n * NMR).toString());
    expect((await service.model(2)).pendingInWei).toBe(250n * NMR);
  });

  it('clears an old allowance first (NMR refuses to change one non-zero allowance to another)', async () => {
    const own = new Contract(deployment.token, tokenAbi, new Wallet(holderKey, provider));
    await mined(own.getFunction('approve').send(deployment.pool, 1n * NMR));
    const plan = await service.plan({
      kind: 'delegate',
      allocations: [
        { modelId: 1, amountWei: 10n * NMR },
        { modelId: 3, amountWei: 20n * NMR },
      ],
    });
    expect(plan.steps.map((s) => s.kind)).toEqual(['reset-approval', 'approve', 'delegate']);
    await service.execute(plan, 'delegate-2');
    expect(BigInt(await token.getFunction('allowance')(holder, deployment.pool))).toBe(0n);
    expect((await service.positions(holder)).positions.map((p) => [p.modelId, p.pendingInWei])).toEqual([
      [1, (10n * NMR).toString()],
      [2, (250n * NMR).toString()],
      [3, (20n * NMR).toString()],
    ]);
  });

  it('refuses what cannot go through: over the cap, more NMR than held, another chain', async () => {
    await expect(service.plan({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: 20_000n * NMR }] })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^model_1 has room for only [\d.]+ more NMR\.$/),
    });
    await expect(service.plan({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: 0n }] })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    });
    const short = await service.plan({ kind: 'delegate', allocations: [{ modelId: 1, amountWei: 800n * NMR }] });
    expect(short.blocker).toBe('You have only 720 NMR.');
    expect(short.gasCostWei).toBe(0n);
    const elsewhere = new PoolService({ ...ctx, chainId: 1, label: 'Ethereum mainnet' }, wallet, new EventBus());
    const e = await elsewhere.plan({ kind: 'withdraw', modelId: 1 }).catch((x: unknown) => x);
    elsewhere.close();
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('WRONG_CHAIN');
  });

  it('takes a stake back once the round made it shares: asks to undelegate, nothing withdrawable yet', async () => {
    await expect(service.plan({ kind: 'undelegate', modelId: 2, amountWei: 'all' })).rejects.toMatchObject({
      message: 'You have no settled stake in model_2 to take back.',
    });
    // The reporter resolves round 101 with no gain or loss: the pending delegations become shares.
    await mined(pool.getFunction('resolveRound').send(101, [1, 2, 3], [0, 0, 0]));
    service.invalidate();
    const plan = await service.plan({ kind: 'undelegate', modelId: 2, amountWei: 'all' });
    expect(plan.steps.map((s) => s.kind)).toEqual(['undelegate']);
    expect(plan.lines).toContainEqual({ label: 'Value now', value: '250 NMR (all of your stake)' });
    await service.execute(plan, 'undelegate-1');
    const p2 = (await service.positions(holder)).positions.find((p) => p.modelId === 2)!;
    expect(BigInt(p2.valueWei)).toBe(0n);
    expect(BigInt(p2.pendingOutValueWei)).toBe(250n * NMR);
    expect(p2.unlockRound).toBeGreaterThan(102);
    await expect(service.plan({ kind: 'withdraw', modelId: 2 })).rejects.toMatchObject({
      message: 'Nothing from model_2 is withdrawable yet.',
    });
  });
});
