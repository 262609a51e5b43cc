/**
 * A Ledger account sends through main's own sending path (InFlightTracker: populate, sign, keep
 * the signed bytes, broadcast) on a real anvil, with the device emulated from the Ethereum app's
 * APDU specification: EIP-1559 on a current chain, a legacy gas price on a pre-London one.
 */
import { type JsonRpcProvider, parseEther, Wallet } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/errors';
import { createProvider } from '../chain/provider';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { rawRpc } from '../devnet/test-support/raw-rpc';
import { EventBus } from '../ipc/events';
import { marketFees } from '../tx/fees';
import { InFlightTracker } from '../tx/in-flight';
import { blindOnly } from './clear-signing';
import { createLedgerConnector } from './connector';
import { ACCOUNT_0, deviceKey, OTHER_DEVICE_PHRASE } from './test-support/device-recordings';
import { EmulatedEthApp } from './test-support/emulated-device';

const ref = (requestId: string) => ({ requestId, label: 'Send 1 wei to a friend', step: 1, steps: 1 });

describe.each(['prague', 'berlin'])('a Ledger account sends on a %s chain', (hardfork) => {
  let anvil: AnvilHandle;
  let provider: JsonRpcProvider;
  let tracker: InFlightTracker;
  const address = deviceKey(ACCOUNT_0).address;
  const friend = Wallet.createRandom().address;

  beforeAll(async () => {
    anvil = await startAnvil({ hardfork });
    provider = createProvider(anvil.url, 31337, 20);
    tracker = new InFlightTracker(provider, new EventBus(), 'local');
    await rawRpc(anvil.url, 'anvil_setBalance', [address, `0x${parseEther('1').toString(16)}`]);
  });
  afterAll(async () => {
    await tracker?.close();
    provider?.destroy();
    await anvil?.stop();
  });

  const device = (phrase?: string) =>
    createLedgerConnector({
      transport: { unavailable: () => Promise.resolve(null), open: () => Promise.resolve(new EmulatedEthApp(phrase)) },
      resolve: blindOnly,
    });

  it('signs on the device, main broadcasts the signed bytes, and the chain sees the account as sender', async () => {
    const ledger = device();
    const [account] = await ledger.addresses('ledger-live', 0, 1);
    expect(account).toEqual({ path: ACCOUNT_0, address });
    const fees = await marketFees(provider);
    expect(fees.type).toBe(hardfork === 'berlin' ? 0 : 2);
    const entry = await tracker.send(
      { mode: 'sign', signer: ledger.signer(account!.path, account!.address, provider) },
      ref('b'.repeat(32)),
      { to: friend, data: '0x', value: 1n, gasLimit: 21_000n },
      fees,
      31337,
    );
    expect(await tracker.settle(entry)).toMatchObject({ kind: 'mined' });
    const receipt = await provider.getTransactionReceipt(entry.attempts[0]!.hash);
    expect([receipt?.from, receipt?.status]).toEqual([address, 1]);
    expect(await provider.getBalance(friend)).toBe(1n);
  });

  it('sends nothing when the device holds another seed', async () => {
    const nonce = await provider.getTransactionCount(address);
    const signer = device(OTHER_DEVICE_PHRASE).signer(ACCOUNT_0, address, provider);
    const e: unknown = await tracker
      .send(
        { mode: 'sign', signer },
        ref('c'.repeat(32)),
        { to: friend, data: '0x', value: 1n, gasLimit: 21_000n },
        await marketFees(provider),
        31337,
      )
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('LEDGER_WRONG_ACCOUNT');
    expect(await provider.getTransactionCount(address, 'pending')).toBe(nonce);
  });
});
