/**
 * What a person types as an amount, read in their own locale into exact wei (never a float).
 *
 * The rules, in order (also in docs/architecture.md, "Amounts"):
 * 1. Spaces (any kind, including the no-break and narrow no-break spaces fr-FR groups with) and
 *    apostrophes (de-CH groups with ’) only ever group digits.
 * 2. When both "." and "," appear, the last one is the decimal separator (once only) and the other
 *    groups: "1.234,5" and "1,234.5" both read 1234.5 in every locale.
 * 3. One kind repeated ("1.234.567", "1,00,000") only groups.
 * 4. A single "." or "," is the decimal separator, except when it is not the locale's decimal
 *    symbol and is followed by exactly three digits after a non-zero whole part: "1.234" in de-DE
 *    (or "1,234" in en-US) could be a thousand and more or one and a bit, so it is refused with a
 *    message showing both ways to write it. The locale's own decimal symbol is always a decimal
 *    ("1,234" in de-DE is 1.234): that is how the person's locale writes it.
 * 5. Grouped digits must be grouped as numbers are (last group of three, earlier groups of two or
 *    three, as hi-IN does), so a stray separator never silently changes the amount.
 */
import { exactUnits, numberSymbols } from './amount-format';
import { AmountError, DECIMALS, MAX_UINT256 } from './money';

/** "." or "," as the person reads it: the locale's decimal symbol when it is one of the two. */
function localDecimal(locale: string): '.' | ',' {
  return numberSymbols(locale).decimal === ',' ? ',' : '.';
}

/** Spaces of every kind (fr-FR groups with U+202F) and apostrophes (de-CH: ’): only ever grouping. */
const SPACES = "\\s\\u00a0\\u202f\\u2009\\u2007'\\u2019";
const SPACE_OR_APOSTROPHE = new RegExp(`[${SPACES}]`, 'g');
const ANY_GROUP = new RegExp(`[.,${SPACES}]`);
const AMOUNT_CHARS = new RegExp(`^[\\d.,${SPACES}]+$`);
const WORDS: Record<'.' | ',', string> = { '.': 'point', ',': 'comma' };

/** "12.5" or "12,5": an example amount written the locale's way, for messages and placeholders. */
export function exampleAmount(locale: string): string {
  return `12${localDecimal(locale)}5`;
}

/**
 * An amount written for an input field ("Use all"): exact, the locale's decimal symbol, no grouping,
 * so `parseAmount` always reads it back as the same wei (a grouped "1.234" would be ambiguous).
 */
export function writeAmount(wei: bigint, locale: string, decimals: number = DECIMALS): string {
  return exactUnits(wei, decimals).replace('.', localDecimal(locale));
}

/** "0.0" or "0,0": an empty amount field's placeholder. */
export function amountPlaceholder(locale: string): string {
  return `0${localDecimal(locale)}0`;
}

function groupsAreValid(whole: string, group: RegExp): boolean {
  const chunks = whole.split(group);
  if (chunks.length === 1) return /^\d*$/.test(whole);
  return chunks.every((c, i) => (i === 0 ? /^\d{1,3}$/ : i === chunks.length - 1 ? /^\d{3}$/ : /^\d{2,3}$/).test(c));
}

/**
 * Reads a typed amount in `locale` (the page's `navigator.language`) into wei with `decimals`
 * decimals. Throws an AmountError whose message says how to write it.
 */
export function parseAmount(text: string, locale: string, decimals: number = DECIMALS): bigint {
  const t = text.trim();
  const dec = localDecimal(locale);
  if (t === '') throw new AmountError('Enter an amount.');
  if (!AMOUNT_CHARS.test(t) || !/\d/.test(t)) throw new AmountError(`Enter a number such as ${exampleAmount(locale)}.`);

  const lastDot = t.lastIndexOf('.');
  const lastComma = t.lastIndexOf(',');
  const dots = t.split('.').length - 1;
  const commas = t.split(',').length - 1;
  let sep: '.' | ',' | null = null;
  if (dots > 0 && commas > 0) {
    sep = lastDot > lastComma ? '.' : ',';
    if ((sep === '.' ? dots : commas) > 1) throw new AmountError(`Use one decimal separator, as in ${exampleAmount(locale)}.`);
  } else if (dots + commas === 1) {
    sep = dots === 1 ? '.' : ',';
    const at = t.indexOf(sep);
    const whole = t.slice(0, at).replace(SPACE_OR_APOSTROPHE, '');
    const frac = t.slice(at + 1);
    if (sep !== dec && /^\d{3}$/.test(frac) && /^[1-9]\d{0,2}$/.test(whole)) {
      throw new AmountError(
        `“${t}” could mean ${whole}${frac} or ${whole}${dec}${frac}. Write ${whole}${frac} without the ${WORDS[sep]}, ` +
          `or ${whole}${dec}${frac} with a decimal ${WORDS[dec]}.`,
      );
    }
  }

  const at = sep === null ? -1 : t.lastIndexOf(sep);
  const wholeText = at < 0 ? t : t.slice(0, at);
  const frac = at < 0 ? '' : t.slice(at + 1);
  if (!/^\d*$/.test(frac) || !groupsAreValid(wholeText, ANY_GROUP))
    throw new AmountError(`Check the digit grouping, or write the amount without it, as in 1234${dec}5.`);
  const whole = wholeText.replace(/\D/g, '');
  if (whole === '' && frac === '') throw new AmountError(`Enter a number such as ${exampleAmount(locale)}.`);
  if (frac.length > decimals) throw new AmountError(`NMR has at most ${decimals} decimals.`);
  const wei = BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, '0') || '0');
  if (wei > MAX_UINT256) throw new AmountError('That amount is too large.');
  return wei;
}
