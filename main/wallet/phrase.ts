import { LangEn, Mnemonic, sha256 } from 'ethers';
import { AppError } from '../../shared/api';
import { isValidPrivateKey } from './keystore';

/**
 * Reading what a person types or pastes: a BIP-39 recovery phrase or a raw private key. Errors say
 * what is wrong and where, but never repeat the secret (not even one word of it).
 */

export const PHRASE_LENGTHS = [12, 15, 18, 21, 24] as const;

const bad = (message: string) => new AppError('BAD_INPUT', message);

// Zero-width characters that survive copy-paste from web pages and PDFs; \s already covers
// spaces, tabs, newlines, NBSP (U+00A0), the ideographic space and the other Unicode spaces.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/gu;

/** NFKD (BIP-39's form; it also turns full-width letters into ASCII), lower case, one space between words. */
export function phraseWords(input: string): string[] {
  return input.normalize('NFKD').replace(INVISIBLE, '').toLowerCase().split(/\s+/u).filter(Boolean);
}

function listPositions(positions: number[]): string {
  if (positions.length === 1) return `Word ${positions[0]} is`;
  const shown = positions.slice(0, 5);
  const more = positions.length > 5 ? ` (and ${positions.length - 5} more)` : '';
  return `Words ${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}${more} are`;
}

/**
 * Parses a BIP-39 English phrase. Returns the canonical phrase (single spaces, lower case) and its
 * entropy. Throws BAD_INPUT that says which word is unknown, or that the checksum does not match.
 */
export function parsePhrase(input: string): { phrase: string; entropy: string; words: number } {
  const words = phraseWords(input);
  if (words.length === 0) throw bad('Type or paste your recovery phrase.');
  if (!(PHRASE_LENGTHS as readonly number[]).includes(words.length)) {
    throw bad(`A recovery phrase has 12, 15, 18, 21 or 24 words; this one has ${words.length}.`);
  }
  const list = LangEn.wordlist();
  const indexes = words.map((w) => list.getWordIndex(w));
  const unknown = indexes.flatMap((ix, i) => (ix < 0 ? [i + 1] : []));
  if (unknown.length) throw bad(`${listPositions(unknown)} not in the BIP-39 English word list. Check the spelling.`);

  // 11 bits per word: the entropy, then a checksum of entropy-bits/32 bits (the first bits of its SHA-256).
  let bits = 0n;
  for (const ix of indexes) bits = (bits << 11n) | BigInt(ix);
  const totalBits = words.length * 11;
  const checksumBits = totalBits / 33;
  const entropyBytes = (totalBits - checksumBits) / 8;
  const entropy = (bits >> BigInt(checksumBits)).toString(16).padStart(entropyBytes * 2, '0');
  const checksum = bits & ((1n << BigInt(checksumBits)) - 1n);
  const expected = BigInt(sha256(`0x${entropy}`).slice(0, 6)) >> BigInt(16 - checksumBits); // first 16 bits of the hash
  bits = 0n;
  if (checksum !== expected) throw bad("The phrase's checksum does not match: a word is wrong or out of order.");

  const mnemonic = Mnemonic.fromEntropy(`0x${entropy}`);
  return { phrase: mnemonic.phrase, entropy: mnemonic.entropy, words: words.length };
}

/** The BIP-39 seed of a phrase as a person typed it (normalised as above), with an optional passphrase. */
export function seedFromPhrase(input: string, passphrase = ''): string {
  return Mnemonic.fromPhrase(parsePhrase(input).phrase, passphrase).computeSeed();
}

/** Parses a raw private key: 64 hex digits, with or without 0x, surrounding whitespace ignored. */
export function parsePrivateKey(input: string): string {
  const s = input.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/gu, '');
  if (s === '') throw bad('Type or paste the private key.');
  if (phraseWords(input).length >= 12) throw bad('This looks like a recovery phrase, not a private key: import it as a recovery phrase.');
  const hex = s.replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw bad('A private key has only the characters 0–9 and a–f (with or without 0x in front).');
  if (hex.length !== 64) throw bad(`A private key is 64 characters long (without the 0x); this one has ${hex.length}.`);
  const key = `0x${hex.toLowerCase()}`;
  if (!isValidPrivateKey(key)) throw bad('This is not a valid private key: its value is outside the range keys can have.');
  return key;
}
