/**
 * One step of the staking demo, so the demo moves by itself (the developer panel's "next round" and
 * the round timer): every demo model's operator runs its round on the open Numerai round (its own
 * key, its own token, through the demo Numerai's API on loopback, exactly the operator flow of
 * main/operator), then Numerai moves one demo day (the open round closes, the next opens, rounds
 * whose time has come resolve), and the results Numerai posted are relayed to the pool by an
 * account that holds no token (anyone may relay).
 */
import { Wallet, type JsonRpcProvider } from 'ethers';
import type { DemoNumeraiApi } from '../numerai/demo/demo-api';
import { createStakingClient } from '../numerai/v3-client';
import { relayClaims } from '../operator/claim-relay';
import { runOperatorRound, type LinkedModel, type ModelRoundStatus } from '../operator/operator-round';
import { stakingPoolPort, type PoolTx } from '../operator/staking-pool-port';
import { createProvider } from '../chain/provider';
import { waitForReceipt } from '../chain/receipts';
import { DEMO_TOURNAMENT, demoOperatorKey, type StakingWorld } from './staking-world';

/** The demo API is on loopback and answers at once: no need to pace the demo's own calls. */
export const LOOPBACK_CLIENT = { requestsPerSecond: 1_000, burst: 100, maxRetries: 1, timeoutMs: 20_000 } as const;

export interface StakingDemoStep {
  /** The newest round Numerai resolved in this step, else null. */
  resolved: bigint | null;
  /** The round open after the step. */
  open: bigint | null;
  staked: number;
  relayed: number;
  /** What happened, in a sentence. */
  happened: string;
}

/**
 * A demo step's chain access: an unbatched provider (a long run of dependent calls: no batching
 * stall before each) and the fees read once per step. Gas is not estimated again for each
 * transaction: the operator's round simulates its stakeRound before sending, and the relay its claim.
 */
interface StepChain {
  provider: JsonRpcProvider;
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
}
/** Above a one-model stakeRound (~134k) or a claim (~95k), with room: local chain only. */
const DEMO_TX_GAS = 1_000_000n;

/** Signs and sends as `wallet`, resolving with the mined receipt (a revert rejects). */
function sendAs(wallet: Wallet, chain: StepChain) {
  const { provider } = chain;
  const signer = wallet.connect(provider);
  return async (tx: PoolTx) => {
    const sent = await signer.sendTransaction({ to: tx.to, data: tx.data, gasLimit: DEMO_TX_GAS, ...chain.fees });
    const receipt = await waitForReceipt(provider, sent.hash);
    if (receipt.status !== 1) throw new Error(`${tx.description} was reverted`);
    return receipt;
  };
}

function portAs(world: StakingWorld, chain: StepChain, wallet: Wallet) {
  return stakingPoolPort({
    provider: chain.provider,
    poolAddress: world.deployment.pool,
    stakingAddress: world.deployment.staking,
    chainId: BigInt(world.deployment.chainId),
    send: sendAs(wallet, chain),
  });
}

/**
 * Every demo model's operator runs its round, one after another: Numerai's nonces are consecutive
 * per staker and every operator stakes as the pool, so authorizations must be used in the order issued.
 */
async function operatorsRound(
  world: StakingWorld,
  chain: StepChain,
  api: DemoNumeraiApi,
): Promise<{ name: string; status: ModelRoundStatus }[]> {
  const statuses: { name: string; status: ModelRoundStatus }[] = [];
  // Demo time is the chain's, days ahead of the wall clock once the demo moved: deadlines are checked against it.
  const chainNowMs = Number((await chain.provider.getBlock('latest'))!.timestamp) * 1000;
  for (const [i, m] of world.deployment.models.entries()) {
    const linked: LinkedModel = { poolModelId: m.poolModelId, numeraiModelId: m.numeraiModelId, apiModelId: m.apiModelId, name: m.name };
    const token = api.tokenOf(m.apiModelId);
    const client = createStakingClient({
      url: api.server.url,
      tournamentId: DEMO_TOURNAMENT,
      ...(token ? { token } : {}),
      ...LOOPBACK_CLIENT,
    });
    const port = portAs(world, chain, new Wallet(demoOperatorKey(i)));
    const report = await runOperatorRound({ api: client, pool: port, now: () => chainNowMs }, [linked]);
    statuses.push({ name: m.name, status: report.models[0]!.status });
  }
  return statuses;
}

/**
 * One step of the demo (see the file's comment). `relayer` signs the relayed claims; with `relay`
 * null nobody relays (main/app/pool-choice.ts: results stay posted until a holder's app claims them).
 */
export async function advanceStakingDemo(world: StakingWorld, api: DemoNumeraiApi, relayer: Wallet | null): Promise<StakingDemoStep> {
  const provider = createProvider(world.anvil.url, world.deployment.chainId, 20, 1);
  try {
    const fee = await provider.getFeeData();
    const fees = { maxFeePerGas: fee.maxFeePerGas ?? 10n ** 10n, maxPriorityFeePerGas: fee.maxPriorityFeePerGas ?? 10n ** 9n };
    return await step(world, { provider, fees }, api, relayer);
  } finally {
    provider.destroy();
  }
}

/** The results Numerai posted, relayed by an account holding no token; null when this demo does not relay. */
async function relayStep(
  world: StakingWorld,
  chain: StepChain,
  api: DemoNumeraiApi,
  relayer: Wallet | null,
): Promise<{ relayed: number; words: string }> {
  if (relayer === null) return { relayed: 0, words: 'results left for anyone to relay' };
  const anyone = createStakingClient({ url: api.server.url, tournamentId: DEMO_TOURNAMENT, ...LOOPBACK_CLIENT });
  const relay = await relayClaims(anyone, portAs(world, chain, relayer));
  const relayed = relay.results.filter((r) => r.state === 'relayed').length;
  const failed = relay.results.length - relayed;
  return {
    relayed,
    words: `${relayed} results relayed${failed ? ` (${failed} failed)` : ''}${relay.refused ? ` (${relay.refused})` : ''}`,
  };
}

async function step(world: StakingWorld, chain: StepChain, api: DemoNumeraiApi, relayer: Wallet | null): Promise<StakingDemoStep> {
  const numerai = world.numerai;
  if (numerai.roundIds().length === 0) await numerai.openRound();
  const statuses = await operatorsRound(world, chain, api);
  const staked = statuses.filter((s) => s.status.state === 'staked').length;
  // Numerai's refusals, each in the operator's words: why that model's NMR stays idle this round.
  const refusals = statuses.flatMap(({ name, status }) => (status.state === 'refused' ? [`${name} not staked: ${status.message}`] : []));
  await numerai.advanceDays(1);
  const tick = await numerai.tick();
  const { relayed, words: relayWords } = await relayStep(world, chain, api, relayer);
  const resolved = tick.resolved.length ? tick.resolved[tick.resolved.length - 1]! : null;
  const open = numerai.roundIds().at(-1) ?? null;
  const words = [
    `${staked} of ${statuses.length} models staked`,
    resolved === null ? 'no round resolved' : `round ${tick.resolved.join(', ')} resolved`,
    relayWords,
    tick.opened === null ? null : `round ${tick.opened} opened`,
  ].filter((w): w is string => w !== null);
  return { resolved, open, staked, relayed, happened: [`${words.join('; ')}.`, ...refusals].join(' ') };
}
