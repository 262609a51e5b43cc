import { useState, type FormEvent } from 'react';
import { useApi } from '../api/context';
import { startDownload } from '../app/download';
import { toAppError, useLoad } from '../app/hooks';
import { shortAddress } from '../components/Amount';

/** Accounts of this wallet, and its backups: the keystore file and (after the password) the phrase. */
export function WalletCard({ onAccountChanged }: { onAccountChanged: () => void }) {
  const api = useApi();
  const accounts = useLoad(() => api.call('wallet.accounts', {}), [api]);
  const [password, setPassword] = useState('');
  const [words, setWords] = useState<string[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(task: () => Promise<void>) {
    setBusy(true);
    setMessage(null);
    try {
      await task();
    } catch (e) {
      setMessage({ ok: false, text: toAppError(e).message });
    } finally {
      setBusy(false);
    }
  }

  const exportKeystore = () =>
    run(async () => {
      const r = await api.call('wallet.exportKeystore', { password });
      startDownload(r.downloadUrl, r.fileName);
      setPassword('');
      setMessage({ ok: true, text: `Saved ${r.savedTo ?? r.fileName}. It is encrypted with your password; keep both safe.` });
    });

  const reveal = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      setWords((await api.call('wallet.revealPhrase', { password })).words);
      setPassword('');
    });
  };

  const a = accounts.data;
  return (
    <div className="card">
      <h2>Wallet</h2>
      {a && (
        <>
          <p className="muted small">
            {a.kind === 'phrase'
              ? 'Accounts made from your recovery phrase. Each has its own address and balance.'
              : 'This wallet was imported from a single key, so it has one account.'}
          </p>
          <ul className="accounts" aria-label="Accounts">
            {a.accounts.map((acc) => (
              <li key={acc.index}>
                <label>
                  <input
                    type="radio"
                    name="account"
                    checked={a.active === acc.index}
                    onChange={() => void run(async () => (await api.call('wallet.selectAccount', { index: acc.index }), accounts.reload(), onAccountChanged()))}
                  />
                  Account {acc.index + 1} <span className="mono muted" title={acc.address}>{shortAddress(acc.address)}</span>
                </label>
              </li>
            ))}
          </ul>
          {a.kind === 'phrase' && (
            <button className="ghost" disabled={busy} onClick={() => void run(async () => (await api.call('wallet.addAccount', {}), accounts.reload()))}>
              Add an account
            </button>
          )}
        </>
      )}
      <h3>Back up</h3>
      <form onSubmit={reveal} className="backup">
        <label className="field">
          <span>Your password</span>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <div className="row gap wrap">
          <button type="button" disabled={busy || !password} onClick={() => void exportKeystore()}>
            Save the keystore file
          </button>
          {a?.kind === 'phrase' && (
            <button type="submit" disabled={busy || !password}>
              Show my recovery phrase
            </button>
          )}
        </div>
      </form>
      {words && (
        <div className="reveal">
          <p className="warn small">Anyone who sees these words can take your NMR. Hide them when you are done.</p>
          <ol className="phrase" aria-label="Recovery phrase">
            {words.map((w, i) => (
              <li key={i}>
                <span className="muted">{i + 1}</span> {w}
              </li>
            ))}
          </ol>
          <button className="primary" onClick={() => setWords(null)}>
            Hide the words
          </button>
        </div>
      )}
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>
          {message.text}
        </p>
      )}
    </div>
  );
}
