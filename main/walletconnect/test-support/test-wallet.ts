import { SignClient } from '@walletconnect/sign-client';
import type { SignClientTypes } from '@walletconnect/types';
import { getAddress, JsonRpcProvider, Wallet } from 'ethers';

type Client = Awaited<ReturnType<typeof SignClient.init>>;
type Request = SignClientTypes.EventArguments['session_request'];

/**
 * What the test wallet does with requests: sign and broadcast, refuse, answer a made-up hash, or
 * hold them (a person who has not looked yet) until the mode changes, which then answers them.
 */
export type WalletMode = 'approve' | 'reject' | 'ignore' | 'wrong-hash';

/** The transaction fields an app asked the wallet to send, as received. */
export type SentParams = Record<string, string>;

export interface TestWallet {
  address: string;
  /** Pairs with a `wc:` URI as a person scanning the QR code would. */
  pair(uri: string): Promise<void>;
  /** Wait for the proposal and approve it for these chains (default the one it was asked for). */
  approveFor(chainIds: number[] | null): void;
  mode(m: WalletMode): void;
  /** Every eth_sendTransaction received, in order. */
  requests: SentParams[];
  /** Ends every session from the wallet's side. */
  disconnectAll(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A wallet for tests: @walletconnect/sign-client in wallet mode on the relay stand-in, approving
 * sessions for one key (anvil's account) and, for each eth_sendTransaction, signing exactly the
 * fields it got and broadcasting them to the local chain itself, as a real wallet does.
 */
export async function startTestWallet(opts: { relayUrl: string; privateKey: string; rpcUrl: string; name?: string }): Promise<TestWallet> {
  const provider = new JsonRpcProvider(opts.rpcUrl, undefined, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 20 });
  const key = new Wallet(opts.privateKey, provider);
  const address = getAddress(key.address);
  const client: Client = await SignClient.init({
    projectId: 'offline-test',
    relayUrl: opts.relayUrl,
    customStoragePrefix: `test-wallet-${address}`,
    metadata: { name: opts.name ?? 'Test Wallet', description: 'A wallet for tests', url: 'https://wallet.invalid', icons: [] },
    telemetryEnabled: false,
    logger: 'silent',
  });
  // Verify is a hosted service (verify.walletconnect.org) a real wallet asks about the app's origin: off here.
  // (The SDK itself answers undefined when it has no attestation, which its type leaves out.)
  client.core.verify.resolve = (async () => undefined) as unknown as typeof client.core.verify.resolve;
  let mode: WalletMode = 'approve';
  let chainsOverride: number[] | null = null;
  const requests: SentParams[] = [];
  const held: Request[] = [];
  const seen = new Set<number>();

  client.on('session_proposal', (p) => {
    const asked = Object.values({ ...p.params.requiredNamespaces, ...p.params.optionalNamespaces }).flatMap((n) => n.chains ?? []);
    const chains = chainsOverride ? chainsOverride.map((c) => `eip155:${c}`) : asked;
    void client.approve({
      id: p.id,
      namespaces: {
        eip155: {
          chains,
          accounts: chains.map((c) => `${c}:${address}`),
          methods: ['eth_sendTransaction'],
          events: ['accountsChanged', 'chainChanged'],
        },
      },
    });
  });

  client.on('session_request', (r) => void answer(r));
  async function answer(r: Request): Promise<void> {
    const respond = (response: { result: string } | { error: { code: number; message: string } }) =>
      client.respond({ topic: r.topic, response: { id: r.id, jsonrpc: '2.0', ...response } });
    const [tx] = r.params.request.params as SentParams[];
    if (!seen.has(r.id)) requests.push(tx!);
    seen.add(r.id);
    // The SDK hands a wallet one request at a time: a held one is answered when the mode changes.
    if (mode === 'ignore') return void held.push(r);
    if (mode === 'reject') return respond({ error: { code: 4001, message: 'User rejected the request.' } });
    if (mode === 'wrong-hash') return respond({ result: `0x${'ab'.repeat(32)}` });
    try {
      const signed = await key.signTransaction({
        type: 2,
        to: tx!.to,
        data: tx!.data,
        value: BigInt(tx!.value ?? '0x0'),
        gasLimit: BigInt(tx!.gas!),
        nonce: Number(tx!.nonce),
        chainId: BigInt(tx!.chainId!),
        maxFeePerGas: BigInt(tx!.maxFeePerGas!),
        maxPriorityFeePerGas: BigInt(tx!.maxPriorityFeePerGas!),
      });
      const sent = await provider.broadcastTransaction(signed);
      await respond({ result: sent.hash });
    } catch (e) {
      await respond({ error: { code: -32000, message: e instanceof Error ? e.message.slice(0, 200) : 'failed' } });
    }
  }

  return {
    address,
    pair: async (uri) => void (await client.pair({ uri })),
    approveFor: (chainIds) => (chainsOverride = chainIds),
    mode(m) {
      mode = m;
      for (const r of held.splice(0)) void answer(r);
    },
    requests,
    async disconnectAll() {
      for (const s of client.session.getAll())
        await client.disconnect({ topic: s.topic, reason: { code: 6000, message: 'User disconnected.' } });
    },
    async close() {
      await client.core.relayer.transportClose().catch(() => undefined);
      provider.destroy();
    },
  };
}
