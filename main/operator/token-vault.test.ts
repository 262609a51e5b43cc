import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import type { KeyAccess } from '../wallet/signer';
import type { KeyWrap } from '../wallet/key-wrap';
import { TOKEN_FILE, TokenVault, TokenVaultError, redactToken } from './token-vault';

const TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345$0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** The wallet's KeyAccess as the vault sees it: a key while unlocked, a lock error otherwise. */
function keys(...wallets: Wallet[]): KeyAccess & { locked: boolean } {
  return {
    locked: false,
    withKey(address, use) {
      const w = wallets.find((x) => x.address === address);
      if (this.locked || !w) return Promise.reject(new Error('WALLET_LOCKED'));
      return use(w);
    },
  };
}

const xorWrap = (kind: string): KeyWrap => ({
  kind,
  wrap: (b) => Buffer.from(Buffer.from(b).map((x) => x ^ 0x5a)),
  unwrap: (b) => Buffer.from(Buffer.from(b).map((x) => x ^ 0x5a)),
});

describe('TokenVault', () => {
  const alice = new Wallet(Wallet.createRandom().privateKey);
  const bob = new Wallet(Wallet.createRandom().privateKey);

  it('gives the token back only while the wallet is unlocked, and never writes it in the clear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'));
    const k = keys(alice);
    const vault = new TokenVault(dir, k);
    await vault.save(alice.address, `  ${TOKEN}\n`);
    const file = readFileSync(join(dir, TOKEN_FILE), 'utf8');
    expect(file).not.toContain(TOKEN.slice(0, 12));
    expect(file).not.toContain(TOKEN.slice(-12));
    if (process.platform !== 'win32') expect(statSync(join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(vault.savedFor()).toBe(alice.address);
    expect(await vault.open(alice.address)).toBe(TOKEN);
    k.locked = true;
    await expect(vault.open(alice.address)).rejects.toThrow('WALLET_LOCKED');
    expect(vault.savedFor()).toBe(alice.address);
  });

  it('refuses a token file edited by hand or moved to another account', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'));
    const vault = new TokenVault(dir, keys(alice, bob));
    await vault.save(alice.address, TOKEN);
    await expect(vault.open(bob.address)).rejects.toMatchObject({ kind: 'other-account' });

    const envelope = JSON.parse(readFileSync(join(dir, TOKEN_FILE), 'utf8')) as Record<string, string>;
    const flipped = { ...envelope, data: envelope.data!.replace(/^./, (c) => (c === '0' ? '1' : '0')) };
    writeFileSync(join(dir, TOKEN_FILE), JSON.stringify(flipped));
    await expect(vault.open(alice.address)).rejects.toMatchObject({ kind: 'damaged' });

    // Relabelling the account does not help: the account is authenticated with the ciphertext.
    writeFileSync(join(dir, TOKEN_FILE), JSON.stringify({ ...envelope, account: bob.address }));
    await expect(vault.open(bob.address)).rejects.toMatchObject({ kind: 'damaged' });

    writeFileSync(join(dir, TOKEN_FILE), '{not json');
    expect(() => vault.savedFor()).toThrow(TokenVaultError);
  });

  it('wraps the envelope with the OS keychain when there is one, and says so when it is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'));
    const k = keys(alice);
    await new TokenVault(dir, k, xorWrap('test-keychain')).save(alice.address, TOKEN);
    expect(readFileSync(join(dir, TOKEN_FILE), 'utf8')).toContain('"wrap":"test-keychain"');
    expect(await new TokenVault(dir, k, xorWrap('test-keychain')).open(alice.address)).toBe(TOKEN);
    await expect(new TokenVault(dir, k, null).open(alice.address)).rejects.toMatchObject({ kind: 'keychain' });
  });

  it('refuses text that cannot be a token, keeping the saved one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'));
    const vault = new TokenVault(dir, keys(alice));
    await vault.save(alice.address, TOKEN);
    await expect(vault.save(alice.address, 'my token')).rejects.toThrow(/no spaces/);
    await expect(vault.save(alice.address, 'short')).rejects.toThrow(/too short/);
    expect(await vault.open(alice.address)).toBe(TOKEN);
    vault.remove();
    expect(await vault.open(alice.address)).toBeNull();
  });

  it('redacts a token to its first four characters and length', () => {
    expect(redactToken(TOKEN)).toBe(`ABCD… (${TOKEN.length} characters)`);
    expect(redactToken(TOKEN)).not.toContain(TOKEN.slice(4, 10));
  });
});
