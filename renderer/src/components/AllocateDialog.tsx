import { useMemo, useState, type FormEvent } from 'react';
import { IntentWei, type AllocationWei, type Intent, type ModelRow } from '../../../shared/api';
import { shownNmr } from '../../../shared/amount-format';
import { amountPlaceholder, parseAmount, writeAmount } from '../../../shared/amount-input';
import { AmountError } from '../../../shared/money';
import { pageLocale } from '../locale';
import { useApi } from '../api/context';
import { toAppError, useLoad } from '../app/hooks';
import { Nmr } from './Amount';
import { FormFooter } from './FormFooter';
import { Dialog } from './Dialog';
import { RiskDisclosure } from './RiskDisclosure';
import { TxFlow } from './TxFlow';

/** A list row of a model in the pool (its id is known). */
export type PoolModel = Pick<ModelRow, 'name' | 'capacityLeftWei'> & { modelId: number };
type Mode = 'nmr' | 'percent' | 'even';

const BPS = 10_000n;

/** Parses "12.5" (percent of balance) into basis points, exactly; at most 2 decimals. */
function parsePercentBps(text: string): bigint {
  const t = text.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(t)) throw new AmountError('Enter a percentage such as 25 or 12.5.');
  const [w, f = ''] = t.split('.');
  const bps = BigInt(w!) * 100n + BigInt(f.padEnd(2, '0'));
  if (bps > BPS) throw new AmountError('A percentage cannot be above 100.');
  return bps;
}

/**
 * Splits NMR over one or several models: an amount each, a percentage of the balance each, or one
 * total split evenly (any remainder of the division goes to the first model, to the wei).
 */
