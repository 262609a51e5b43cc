/**
 * Gas of StakingPool's main calls on a real local EVM, with Numerai's staking stand-in and the faithful
 * NMR. Used by staking-gas.test.ts (to hold the budgets) and by `npm run bench -- gas`.
 *
 *   const chain = await startAnvil({ gasLimit: 100_000_000n });
 *   const gas = await measureStakingGas(chain.url);   // ~10 s
 *
 * The stand-in's own share of a call is read from a call trace (debug_traceTransaction, callTracer):
 * the gas of every call the pool makes into Numerai's staking contract, the token calls it makes included.
 */
import { startAnvil } from './anvil';
import {
  WAD,
  authorize,
  createRound,
  deployWorld,
  fund,
  numeraiIface,
  numeraiModelId,
  postRoot,
  stakeRoundData,
  type World,
} from './staking';

export interface StakingGasFigures {
  /** stakeRound over `batch` models (each converting a deposit first), divided by `batch`. */
  stake_round_per_model: number;
  /** Of which Numerai's staking contract (its stake call, NMR's transferFrom included). */
  stake_round_per_model_numerai: number;
  stake_round_batch: number;
  /** stakeRound over the same models with nothing to convert first, per model. */
  stake_round_per_model_quiet: number;
  /** Active rounds the stakeRound scanned for posted roots. */
  stake_round_active_rounds: number;
  /** One relayed claim (a gain, with the operator's fee). */
  claim_per_position: number;
  /** Of which Numerai's staking contract (positions read, claim with proof, NMR transfer). */
  claim_per_position_numerai: number;
  /** One relayed claim of a loss (Numerai burns through NMR's mint(uint256)). */
  claim_loss: number;
  /** A claim for a position Numerai already finalized (proof checked against its root). */
  claim_finalized: number;
  /** A holder's delegation to a model with deposits already waiting in the epoch. */
  delegate: number;
  /** The first delegation of an epoch to a model. */
  delegate_first_in_epoch: number;
  /** withdraw of a converted exit (booking it on the way). */
  withdraw: number;
  /** requestRedeem of part of a position. */
  request_redeem: number;
  /** registerModel, which writes the model's 64 tranche ring slots once (so that stakes rewrite them). */
  register_model: number;
}

interface CallFrame {
  to?: string;
  gasUsed?: string;
  calls?: CallFrame[];
}

/** Gas of the calls into `target` made directly by the transaction's top-level contract. */
async function gasInto(w: World, txHash: string, target: string): Promise<number> {
  const trace = await w.rpc.call<CallFrame>('debug_traceTransaction', [txHash, { tracer: 'callTracer' }]);
  let total = 0;
  for (const c of trace.calls ?? []) if (c.to?.toLowerCase() === target) total += Number(BigInt(c.gasUsed ?? '0x0'));
  return total;
}

