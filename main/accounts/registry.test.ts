import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, Wallet } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api';
import { EventBus } from '../ipc/events';
import { silentLogger } from '../log/logger';
import { walletConnectConfig, WalletConnectService } from '../walletconnect';
import type { LedgerConnector } from './external-signers';
import { HARNESS_NO_USB, noUsbLedger } from './no-usb-ledger';
import { AccountRegistry, ledgerPath, type AccountRegistryDeps } from './registry';

const KEY = new Wallet('0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba');
const LEDGER = new Wallet('0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e');

let dir: string;
let events: EventBus;
let changed: number;
let locked: boolean;

/** The key on this computer as the registry sees it: unlocked or locked, never missing here. */
const wallet: AccountRegistryDeps['wallet'] = {
  status: () => ({ state: locked ? 'locked' : 'unlocked', address: KEY.address }),
  address: () => KEY.address,
  unlockedAddress: () => {
    if (locked) throw new AppError('WALLET_LOCKED', 'Your wallet is locked. Unlock it with your password.');
    return KEY.address;
  },
  signer: () => {
    throw new Error('not used');
  },
  accounts: () => ({
    kind: 'phrase',
    source: 'created',
    active: 0,
    accounts: [{ index: 0, address: KEY.address, path: "m/44'/60'/0'/0/0" }],
  }),
};

/** A Ledger that answers like a device whose person approves everything. */
const workingLedger: LedgerConnector = {
  availability: async () => ({ ok: true }),
  addresses: async (scheme, from) => [{ path: ledgerPath(scheme, from), address: LEDGER.address }],
  verifyOnDevice: async () => LEDGER.address,
  // The Ledger's key stands in for the device's signature (a Wallet already has its address).
  signer: (_path, _address, provider) => LEDGER.connect(provider),
};

function registry(ledger: LedgerConnector = noUsbLedger(HARNESS_NO_USB)): AccountRegistry {
  return new AccountRegistry({
    file: join(dir, 'accounts.json'),
    wallet,
    // No project id: WalletConnect says so, and lists nothing.
    walletconnect: new WalletConnectService(walletConnectConfig({}), join(dir, 'walletconnect'), silentLogger),
    ledger,
    chainId: async () => 31337,
    events,
    log: silentLogger,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'accounts-'));
  events = new EventBus();
  changed = 0;
  locked = false;
  events.subscribe((e) => e.name === 'accounts.changed' && changed++);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the account registry', () => {
  it('starts with the key on this computer in use, and says why the other kinds cannot be added here', async () => {
    const l = await registry().list();
    expect(l.inUse).toBe('key');
    expect(l.accounts).toEqual([{ id: 'key', kind: 'key', label: 'Key on this computer', address: KEY.address, detail: null }]);
    expect(l.ledger).toEqual({ ok: false, reason: 'The browser version has no USB access: connect a Ledger in the desktop app.' });
    expect(l.walletconnect).toMatchObject({ ok: false, reason: expect.stringContaining('NMR_DELEGATE_WC_PROJECT_ID') as string });
    await expect(registry().addLedger('ledger-live', 0)).rejects.toMatchObject({ code: 'NOT_AVAILABLE', message: HARNESS_NO_USB });
    await expect(registry().pairWalletConnect()).rejects.toMatchObject({ code: 'NEEDS_SETUP' });
  });

  it('a key account needs the wallet unlocked to sign, and reads need nothing', async () => {
    locked = true;
    const r = registry();
    expect(await r.address()).toBe(KEY.address);
    await expect(r.readyAddress()).rejects.toMatchObject({ code: 'WALLET_LOCKED' });
    expect((await r.list()).accounts[0]!.detail).toBe('Locked: unlock it to sign');
  });

  it('adds a Ledger account once the device showed its address, puts it in use, and keeps that across restarts', async () => {
    const r = registry(workingLedger);
    const l = await r.addLedger('legacy', 2);
    expect(l.inUse).toBe("ledger:m/44'/60'/0'/2");
    expect(l.accounts.at(-1)).toMatchObject({ kind: 'ledger', label: 'Ledger', address: LEDGER.address });
    expect(changed).toBeGreaterThan(0);
    const provider = new JsonRpcProvider('http://127.0.0.1:9', 31337, { staticNetwork: true });
    try {
      const s = await registry(workingLedger).signer(provider);
      expect(s.mode).toBe('sign');
      expect(s.signer.address).toBe(LEDGER.address);
    } finally {
      provider.destroy();
    }
    expect(await registry(workingLedger).readyAddress()).toBe(LEDGER.address);
    // Without the device now, the Ledger in use says why it cannot sign.
    await expect(registry().readyAddress()).rejects.toMatchObject({ code: 'NOT_AVAILABLE' });
  });

  it('refuses a device that shows another address than the one read', async () => {
    const lying: LedgerConnector = { ...workingLedger, verifyOnDevice: async () => KEY.address };
    await expect(registry(lying).addLedger('ledger-live', 0)).rejects.toMatchObject({ code: 'BAD_CONFIRMATION' });
    expect((await registry(lying).list()).accounts).toHaveLength(1);
  });

  it('uses only accounts in the list, never removes the key, and puts the key back when the one in use is removed', async () => {
    const r = registry(workingLedger);
    await expect(r.use(`wc:${'a'.repeat(64)}`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(r.remove('key')).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const { inUse } = await r.addLedger('ledger-live', 1);
    expect((await r.remove(inUse)).inUse).toBe('key');
    expect(await r.allAddresses()).toEqual([KEY.address]);
  });

  it('sets a damaged file aside and starts with the key in use', async () => {
    writeFileSync(join(dir, 'accounts.json'), '{"version":1,"inUse":"wc:not-a-topic","ledger":[]}');
    expect((await registry().list()).inUse).toBe('key');
    expect(readdirSync(dir).some((f) => f.startsWith('accounts.json.damaged-'))).toBe(true);
  });
});
