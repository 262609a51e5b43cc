import { Contract, type Interface, type JsonRpcProvider } from 'ethers';
import { AppError, type EventPayload } from '../../shared/api';
import type { EventBus } from '../ipc/events';
import { waitingFor, type HolderAccount } from '../accounts/external-signers';
import { checkChainId, describeTxError, nodeFault } from '../chain/tx-errors';
import { tokenAbi } from '../chain/contracts';
import { marketFees } from './fees';
import { InFlightTracker, type Outcome, type Replacement, type StepRef } from './in-flight';
import { completePlan } from './complete-plan';
import { replacementPlan } from './replacement-plan';
import type { IntentDraft } from './staking-intents/draft';
import type { Plan, PlanStep } from './plan';
import { PendingTxFile } from './pending-file';
import { ledgerGuide } from '../ledger/device-screens';
import type { Logger } from '../log/logger';

/** The chain a session signs on, as the app validated it: the node, its id and name, and NMR's address. */
export interface ChainFacts {
  provider: JsonRpcProvider;
  chainId: number;
  kind: 'local' | 'remote';
  label: string;
  tokenAddress: string;
}

/** Which network a session is on, as the app shows it. */
export interface NetworkInfo {
  kind: 'local' | 'remote';
  chainId: number;
  label: string;
}

/** What every plan starts from: the holder and their balances now. */
export interface DraftFacts {
  holder: string;
  balances: { ethWei: bigint; nmrWei: bigint };
}

// A step that depends on an earlier one (delegate after approve) cannot be simulated yet: this bounds its gas.
const DEPENDENT_STEP_GAS_BOUND = 400_000n;
/** Room over a simulated gas figure: state can move a little between simulating and mining. */
const gasWithHeadroom = (estimate: bigint) => (estimate * 6n) / 5n;

/**
 * The pool-independent half of every transaction the holder makes (StakingPoolService drafts the
 * intents): balances, a drafted intent completed into a
 * Plan (each step's gas simulated with headroom or bounded when it depends on an earlier step, the
 * market fee, completePlan), signing and sending a confirmed plan step by step with in-flight
 * tracking, speed-up and cancel by replacement, and a node's failure in words, reverts decoded with
 * the contracts' own error ABIs (`errorAbis`: the pool's, Numerai's, NMR's — whatever the session talks to).
 */
export class ChainTx {
  private readonly token: Contract;
  /** The transactions this session sent and is still watching. */
  private readonly inFlight: InFlightTracker;
  /** Done once what the last run left waiting is listed again (nothing to wait for without a file). */
  private readonly resumed: Promise<unknown>;

  constructor(
    private readonly facts: ChainFacts,
    /** The account in use (a key here, a wallet over WalletConnect, a Ledger): asked at each plan and send. */
    private readonly account: HolderAccount,
    events: EventBus,
    private readonly errorAbis: Interface[],
    /** Where waiting transactions are kept across restarts: <userData>/pending-tx/<chainId>.json. */
    keep: { file: string; log: Logger } | null = null,
  ) {
    this.token = new Contract(facts.tokenAddress, tokenAbi, facts.provider);
    this.inFlight = new InFlightTracker(
      facts.provider,
      events,
      facts.kind,
      keep && { file: new PendingTxFile(keep.file, facts.provider, keep.log), log: keep.log },
    );
    this.resumed = this.inFlight
      .resume()
      .catch((e: unknown) => keep?.log.warn('tx.resume_failed', { error: e instanceof Error ? e.message : String(e) }));
  }

  /**
   * The session's transaction watch, for main's own sends (the operator's automatic stakes and
   * claims): they are listed under the header like the person's own.
   */
  get tracker(): Pick<InFlightTracker, 'send' | 'settle' | 'failed' | 'signing'> {
    return this.inFlight;
  }

  /** Which network this is. */
  network(): NetworkInfo {
    return { kind: this.facts.kind, chainId: this.facts.chainId, label: this.facts.label };
  }

