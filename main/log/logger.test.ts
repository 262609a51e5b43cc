import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeystoreJsonSync, LangEn, Mnemonic, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { REDACTED, REDACTED_KEY, REDACTED_KEYSTORE, REDACTED_PHRASE, REDACTED_TOKEN, redactText } from './redact';

const dir = () => mkdtempSync(join(tmpdir(), 'log-'));
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const KEY = Wallet.createRandom().privateKey; // 0x + 64 hex
const PHRASE_12 = Mnemonic.fromEntropy(new Uint8Array(16).fill(7)).phrase;
const PHRASE_24 = Mnemonic.fromEntropy(new Uint8Array(32).fill(9)).phrase;
const WORDS = new Set(Array.from({ length: 2048 }, (_, i) => LangEn.wordlist().getWord(i)));

/** The longest run of wordlist words in a text, whatever separates them. */
function longestWordRun(s: string): number {
  let best = 0;
  let run = 0;
  for (const m of s.matchAll(/[A-Za-z]+/g)) {
    run = WORDS.has(m[0].toLowerCase()) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

describe('logger', () => {
  it('writes one JSON object per line to a 0600 file', () => {
    const file = join(dir(), 'logs', 'main.log');
    const log = createLogger({ file });
    log.info('app.started', { seconds: 1.5, ok: true, note: 'hello' });
    log.warn('app.warned', {});
    expect(lines(file)).toMatchObject([
      { level: 'info', event: 'app.started', seconds: 1.5, ok: true, note: 'hello' },
      { level: 'warn', event: 'app.warned' },
    ]);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rotates by size and keeps only the newest files', () => {
    const d = dir();
    const file = join(d, 'main.log');
    const log = createLogger({ file, maxBytes: 2000, maxFiles: 3 });
    for (let i = 0; i < 300; i++) log.info('tick', { i, pad: 'x'.repeat(40) });
    expect(readdirSync(d).sort()).toEqual(['main.log', 'main.log.1', 'main.log.2']);
    for (const f of readdirSync(d)) expect(statSync(join(d, f)).size).toBeLessThanOrEqual(2000);
    // Oldest to newest: .2, .1, main.log; contiguous, ending with the last line written.
    const seq = [...lines(`${file}.2`), ...lines(`${file}.1`), ...lines(file)].map((l) => l.i as number);
    expect(seq.at(-1)).toBe(299);
    expect(seq).toEqual(Array.from({ length: seq.length }, (_, k) => 300 - seq.length + k));
    // A new logger on the same file carries on from its size instead of growing it past the limit.
    const again = createLogger({ file, maxBytes: 2000, maxFiles: 3 });
    for (let i = 300; i < 340; i++) again.info('tick', { i, pad: 'x'.repeat(40) });
    for (const f of readdirSync(d)) expect(statSync(join(d, f)).size).toBeLessThanOrEqual(2000);
    expect(existsSync(`${file}.3`)).toBe(false);
  });

  it('never throws when the file cannot be written', () => {
    const d = dir();
    const file = join(d, 'main.log');
    mkdirSync(file); // a folder where the file should be
    const log = createLogger({ file });
    expect(() => log.error('still.fine', { x: 1 })).not.toThrow();
  });

  it('redacts keys, phrases and keystores in every field and in the event name', () => {
    const file = join(dir(), 'main.log');
    const log = createLogger({ file });
    const keystore = encryptKeystoreJsonSync({ address: new Wallet(KEY).address, privateKey: KEY }, 'pw', { scrypt: { N: 2 ** 10 } });
    log.error('api.internal', { error: `invalid key ${KEY} in request` });
    log.error('api.internal', { error: `could not parse ${PHRASE_12}` });
    log.error('api.internal', { error: keystore });
    log.error(`event ${KEY}`, { where: 'event' });
    log.info('wallet.import', { password: 'correct horse battery staple', privateKey: 'anything', keystore: '{}', token: 'abc' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(KEY.slice(2));
    expect(text).not.toContain(PHRASE_12.split(' ').slice(0, 3).join(' '));
    expect(text).not.toContain('ciphertext');
    expect(text).not.toContain('correct horse');
    const got = lines(file);
    expect(got[0]!.error).toBe(`invalid key ${REDACTED_KEY} in request`);
    expect(got[1]!.error).toBe(`could not parse ${REDACTED_PHRASE}`);
    expect(got[2]!.error).toBe(REDACTED_KEYSTORE);
    expect(got[3]!.event).toBe(`event ${REDACTED_KEY}`);
    expect(got[4]).toMatchObject({ password: REDACTED, privateKey: REDACTED, keystore: REDACTED, token: REDACTED });
  });

  it('redacts before cutting a long value short, so no part of a secret survives the cut', () => {
    const file = join(dir(), 'main.log');
    const log = createLogger({ file });
    for (const at of [440, 470, 495, 499]) {
      log.error('long', { error: `${'.'.repeat(at)} ${PHRASE_24}` });
      log.error('long', { error: `${'.'.repeat(at)} ${KEY}` });
    }
    for (const l of lines(file)) {
      const v = String(l.error);
      expect(v.length).toBeLessThanOrEqual(500);
      expect(longestWordRun(v)).toBeLessThan(2);
      expect(v).not.toMatch(/[0-9a-f]{16}/i);
    }
  });
});

describe('redactText', () => {
  it('cuts 64-hex runs with or without 0x, in any case, and longer hex blobs', () => {
    const bare = KEY.slice(2);
    for (const s of [KEY, bare, KEY.toUpperCase().replace('0X', '0x'), `key=${bare}.`, `"${KEY}"`, `0x${bare}${bare}`]) {
      expect(redactText(s)).not.toMatch(/[0-9a-f]{20}/i);
      expect(redactText(s)).toContain(REDACTED_KEY);
    }
  });
  it('keeps addresses and short hex', () => {
    const address = new Wallet(KEY).address;
    expect(redactText(`to ${address}`)).toBe(`to ${address}`);
    expect(redactText(`0x${'a'.repeat(63)}`)).toBe(`0x${'a'.repeat(63)}`);
  });
  it('cuts recovery phrases however they are written', () => {
    const w = PHRASE_24.split(' ');
    const forms = [
      PHRASE_12,
      PHRASE_24,
      PHRASE_12.toUpperCase(),
      w.join('\n'),
      JSON.stringify(w),
      w.map((x, i) => `${i + 1}. ${x}`).join(' '),
      `phrase: "${PHRASE_12}", then more text`,
    ];
    for (const s of forms) {
      const r = redactText(s);
      expect(r).toContain(REDACTED_PHRASE);
      expect(longestWordRun(r)).toBeLessThan(2);
    }
  });
  it('skips the word list only for texts that cannot hold a phrase: every English word is 3 to 8 letters', () => {
    // redact.ts's mayHoldPhrase rests on this: a 12-word run of 3-8-letter words is looked up, nothing shorter.
    const lengths = new Set(Array.from({ length: 2048 }, (_, i) => LangEn.wordlist().getWord(i).length));
    expect(Math.min(...lengths)).toBe(3);
    expect(Math.max(...lengths)).toBe(8);
    const longest = 'abandon ability absorb abstract absurd abuse accident account accuse achieve acoustic acquire';
    expect(redactText(longest)).toBe(REDACTED_PHRASE);
  });
  it('leaves ordinary sentences and short runs of words alone', () => {
    const eleven = PHRASE_12.split(' ').slice(0, 11).join(' ');
    expect(redactText(eleven)).toBe(eleven);
    const prose = 'The node at https://example.org did not answer within 8 seconds; check the address and your connection.';
    expect(redactText(prose)).toBe(prose);
  });
  it('cuts a whole keystore, alone or inside a message', () => {
    const ks = encryptKeystoreJsonSync({ address: new Wallet(KEY).address, privateKey: KEY }, 'pw', { scrypt: { N: 2 ** 10 } });
    expect(redactText(ks)).toBe(REDACTED_KEYSTORE);
    expect(redactText(`bad file: ${ks.slice(0, 300)}`)).toBe(REDACTED_KEYSTORE);
  });

  it('cuts a Numerai API token, whole or either half, in numer.ai’s form and in the demo’s hex form', () => {
    const numerai = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGHIJKLMNOPQR';
    const [pub, secret] = numerai.split('$') as [string, string];
    const demo = `${'A1'.repeat(16)}$${'F0'.repeat(32)}`;
    expect(redactText(`Numerai refused Token ${numerai} (401)`)).toBe(`Numerai refused Token ${REDACTED_TOKEN} (401)`);
    expect(redactText(`token=${demo};`)).toBe(`token=${REDACTED_TOKEN};`);
    expect(redactText(`public id ${pub}, secret ${secret}`)).toBe(`public id ${REDACTED_TOKEN}, secret ${REDACTED_TOKEN}`);
    // Ordinary ids, addresses and words stay.
    const address = new Wallet(KEY).address;
    expect(redactText(`model_1 staked by ${address} in round 1200, request 0123abcd`)).toBe(
      `model_1 staked by ${address} in round 1200, request 0123abcd`,
    );
  });

  it('keeps a Numerai token out of a log file whatever field it reaches', () => {
    const file = join(dir(), 'main.log');
    const log = createLogger({ file });
    const token = 'QWERTYUIOPASDFGHJKLZXCVBNM123456$MNBVCXZLKJHGFDSAPOIUYTREWQ0987654321MNBVCXZLKJHGFDSAPOIUYTREWQ09';
    log.warn('operator.run_failed', { error: `Numerai said: bad token ${token}` });
    log.info(`operator ${token}`, { detail: token.split('$')[1] });
    const text = readFileSync(file, 'utf8');
    for (const part of [token, ...token.split('$')]) expect(text).not.toContain(part);
  });
});
