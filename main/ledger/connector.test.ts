import { JsonRpcProvider, Network, Transaction } from 'ethers';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api/errors';
import { blindOnly, type ClearSignResolver } from './clear-signing';
import { createLedgerConnector } from './connector';
import { NO_USB_HERE, type LedgerTransportSource } from './device';
import type { LedgerTransport } from './libs';
import { ACCOUNT_0, approveOnMainnetTx, deviceKey, delegateTx, nmrTokenInfo, OTHER_DEVICE_PHRASE } from './test-support/device-recordings';
import { replayDevice } from './test-support/replay';

const provider = new JsonRpcProvider('http://127.0.0.1:9', Network.from(31337), { staticNetwork: true });
afterAll(() => provider.destroy());

const ADDRESS_0 = deviceKey(ACCOUNT_0).address;

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e: unknown = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('reading accounts', () => {
  it.each([
    ['ledger-live', 'addresses-ledger-live', ["m/44'/60'/0'/0/0", "m/44'/60'/1'/0/0"]],
    ['legacy', 'addresses-legacy', ["m/44'/60'/0'/0", "m/44'/60'/0'/1"]],
  ] as const)('reads %s addresses quietly, in order, on one transport it closes', async (scheme, file, paths) => {
    const dev = replayDevice(file);
    const ledger = createLedgerConnector({ transport: dev.source, resolve: blindOnly });
    const got = await ledger.addresses(scheme, 0, 2);
    expect(got).toEqual(paths.map((path) => ({ path, address: deviceKey(path).address })));
    dev.store.ensureQueueEmpty();
    expect([dev.opened(), dev.closed()]).toEqual([1, 1]);
  });

  it('refuses to read more than 20 accounts or none, before asking the device', async () => {
    const dev = replayDevice('addresses-legacy');
    const ledger = createLedgerConnector({ transport: dev.source, resolve: blindOnly });
    expect((await refusal(ledger.addresses('legacy', 0, 21))).code).toBe('BAD_INPUT');
    expect((await refusal(ledger.addresses('legacy', 0, 0))).code).toBe('BAD_INPUT');
    expect(dev.opened()).toBe(0);
  });
});

describe('checking an address on the device', () => {
  it('shows the address and answers it once approved, the same as read quietly', async () => {
    const dev = replayDevice('verify');
    const ledger = createLedgerConnector({ transport: dev.source, resolve: blindOnly });
    await expect(ledger.verifyOnDevice(ACCOUNT_0)).resolves.toBe(ADDRESS_0);
    dev.store.ensureQueueEmpty();
  });

  it('refuses when the device holds another account than the list expects', async () => {
    const dev = replayDevice('verify');
    const ledger = createLedgerConnector({ transport: dev.source, resolve: blindOnly });
    const other = deviceKey(ACCOUNT_0, OTHER_DEVICE_PHRASE).address;
    const e = await refusal(ledger.verifyOnDevice(ACCOUNT_0, other));
    expect(e.code).toBe('LEDGER_WRONG_ACCOUNT');
    expect(e.message).toContain(other);
  });

  it('says the person rejected the address', async () => {
    const dev = replayDevice('verify-rejected');
    const ledger = createLedgerConnector({ transport: dev.source, resolve: blindOnly });
    const e = await refusal(ledger.verifyOnDevice(ACCOUNT_0));
    expect([e.code, e.message]).toEqual(['LEDGER_REJECTED', 'You rejected the address on your Ledger: this account was not added.']);
    expect(dev.closed()).toBe(1);
  });

  it('refuses a path neither scheme makes, without asking the device', async () => {
    const dev = replayDevice('verify');
    const ledger = createLedgerConnector({ transport: dev.source, resolve: blindOnly });
    expect((await refusal(ledger.verifyOnDevice("m/44'/0'/0'/0/0"))).code).toBe('BAD_INPUT');
    expect(dev.opened()).toBe(0);
  });
});

