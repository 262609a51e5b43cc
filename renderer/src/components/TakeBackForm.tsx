import { useState } from 'react';
import { parseAmount } from '../../../shared/amount-input';
import { AmountError } from '../../../shared/money';
import { pageLocale } from '../locale';
import { FormFooter } from './FormFooter';
import { Nmr } from './Amount';

/**
 * How much to take back from a position: all of it, or an amount at today's value. Main's plan then
 * shows what the pool's share rounding will really pay before anything is confirmed.
 */
export function TakeBackForm({
  valueWei,
  explain,
  onAmount,
  onCancel,
}: {
  valueWei: string;
  explain: string;
  onAmount: (amount: bigint | 'all') => void;
  onCancel: () => void;
}) {
  const [all, setAll] = useState(true);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  function next(e: React.FormEvent) {
    e.preventDefault();
    if (all) return onAmount('all');
    try {
      const wei = parseAmount(text, pageLocale());
      if (wei === 0n) return setError('Enter an amount above zero.');
      onAmount(wei);
    } catch (err) {
      setError(err instanceof AmountError ? err.message : 'Enter an amount.');
    }
  }

  return (
    <form onSubmit={next}>
      <p>
        Worth <Nmr wei={valueWei} /> now. {explain}
      </p>
      <label className="check">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
        Take back all of it
      </label>
      {!all && (
        <label className="field">
          <span>Amount (NMR, at today’s value)</span>
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- the field appears because "all of it" was unticked; focus follows to it */}
          <input autoFocus inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      )}
      <FormFooter error={error} onCancel={onCancel} />
    </form>
  );
}
