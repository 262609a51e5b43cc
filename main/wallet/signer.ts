import { AbstractSigner, type Provider, type TransactionRequest, type TypedDataDomain, type TypedDataField, type Wallet } from 'ethers';

/** How a signer reaches a key: only while the wallet is unlocked, and only for its own address. */
export interface KeyAccess {
  withKey<T>(address: string, use: (wallet: Wallet) => Promise<T>): Promise<T>;
}

/**
 * The signer the wallet hands to main's services. It holds no key: each signature asks the
 * wallet for the key at that moment, so `lock()` really drops the key even if a service kept a
 * signer object, and a signer kept across a lock fails with WALLET_LOCKED instead of signing.
 */
export class WalletSigner extends AbstractSigner {
  readonly #keys: KeyAccess;

  constructor(
    keys: KeyAccess,
    readonly address: string,
    provider: Provider | null = null,
  ) {
    super(provider);
    this.#keys = keys;
  }

  override connect(provider: Provider | null): WalletSigner {
    return new WalletSigner(this.#keys, this.address, provider);
  }

  override async getAddress(): Promise<string> {
    return this.address;
  }

  override signTransaction(tx: TransactionRequest): Promise<string> {
    return this.#keys.withKey(this.address, (w) => w.connect(this.provider).signTransaction(tx));
  }

  override signMessage(message: string | Uint8Array): Promise<string> {
    return this.#keys.withKey(this.address, (w) => w.signMessage(message));
  }

  override signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string> {
    return this.#keys.withKey(this.address, (w) => w.connect(this.provider).signTypedData(domain, types, value));
  }
}
