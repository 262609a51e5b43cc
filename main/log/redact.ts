import { LangEn } from 'ethers/wordlists';

/**
 * What a log line must never hold, found by shape rather than by field name, so a secret that
 * reaches the log by accident (inside an error message, say) is still cut out:
 * - anything that looks like a private key: a run of 64 or more hex digits, with or without 0x
 *   (transaction hashes, signatures and calldata look the same and are cut too: they are on the
 *   chain; addresses, 40 digits, stay);
 * - a BIP-39 recovery phrase: 12 or more words in a row from the English wordlist, in any case,
 *   whatever separates them (spaces, newlines, commas and quotes of a JSON array, numbering);
 * - a keystore file (Web3 Secret Storage JSON): the whole value goes;
 * - a Numerai API token, `<public_id>$<secret_key>` (numer.ai issues 32 + 64 upper-case letters and
 *   digits), and either half on its own when it is that long a run of upper-case letters and digits.
 */
export const REDACTED_KEY = '[redacted:hex]';
export const REDACTED_PHRASE = '[redacted:phrase]';
export const REDACTED_KEYSTORE = '[redacted:keystore]';
export const REDACTED = '[redacted]';
export const REDACTED_TOKEN = '[redacted:token]';

/** Field names whose values are never logged, whatever they hold. */
const SECRET_FIELD =
  /(password|passphrase|secret|mnemonic|privatekey|private_key|seedphrase|keystore|csrf)$|^(pass|pwd|phrase|seed|key|token)$/i;

const HEX64 = /(?<![0-9a-fA-F])(?:0[xX])?[0-9a-fA-F]{64,}/g;
const NUMERAI_TOKEN = /(?<![A-Za-z0-9])[A-Za-z0-9]{16,128}\$[A-Za-z0-9]{16,256}(?![A-Za-z0-9])/g;
const TOKEN_HALF = /(?<![A-Za-z0-9])[A-Z0-9]{32,}(?![A-Za-z0-9])/g;
const KEYSTORE = /ciphertext/i;
const KEYSTORE_TOO = /kdf|"mac"|cipherparams/i;
const MIN_PHRASE_WORDS = 12;

let words: Set<string> | null = null;
function wordlist(): Set<string> {
  if (!words) {
    const list = LangEn.wordlist();
    words = new Set(Array.from({ length: 2048 }, (_, i) => list.getWord(i)));
  }
  return words;
}

/**
 * Whether `s` has MIN_PHRASE_WORDS words of 3 to 8 letters in a row (BIP-39's English words are all
 * 3 to 8 letters long): a text without such a run holds no phrase and needs no word list, whose first
 * load hashes all 2,048 words (~50 ms of a start's first log line).
 */
function mayHoldPhrase(s: string): boolean {
  let run = 0;
  for (const m of s.matchAll(/[A-Za-z]+/g)) {
    const n = m[0].length;
    if (n < 3 || n > 8) run = 0;
    else if (++run >= MIN_PHRASE_WORDS) return true;
  }
  return false;
}

function redactPhrases(s: string): string {
  if (!mayHoldPhrase(s)) return s;
  const list = wordlist();
  const spans: [number, number][] = [];
  let runStart = -1;
  let runEnd = -1;
  let runLength = 0;
  const close = () => {
    if (runLength >= MIN_PHRASE_WORDS) spans.push([runStart, runEnd]);
    runLength = 0;
  };
  for (const m of s.matchAll(/[A-Za-z]+/g)) {
    const word = m[0];
    if (list.has(word.toLowerCase())) {
      if (runLength === 0) runStart = m.index;
      runEnd = m.index + word.length;
      runLength++;
    } else close();
  }
  close();
  if (spans.length === 0) return s;
  let out = '';
  let at = 0;
  for (const [a, b] of spans) {
    out += s.slice(at, a) + REDACTED_PHRASE;
    at = b;
  }
  return out + s.slice(at);
}

/** The text with every key-, phrase- or keystore-looking part replaced by a marker. */
export function redactText(s: string): string {
  if (KEYSTORE.test(s) && KEYSTORE_TOO.test(s)) return REDACTED_KEYSTORE;
  return redactPhrases(s.replace(NUMERAI_TOKEN, REDACTED_TOKEN).replace(HEX64, REDACTED_KEY).replace(TOKEN_HALF, REDACTED_TOKEN));
}

/** A log field's value, redacted: by its name first, then by what it looks like. */
export function redactField(name: string, value: string): string {
  if (SECRET_FIELD.test(name)) return REDACTED;
  return redactText(value);
}