describe('signing', () => {
  it('signs the exact transaction main confirmed, as the account, streamed in 255-byte blocks', async () => {
    const dev = replayDevice('sign-delegate');
    const asked: [string, bigint][] = [];
    const resolve: ClearSignResolver = (raw, chainId) => {
      asked.push([raw, chainId]);
      return Promise.resolve(null);
    };
    const signer = createLedgerConnector({ transport: dev.source, resolve }).signer(ACCOUNT_0, ADDRESS_0, provider);
    const unsigned = delegateTx();
    const raw = await signer.signTransaction(unsigned);
    const signed = Transaction.from(raw);
    expect(signed.from).toBe(ADDRESS_0);
    expect(signed.unsignedHash).toBe(unsigned.unsignedHash);
    expect([signed.type, signed.chainId, signed.nonce, signed.to, signed.data]).toEqual([2, 31337n, 7, unsigned.to, unsigned.data]);
    expect(asked).toEqual([[unsigned.unsignedSerialized.slice(2), 31337n]]);
    dev.store.ensureQueueEmpty();
    expect(dev.closed()).toBe(1);
  });

  it('hands the device what makes the call readable (a token’s info) before the transaction', async () => {
    const dev = replayDevice('sign-with-token-info');
    const resolution = { erc20Tokens: [nmrTokenInfo()], nfts: [], externalPlugin: [], plugin: [], domains: [] };
    const signer = createLedgerConnector({ transport: dev.source, resolve: () => Promise.resolve(resolution) }).signer(
      ACCOUNT_0,
      ADDRESS_0,
      provider,
    );
    const raw = await signer.signTransaction(approveOnMainnetTx());
    expect(Transaction.from(raw).from).toBe(ADDRESS_0);
    dev.store.ensureQueueEmpty();
  });

  it('signs a request with a `from` of its own account, and refuses one from another without asking the device', async () => {
    const dev = replayDevice('sign-delegate');
    const signer = createLedgerConnector({ transport: dev.source, resolve: blindOnly }).signer(ACCOUNT_0, ADDRESS_0, provider);
    const like = delegateTx().toJSON() as Record<string, unknown>;
    const other = deviceKey(ACCOUNT_0, OTHER_DEVICE_PHRASE).address;
    expect((await refusal(signer.signTransaction({ ...delegateTx(), from: other, type: 2 }))).code).toBe('LEDGER_WRONG_ACCOUNT');
    expect(dev.opened()).toBe(0);
    const raw = await signer.signTransaction({ ...(like as object), from: ADDRESS_0.toLowerCase(), type: 2 });
    expect(Transaction.from(raw).from).toBe(ADDRESS_0);
  });

  it('refuses a signature from a device with another seed: nothing to send from a surprise address', async () => {
    const dev = replayDevice('sign-other-seed');
    const signer = createLedgerConnector({ transport: dev.source, resolve: blindOnly }).signer(ACCOUNT_0, ADDRESS_0, provider);
    const e = await refusal(signer.signTransaction(delegateTx()));
    expect(e.code).toBe('LEDGER_WRONG_ACCOUNT');
    expect(e.message).toContain(deviceKey(ACCOUNT_0, OTHER_DEVICE_PHRASE).address);
  });

  it('refuses a signature that does not fit the transaction (r = 0)', async () => {
    const dev = replayDevice('sign-delegate', (r) => r.replace(/<= [0-9a-f]{130}9000\n$/, `<= 00${'00'.repeat(64)}9000\n`));
    const signer = createLedgerConnector({ transport: dev.source, resolve: blindOnly }).signer(ACCOUNT_0, ADDRESS_0, provider);
    const e = await refusal(signer.signTransaction(delegateTx()));
    expect([e.code, e.message]).toEqual(['LEDGER_ERROR', expect.stringContaining('does not fit the transaction')]);
    dev.store.ensureQueueEmpty();
  });

  it('refuses a transaction without a chain id before asking the device', async () => {
    const dev = replayDevice('sign-delegate');
    const signer = createLedgerConnector({ transport: dev.source, resolve: blindOnly }).signer(ACCOUNT_0, ADDRESS_0, provider);
    const tx = delegateTx();
    tx.chainId = 0n;
    expect((await refusal(signer.signTransaction(tx))).code).toBe('INTERNAL');
    expect(dev.opened()).toBe(0);
  });

  it('does not sign messages or typed data', async () => {
    const signer = createLedgerConnector({ resolve: blindOnly }).signer(ACCOUNT_0, ADDRESS_0, provider);
    expect((await refusal(signer.signMessage('hello'))).code).toBe('NOT_AVAILABLE');
    expect((await refusal(signer.signTypedData({}, { A: [{ name: 'a', type: 'uint256' }] }, { a: 1 }))).code).toBe('NOT_AVAILABLE');
  });
});

