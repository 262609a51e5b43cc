import type { AbstractSigner, Provider, TransactionReceipt } from 'ethers';
import { highFeeWarning } from '../tx/fee-limits';
import { feeCapPerGas, marketFees } from '../tx/fees';
import type { InFlightTracker } from '../tx/in-flight';
import type { PoolTx } from './staking-pool-port';

/**
 * How the operator's round sends its transactions (stakeRound, claim) without a person at the
 * screen: only to the pool, only what the operator turned on once in main's window, at the market fee
 * and never at an unusually high one (it waits for the next run instead: a round stays open for hours).
 * Sent transactions go through the same tracker as a person's, so they are listed under the header
 * and can be sped up or cancelled there.
 */

export interface AutoSendDeps {
  provider: Provider;
  chainId: number;
  /** The only contract an automatic transaction may go to. */
  poolAddress: string;
  /** The active account's signer (fails while the wallet is locked). */
  signer: () => AbstractSigner & { address: string };
  tracker: Pick<InFlightTracker, 'send' | 'settle' | 'failed' | 'signing'>;
  /** Asks the node for its chain id again; throws WRONG_CHAIN when it changed. */
  checkChain: () => Promise<void>;
}

export class AutoSendRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AutoSendRefused';
  }
}

let counter = 0;

export function autoSender(deps: AutoSendDeps): (tx: PoolTx) => Promise<TransactionReceipt> {
  return async (tx) => {
    if (tx.to.toLowerCase() !== deps.poolAddress.toLowerCase())
      throw new AutoSendRefused('The operator’s round only ever sends to the pool.');
    await deps.checkChain();
    const signer = deps.signer();
    const ref = { requestId: `operator-${Date.now()}-${++counter}`, label: tx.description, step: 1, steps: 1 };
    deps.tracker.signing(ref);
    try {
      const fees = await marketFees(deps.provider);
      const estimate = await deps.provider.estimateGas({ from: signer.address, to: tx.to, data: tx.data });
      const gasLimit = (estimate * 6n) / 5n;
      const warning = highFeeWarning(fees, gasLimit * feeCapPerGas(fees));
      if (warning) throw new AutoSendRefused(`${warning} The operator’s round waits for a normal fee and tries again later.`);
      const entry = await deps.tracker.send(
        { mode: 'sign', signer },
        ref,
        { to: tx.to, data: tx.data, value: 0n, gasLimit },
        fees,
        deps.chainId,
      );
      const outcome = await deps.tracker.settle(entry);
      if (outcome.kind !== 'mined')
        throw new Error(
          outcome.kind === 'reverted' ? 'The transaction was reverted.' : 'The transaction was replaced before it was mined.',
        );
      const receipt = await deps.provider.getTransactionReceipt(outcome.hash);
      if (!receipt) throw new Error('The node did not return the receipt of a mined transaction.');
      return receipt;
    } catch (e) {
      deps.tracker.failed(ref, e instanceof Error ? e.message.slice(0, 300) : 'The transaction failed.');
      throw e;
    }
  };
}
