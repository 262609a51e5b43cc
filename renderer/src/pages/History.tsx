import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ApiInput, ApiOutput, EventPayload } from '../../../shared/api';
import { useApi } from '../api/context';
import { startDownload } from '../app/download';
import { toAppError, useLoad } from '../app/hooks';

type Result = ApiOutput<'history.export'>;
type Format = ApiInput<'history.export'>['format'];
type Period = 'all' | 'year' | 'range';

const FORMATS: { value: Format; label: string; hint: string }[] = [
  { value: 'csv', label: 'CSV', hint: 'A spreadsheet: one row per delegation, reward, fee, burn, request and withdrawal.' },
  { value: 'koinly', label: 'Koinly CSV', hint: 'The layout tax tools such as Koinly import (“universal CSV”).' },
  { value: 'json', label: 'JSON', hint: 'Every row with exact amounts in wei, for software.' },
];

const PHASES: Record<EventPayload<'history.progress'>['phase'], string> = {
  index: 'Reading your events from the chain',
  timestamps: 'Reading the dates of blocks',
  flows: 'Pricing rounds',
  ledger: 'Adding up every position',
  write: 'Writing the file',
};

const MAX_PRICE_FILE_BYTES = 2_000_000;

const yearOf = (day: string) => Number(day.slice(0, 4));

