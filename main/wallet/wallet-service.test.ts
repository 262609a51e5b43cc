import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HDNodeWallet, JsonRpcProvider, Wallet, verifyMessage } from 'ethers';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBus } from '../ipc/events';
import type { KeyWrap } from './key-wrap';
import { measureLoopLag } from './loop-lag';
import { WalletService, type WalletOptions } from './wallet-service';

const PASSWORD = 'correct horse battery';
const N = 2 ** 12;
const PHRASE = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
type Vector = { json: unknown; password: string; priv: string };
const vectors = JSON.parse(readFileSync(new URL('../../../shared/vectors/keystore-v3.json', import.meta.url), 'utf8')) as {
  test1: Vector;
  test2: Vector;
};

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function fresh(options: WalletOptions = {}, scryptN = N) {
  const dir = mkdtempSync(join(tmpdir(), 'wallet-'));
  made.push(dir);
  const events = new EventBus();
  const seen: { name: string; payload: unknown }[] = [];
  events.subscribe((e) => seen.push(e));
  return { dir, events, seen, wallet: new WalletService(dir, events, scryptN, options) };
}

async function create(w: WalletService) {
  const draft = w.createDraft(12);
  const confirmations = draft.confirmPositions.map((position) => ({ position, word: draft.words[position - 1]! }));
  return { draft, status: await w.confirmCreate(draft.draftId, PASSWORD, confirmations) };
}