export async function measureStakingGas(url: string, batch = 50): Promise<StakingGasFigures> {
  const w = await deployWorld(url, { concurrentRounds: 4 });
  try {
    const [a, b, c, op, relayer] = w.accounts.slice(2, 7) as [string, string, string, string, string];
    await fund(w, [a, b, c], 100_000_000n * WAD, w.pool);
    await fund(w, [w.numerai], 100_000_000n * WAD, w.staking);
    const gas = async (from: string, data: string, to = w.pool) => {
      const r = await w.mustSend(from, to, data);
      return { gas: Number(BigInt(r.gasUsed)), hash: r.transactionHash };
    };
    const ids = Array.from({ length: batch }, (_, i) => i + 1);
    const registered = [];
    for (const i of ids)
      registered.push(await gas(w.admin, w.poolData('registerModel', [numeraiModelId(i), `model-${i}`, op, 1000, 10n ** 30n])));
    await gas(a, w.poolData('delegateBatch', [ids, ids.map(() => 4000n * WAD)]));
    const nonce = async () => w.view<bigint>('nonces', [w.pool], w.staking, numeraiIface);
    const stakeAll = async (round: bigint) => {
      let n = await nonce();
      const auths = [];
      for (const i of ids)
        auths.push(await authorize(w, { roundId: round, modelId: numeraiModelId(i), maxAmount: 10n ** 30n, nonce: n++ }));
      return gas(relayer, stakeRoundData(ids, auths));
    };
    // Two earlier rounds stay active, as in steady state (several rounds overlap).
    await createRound(w, 100n, 10n * 86_400n, 86_400n);
    await stakeAll(100n);
    w.warp(86_400);
    await createRound(w, 101n, 10n * 86_400n, 86_400n);
    const firstInEpoch = await gas(b, w.poolData('delegate', [1, 100n * WAD]));
    const single = await gas(c, w.poolData('delegate', [1, 100n * WAD]));
    for (const i of ids.slice(1)) await gas(b, w.poolData('delegate', [i, 100n * WAD]));
    await stakeAll(101n);
    w.warp(86_400);
    await createRound(w, 102n, 10n * 86_400n, 86_400n);
    // Exit requests (unlock round 101) and fresh deposits on every model, converted by the measured stakeRound.
    const request = await gas(a, w.poolData('requestRedeem', [1, 1000n * WAD * 1_000_000n]));
    for (const i of ids.slice(1)) await gas(c, w.poolData('delegate', [i, 10n * WAD]));
    const active = (await w.view<bigint[]>('activeRounds')).length;
    const big = await stakeAll(102n);
    const bigNumerai = await gasInto(w, big.hash, w.staking);
    w.warp(86_400);
    await createRound(w, 103n, 10n * 86_400n, 86_400n);
    const quiet = await stakeAll(103n);

    // Round 100 resolves: one claim with a gain (fee), relayed; one left to Numerai's finalization.
    w.warp(11n * 86_400n);
    const tree = await postRoot(
      w,
      100n,
      ids.map((i) => ({ modelId: numeraiModelId(i), payout: i <= 3 && i > 1 ? 0n : 50n * WAD, burn: i <= 3 && i > 1 ? 100n * WAD : 0n })),
    );
    const claim = await gas(relayer, w.poolData('claim', [100n, 1, 50n * WAD, 0n, tree.proofOf(w.pool, numeraiModelId(1))]));
    const claimNumerai = await gasInto(w, claim.hash, w.staking);
    const loss = await gas(relayer, w.poolData('claim', [100n, 3, 0n, 100n * WAD, tree.proofOf(w.pool, numeraiModelId(3))]));
    for (const i of ids.slice(3))
      await gas(relayer, w.poolData('claim', [100n, i, 50n * WAD, 0n, tree.proofOf(w.pool, numeraiModelId(i))]));
    w.warp(8n * 86_400n);
    const proof2 = tree.proofOf(w.pool, numeraiModelId(2));
    await gas(w.numerai, numeraiIface.encodeFunctionData('finalize', [100n, w.pool, numeraiModelId(2), 0n, 100n * WAD, proof2]), w.staking);
    const finalized = await gas(relayer, w.poolData('claim', [100n, 2, 0n, 100n * WAD, proof2]));
    // Round 101 resolves and is claimed for model 1: a's exit converts at the next checkpoint.
    const tree101 = await postRoot(w, 101n, [{ modelId: numeraiModelId(1), payout: 0n, burn: 0n }]);
    await gas(relayer, w.poolData('claim', [101n, 1, 0n, 0n, tree101.proofOf(w.pool, numeraiModelId(1))]));
    await gas(relayer, w.poolData('checkpoint', [[1]]));
    const withdraw = await gas(a, w.poolData('withdraw', [1]));
    return {
      stake_round_per_model: Math.round(big.gas / batch),
      stake_round_per_model_numerai: Math.round(bigNumerai / batch),
      stake_round_per_model_quiet: Math.round(quiet.gas / batch),
      stake_round_batch: batch,
      stake_round_active_rounds: active,
      claim_per_position: claim.gas,
      claim_per_position_numerai: claimNumerai,
      claim_loss: loss.gas,
      claim_finalized: finalized.gas,
      delegate: single.gas,
      delegate_first_in_epoch: firstInEpoch.gas,
      withdraw: withdraw.gas,
      request_redeem: request.gas,
      register_model: registered[1]!.gas,
    };
  } finally {
    w.stop();
  }
}

/** Starts its own chain (for the bench). */
export async function benchStakingGas(): Promise<StakingGasFigures> {
  const chain = await startAnvil({ gasLimit: 100_000_000n, accounts: 8 });
  try {
    return await measureStakingGas(chain.url);
  } finally {
    await chain.stop();
  }
}
