import {
  AbstractSigner,
  copyRequest,
  getAddress,
  resolveAddress,
  Signature,
  Transaction,
  type Provider,
  type TransactionLike,
  type TransactionRequest,
  type TypedDataDomain,
  type TypedDataField,
} from 'ethers';
import { AppError } from '../../shared/api/errors';
import type { ClearSignResolver } from './clear-signing';
import type { LedgerDevice } from './device';

const ONLY_TRANSACTIONS = 'This app asks a Ledger to sign transactions only.';

/**
 * An account on a Ledger as an ethers signer. It holds no key and no open device: each
 * `signTransaction` opens the device, streams the unsigned transaction to the Ethereum app, and
 * puts the device's signature on it. The sender recovered from that signature must be this
 * account's address: a device with another seed (or another passphrase) cannot send from an
 * address the person did not choose.
 */
export class LedgerSigner extends AbstractSigner {
  constructor(
    private readonly device: LedgerDevice,
    private readonly resolve: ClearSignResolver,
    readonly path: string,
    readonly address: string,
    provider: Provider | null = null,
  ) {
    super(provider);
  }

  override connect(provider: Provider | null): LedgerSigner {
    return new LedgerSigner(this.device, this.resolve, this.path, this.address, provider);
  }

  override getAddress(): Promise<string> {
    return Promise.resolve(this.address);
  }

  override async signTransaction(request: TransactionRequest): Promise<string> {
    const tx = await this.unsigned(request);
    const rawTxHex = tx.unsignedSerialized.slice(2);
    const resolution = await this.resolve(rawTxHex, tx.chainId);
    const { v, r, s } = await this.device.run('sign', (eth) => eth.signTransaction(this.path, rawTxHex, resolution));
    let from: string | null;
    try {
      tx.signature = Signature.from({ r: `0x${r}`, s: `0x${s}`, v: BigInt(`0x${v}`) });
      from = tx.from;
    } catch {
      throw new AppError('LEDGER_ERROR', 'Your Ledger returned a signature that does not fit the transaction. Nothing was sent.');
    }
    if (from !== this.address)
      throw new AppError(
        'LEDGER_WRONG_ACCOUNT',
        `Your Ledger signed as ${from ?? 'nobody'}, not as ${this.address}: it holds another recovery phrase or passphrase. Nothing was sent.`,
      );
    return tx.serialized;
  }

  /** The transaction as the device will see it; what main confirmed, with names resolved to addresses. */
  private async unsigned(request: TransactionRequest): Promise<Transaction> {
    const req = copyRequest(request);
    if (req.to != null) req.to = await resolveAddress(req.to, this.provider);
    if (req.from != null) {
      const from = await resolveAddress(req.from, this.provider);
      if (getAddress(from) !== this.address)
        throw new AppError('LEDGER_WRONG_ACCOUNT', `This transaction is from ${from}, not from the Ledger account ${this.address}.`);
      delete req.from;
    }
    const tx = Transaction.from(req as TransactionLike<string>);
    // The device signs for one chain only (EIP-155 / EIP-1559): a transaction without one could be replayed elsewhere.
    if (tx.chainId === 0n) throw new AppError('INTERNAL', 'A transaction for a Ledger must name its network (chain id).');
    tx.type ??= tx.inferType();
    return tx;
  }

  override signMessage(): Promise<string> {
    return Promise.reject(new AppError('NOT_AVAILABLE', ONLY_TRANSACTIONS));
  }

  override signTypedData(
    _domain: TypedDataDomain,
    _types: Record<string, TypedDataField[]>,
    _value: Record<string, unknown>,
  ): Promise<string> {
    return Promise.reject(new AppError('NOT_AVAILABLE', ONLY_TRANSACTIONS));
  }
}
