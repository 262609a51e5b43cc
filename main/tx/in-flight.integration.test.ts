/**
 * The tracker on a real anvil with mining switched off, so a transaction stays pending until the
 * test mines a block: legacy gas prices on a pre-London chain, and confirmations counted on a
 * chain treated as a public network.
 */
import { HDNodeWallet, JsonRpcProvider, Mnemonic, Network, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { rawRpc } from '../devnet/test-support/raw-rpc';
import { createProvider } from '../chain/provider';
import { EventBus } from '../ipc/events';
import type { EventPayload } from '../../shared/api';
import { feeCapPerGas, marketFees, replacementFees, type Fees } from './fees';
import { InFlightTracker } from './in-flight';
import { CONFIRMATIONS_NEEDED } from '../chain/confirmations';

type TxEvent = EventPayload<'tx.status'>;
// Anvil's well-known dev account #4, funded at start (local test chains only).
const KEY = HDNodeWallet.fromMnemonic(
  Mnemonic.fromPhrase('test test test test test test test test test test test junk'),
  "m/44'/60'/0'/0/4",
).privateKey;

function recorder(bus: EventBus) {
  const events: TxEvent[] = [];
  bus.subscribe((e) => e.name === 'tx.status' && events.push(e.payload));
  return events;
}

const ref = (requestId: string, step = 1, steps = 1) => ({ requestId, label: 'Send 1 wei to a friend', step, steps });

describe('replacement fees', () => {
  const eip1559: Fees = { type: 2, maxFeePerGas: 100n, maxPriorityFeePerGas: 10n };

  it('raise both the fee cap and the tip by at least the 10 % nodes require', () => {
    const low: Fees = { type: 2, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n };
    const r = replacementFees(eip1559, low);
    expect(r).toEqual({ type: 2, maxFeePerGas: 113n, maxPriorityFeePerGas: 12n });
    if (r.type !== 2) throw new Error('type changed');
    expect(r.maxFeePerGas * 10n).toBeGreaterThanOrEqual(eip1559.maxFeePerGas * 11n);
    expect(r.maxPriorityFeePerGas * 10n).toBeGreaterThanOrEqual(eip1559.maxPriorityFeePerGas * 11n);
    // Rounding up keeps tiny fees moving too: 1 wei becomes 2, never stays at 1.
    expect(replacementFees({ type: 0, gasPrice: 1n }, { type: 0, gasPrice: 1n })).toEqual({ type: 0, gasPrice: 2n });
  });

  it('follow the market when it rose above the bump, and keep the transaction type', () => {
    expect(replacementFees(eip1559, { type: 2, maxFeePerGas: 500n, maxPriorityFeePerGas: 50n })).toEqual({
      type: 2,
      maxFeePerGas: 500n,
      maxPriorityFeePerGas: 50n,
    });
    expect(replacementFees({ type: 0, gasPrice: 100n }, { type: 0, gasPrice: 300n })).toEqual({ type: 0, gasPrice: 300n });
    expect(feeCapPerGas({ type: 0, gasPrice: 7n })).toBe(7n);
  });
});

describe.each([
  { hardfork: 'berlin', kind: 'local' as const },
  { hardfork: 'prague', kind: 'remote' as const },
])('in-flight transactions on a $hardfork chain treated as $kind', ({ hardfork, kind }) => {
  let anvil: AnvilHandle;
  let tracker: InFlightTracker;
  let events: TxEvent[];
  let wallet: Wallet;
  const friend = Wallet.createRandom().address;

  beforeAll(async () => {
    anvil = await startAnvil({ hardfork });
    const provider = createProvider(anvil.url, 31337, 20);
    const bus = new EventBus();
    events = recorder(bus);
    tracker = new InFlightTracker(provider, bus, kind);
    wallet = new Wallet(KEY, provider);
    await rawRpc(anvil.url, 'evm_setAutomine', [false]);
  });
  afterAll(async () => {
    await tracker?.close();
    await anvil?.stop();
  });

  it('keeps a transaction pending while no block comes, then a speed-up replaces it and is confirmed', async () => {
    const provider = wallet.provider!;
    const fees = await marketFees(provider);
    expect(fees.type).toBe(hardfork === 'berlin' ? 0 : 2);
    const requestId = 'a'.repeat(32);
    const entry = await tracker.send(
      { mode: 'sign', signer: wallet },
      ref(requestId),
      { to: friend, data: '0x', value: 1n, gasLimit: 21_000n },
      fees,
      31337,
    );
    const settled = tracker.settle(entry);
    await new Promise((r) => setTimeout(r, 300));
    expect(events.map((e) => e.state)).toEqual(['pending']);
    expect(await provider.getTransactionReceipt(entry.attempts[0]!.hash)).toBeNull();

    const r = await tracker.prepareReplacement(entry.txId, 'speed-up');
    expect(r.body).toMatchObject({ to: friend, value: 1n, gasLimit: 21_000n });
    expect(feeCapPerGas(r.fees) * 100n).toBeGreaterThanOrEqual(feeCapPerGas(fees) * 110n);
    const hash = await tracker.sendReplacement({ mode: 'sign', signer: wallet }, r, 31337);
    await rawRpc(anvil.url, 'evm_mine');
    expect(await settled).toEqual({ kind: 'mined', hash, by: 'speed-up' });

    // What was mined is the replacement, with its nonce and exactly the fees it was prepared with.
    const mined = await provider.getTransaction(hash);
    expect(mined?.nonce).toBe(entry.nonce);
    expect(mined?.type).toBe(fees.type);
    if (r.fees.type === 0) expect(mined?.gasPrice).toBe(r.fees.gasPrice);
    else
      expect({ max: mined?.maxFeePerGas, tip: mined?.maxPriorityFeePerGas }).toEqual({
        max: r.fees.maxFeePerGas,
        tip: r.fees.maxPriorityFeePerGas,
      });

    const original = events.filter((e) => e.txId === entry.txId);
    expect(original.map((e) => e.state)).toEqual(['pending', 'replaced']);
    expect(original[1]!.replacedBy).toEqual({ hash, by: 'speed-up' });
    const replacement = () => events.filter((e) => e.replaces === entry.txId);
    expect(replacement()[0]).toMatchObject({ state: 'pending', purpose: 'speed-up', hash, nonce: entry.nonce, step: 1, requestId });

    if (kind === 'local') {
      expect(replacement().map((e) => e.state)).toEqual(['pending', 'mined', 'confirmed']);
    } else {
      // On a public network, mined is not the end: it waits for blocks on top of it.
      expect(replacement().map((e) => e.state)).toEqual(['pending', 'mined']);
      for (let i = 1; i < CONFIRMATIONS_NEEDED.remote; i++) await rawRpc(anvil.url, 'evm_mine');
      const deadline = Date.now() + 10_000;
      while (!replacement().some((e) => e.state === 'confirmed') && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
      expect(replacement().at(-1)).toMatchObject({
        state: 'confirmed',
        confirmations: CONFIRMATIONS_NEEDED.remote,
        confirmationsNeeded: CONFIRMATIONS_NEEDED.remote,
      });
    }
    // Nothing is left to speed up.
    await expect(tracker.prepareReplacement(entry.txId, 'cancel')).rejects.toThrow(/no longer waiting/);
  });

  it('says so when a transaction from elsewhere takes the nonce', async () => {
    events.length = 0;
    const provider = wallet.provider!;
    const fees = await marketFees(provider);
    const entry = await tracker.send(
      { mode: 'sign', signer: wallet },
      ref('b'.repeat(32)),
      { to: friend, data: '0x', value: 1n, gasLimit: 21_000n },
      fees,
      31337,
    );
    const settled = tracker.settle(entry);
    // Another wallet app holding the same key sends its own transaction with that nonce and more fee.
    const theirs = replacementFees(replacementFees(fees, fees), fees);
    await wallet.sendTransaction({ to: wallet.address, value: 0n, gasLimit: 21_000n, nonce: entry.nonce, chainId: 31337, ...theirs });
    await rawRpc(anvil.url, 'evm_mine');
    expect(await settled).toEqual({ kind: 'replaced-by-other' });
    expect(events.at(-1)).toMatchObject({ txId: entry.txId, state: 'replaced', replacedBy: { hash: null, by: 'other' } });
    expect(events.at(-1)!.error).toMatch(/Another transaction from your account/);
  });

  it('waits for the receipt when the node tells the used nonce first, and reports the transaction mined, not taken', async () => {
    // A node (a provider's backends a block apart) that answers the new nonce before the receipt.
    let hideReceiptsUntil = 0;
    class Lagging extends JsonRpcProvider {
      override async getTransactionReceipt(hash: string) {
        return Date.now() < hideReceiptsUntil ? null : super.getTransactionReceipt(hash);
      }
    }
    const network = Network.from(31337);
    const lagging = new Lagging(anvil.url, network, { staticNetwork: network, cacheTimeout: -1 });
    const lagTracker = new InFlightTracker(lagging, new EventBus(), kind);
    try {
      const signer = new Wallet(KEY, lagging);
      const fees = await marketFees(lagging);
      const tx = { to: friend, data: '0x', value: 1n, gasLimit: 21_000n };
      const entry = await lagTracker.send({ mode: 'sign', signer }, ref('c'.repeat(32)), tx, fees, 31337);
      hideReceiptsUntil = Date.now() + 800;
      await rawRpc(anvil.url, 'evm_mine');
      expect(await lagTracker.settle(entry)).toMatchObject({ kind: 'mined', hash: entry.attempts[0]!.hash });
    } finally {
      await lagTracker.close();
      lagging.destroy();
    }
  });
});
