import { readFileSync } from 'node:fs';
import { Mnemonic, Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { parsePhrase, parsePrivateKey, phraseWords, seedFromPhrase } from './phrase';

const bip39 = JSON.parse(readFileSync(new URL('../../../shared/vectors/bip39-english.json', import.meta.url), 'utf8')) as {
  passphrase: string;
  vectors: [string, string, string][];
};

/** The same phrase as a person might paste it: odd case, tabs, newlines, NBSP, ideographic and zero-width spaces, full-width letters. */
function messUp(phrase: string): string {
  const seps = ['\t', '\n', '\u00a0', '  ', '\r\n', '\u3000', ' \u200b'];
  return (
    '\n  ' +
    phrase
      .split(' ')
      .map((w, i) => (i % 3 === 0 ? w.toUpperCase() : i % 3 === 1 ? w[0]!.toUpperCase() + w.slice(1) : w))
      .map((w, i) => (i === 2 ? [...w].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('') : w)) // full-width
      .map((w, i) => w + seps[i % seps.length])
      .join('') +
    ' \u00a0'
  );
}

describe('BIP-39 phrases', () => {
  it('matches every public vector: entropy, canonical phrase and seed (passphrase TREZOR), even when pasted messily', () => {
    expect(bip39.vectors.length).toBeGreaterThanOrEqual(4);
    for (const [entropy, phrase, seed] of bip39.vectors) {
      for (const input of [phrase, messUp(phrase)]) {
        const parsed = parsePhrase(input);
        expect(parsed.phrase).toBe(phrase);
        expect(parsed.entropy).toBe(`0x${entropy}`);
        expect(seedFromPhrase(input, bip39.passphrase)).toBe(`0x${seed}`);
      }
    }
  });

  it('accepts 12, 15, 18, 21 and 24 words and agrees with ethers on each', () => {
    for (const bytes of [16, 20, 24, 28, 32]) {
      for (let n = 0; n < 5; n++) {
        const entropy = new Uint8Array(bytes).map((_, i) => (i * 37 + n * 101 + bytes) & 0xff);
        const m = Mnemonic.fromEntropy(entropy);
        const parsed = parsePhrase(m.phrase.toUpperCase().replaceAll(' ', '\t'));
        expect(parsed.words).toBe((bytes * 8 * 33) / 32 / 11);
        expect(parsed.entropy).toBe(m.entropy);
        expect(parsed.phrase).toBe(m.phrase);
      }
    }
  });

  it('normalises NFKD, case and every kind of whitespace', () => {
    expect(phraseWords(' Abandon\u00a0\tABANDON\n\r about\u2003x\u200b ')).toEqual(['abandon', 'abandon', 'about', 'x']);
  });

  it('says which word is unknown, without repeating it', () => {
    const words = bip39.vectors[0]![1].split(' ');
    words[6] = 'abandn';
    const err = (() => {
      try {
        parsePhrase(words.join(' '));
      } catch (e) {
        return e as { code: string; message: string };
      }
      throw new Error('accepted');
    })();
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/^Word 7 is not in the BIP-39 English word list/);
    expect(err.message).not.toContain('abandn');
    words[1] = 'qwerty';
    expect(() => parsePhrase(words.join(' '))).toThrow(/^Words 2 and 7 are not in the BIP-39/);
  });

  it('says the checksum does not match when a word is wrong or two are swapped, exactly when BIP-39 says so', () => {
    const phrase = bip39.vectors[1]![1]; // legal winner thank year wave …
    const words = phrase.split(' ');
    let rejected = 0;
    let accepted = 0;
    const variants: string[][] = [];
    for (let i = 0; i < words.length; i++) {
      for (const w of ['zoo', 'abandon', 'letter', 'wrong']) variants.push(words.map((x, j) => (j === i ? w : x)));
      variants.push(words.map((x, j) => (j === i ? words[(i + 1) % words.length]! : j === (i + 1) % words.length ? words[i]! : x)));
    }
    for (const v of variants) {
      const valid = Mnemonic.isValidMnemonic(v.join(' '));
      if (valid) {
        accepted++;
        expect(parsePhrase(v.join(' ')).phrase).toBe(v.join(' '));
      } else {
        rejected++;
        expect(() => parsePhrase(v.join(' '))).toThrow("The phrase's checksum does not match: a word is wrong or out of order.");
      }
    }
    // About 1 in 16 changes of a 12-word phrase keep a valid checksum by chance; most must be caught.
    expect(rejected).toBeGreaterThan(accepted * 4);
  });

  it('refuses other word counts and empty input with plain words', () => {
    expect(() => parsePhrase('abandon '.repeat(11))).toThrow('A recovery phrase has 12, 15, 18, 21 or 24 words; this one has 11.');
    expect(() => parsePhrase('abandon '.repeat(13))).toThrow(/this one has 13/);
    expect(() => parsePhrase(' \n\t')).toThrow(/Type or paste your recovery phrase/);
  });
});

describe('raw private keys', () => {
  const key = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318';
  const address = new Wallet(key).address;

  it('accepts a key with or without 0x, any case, with stray whitespace', () => {
    for (const input of [key, key.slice(2), key.toUpperCase().replace('0X', '0x'), `  ${key.slice(2)}\n`, `0X${key.slice(2)}`]) {
      const parsed = parsePrivateKey(input);
      expect(parsed).toBe(key);
      expect(new Wallet(parsed).address).toBe(address);
    }
  });

  it('refuses wrong length, non-hex, zero and out-of-range keys without echoing them', () => {
    const cases: [string, RegExp][] = [
      [key.slice(0, 40), /64 characters long .* this one has 38/],
      [`${key}00`, /this one has 66/],
      [key.replace('4c', 'zz'), /only the characters 0–9 and a–f/],
      [`0x${'0'.repeat(64)}`, /outside the range/],
      [`0x${'f'.repeat(64)}`, /outside the range/],
      ['', /Type or paste the private key/],
      [bip39.vectors[0]![1], /looks like a recovery phrase/],
    ];
    for (const [input, re] of cases) {
      let message = '';
      try {
        parsePrivateKey(input);
      } catch (e) {
        expect((e as { code: string }).code).toBe('BAD_INPUT');
        message = (e as Error).message;
      }
      expect(message).toMatch(re);
      if (input.length > 8) expect(message).not.toContain(input.replace(/^0x/, '').slice(0, 8));
    }
  });
});