export function AllocateDialog({ models, onClose, onDone }: { models: PoolModel[]; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const balances = useLoad(() => api.call('account.balances', {}), [api]);
  const settings = useLoad(() => api.call('settings.get', {}), [api]);
  const [mode, setMode] = useState<Mode>(models.length > 1 ? 'even' : 'nmr');
  const [values, setValues] = useState<Record<number, string>>({});
  const [total, setTotal] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [allocations, setAllocations] = useState<AllocationWei[] | null>(null);
  const [acknowledged, setAcknowledged] = useState(false);
  const balance = balances.data ? BigInt(balances.data.nmrWei) : null;

  const intent = useMemo<Intent | null>(
    () =>
      // Amounts are computed as bigint wei and go on the wire as decimal strings (checked both ways).
      allocations ? IntentWei.encode({ kind: 'delegate', allocations }) : null,
    [allocations],
  );

  const preview = useMemo(() => {
    try {
      return computeAllocations(models, mode, values, total, balance);
    } catch {
      return null;
    }
  }, [models, mode, values, total, balance]);
  const previewTotal = preview?.reduce((a, b) => a + b.amountWei, 0n) ?? null;

  function review(e: FormEvent) {
    e.preventDefault();
    setError(null);
    let list: AllocationWei[];
    try {
      list = computeAllocations(models, mode, values, total, balance);
    } catch (err) {
      return setError(err instanceof AmountError ? err.message : toAppError(err).message);
    }
    if (list.some((a) => a.amountWei === 0n)) return setError('Every model needs an amount above zero.');
    const sum = list.reduce((a, b) => a + b.amountWei, 0n);
    if (balance !== null && sum > balance)
      return setError(`That is ${shownNmr(sum, pageLocale(), 18).text} NMR; you have ${shownNmr(balance, pageLocale(), 18).text} NMR.`);
    setAllocations(list);
  }

  const title = models.length === 1 ? `Delegate to ${models[0]!.name}` : `Delegate to ${models.length} models`;
  const needsDisclosure = settings.data !== null && !settings.data.riskAcknowledged && !acknowledged;

  return (
    <Dialog title={title} onClose={onClose}>
      {settings.data === null ? (
        settings.error ? (
          <p role="alert" className="error">
            {settings.error.message}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )
      ) : needsDisclosure ? (
        <RiskDisclosure
          onAccept={() => {
            void api.call('settings.update', { riskAcknowledged: true }).then(
              () => setAcknowledged(true),
              (e: unknown) => setError(toAppError(e).message),
            );
          }}
          onCancel={onClose}
        />
      ) : intent ? (
        <TxFlow intent={intent} onBack={() => setAllocations(null)} onDone={onDone} />
      ) : (
        <form onSubmit={review}>
          {models.length > 1 && (
            <fieldset className="radios" aria-label="How to split">
              <legend>How to split</legend>
              {(
                [
                  ['even', 'One total, split evenly'],
                  ['nmr', 'An amount for each'],
                  ['percent', 'A % of my balance for each'],
                ] as const
              ).map(([m, label]) => (
                <label key={m}>
                  <input type="radio" name="mode" checked={mode === m} onChange={() => setMode(m)} />
                  {label}
                </label>
              ))}
            </fieldset>
          )}
          {models.length === 1 && (
            <fieldset className="radios" aria-label="Amount as">
              <legend>Amount as</legend>
              <label>
                <input type="radio" name="mode" checked={mode === 'nmr'} onChange={() => setMode('nmr')} />
                NMR
              </label>
              <label>
                <input type="radio" name="mode" checked={mode === 'percent'} onChange={() => setMode('percent')} />% of my balance
              </label>
            </fieldset>
          )}
          {mode === 'even' ? (
            <label className="field">
              <span>Total amount (NMR)</span>
              <input
                // eslint-disable-next-line jsx-a11y/no-autofocus -- a dialog moves focus into itself (WAI-ARIA dialog pattern): to the amount
                autoFocus
                inputMode="decimal"
                placeholder={amountPlaceholder(pageLocale())}
                value={total}
                onChange={(e) => setTotal(e.target.value)}
              />
            </label>
          ) : (
            models.map((m, i) => (
              <label className="field" key={m.modelId}>
                <span>
                  {models.length === 1
                    ? mode === 'nmr'
                      ? 'Amount (NMR)'
                      : 'Percent of balance'
                    : `${m.name} (${mode === 'nmr' ? 'NMR' : '% of balance'})`}
                </span>
                <input
                  // eslint-disable-next-line jsx-a11y/no-autofocus -- a dialog moves focus into itself (WAI-ARIA dialog pattern): to the first amount
                  autoFocus={i === 0}
                  inputMode="decimal"
                  placeholder={mode === 'nmr' ? amountPlaceholder(pageLocale()) : '0'}
                  value={values[m.modelId] ?? ''}
                  onChange={(e) => setValues({ ...values, [m.modelId]: e.target.value })}
                />
              </label>
            ))
          )}
          <p className="muted small">
            Available: {balance === null ? '…' : <Nmr wei={balance} />}
            {balance !== null && balance > 0n && mode !== 'percent' && (
              <button
                type="button"
                className="link"
                onClick={() =>
                  mode === 'even'
                    ? setTotal(writeAmount(balance, pageLocale()))
                    : models.length === 1 && setValues({ [models[0]!.modelId]: writeAmount(balance, pageLocale()) })
                }
              >
                Use all
              </button>
            )}
            {models.length > 1 && previewTotal !== null && (
              <>
                {' '}
                · Total: <Nmr wei={previewTotal} digits={6} />
              </>
            )}
          </p>
          <FormFooter error={error} onCancel={onClose} />
        </form>
      )}
    </Dialog>
  );
}

/** What each model gets from what was typed; throws an AmountError that says what to fix. */
function computeAllocations(
  models: PoolModel[],
  mode: Mode,
  values: Record<number, string>,
  total: string,
  balance: bigint | null,
): AllocationWei[] {
  if (balance === null) throw new AmountError('Your balance is still loading.');
  if (mode === 'even') {
    const t = parseAmount(total, pageLocale());
    const n = BigInt(models.length);
    const each = t / n;
    return models.map((m, i) => ({ modelId: m.modelId, amountWei: each + (i === 0 ? t - each * n : 0n) }));
  }
  return models.map((m) => {
    const text = values[m.modelId] ?? '';
    try {
      const amountWei = mode === 'nmr' ? parseAmount(text, pageLocale()) : (balance * parsePercentBps(text)) / BPS;
      return { modelId: m.modelId, amountWei };
    } catch (e) {
      throw new AmountError(`${m.name}: ${e instanceof Error ? e.message : 'enter an amount'}`);
    }
  });
}