/** Where to export which part of the history, with progress and cancel while it runs. */
export function History() {
  const api = useApi();
  const summary = useLoad(() => api.call('history.summary', {}), [api]);
  const formId = useId();
  const [format, setFormat] = useState<Format>('csv');
  const [period, setPeriod] = useState<Period>('all');
  const [year, setYear] = useState<number>(new Date().getUTCFullYear());
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const [allModels, setAllModels] = useState(true);
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [allAccounts, setAllAccounts] = useState(false);
  const [withFiat, setWithFiat] = useState(false);
  const [currency, setCurrency] = useState('USD');
  const [priceFile, setPriceFile] = useState<{ name: string; text: string } | null>(null);
  const [running, setRunning] = useState<{ id: string; progress: EventPayload<'history.progress'> | null } | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const runningId = useRef<string | null>(null);

  useEffect(
    () =>
      api.on('history.progress', (p) => {
        if (p.exportId === runningId.current) setRunning({ id: p.exportId, progress: p });
      }),
    [api],
  );

  const s = summary.data;
  const years = useMemo(() => {
    const now = new Date().getUTCFullYear();
    const first = s?.firstDay ? yearOf(s.firstDay) : now;
    const last = Math.max(now, s?.lastDay ? yearOf(s.lastDay) : now);
    return Array.from({ length: last - first + 1 }, (_, i) => last - i);
  }, [s]);

  function range(): { fromDay: string | null; toDay: string | null } | string {
    if (period === 'all') return { fromDay: null, toDay: null };
    if (period === 'year') return { fromDay: `${year}-01-01`, toDay: `${year}-12-31` };
    if (!fromDay && !toDay) return 'Choose a first day, a last day, or both.';
    if (fromDay && toDay && fromDay > toDay) return 'The first day comes after the last day.';
    return { fromDay: fromDay || null, toDay: toDay || null };
  }

  async function pickPriceFile(file: File | undefined) {
    setError(null);
    if (!file) return setPriceFile(null);
    if (file.size > MAX_PRICE_FILE_BYTES)
      return setError('That price file is too large (2 MB at most). Daily prices for many years fit in far less.');
    setPriceFile({ name: file.name, text: await file.text() });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setResult(null);
    const r = range();
    if (typeof r === 'string') return setError(r);
    if (!allModels && picked.size === 0) return setError('Choose at least one model, or all models.');
    if (withFiat && !priceFile) return setError('Choose the file of daily prices, or leave out the value column.');
    const id = crypto.randomUUID();
    runningId.current = id;
    setRunning({ id, progress: null });
    try {
      const out = await api.call('history.export', {
        exportId: id,
        format,
        ...r,
        modelIds: allModels ? null : [...picked].sort((a, b) => a - b),
        allAccounts,
        prices: withFiat && priceFile ? { currency: currency.trim(), csv: priceFile.text } : null,
      });
      setResult(out);
      startDownload(out.downloadUrl, out.fileName);
    } catch (err) {
      const appErr = toAppError(err);
      setError(appErr.code === 'CANCELLED' ? 'Export cancelled. No file was written.' : appErr.message);
    } finally {
      runningId.current = null;
      setRunning(null);
    }
  }

  async function cancel() {
    if (running) await api.call('history.cancel', { exportId: running.id }).catch(() => undefined);
  }

  const busy = running !== null;
  const p = running?.progress ?? null;
  return (
    <section aria-labelledby="history-title">
      <div className="page-head">
        <div>
          <h1 id="history-title">Reward history</h1>
          <p className="muted">
            Every delegation, reward, operator fee, burn, withdrawal request and withdrawal of your wallet, read from the chain, with round,
            date (UTC), exact amount and transaction hash. Hand the file to your accountant.
          </p>
        </div>
      </div>
      {summary.error && (
        <p role="alert" className="error">
          Your history could not be read: {summary.error.message} <button onClick={summary.reload}>Try again</button>
        </p>
      )}
      <form className="card export-form" aria-labelledby={`${formId}-title`} onSubmit={(e) => void submit(e)}>
        <h2 id={`${formId}-title`} className="visually-hidden">
          Export
        </h2>
        <p className="muted small" role="status">
          {s
            ? s.rows === 0
              ? 'Nothing yet: your history starts with your first delegation.'
              : `${s.rows.toLocaleString()} ${s.rows === 1 ? 'entry' : 'entries'}, from ${s.firstDay} to ${s.lastDay} (UTC).`
            : summary.status === 'loading'
              ? 'Reading your history from the chain…'
              : ''}
        </p>

        <fieldset className="radios" disabled={busy}>
          <legend>File</legend>
          {FORMATS.map((f) => (
            <label key={f.value}>
              <input type="radio" name="format" value={f.value} checked={format === f.value} onChange={() => setFormat(f.value)} />
              {f.label}
            </label>
          ))}
        </fieldset>
        <p className="muted small hint">{FORMATS.find((f) => f.value === format)?.hint}</p>

        <fieldset className="group" disabled={busy}>
          <legend>Period (UTC days)</legend>
          <div className="radios">
            <label>
              <input type="radio" name="period" checked={period === 'all'} onChange={() => setPeriod('all')} />
              Everything
            </label>
            <label>
              <input type="radio" name="period" checked={period === 'year'} onChange={() => setPeriod('year')} />
              One year
            </label>
            <label>
              <input type="radio" name="period" checked={period === 'range'} onChange={() => setPeriod('range')} />
              Between two days
            </label>
          </div>
          {period === 'year' && (
            <label className="inline-field" style={{ marginTop: '0.6rem' }}>
              <span>Year</span>
              <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
                {years.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </label>
          )}
          {period === 'range' && (
            <div className="dates" style={{ marginTop: '0.6rem' }}>
              <label className="field">
                <span>First day</span>
                <input type="date" value={fromDay} onChange={(e) => setFromDay(e.target.value)} />
              </label>
              <label className="field">
                <span>Last day (included)</span>
                <input type="date" value={toDay} onChange={(e) => setToDay(e.target.value)} />
              </label>
            </div>
          )}
        </fieldset>

        <fieldset className="group" disabled={busy}>
          <legend>Models</legend>
          <div className="option">
            <label>
              <input type="checkbox" checked={allModels} onChange={(e) => setAllModels(e.target.checked)} />
              All models
            </label>
          </div>
          {!allModels && (
            <div className="model-picks" role="group" aria-label="Models to export">
              {(s?.models ?? []).length === 0 && <span className="muted small">No model in your history yet.</span>}
              {(s?.models ?? []).map((m) => (
                <label key={m.modelId}>
                  <input
                    type="checkbox"
                    checked={picked.has(m.modelId)}
                    onChange={(e) => {
                      const next = new Set(picked);
                      if (e.target.checked) next.add(m.modelId);
                      else next.delete(m.modelId);
                      setPicked(next);
                    }}
                  />
                  {m.name}
                </label>
              ))}
            </div>
          )}
          {s && s.accounts.length > 1 && (
            <div className="option">
              <label>
                <input type="checkbox" checked={allAccounts} onChange={(e) => setAllAccounts(e.target.checked)} />
                All {s.accounts.length} accounts of this wallet (not only the one in use)
              </label>
            </div>
          )}
        </fieldset>

        <fieldset className="group" disabled={busy}>
          <legend>Value in your currency (optional)</legend>
          <div className="option">
            <label>
              <input type="checkbox" checked={withFiat} onChange={(e) => setWithFiat(e.target.checked)} />
              Add a column with each row’s value on its day
            </label>
          </div>
          {withFiat && (
            <>
              <p className="muted small hint">
                Choose a CSV file of NMR’s daily price — a date column and a price (or close) column, as price sites let you download. A day
                without a price takes the closest earlier one within a week.
              </p>
              <div className="dates">
                <label className="field wide">
                  <span>Daily prices (CSV)</span>
                  <input type="file" accept=".csv,text/csv" onChange={(e) => void pickPriceFile(e.target.files?.[0])} />
                </label>
                <label className="field short">
                  <span>Currency</span>
                  <input value={currency} maxLength={10} onChange={(e) => setCurrency(e.target.value)} />
                </label>
              </div>
            </>
          )}
        </fieldset>

        {busy ? (
          <div className="progress-row" role="status" aria-live="polite">
            <span>{p ? PHASES[p.phase] : 'Starting…'}</span>
            <progress
              aria-label="Export progress"
              max={p && p.total > 0 ? p.total : undefined}
              value={p && p.total > 0 ? p.done : undefined}
            />
            <button type="button" onClick={() => void cancel()}>
              Cancel export
            </button>
          </div>
        ) : (
          <div className="row gap">
            <button className="primary" type="submit">
              Export
            </button>
          </div>
        )}
        {result && (
          <p role="status" className="ok">
            Exported {result.rows.toLocaleString()} row{result.rows === 1 ? '' : 's'} to {result.savedTo ?? result.fileName}.
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </section>
  );
}
