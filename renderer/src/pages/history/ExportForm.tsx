import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiInput, ApiOutput, EventPayload } from '../../../../shared/api';
import { useApi } from '../../api/context';
import { startDownload } from '../../app/download';
import { toAppError } from '../../app/hooks';
import type { ScreenFilter } from './filters';

type Result = ApiOutput<'history.export'>;
type Format = ApiInput<'history.export'>['format'];

const FORMATS: { value: Format; label: string; hint: string }[] = [
  { value: 'csv', label: 'CSV', hint: 'A spreadsheet: one row per entry listed above, exact amounts.' },
  {
    value: 'koinly',
    label: 'Koinly CSV',
    hint: 'The layout tax tools such as Koinly import (“universal CSV”): only the entries that move NMR in or out.',
  },
  { value: 'json', label: 'JSON', hint: 'Every entry listed above with exact amounts in wei, for software.' },
];

const PHASES: Record<EventPayload<'history.progress'>['phase'], string> = {
  index: 'Reading your events from the chain',
  timestamps: 'Reading the dates of blocks',
  flows: 'Pricing rounds',
  ledger: 'Adding up every position',
  write: 'Writing the file',
};

const MAX_PRICE_FILE_BYTES = 2_000_000;

/**
 * Exports the entries the screen lists: the filters are the screen's (`filter`, null while they
 * need fixing), so the file holds the same rows. Progress and cancel while it runs.
 */
export function ExportForm({ filter, count }: { filter: ScreenFilter | null; count: number | null }) {
  const api = useApi();
  const formId = useId();
  const [format, setFormat] = useState<Format>('csv');
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

  // A result or refusal was about the entries listed before: another filter or layout clears it.
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    setResult(null);
    setError(null);
  }, [filterKey, format]);

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
    if (!filter) return setError('Fix the period above first: the export takes the entries the screen lists.');
    if (withFiat && !priceFile) return setError('Choose the file of daily prices, or leave out the value column.');
    const id = crypto.randomUUID();
    runningId.current = id;
    setRunning({ id, progress: null });
    try {
      const out = await api.call('history.export', {
        exportId: id,
        format,
        ...filter,
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
    <form className="card export-form" aria-labelledby={`${formId}-title`} onSubmit={(e) => void submit(e)}>
      <div className="export-line">
        <h2 id={`${formId}-title`}>
          Export {count === null ? 'these entries' : `these ${count.toLocaleString()} ${count === 1 ? 'entry' : 'entries'}`}
        </h2>
        <fieldset className="radios" disabled={busy}>
          <legend className="visually-hidden">File</legend>
          {FORMATS.map((f) => (
            <label key={f.value}>
              <input type="radio" name="format" value={f.value} checked={format === f.value} onChange={() => setFormat(f.value)} />
              {f.label}
            </label>
          ))}
        </fieldset>
        <label className="option-inline">
          <input type="checkbox" checked={withFiat} disabled={busy} onChange={(e) => setWithFiat(e.target.checked)} />
          Add each entry’s value in your currency
        </label>
        <div className="spacer" />
        {busy ? (
          <button type="button" onClick={() => void cancel()}>
            Cancel export
          </button>
        ) : (
          <button
            className="primary"
            type="submit"
            disabled={count === 0}
            title={count === 0 ? 'Nothing to export: no entry is listed' : undefined}
          >
            Export
          </button>
        )}
      </div>
      <p className="muted small">{FORMATS.find((f) => f.value === format)?.hint}</p>
      {withFiat && (
        <div className="dates">
          <label className="field wide">
            <span>Daily prices (CSV)</span>
            <input type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => void pickPriceFile(e.target.files?.[0])} />
          </label>
          <label className="field short">
            <span>Currency</span>
            <input value={currency} maxLength={10} disabled={busy} onChange={(e) => setCurrency(e.target.value)} />
          </label>
          <p className="muted small price-hint">
            NMR’s daily price: a date column and a price (or close) column, as price sites let you download. A day without a price takes the
            closest earlier one within a week.
          </p>
        </div>
      )}
      {busy && (
        <div className="progress-row" role="status" aria-live="polite">
          <span>{p ? PHASES[p.phase] : 'Starting…'}</span>
          <progress
            aria-label="Export progress"
            max={p && p.total > 0 ? p.total : undefined}
            value={p && p.total > 0 ? p.done : undefined}
          />
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
  );
}