  /**
   * The chain's first block hash: with the chain id it tells a demo chain started afresh (same id,
   * same addresses) from the one it replaced.
   */
  async firstBlockHash(): Promise<string> {
    const block = await this.facts.provider.getBlock(0);
    if (!block?.hash) throw new AppError('RPC_BAD_ANSWER', 'The network node did not give its first block.');
    return block.hash;
  }

  /** Refuses to plan or sign when the node now claims another chain than the one validated. */
  checkChain(): Promise<void> {
    return checkChainId(this.facts.provider, this.facts.chainId, this.facts.label);
  }

  /** The last status of every transaction this session sent that still waits for the network. */
  async inFlightList(): Promise<EventPayload<'tx.status'>[]> {
    await this.resumed;
    return this.inFlight.list();
  }

  /** Sends every waiting transaction again where the node forgot it (the local chain was restarted). */
  async resend(): Promise<void> {
    await this.resumed;
    await this.inFlight.rebroadcastAll();
  }

  /** A failure's node part in words (the contracts' reverts decoded), or null when the node is not at fault. */
  nodeFault(e: unknown): AppError | null {
    return nodeFault(e, this.errorAbis);
  }

  /** Stops watching transactions and writes what still waits (before the session's provider goes away). */
  close(): Promise<void> {
    return this.inFlight.close();
  }

  async balances(address: string): Promise<{ ethWei: bigint; nmrWei: bigint }> {
    const [ethWei, nmrWei] = await Promise.all([
      this.facts.provider.getBalance(address),
      this.token.getFunction('balanceOf')(address) as Promise<bigint>,
    ]);
    return { ethWei, nmrWei: BigInt(nmrWei) };
  }

  /**
   * Turns an intent into the exact transactions and the facts a holder needs to decide: the pool's
   * builder drafts (from the holder and balances read here), this sizes the gas and adds the fee.
   */
  async plan(draftWith: (facts: DraftFacts) => Promise<IntentDraft>): Promise<Plan> {
    const holder = await this.account.readyAddress();
    await this.checkChain();
    const [balances, fees] = await Promise.all([this.balances(holder), marketFees(this.facts.provider)]);
    const draft = await draftWith({ holder, balances });
    const gasUnits = draft.blocker ? 0n : await this.setGasLimits(holder, draft.steps);
    return this.withSigner(
      completePlan(draft, {
        holder,
        chainId: this.facts.chainId,
        networkLabel: this.facts.label,
        fees,
        ethWei: balances.ethWei,
        gasUnits,
      }),
    );
  }

  /** A wallet that signs elsewhere is named in the confirmation, with what happens after confirming here. */
  private async withSigner(plan: Plan): Promise<Plan> {
    const s = await this.account.signer(this.facts.provider);
    if (s.mode === 'send')
      plan.lines.push({
        label: 'Signed by',
        value: `${s.signer.walletName} (WalletConnect): after you confirm here, it asks you to approve each transaction`,
      });
    else if (s.device) {
      plan.lines.push({
        label: 'Signed by',
        value: `${s.device.name} (${s.device.path}): after you confirm here, approve each transaction on the device`,
      });
      plan.device = ledgerGuide(plan);
    }
    return plan;
  }

  /** Sets each step's gas limit: simulated where the chain can tell, bounded where a step depends on an earlier one. */
  private async setGasLimits(holder: string, steps: PlanStep[]): Promise<bigint> {
    let gas = 0n;
    for (const [i, s] of steps.entries()) {
      s.gasLimit = i > 0 ? DEPENDENT_STEP_GAS_BOUND : gasWithHeadroom(await this.estimate(holder, s));
      gas += s.gasLimit;
    }
    return gas;
  }

  /** Simulates a step now; a revert becomes the contract's reason in words. */
  private async estimate(holder: string, step: PlanStep): Promise<bigint> {
    try {
      return await this.facts.provider.estimateGas({ ...step.tx, from: holder });
    } catch (e) {
      throw new AppError('TX_FAILED', describeTxError(e, this.errorAbis));
    }
  }