describe('each refusal its own words', () => {
  const cases = [
    ['sign-rejected', 'LEDGER_REJECTED', 'You rejected the transaction on your Ledger: nothing was sent.'],
    ['sign-blind-signing-off', 'LEDGER_BLIND_SIGNING_OFF', 'turn on "Blind signing"'],
    ['sign-refused-locked', 'LEDGER_LOCKED', 'Your Ledger is locked.'],
    ['sign-refused-lockedOld', 'LEDGER_LOCKED', 'Your Ledger is locked.'],
    ['sign-refused-dashboard', 'LEDGER_APP_CLOSED', 'Open the Ethereum app'],
    ['sign-refused-otherApp', 'LEDGER_APP_CLOSED', 'Open the Ethereum app'],
    ['sign-refused-noApp', 'LEDGER_APP_CLOSED', 'Open the Ethereum app'],
    ['sign-refused-wrongApp', 'LEDGER_APP_CLOSED', 'Open the Ethereum app'],
  ] as const;
  it.each(cases)('%s → %s', async (file, code, words) => {
    const dev = replayDevice(file);
    const signer = createLedgerConnector({ transport: dev.source, resolve: blindOnly }).signer(ACCOUNT_0, ADDRESS_0, provider);
    const e = await refusal(signer.signTransaction(delegateTx()));
    expect(e.code).toBe(code);
    expect(e.message).toContain(words);
    dev.store.ensureQueueEmpty();
    expect(dev.closed()).toBe(1);
  });

  it.each([
    ['address-refused-locked', 'LEDGER_LOCKED'],
    ['address-refused-lockedOld', 'LEDGER_LOCKED'],
    ['address-refused-dashboard', 'LEDGER_APP_CLOSED'],
    ['address-refused-otherApp', 'LEDGER_APP_CLOSED'],
    ['address-refused-noApp', 'LEDGER_APP_CLOSED'],
    ['address-refused-wrongApp', 'LEDGER_APP_CLOSED'],
  ] as const)('reading: %s → %s', async (file, code) => {
    const dev = replayDevice(file);
    const ledger = createLedgerConnector({ transport: dev.source, resolve: blindOnly });
    expect((await refusal(ledger.addresses('ledger-live', 0, 1))).code).toBe(code);
    dev.store.ensureQueueEmpty();
  });
});

/** A transport whose every exchange fails as node-hid's does when the cable is pulled mid-request. */
function unpluggedSource(): LedgerTransportSource {
  const dev = replayDevice('verify');
  return {
    unavailable: () => Promise.resolve(null),
    open: async () => {
      const t: LedgerTransport = await dev.source.open();
      t.exchange = () =>
        Promise.reject(Object.assign(new Error('could not read from HID device'), { name: 'DisconnectedDeviceDuringOperation' }));
      return t;
    },
  };
}

describe('the device and the USB link', () => {
  it('without a transport (the browser harness) says there is no USB here', async () => {
    const ledger = createLedgerConnector({ resolve: blindOnly });
    await expect(ledger.availability()).resolves.toEqual({ ok: false, reason: NO_USB_HERE });
    const e = await refusal(ledger.addresses('ledger-live', 0, 1));
    expect([e.code, e.message]).toEqual(['LEDGER_UNAVAILABLE', NO_USB_HERE]);
  });

  it('passes on why a transport is unavailable', async () => {
    const ledger = createLedgerConnector({
      transport: { unavailable: () => Promise.resolve('USB support is not installed.'), open: () => Promise.reject(new Error('unused')) },
      resolve: blindOnly,
    });
    await expect(ledger.availability()).resolves.toEqual({ ok: false, reason: 'USB support is not installed.' });
  });

  it('says to plug the device in when none is found, and that it was unplugged mid-request', async () => {
    const none = createLedgerConnector({
      transport: {
        unavailable: () => Promise.resolve(null),
        open: () => Promise.reject(Object.assign(new Error('NoDevice'), { name: 'TransportError', id: 'NoDevice' })),
      },
      resolve: blindOnly,
    });
    const e1 = await refusal(none.addresses('ledger-live', 0, 1));
    expect([e1.code, e1.message]).toEqual([
      'LEDGER_NOT_FOUND',
      'No Ledger found. Plug it in with its USB cable, unlock it and open the Ethereum app.',
    ]);
    const unplugged = createLedgerConnector({ transport: unpluggedSource(), resolve: blindOnly });
    const e2 = await refusal(unplugged.verifyOnDevice(ACCOUNT_0));
    expect(e2.code).toBe('LEDGER_NOT_FOUND');
    expect(e2.message).toContain('was disconnected');
  });

  it('refuses a second request while the first waits on the device, then serves the next one', async () => {
    const dev = replayDevice('verify');
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const slow: LedgerTransportSource = {
      unavailable: () => Promise.resolve(null),
      open: async () => {
        await held;
        return dev.source.open();
      },
    };
    const ledger = createLedgerConnector({ transport: slow, resolve: blindOnly });
    const first = ledger.verifyOnDevice(ACCOUNT_0);
    const e = await refusal(ledger.addresses('ledger-live', 0, 1));
    expect(e.code).toBe('LEDGER_BUSY');
    release();
    await expect(first).resolves.toBe(ADDRESS_0);
  });
});
