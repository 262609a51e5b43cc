/**
 * One step of the staking demo, so the demo moves by itself (the developer panel's "next round" and
 * the round timer): every demo model's operator asks for its authorization on the open Numerai round
 * (its own token, through the demo Numerai's API on loopback, exactly the operator flow of
 * main/operator) and the authorizations are staked in batches, then Numerai moves one demo day (the
 * open round closes, the next opens, rounds whose time has come resolve), and the results Numerai
 * posted are relayed to the pool by an account that holds no token (anyone may relay).
 */
import { Wallet, type JsonRpcProvider } from 'ethers';
import type { DemoNumeraiApi } from '../numerai/demo/demo-api';
import { createStakingClient } from '../numerai/v3-client';
import { relayClaims } from '../operator/claim-relay';
import { prepareOperatorRound, submitAuthorizations, type LinkedModel, type ModelRoundStatus } from '../operator/operator-round';
import { stakingPoolPort, type PoolTx } from '../operator/staking-pool-port';
import { mapAtMost } from '../async/at-most';
import { createProvider } from '../chain/provider';
import { waitForReceipt } from '../chain/receipts';
import { FastSender } from './fast-sender';
import { inSharedBlocks } from './shared-blocks';
import { DEMO_TOURNAMENT, type StakingWorld } from './staking-world';

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
  /** What went wrong for someone (Numerai refused a model's token): one sentence each. */
  warnings: string[];
}

/**
 * A demo step's chain access: an unbatched provider (a long run of dependent calls: no batching
 * stall before each) and the demo's own sender, which sends back to back without a nonce or fee
 * round trip per transaction. Gas is not estimated again for each transaction: the operators'
 * authorizations are simulated as a batch before they are sent, and each claim reverts alone.
 */
interface StepChain {
  provider: JsonRpcProvider;
  sender: FastSender;
}
/** Above a 50-model stakeRound (~100k gas a model) or a claim (~95k): local chain only (its block limit is far higher). */
const DEMO_TX_GAS = 12_000_000n;
/** The operators' authorizations go to the pool in stakeRound batches of this many models. */
const STAKE_BATCH = 50;
/** Operators asking Numerai at once: the demo API and anvil are on loopback. */
const AT_ONCE = 16;
/** Claims in flight at once, mined together (inSharedBlocks): a demo day's claims in a few blocks. */
const CLAIMS_AT_ONCE = 256;

/**
 * The account that sends the demo's batches and relays its claims: anvil's ninth dev account, used
 * by nothing else, so the faucet and the demo Numerai never race it for a nonce, and anvil signs
 * for it (no signing in JavaScript per claim). Anyone may send both: Numerai's signature is a
 * stake's permission, its root a claim's. Local chain only.
 */
export const DEMO_SENDER_KEY = '0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97';

/** Sends through the step's sender, resolving with the mined receipt (a revert rejects). */
function sendAs(chain: StepChain) {
  return async (tx: PoolTx) => {
    const hash = await chain.sender.send(tx.to, tx.data, DEMO_TX_GAS);
    const receipt = await waitForReceipt(chain.provider, hash, { timeoutMs: 60_000 });
    if (receipt.status !== 1) throw new Error(`${tx.description} was reverted`);
    return receipt;
  };
}

function portOf(world: StakingWorld, chain: StepChain) {
  return stakingPoolPort({
    provider: chain.provider,
    poolAddress: world.deployment.pool,
    stakingAddress: world.deployment.staking,
    chainId: BigInt(world.deployment.chainId),
    send: sendAs(chain),
  });
}

/**
 * Every demo model's operator asks Numerai for its authorization with its own token (the operator
 * flow of main/operator, refusals and checks included); the authorizations then go to the pool in
 * batches, in Numerai's nonce order (its nonces are consecutive per staker, and every operator
 * stakes as the pool).
 */
