import { scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HDNodeWallet, Wallet, decryptKeystoreJson, encryptKeystoreJson, scrypt as ethersScrypt, toUtf8Bytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { decryptKeystore, encryptKeystore, parseKeystore } from './keystore';

type Vector = { json: Record<string, unknown>; password: string; priv: string };
const vectors = JSON.parse(readFileSync(new URL('../../../shared/vectors/keystore-v3.json', import.meta.url), 'utf8')) as {
  test1: Vector;
  test2: Vector;
};
const text = (v: Vector) => JSON.stringify(v.json);

describe('keystore v3: public vectors', () => {
  it('test1 (pbkdf2, c=262144) opens with its password and gives the right key', async () => {
    const { test1 } = vectors;
    const account = await decryptKeystore(parseKeystore(text(test1)), test1.password);
    expect(account?.privateKey).toBe(`0x${test1.priv}`);
    expect(account?.address).toBe(new Wallet(`0x${test1.priv}`).address);
    expect(await decryptKeystore(parseKeystore(text(test1)), 'wrong password')).toBeNull();
  });

  it('test2 (scrypt n=2^18, r=1, p=8: outside RFC 7914’s bound) is refused by ethers and OpenSSL', async () => {
    // Why we carry our own fallback scrypt (scrypt-unbounded.ts): both libraries we otherwise use
    // refuse these parameters. The file itself opens in wallet-service.test.ts (import test2).
    const { test2 } = vectors;
    await expect(decryptKeystoreJson(text(test2), test2.password)).rejects.toThrow();
    expect(() => scryptSync('x', 'y', 32, { N: 262144, r: 1, p: 8, maxmem: 2 ** 30 })).toThrow();
    expect(parseKeystore(text(test2)).kdf).toMatchObject({ kind: 'scrypt', N: 262144, r: 1, p: 8 });
  });
});

describe('keystore v3: files we write', () => {
  it('opens in plain ethers (Wallet.fromEncryptedJson), with and without the phrase field', async () => {
    const hd = HDNodeWallet.fromPhrase('legal winner thank year wave sausage worth useful legal winner thank yellow');
    const withPhrase = await encryptKeystore(
      { privateKey: hd.privateKey, mnemonic: { entropy: hd.mnemonic!.entropy, path: hd.path! } },
      'pass word 1',
      2 ** 10,
    );
    const opened = (await Wallet.fromEncryptedJson(withPhrase, 'pass word 1')) as HDNodeWallet;
    expect(opened.address).toBe(hd.address);
    expect(opened.mnemonic?.phrase).toBe(hd.mnemonic!.phrase);
    const parsed = parseKeystore(withPhrase);
    expect(parsed.kdf).toMatchObject({ kind: 'scrypt', N: 2 ** 10, r: 8, p: 1 });
    const ours = await decryptKeystore(parsed, 'pass word 1');
    expect(ours?.mnemonic?.entropy).toBe(hd.mnemonic!.entropy);

    const keyOnly = await encryptKeystore({ privateKey: hd.privateKey }, 'pass word 2', 2 ** 10);
    expect(JSON.parse(keyOnly)['x-ethers']).toBeUndefined();
    expect((await Wallet.fromEncryptedJson(keyOnly, 'pass word 2')).privateKey).toBe(hd.privateKey);
  });

  it('writes the standard v3 structure: scrypt with the given N, r=8, p=1, dklen 32, aes-128-ctr', async () => {
    const json = JSON.parse(await encryptKeystore({ privateKey: `0x${vectors.test1.priv}` }, 'pw', 2 ** 11));
    expect(json.version).toBe(3);
    expect(json.address).toBe(new Wallet(`0x${vectors.test1.priv}`).address.slice(2).toLowerCase());
    expect(json.Crypto.kdfparams).toMatchObject({ n: 2 ** 11, r: 8, p: 1, dklen: 32 });
    expect(json.Crypto.cipher).toBe('aes-128-ctr');
  });
});

describe('keystore v3: files from other wallets', () => {
  it('reads geth-style files: lower-case "crypto", no 0x, raw (non-NFKC) password bytes', async () => {
    const key = `0x${vectors.test1.priv}`;
    const password = 'ﬁsh ①'; // the ligature and the circled digit change under NFKC
    expect(password.normalize('NFKC')).not.toBe(password);
    // ethers normalises string passwords; passing bytes writes a file keyed on the raw UTF-8, as geth does.
    const raw = await encryptKeystoreJson({ address: new Wallet(key).address, privateKey: key }, toUtf8Bytes(password), {
      scrypt: { N: 2 ** 10 },
    });
    const geth = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(raw)).map(([k, v]) => [k === 'Crypto' ? 'crypto' : k, v])));
    expect(await decryptKeystore(parseKeystore(geth), password)).toBeNull(); // NFKC only (our own files)
    expect((await decryptKeystore(parseKeystore(geth), password, { encodings: 'any' }))?.privateKey).toBe(key);
  });

  it("accepts geth's standard (N=2^18, r=8, p=1: 256 MiB) and light (N=2^12, r=8, p=6) parameters", async () => {
    const key = `0x${vectors.test1.priv}`;
    const light = await encryptKeystoreJson({ address: new Wallet(key).address, privateKey: key }, 'pw', { scrypt: { N: 2 ** 12, p: 6 } });
    expect((await decryptKeystore(parseKeystore(light), 'pw'))?.privateKey).toBe(key);
    const standard = JSON.parse(light);
    standard.Crypto.kdfparams = { ...standard.Crypto.kdfparams, n: 2 ** 18, p: 1 };
    expect(parseKeystore(JSON.stringify(standard)).kdf).toMatchObject({ kind: 'scrypt', N: 2 ** 18, r: 8, p: 1 });
  });

  it('runs with ethers’ own pure-JS scrypt as well (used by the bench), same result', async () => {
    const json = await encryptKeystore({ privateKey: `0x${vectors.test1.priv}` }, 'pw', 2 ** 10);
    const account = await decryptKeystore(parseKeystore(json), 'pw', { scrypt: ethersScrypt._ });
    expect(account?.privateKey).toBe(`0x${vectors.test1.priv}`);
  });

  it('explains what is wrong with files it cannot use', async () => {
    const good = vectors.test1.json as { crypto: Record<string, unknown> } & Record<string, unknown>;
    const variant = (patch: (j: typeof good) => unknown) => JSON.stringify(patch(structuredClone(good)));
    const cases: [string, RegExp][] = [
      ['{not json', /not valid JSON/],
      ['[]', /not a keystore file/],
      [variant((j) => ({ ...j, version: 1 })), /not a version 3 keystore/],
      [variant((j) => ({ ...j, crypto: undefined })), /"crypto" section is missing/],
      [variant((j) => ({ ...j, crypto: { ...j.crypto, cipher: 'aes-256-gcm' } })), /only the standard one, aes-128-ctr/],
      [variant((j) => ({ ...j, crypto: { ...j.crypto, kdf: 'argon2' } })), /only the standard ones, scrypt and pbkdf2/],
      [variant((j) => ({ ...j, crypto: { ...j.crypto, ciphertext: 'abcd' } })), /missing or cut short/],
      [
        variant((j) => ({ ...j, crypto: { ...j.crypto, kdfparams: { c: 1e9, dklen: 32, prf: 'hmac-sha256', salt: '00' } } })),
        /unusually expensive/,
      ],
      [
        variant((j) => ({ ...j, crypto: { ...j.crypto, kdf: 'scrypt', kdfparams: { n: 2 ** 22, r: 8, p: 1, dklen: 32, salt: '00' } } })),
        /unusually expensive/,
      ],
      [
        variant((j) => ({ ...j, crypto: { ...j.crypto, kdf: 'scrypt', kdfparams: { n: 1000, r: 8, p: 1, dklen: 32, salt: '00' } } })),
        /invalid scrypt parameters/,
      ],
      [variant((j) => ({ ...j, address: 'nope' })), /address it names is not an address/],
      ['x'.repeat(70_000), /too large/],
    ];
    for (const [input, re] of cases) {
      expect(() => parseKeystore(input), re.source).toThrow(re);
    }
    // A file whose address field names another key: caught once the password is right.
    const other = variant((j) => ({ ...j, address: '0000000000000000000000000000000000000001' }));
    await expect(decryptKeystore(parseKeystore(other), vectors.test1.password)).rejects.toThrow(/does not match the address/);
  });
});
