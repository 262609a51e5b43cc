import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRpcProvider, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../ipc/events';
import { WalletService } from './wallet-service';

const PASSWORD = 'correct horse battery';

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'wallet-'));
  const events = new EventBus();
  const seen: string[] = [];
  events.subscribe((e) => seen.push(e.name));
  return { dir, events, seen, wallet: new WalletService(dir, events, 2 ** 12) };
}

async function create(w: WalletService) {
  const draft = w.createDraft(12);
  const confirmations = draft.confirmPositions.map((position) => ({ position, word: draft.words[position - 1]! }));
  return { draft, status: await w.confirmCreate(draft.draftId, PASSWORD, confirmations) };
}

describe('WalletService', () => {
  it('creates a wallet only after the user types back the asked words', async () => {
    const { wallet } = fresh();
    const draft = wallet.createDraft(12);
    expect(draft.words).toHaveLength(12);
    expect(new Set(draft.confirmPositions).size).toBe(3);
    const wrong = draft.confirmPositions.map((position) => ({ position, word: 'zoo' }));
    await expect(wallet.confirmCreate(draft.draftId, PASSWORD, wrong)).rejects.toMatchObject({ code: 'BAD_CONFIRMATION' });
    expect(wallet.status().state).toBe('none');
    const right = draft.confirmPositions.map((position) => ({ position, word: ` ${draft.words[position - 1]!.toUpperCase()} ` }));
    const s = await wallet.confirmCreate(draft.draftId, PASSWORD, right);
    expect(s.state).toBe('unlocked');
    // The draft is single-use.
    await expect(wallet.confirmCreate(draft.draftId, PASSWORD, right)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('writes a v3 keystore that plain ethers opens, with mode 0600, and derives the standard path', async () => {
    const { wallet, dir } = fresh();
    const { draft, status } = await create(wallet);
    const file = join(dir, 'keystore.json');
    const json = readFileSync(file, 'utf8');
    expect(JSON.parse(json).version).toBe(3);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const opened = await Wallet.fromEncryptedJson(json, PASSWORD);
    expect(opened.address).toBe(status.address);
    expect(Wallet.fromPhrase(draft.words.join(' ')).address).toBe(status.address);
    expect(json).not.toContain(draft.words.join(' '));
  });

  it('locks, refuses a wrong password without saying why, and unlocks with the right one', async () => {
    const { wallet, seen } = fresh();
    const { status } = await create(wallet);
    expect(wallet.lock().state).toBe('locked');
    expect(seen).toContain('wallet.locked');
    expect(() => wallet.signer(new JsonRpcProvider('http://127.0.0.1:1'))).toThrow(/locked/);
    await expect(wallet.unlock('wrong password')).rejects.toMatchObject({ code: 'BAD_PASSWORD' });
    expect((await wallet.unlock(PASSWORD)).address).toBe(status.address);
  });

  it('throttles wrong passwords after a few tries, and remembers across restarts', async () => {
    const { wallet, dir, events } = fresh();
    await create(wallet);
    wallet.lock();
    for (let i = 0; i < 5; i++) await expect(wallet.unlock(`nope-${i}`)).rejects.toMatchObject({ code: 'BAD_PASSWORD' });
    await expect(wallet.unlock(PASSWORD)).rejects.toMatchObject({ code: 'TOO_MANY_TRIES' });
    const restarted = new WalletService(dir, events, 2 ** 12);
    await expect(restarted.unlock(PASSWORD)).rejects.toMatchObject({ code: 'TOO_MANY_TRIES' });
  });

  it('will not create a second wallet over the first', async () => {
    const { wallet } = fresh();
    await create(wallet);
    expect(() => wallet.createDraft(12)).toThrow(/already exists/);
  });
});