async function failure(p: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const at = (i: number) => HDNodeWallet.fromPhrase(PHRASE, undefined, `m/44'/60'/0'/0/${i}`);

/** A stand-in for the OS keychain: XOR with a secret, refused if the secret differs. */
function fakeWrap(secret = 0x5a, kind = 'test-keychain'): KeyWrap {
  const tag = Buffer.from([0xee, secret]);
  return {
    kind,
    wrap: (b) => Buffer.concat([tag, Buffer.from(b).map((x) => x ^ secret)]),
    unwrap: (b) => {
      const buf = Buffer.from(b);
      if (!buf.subarray(0, 2).equals(tag)) throw new Error('not ours');
      return Buffer.from(buf.subarray(2).map((x) => x ^ secret));
    },
  };
}

describe('WalletService: create', () => {
  it('creates a wallet only after the user types back the asked words', async () => {
    const { wallet } = fresh();
    const draft = wallet.createDraft(12);
    expect(draft.words).toHaveLength(12);
    expect(new Set(draft.confirmPositions).size).toBe(3);
    const wrong = draft.confirmPositions.map((position) => ({ position, word: 'zoo' }));
    await expect(wallet.confirmCreate(draft.draftId, PASSWORD, wrong)).rejects.toMatchObject({ code: 'BAD_CONFIRMATION' });
    expect(wallet.status().state).toBe('none');
    const right = draft.confirmPositions.map((position) => ({ position, word: ` ${draft.words[position - 1]!.toUpperCase()} ` }));
    await expect(wallet.confirmCreate(draft.draftId, 'short', right)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    const s = await wallet.confirmCreate(draft.draftId, PASSWORD, right);
    expect(s.state).toBe('unlocked');
    // The draft is single-use.
    await expect(wallet.confirmCreate(draft.draftId, PASSWORD, right)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('writes a v3 keystore that plain ethers opens, mode 0600, the standard path, and an accounts list without secrets', async () => {
    const { wallet, dir } = fresh();
    const { draft, status } = await create(wallet);
    const file = join(dir, 'keystore.json');
    const json = readFileSync(file, 'utf8');
    expect(JSON.parse(json).version).toBe(3);
    expect(JSON.parse(json).Crypto.kdfparams.n).toBe(N);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const opened = (await Wallet.fromEncryptedJson(json, PASSWORD)) as HDNodeWallet;
    expect(opened.address).toBe(status.address);
    expect(opened.mnemonic?.phrase).toBe(draft.words.join(' '));
    expect(Wallet.fromPhrase(draft.words.join(' ')).address).toBe(status.address);
    expect(json).not.toContain(draft.words.join(' '));
    const accounts = readFileSync(join(dir, 'accounts.json'), 'utf8');
    expect(JSON.parse(accounts)).toEqual({
      version: 1,
      kind: 'phrase',
      source: 'created',
      accounts: [{ index: 0, address: status.address }],
      active: 0,
    });
    expect(accounts).not.toContain(opened.privateKey.slice(2));
    expect(accounts).not.toContain(draft.words[0]! + ' ' + draft.words[1]!);
  });

  it('will not create a second wallet over the first', async () => {
    const { wallet } = fresh();
    await create(wallet);
    expect(() => wallet.createDraft(12)).toThrow(/already exists/);
  });
});

describe('WalletService: import', () => {
  it('imports a phrase pasted messily, and refuses every import once a wallet exists', async () => {
    const { wallet, dir } = fresh();
    const messy = `\n ${PHRASE.toUpperCase().split(' ').join('\t\u00a0')}  \n`;
    const s = await wallet.importPhrase(messy, PASSWORD);
    expect(s).toEqual({ state: 'unlocked', address: at(0).address });
    expect(wallet.accounts()).toMatchObject({ kind: 'phrase', source: 'phrase', active: 0 });
    const opened = (await Wallet.fromEncryptedJson(readFileSync(join(dir, 'keystore.json'), 'utf8'), PASSWORD)) as HDNodeWallet;
    expect(opened.mnemonic?.phrase).toBe(PHRASE);
    for (const attempt of [
      () => wallet.importPhrase(PHRASE, PASSWORD),
      () => wallet.importPrivateKey(KEY, PASSWORD),
      () => wallet.importKeystore(JSON.stringify(vectors.test1.json), vectors.test1.password, PASSWORD),
    ]) {
      expect(await failure(attempt)).toMatchObject({ code: 'WALLET_EXISTS' });
    }
    expect(wallet.status().address).toBe(at(0).address);
  });

  it('explains a bad phrase and creates nothing', async () => {
    const { wallet } = fresh();
    const words = PHRASE.split(' ');
    words[6] = 'worht';
    expect(await failure(wallet.importPhrase(words.join(' '), PASSWORD))).toEqual(
      expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringMatching(/^Word 7 is not in the BIP-39/) }),
    );
    expect(await failure(wallet.importPhrase(PHRASE.replace('thank', 'wave'), PASSWORD))).toMatchObject({
      message: expect.stringMatching(/checksum/),
    });
    expect(wallet.status().state).toBe('none');
  });

  it('imports a raw private key as a one-account wallet', async () => {
    const { wallet, dir } = fresh();
    const s = await wallet.importPrivateKey(` ${KEY.slice(2).toUpperCase()} `, PASSWORD);
    expect(s.address).toBe(new Wallet(KEY).address);
    expect(wallet.accounts()).toMatchObject({ kind: 'key', source: 'private-key', accounts: [{ index: 0, path: null }] });
    expect(await failure(wallet.addAccount())).toMatchObject({ code: 'NOT_AVAILABLE' });
    expect(await failure(wallet.revealPhrase(PASSWORD))).toMatchObject({
      code: 'NOT_AVAILABLE',
      message: expect.stringMatching(/no recovery phrase/),
    });
    expect((await Wallet.fromEncryptedJson(readFileSync(join(dir, 'keystore.json'), 'utf8'), PASSWORD)).privateKey).toBe(KEY);
    expect(await failure(fresh().wallet.importPrivateKey('0x1234', PASSWORD))).toMatchObject({ code: 'BAD_INPUT' });
  });

  it('imports keystore test1 (pbkdf2) with its own password and re-encrypts it under the new one', async () => {
    const { wallet, dir } = fresh();
    const file = JSON.stringify(vectors.test1.json);
    expect(await failure(wallet.importKeystore(file, 'not it', PASSWORD))).toMatchObject({
      code: 'BAD_PASSWORD',
      message: expect.stringMatching(/keystore file/),
    });
    expect(wallet.status().state).toBe('none');
    expect(await failure(wallet.importKeystore('{"version":3}', 'x', PASSWORD))).toMatchObject({ code: 'BAD_INPUT' });
    const progress: number[] = [];
    const s = await wallet.importKeystore(file, vectors.test1.password, PASSWORD, (f) => progress.push(f));
    expect(s.address).toBe(new Wallet(`0x${vectors.test1.priv}`).address);
    expect(progress.at(-1)).toBe(1);
    expect(wallet.accounts()).toMatchObject({ kind: 'key', source: 'keystore' });
    const ours = readFileSync(join(dir, 'keystore.json'), 'utf8');
    expect(JSON.parse(ours).Crypto).toMatchObject({ kdf: 'scrypt', kdfparams: { n: N, r: 8, p: 1 } });
    expect((await Wallet.fromEncryptedJson(ours, PASSWORD)).privateKey).toBe(`0x${vectors.test1.priv}`);
    await expect(Wallet.fromEncryptedJson(ours, vectors.test1.password)).rejects.toThrow();
  });

  it('imports keystore test2 (scrypt n=2^18, r=1, p=8, outside RFC 7914’s bound) through the fallback scrypt', async () => {
    const { wallet, dir } = fresh();
    const progress: number[] = [];
    const { result, maxLagMs } = await measureLoopLag(() =>
      wallet.importKeystore(JSON.stringify(vectors.test2.json), vectors.test2.password, PASSWORD, (f) => progress.push(f)),
    );
    expect(result.address).toBe(new Wallet(`0x${vectors.test2.priv}`).address);
    expect((await Wallet.fromEncryptedJson(readFileSync(join(dir, 'keystore.json'), 'utf8'), PASSWORD)).privateKey).toBe(
      `0x${vectors.test2.priv}`,
    );
    // The fallback reports real progress and works in slices, so the loop is never frozen for long.
    expect(progress.filter((f) => f > 0 && f < 0.5).length).toBeGreaterThan(10);
    expect(maxLagMs).toBeLessThan(150); // one synchronous pass would block ≥ 1.4 s
  });
});

describe('WalletService: unlock, lock, throttle', () => {
  it('locks, refuses a wrong password without saying why, and unlocks with the right one', async () => {
    const { wallet, seen } = fresh();
    const { status } = await create(wallet);
    expect(wallet.lock().state).toBe('locked');
    expect(seen.map((e) => e.name)).toContain('wallet.locked');
    expect(() => wallet.signer(new JsonRpcProvider('http://127.0.0.1:1'))).toThrow(/locked/);
    await expect(wallet.unlock('wrong password')).rejects.toMatchObject({ code: 'BAD_PASSWORD' });
    expect(await failure(wallet.unlock(''))).toMatchObject({ code: 'BAD_INPUT' });
    expect((await wallet.unlock(PASSWORD)).address).toBe(status.address);
  });

  it('throttles wrong passwords after a few tries, and remembers across restarts', async () => {
    const { wallet, dir, events } = fresh();
    await create(wallet);
    wallet.lock();
    for (let i = 0; i < 5; i++) await expect(wallet.unlock(`nope-${i}`)).rejects.toMatchObject({ code: 'BAD_PASSWORD' });
    await expect(wallet.unlock(PASSWORD)).rejects.toMatchObject({ code: 'TOO_MANY_TRIES' });
    const restarted = new WalletService(dir, events, N);
    await expect(restarted.unlock(PASSWORD)).rejects.toMatchObject({ code: 'TOO_MANY_TRIES' });
  });

  it('counts reveal-phrase and export-keystore tries in the same throttle, with one identical answer for every wrong password', async () => {
    let clock = 1_000_000;
    const { wallet } = fresh({ now: () => clock });
    await wallet.importPhrase(PHRASE, PASSWORD);
    wallet.lock();
    const messages = new Set<string>();
    const wrong = [
      () => wallet.unlock('guess 1'),
      () => wallet.revealPhrase('guess 2'),
      () => wallet.exportKeystore('guess 3'),
      () => wallet.revealPhrase(PASSWORD.slice(0, -1)),
      () => wallet.exportKeystore(`${PASSWORD} `, { account: 0 }),
    ];
    for (const attempt of wrong) {
      const e = await failure(attempt);
      expect(e.code).toBe('BAD_PASSWORD');
      messages.add(e.message);
    }
    expect([...messages]).toEqual(['That password does not open this wallet.']);
    // Sixth try, even with the right password and through another door: wait first.
    for (const attempt of [() => wallet.revealPhrase(PASSWORD), () => wallet.exportKeystore(PASSWORD), () => wallet.unlock(PASSWORD)]) {
      expect(await failure(attempt)).toMatchObject({ code: 'TOO_MANY_TRIES', message: expect.stringMatching(/Wait 1 second/) });
    }
    clock += 1_000;
    expect(await wallet.revealPhrase(PASSWORD)).toEqual(PHRASE.split(' '));
    // A success resets the count.
    expect(await failure(wallet.unlock('guess 6'))).toMatchObject({ code: 'BAD_PASSWORD' });
    expect((await wallet.unlock(PASSWORD)).state).toBe('unlocked');
  });

  it('doubles the wait after each further wrong try, capped at 5 minutes', async () => {
    let clock = 5_000_000;
    const { wallet } = fresh({ now: () => clock });
    await wallet.importPrivateKey(KEY, PASSWORD);
    wallet.lock();
    for (let i = 0; i < 5; i++) expect(await failure(wallet.unlock(`nope ${i}`))).toMatchObject({ code: 'BAD_PASSWORD' });
    const waits: string[] = [];
    for (let i = 0; i < 10; i++) {
      waits.push((await failure(wallet.unlock(PASSWORD))).message);
      clock += 10 * 60_000;
      expect(await failure(wallet.unlock(`nope again ${i}`))).toMatchObject({ code: 'BAD_PASSWORD' });
    }
    expect(waits.slice(0, 4)).toEqual([1, 2, 4, 8].map((s) => `Too many wrong tries. Wait ${s} second${s > 1 ? 's' : ''} and try again.`));
    expect(waits[9]).toBe('Too many wrong tries. Wait 5 minutes and try again.');
    // 15 failures now: the cap holds (not 2^10 s).
    clock += 299_000;
    expect(await failure(wallet.unlock(PASSWORD))).toMatchObject({ code: 'TOO_MANY_TRIES' });
    clock += 2_000;
    expect((await wallet.unlock(PASSWORD)).state).toBe('unlocked');
  });

  it('reports unlock progress and keeps the event loop free while scrypt runs (N=2^16)', async () => {
    const { wallet } = fresh({}, 2 ** 16);
    await wallet.importPrivateKey(KEY, PASSWORD);
    wallet.lock();
    const seen: number[] = [];
    const { result, maxLagMs } = await measureLoopLag(() => wallet.unlock(PASSWORD, (f) => seen.push(f)));
    expect(result.state).toBe('unlocked');
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    // A synchronous scrypt at these parameters blocks for the whole derivation (≥ 300 ms here);
    // the margin above the 50 ms goal is for other load on shared test machines (see bench.ts).
    expect(maxLagMs).toBeLessThan(150);
  });

  it('drops the key on lock: a signer kept from before fails, and a lock during unlock wins', async () => {
    const { wallet } = fresh();
    await wallet.importPrivateKey(KEY, PASSWORD);
    const signer = wallet.signer(new JsonRpcProvider('http://127.0.0.1:1', 31337, { staticNetwork: true }));
    const sig = await signer.signMessage('hello');
    expect(verifyMessage('hello', sig)).toBe(new Wallet(KEY).address);
    wallet.lock('user');
    expect((wallet as unknown as { session: unknown }).session).toBeNull();
    expect(await failure(signer.signMessage('again'))).toMatchObject({ code: 'WALLET_LOCKED' });
    const opening = wallet.unlock(PASSWORD);
    wallet.lock('quit');
    expect(await failure(opening)).toMatchObject({ code: 'CANCELLED' });
    expect(wallet.status().state).toBe('locked');
  });

  it('signs transactions with the active account through the wallet signer', async () => {
    const { wallet } = fresh();
    await wallet.importPrivateKey(KEY, PASSWORD);
    const signer = wallet.signer(new JsonRpcProvider('http://127.0.0.1:1', 31337, { staticNetwork: true }));
    const raw = await signer.signTransaction({
      to: at(1).address,
      value: 1n,
      nonce: 0,
      gasLimit: 21000n,
      chainId: 31337n,
      maxFeePerGas: 1n,
      maxPriorityFeePerGas: 1n,
      type: 2,
    });
    const { Transaction } = await import('ethers');
    expect(Transaction.from(raw).from).toBe(new Wallet(KEY).address);
  });
});

describe('WalletService: idle lock', () => {
  it('locks after the idle time and says so with reason "idle"', async () => {
    const { wallet, seen } = fresh({ idleMinutes: 0.002 }); // 120 ms
    await wallet.importPrivateKey(KEY, PASSWORD);
    await sleep(300);
    expect(wallet.status().state).toBe('locked');
    expect(seen.filter((e) => e.name === 'wallet.locked').map((e) => e.payload)).toEqual([{ reason: 'idle' }]);
  });

  it('touch() on each user action postpones it; 0 means never', async () => {
    const { wallet } = fresh({ idleMinutes: 0.01 }); // 600 ms
    await wallet.importPrivateKey(KEY, PASSWORD);
    for (let i = 0; i < 10; i++) {
      await sleep(100);
      wallet.touch();
    }
    expect(wallet.status().state).toBe('unlocked');
    wallet.setIdleMinutes(0);
    await sleep(400);
    expect(wallet.status().state).toBe('unlocked');
    wallet.setIdleMinutes(0.001);
    await sleep(200);
    expect(wallet.status().state).toBe('locked');
    expect(() => wallet.setIdleMinutes(-1)).toThrow(/between 0/);
    expect(() => wallet.setIdleMinutes(Number.NaN)).toThrow(/between 0/);
  });
});

describe('WalletService: accounts', () => {
  it('derives m/44’/60’/0’/0/i, adds and selects accounts, and keeps them across restarts', async () => {
    const { wallet, dir, events } = fresh();
    await wallet.importPhrase(PHRASE, PASSWORD);
    let view = await wallet.addAccount();
    view = await wallet.addAccount(5);
    expect(view.accounts).toEqual([0, 1, 5].map((i) => ({ index: i, address: at(i).address, path: `m/44'/60'/0'/0/${i}` })));
    expect((await wallet.addAccount(5)).accounts).toHaveLength(3);
    expect(await failure(wallet.addAccount(-1))).toMatchObject({ code: 'BAD_INPUT' });
    expect(() => wallet.selectAccount(7)).toThrow(/no such account/);
    wallet.selectAccount(5);
    expect(wallet.status().address).toBe(at(5).address);
    expect(wallet.address()).toBe(at(5).address);
    const provider = new JsonRpcProvider('http://127.0.0.1:1', 31337, { staticNetwork: true });
    expect(verifyMessage('m', await wallet.signer(provider).signMessage('m'))).toBe(at(5).address);

    const list = readFileSync(join(dir, 'accounts.json'), 'utf8');
    expect(list).not.toMatch(/[0-9a-f]{64}/i);
    wallet.lock();
    expect(await failure(wallet.addAccount(2))).toMatchObject({ code: 'WALLET_LOCKED' });

    const restarted = new WalletService(dir, events, N);
    expect(restarted.status()).toEqual({ state: 'locked', address: at(5).address });
    expect(restarted.accounts().accounts.map((a) => a.index)).toEqual([0, 1, 5]);
    await restarted.unlock(PASSWORD);
    expect(restarted.signer(provider).address).toBe(at(5).address);
    restarted.selectAccount(1);
    expect(restarted.signer(provider).address).toBe(at(1).address);
  });

  it('rebuilds a lost or tampered accounts list from the keystore', async () => {
    const { wallet, dir, events } = fresh();
    await wallet.importPhrase(PHRASE, PASSWORD);
    await wallet.addAccount(3);
    wallet.lock();
    rmSync(join(dir, 'accounts.json'));
    const a = new WalletService(dir, events, N);
    expect(a.status()).toEqual({ state: 'locked', address: at(0).address });
    await a.unlock(PASSWORD);
    expect(existsSync(join(dir, 'accounts.json'))).toBe(true);
    a.lock();
    // A list claiming another address for account 0 is not believed.
    const forged = { version: 1, kind: 'phrase', source: 'created', accounts: [{ index: 0, address: new Wallet(KEY).address }], active: 0 };
    writeFileSync(join(dir, 'accounts.json'), JSON.stringify(forged));
    const b = new WalletService(dir, events, N);
    expect(b.status().address).toBe(at(0).address);
    await b.unlock(PASSWORD);
    expect(JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8')).accounts[0].address).toBe(at(0).address);
  });
});

describe('WalletService: backup', () => {
  it('exports the keystore (plain ethers opens it) and another account’s key on request', async () => {
    const { wallet } = fresh();
    await wallet.importPhrase(PHRASE, PASSWORD);
    await wallet.addAccount(2);
    wallet.lock();
    const whole = await wallet.exportKeystore(PASSWORD);
    const opened = (await Wallet.fromEncryptedJson(whole, PASSWORD)) as HDNodeWallet;
    expect(opened.address).toBe(at(0).address);
    expect(opened.mnemonic?.phrase).toBe(PHRASE);
    const second = await wallet.exportKeystore(PASSWORD, { account: 2 });
    const w2 = await Wallet.fromEncryptedJson(second, PASSWORD);
    expect(w2.privateKey).toBe(at(2).privateKey);
    expect(JSON.parse(second)['x-ethers']).toBeUndefined();
    expect(await failure(wallet.exportKeystore(PASSWORD, { account: 9 }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(wallet.status().state).toBe('locked'); // backup does not unlock
  });

  it('reveals the phrase only with the password', async () => {
    const { wallet } = fresh();
    await wallet.importPhrase(PHRASE, PASSWORD);
    expect(await failure(wallet.revealPhrase('nope nope'))).toMatchObject({ code: 'BAD_PASSWORD' });
    expect(await wallet.revealPhrase(PASSWORD)).toEqual(PHRASE.split(' '));
  });
});

describe('WalletService: OS keychain wrap', () => {
  it('seals the file when a KeyWrap is given, and still exports a plain v3 keystore', async () => {
    const { wallet, dir, events } = fresh({ keyWrap: fakeWrap() });
    await wallet.importPrivateKey(KEY, PASSWORD);
    const onDisk = JSON.parse(readFileSync(join(dir, 'keystore.json'), 'utf8'));
    expect(onDisk).toMatchObject({
      format: 'nmr-delegate-wrapped-keystore',
      version: 1,
      wrap: 'test-keychain',
      address: new Wallet(KEY).address,
    });
    expect(onDisk.crypto ?? onDisk.Crypto).toBeUndefined();
    wallet.lock();
    expect((await wallet.unlock(PASSWORD)).state).toBe('unlocked');
    const exported = await wallet.exportKeystore(PASSWORD);
    expect((await Wallet.fromEncryptedJson(exported, PASSWORD)).privateKey).toBe(KEY);

    // Without the keychain (or with another one) the wallet shows, but cannot open — and that is not a wrong try.
    for (const other of [new WalletService(dir, events, N), new WalletService(dir, events, N, { keyWrap: fakeWrap(0x33) })]) {
      expect(other.status()).toEqual({ state: 'locked', address: new Wallet(KEY).address });
      expect(await failure(other.unlock(PASSWORD))).toMatchObject({ code: 'NOT_AVAILABLE', message: expect.stringMatching(/keychain/) });
    }
    expect(JSON.parse(readFileSync(join(dir, 'throttle.json'), 'utf8')).failures).toBe(0);
  });

  it('seals a plain file at the first unlock once a keychain is available', async () => {
    const { wallet, dir, events } = fresh();
    await wallet.importPhrase(PHRASE, PASSWORD);
    wallet.lock();
    expect(JSON.parse(readFileSync(join(dir, 'keystore.json'), 'utf8')).version).toBe(3);
    const sealed = new WalletService(dir, events, N, { keyWrap: fakeWrap() });
    await sealed.unlock(PASSWORD);
    expect(JSON.parse(readFileSync(join(dir, 'keystore.json'), 'utf8')).format).toBe('nmr-delegate-wrapped-keystore');
    expect(await sealed.revealPhrase(PASSWORD)).toEqual(PHRASE.split(' '));
  });
});
