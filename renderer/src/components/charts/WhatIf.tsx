import { lazy, Suspense, useId, useMemo, useState, type FormEvent } from 'react';
import type { ApiOutput, DetailPoint } from '../../../../shared/api';
import { shownNmr } from '../../../../shared/amount-format';
import { parseAmount } from '../../../../shared/amount-input';
import { AmountError, weiToNmrFloat } from '../../../../shared/money';
import { pageLocale } from '../../locale';
import { useApi } from '../../api/context';
import { toAppError } from '../../app/hooks';
import { feeText } from '../../app/model-fee';
import { Nmr, Pct } from '../Amount';
import { fmt } from './format';
import { formatRound, resolveStart, thin, type StartChoice } from './series';
import './charts.css';

const BacktestChart = lazy(() => import('./BacktestChart'));

type Result = { amountWei: bigint; choice: StartChoice; out: ApiOutput<'models.backtest'> };

function startWords(choice: StartChoice, fromRound: number): string {
  const r = formatRound(fromRound);
  if (choice.kind === '3m') return `3 months ago (during round ${r})`;
  if (choice.kind === '1y') return `1 year ago (during round ${r})`;
  if (choice.kind === 'first') return `at its first round (round ${r})`;
  return `during round ${r}`;
}

/**
 * "What if I had delegated X NMR back then?": replays the model's past results under the pool's
 * rules in main (exact wei) and shows the path and the final figures. Not a forecast, and it says so.
 * `feeBps` null: no fee is known (a model outside the pool whose record has none); main counts none.
 */
export function WhatIf({ name, feeBps, series }: { name: string; feeBps: number | null; series: DetailPoint[] | null }) {
  const api = useApi();
  const id = useId();
  const [amount, setAmount] = useState('100');
  const [kind, setKind] = useState<StartChoice['kind']>('3m');
  const [roundText, setRoundText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const first = series?.[0]?.round ?? null;
  const fee = feeBps === null ? null : feeText(feeBps);

  async function run(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!series) return setError('The track record is still loading; try again in a moment.');
    let amountWei: bigint;
    try {
      amountWei = parseAmount(amount, pageLocale());
    } catch (err) {
      return setError(err instanceof AmountError ? err.message : 'Enter an amount such as 100.');
    }
    if (amountWei === 0n) return setError('Enter an amount above zero.');
    const choice: StartChoice = kind === 'round' ? { kind, text: roundText } : { kind };
    const start = resolveStart(choice, series, name);
    if ('error' in start) return setError(start.error);
    setBusy(true);
    try {
      const out = await api.call('models.backtest', {
        allocations: [{ name, amountWei: amountWei.toString() }],
        fromRound: start.fromRound,
      });
      setResult({ amountWei, choice, out });
    } catch (err) {
      setError(`The replay could not run: ${toAppError(err).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="whatif">
      <p className="whatif-note">
        This replays {name}’s <strong>past</strong> results as its track record holds them: Numerai’s payouts under its earlier rules,
        capped at ±5% of the stake a round. Your NMR counts from the round after you delegate,{' '}
        {fee === null ? 'no operator fee is counted (it is not in the pool)' : `the operator keeps ${fee} of each gain`}, and losses are
        burned. The pool stakes under Numerai’s on-chain rules today (each round a part of the NMR, whose result can reach ±100% of that
        part), so a real delegation’s path differs. It shows what would have happened, not what will happen:{' '}
        <strong>it is not a forecast</strong>.
      </p>
      <form className="whatif-form" onSubmit={(e) => void run(e)} aria-label="What if you had delegated">
        <label className="field whatif-amount">
          <span>Amount (NMR)</span>
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-describedby={`${id}-amount-hint`} />
          <small id={`${id}-amount-hint`} className="muted">
            For example 100 or 2,500.5
          </small>
        </label>
        <fieldset className="radios whatif-start">
          <legend>Delegated</legend>
          {(
            [
              ['3m', '3 months ago'],
              ['1y', '1 year ago'],
              ['first', first === null ? 'At its first round' : `At its first round (${formatRound(first)})`],
            ] as const
          ).map(([k, label]) => (
            <label key={k}>
              <input type="radio" name={`${id}-start`} checked={kind === k} onChange={() => setKind(k)} />
              {label}
            </label>
          ))}
          <label>
            <input type="radio" name={`${id}-start`} checked={kind === 'round'} onChange={() => setKind('round')} />
            During round
          </label>
          <input
            className="whatif-round"
            aria-label="Round number"
            inputMode="numeric"
            placeholder={first === null ? 'e.g. 1000' : `${formatRound(first)} or later`}
            value={roundText}
            onChange={(e) => {
              setRoundText(e.target.value);
              setKind('round');
            }}
            onFocus={() => setKind('round')}
          />
        </fieldset>
        <button className="primary" type="submit" disabled={busy}>
          {busy ? 'Replaying…' : 'Replay'}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div aria-live="polite">{result && <Outcome name={name} fee={fee} result={result} />}</div>
    </div>
  );
}

function Outcome({ name, fee, result }: { name: string; fee: string | null; result: Result }) {
  const { out, amountWei, choice } = result;
  const m = out.models[0]!;
  const principal = BigInt(out.principalWei);
  const final = BigInt(out.finalWei);
  const changePct = principal === 0n ? null : Number(((final - principal) * 1_000_000n) / principal) / 10_000;
  const results = out.toRound - out.fromRound;
  const data = useMemo(() => thin(out.points.map((p) => ({ round: p.round, valueNmr: weiToNmrFloat(p.valueWei) }))), [out]);
  const gained = final >= principal;
  return (
    <section className="whatif-result" aria-label="Replay result">
      <h3>
        {shownNmr(amountWei, pageLocale(), 18).text} NMR delegated {startWords(choice, out.fromRound)} would be worth <Nmr wei={final} />{' '}
        after round {formatRound(out.toRound)}
      </h3>
      <p className="muted small">
        At risk from round {formatRound(out.atRiskFromRound)} to round {formatRound(out.toRound)}: {fmt.whole(results)} rounds replayed.
      </p>
      <div className="whatif-body">
        <dl className="whatif-figures">
          <div>
            <dt>Put in</dt>
            <dd data-figure="principal">
              <Nmr wei={principal} />
            </dd>
          </div>
          <div>
            <dt>Rewards from gains</dt>
            <dd data-figure="reward" className="pos">
              + <Nmr wei={m.rewardWei} />
            </dd>
          </div>
          <div>
            <dt>{fee === null ? 'Operator fee (none: not in the pool)' : `Operator fee (${fee} of rewards)`}</dt>
            <dd data-figure="fee">
              − <Nmr wei={m.feeWei} />
            </dd>
          </div>
          <div>
            <dt>Burned by losses</dt>
            <dd data-figure="burned" className="neg">
              − <Nmr wei={m.burnedWei} />
            </dd>
          </div>
          <div className="whatif-final">
            <dt>Value at the end</dt>
            <dd data-figure="final">
              <Nmr wei={final} /> <Pct value={changePct} />
            </dd>
          </div>
        </dl>
        <Suspense fallback={<div className="chart-placeholder">Loading chart…</div>}>
          <BacktestChart
            data={data}
            principalNmr={weiToNmrFloat(principal)}
            label={`Value of ${shownNmr(amountWei, pageLocale(), 18).text} NMR delegated to ${name} during round ${formatRound(out.fromRound)}, after each round up to round ${formatRound(out.toRound)}: it ${gained ? 'ends above' : 'ends below'} what was put in`}
          />
        </Suspense>
      </div>
    </section>
  );
}
