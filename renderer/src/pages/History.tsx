import { useState } from 'react';
import type { ApiOutput } from '../../../shared/api';
import { useApi } from '../api/context';
import { startDownload } from '../app/download';
import { toAppError } from '../app/hooks';

type Result = ApiOutput<'history.export'>;

export function History() {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function exportAs(format: 'csv' | 'json') {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await api.call('history.export', { format });
      setResult(r);
      startDownload(r.downloadUrl, r.fileName);
    } catch (e) {
      setError(toAppError(e).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="history-title">
      <div className="page-head">
        <div>
          <h1 id="history-title">Reward history</h1>
          <p className="muted">
            Every delegation, withdrawal request and withdrawal of your wallet, read from the chain, with round, date, exact
            amount and transaction hash. Hand the file to your accountant.
          </p>
        </div>
      </div>
      <div className="card">
        <div className="row gap">
          <button className="primary" disabled={busy} onClick={() => void exportAs('csv')}>
            {busy ? 'Exporting…' : 'Export CSV'}
          </button>
          <button className="ghost" disabled={busy} onClick={() => void exportAs('json')}>
            Export JSON
          </button>
        </div>
        {result && (
          <p role="status" className="ok">
            Exported {result.rows} row{result.rows === 1 ? '' : 's'} to {result.savedTo ?? result.fileName}.
          </p>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