async function operatorsRound(
  world: StakingWorld,
  chain: StepChain,
  api: DemoNumeraiApi,
): Promise<{ name: string; status: ModelRoundStatus }[]> {
  // Demo time is the chain's, days ahead of the wall clock once the demo moved: deadlines are checked against it.
  const chainNowMs = Number((await chain.provider.getBlock('latest'))!.timestamp) * 1000;
  const port = portOf(world, chain);
  const models = world.deployment.models;
  const prepared = await mapAtMost(models, AT_ONCE, async (m) => {
    const linked: LinkedModel = { poolModelId: m.poolModelId, numeraiModelId: m.numeraiModelId, apiModelId: m.apiModelId, name: m.name };
    const token = api.tokenOf(m.apiModelId);
    const client = createStakingClient({
      url: api.server.url,
      tournamentId: DEMO_TOURNAMENT,
      ...(token ? { token } : {}),
      ...LOOPBACK_CLIENT,
    });
    return (await prepareOperatorRound({ api: client, pool: port, now: () => chainNowMs }, [linked]))[0]!;
  });
  const statuses = new Map<number, ModelRoundStatus>();
  for (const p of prepared) if ('status' in p) statuses.set(p.model.poolModelId, p.status);
  const items = prepared
    .flatMap((p) => ('item' in p ? [p] : []))
    .sort((a, b) => Number(BigInt(a.item.auth.nonce) - BigInt(b.item.auth.nonce)));
  for (let i = 0; i < items.length; i += STAKE_BATCH) {
    for (const [id, status] of await submitAuthorizations(port, items.slice(i, i + STAKE_BATCH))) statuses.set(id, status);
  }
  return models.map((m) => ({
    name: m.name,
    status: statuses.get(m.poolModelId) ?? { state: 'failed', message: 'No result for this model.', retrySoon: true },
  }));
}

/**
 * One step of the demo (see the file's comment). With `relay` false nobody relays
 * (main/app/pool-choice.ts: results stay posted until a holder's app claims them).
 */
export async function advanceStakingDemo(world: StakingWorld, api: DemoNumeraiApi, relay: boolean): Promise<StakingDemoStep> {
  const provider = createProvider(world.anvil.url, world.deployment.chainId, 20, 1);
  try {
    const sender = new FastSender(new Wallet(DEMO_SENDER_KEY, provider), provider, world.deployment.chainId, { unlocked: true });
    return await step(world, { provider, sender }, api, relay);
  } finally {
    provider.destroy();
  }
}

/** The results Numerai posted, relayed by an account holding no token, several in flight at once. */
async function relayStep(
  world: StakingWorld,
  chain: StepChain,
  api: DemoNumeraiApi,
  relay: boolean,
): Promise<{ relayed: number; words: string }> {
  if (!relay) return { relayed: 0, words: 'results left for anyone to relay' };
  const anyone = createStakingClient({ url: api.server.url, tournamentId: DEMO_TOURNAMENT, ...LOOPBACK_CLIENT });
  const relayed = await inSharedBlocks(chain.provider, () => relayClaims(anyone, portOf(world, chain), { inFlight: CLAIMS_AT_ONCE }));
  const count = relayed.results.filter((r) => r.state === 'relayed').length;
  const failed = relayed.results.length - count;
  return {
    relayed: count,
    words: `${count} results relayed${failed ? ` (${failed} failed)` : ''}${relayed.refused ? ` (${relayed.refused})` : ''}`,
  };
}

async function step(world: StakingWorld, chain: StepChain, api: DemoNumeraiApi, relay: boolean): Promise<StakingDemoStep> {
  const numerai = world.numerai;
  if (numerai.roundIds().length === 0) await numerai.openRound();
  const statuses = await operatorsRound(world, chain, api);
  const staked = statuses.filter((s) => s.status.state === 'staked').length;
  // Numerai's refusals, each in the operator's words: why that model's NMR stays idle this round.
  const refusals = statuses.flatMap(({ name, status }) => (status.state === 'refused' ? [`${name} not staked: ${status.message}`] : []));
  await numerai.advanceDays(1);
  const tick = await numerai.tick();
  const { relayed, words: relayWords } = await relayStep(world, chain, api, relay);
  const resolved = tick.resolved.length ? tick.resolved[tick.resolved.length - 1]! : null;
  const open = numerai.roundIds().at(-1) ?? null;
  const words = [
    `${staked} of ${statuses.length} models staked`,
    resolved === null ? 'no round resolved' : `round ${tick.resolved.join(', ')} resolved`,
    relayWords,
    tick.opened === null ? null : `round ${tick.opened} opened`,
  ].filter((w): w is string => w !== null);
  return { resolved, open, staked, relayed, happened: `${words.join('; ')}.`, warnings: refusals };
}