  /**
   * Signs and sends a confirmed plan's steps in order, with the confirmed fees, reporting live
   * status. Each step waits until it is mined (by itself or by a speed-up); a revert, a cancel or
   * a transaction from elsewhere taking its nonce stops the plan before the next step is signed.
   */
  async execute(plan: Plan, requestId: string): Promise<{ txHashes: string[] }> {
    const signer = await this.account.signer(this.facts.provider);
    if (signer.signer.address !== plan.holder) throw new AppError('BAD_CONFIRMATION', 'The wallet changed since this was confirmed.');
    const hashes: string[] = [];
    for (const [i, step] of plan.steps.entries()) {
      const ref: StepRef = { requestId, label: step.description, step: i + 1, steps: plan.steps.length };
      this.inFlight.signing(ref, waitingFor(signer));
      let outcome: Outcome;
      try {
        // A node that switched chains since the network was chosen gets nothing signed.
        await this.checkChain();
        // Earlier steps are mined now, so this one can be simulated: a revert is reported before signing,
        // and the gas never exceeds what the confirmation counted.
        const gasLimit = min(gasWithHeadroom(await this.estimate(plan.holder, step)), step.gasLimit);
        const body = { to: String(step.tx.to), data: String(step.tx.data ?? '0x'), value: BigInt(step.tx.value ?? 0n), gasLimit };
        outcome = await this.inFlight.settle(await this.inFlight.send(signer, ref, body, plan.fees, plan.chainId));
      } catch (e) {
        const message = e instanceof AppError ? e.message : describeTxError(e, this.errorAbis);
        this.inFlight.failed(ref, message);
        throw e instanceof AppError ? e : new AppError('TX_FAILED', message);
      }
      if (outcome.kind === 'mined') {
        hashes.push(outcome.hash);
        continue;
      }
      const later = plan.steps.length - i - 1;
      const rest = later > 0 ? ` The ${later === 1 ? 'next step was' : `${later} later steps were`} not sent.` : '';
      if (outcome.kind === 'reverted') throw new AppError('TX_FAILED', `The transaction was reverted.${rest}`);
      if (outcome.kind === 'cancelled') throw new AppError('CANCELLED', `You cancelled “${step.description}”.${rest}`);
      throw new AppError('TX_FAILED', `Another transaction from your account took the place of “${step.description}”.${rest}`);
    }
    return { txHashes: hashes };
  }

  /**
   * The confirmation for a speed-up or cancel of a pending step: the same nonce with higher fees,
   * shown with the old and new fee and the total it can cost, exactly as it will be signed.
   */
  async replacementPlan(txId: string, purpose: 'speed-up' | 'cancel'): Promise<{ plan: Plan; replacement: Replacement }> {
    await Promise.all([this.checkChain(), this.resumed]);
    const r = await this.inFlight.prepareReplacement(txId, purpose);
    const holder = await this.account.readyAddress();
    if (holder !== r.entry.from) throw new AppError('BAD_INPUT', 'That transaction was sent from another account; switch to it first.');
    const ethWei = await this.facts.provider.getBalance(holder);
    const plan = await this.withSigner(replacementPlan(r, { holder, chainId: this.facts.chainId, networkLabel: this.facts.label, ethWei }));
    return { plan, replacement: r };
  }

  /** Signs and sends a confirmed speed-up or cancel; the step's own watch reports what happens next. */
  async sendReplacement(plan: Plan, r: Replacement): Promise<{ txHashes: string[] }> {
    const signer = await this.account.signer(this.facts.provider);
    if (signer.signer.address !== plan.holder) throw new AppError('BAD_CONFIRMATION', 'The wallet changed since this was confirmed.');
    try {
      await this.checkChain();
      return { txHashes: [await this.inFlight.sendReplacement(signer, r, plan.chainId)] };
    } catch (e) {
      const message = e instanceof AppError ? e.message : describeTxError(e, this.errorAbis);
      this.inFlight.replacementFailed(r, message);
      throw e instanceof AppError ? e : new AppError('TX_FAILED', message);
    }
  }
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
