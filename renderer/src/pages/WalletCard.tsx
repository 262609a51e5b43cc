import { useState, type FormEvent } from 'react';
import { useApi } from '../api/context';
import { startDownload } from '../app/download';
import { useLoad, useTask } from '../app/hooks';
import { Notice } from '../components/Notice';
import { shortAddress } from '../components/Amount';
import { openPhraseWindow } from './Onboarding';

/** Accounts of this wallet, and its backups: the keystore file and (after the password) the phrase. */
export function WalletCard({ onAccountChanged }: { onAccountChanged: () => void }) {
  const api = useApi();
  const accounts = useLoad(() => api.call('wallet.accounts', {}), [api]);
  const [password, setPassword] = useState('');
  /** The password was right: main shows the words in its own window (a URL to open, or already open). */
  const [revealed, setRevealed] = useState<{ phraseUrl: string | null } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const task = useTask((text) => setMessage({ ok: false, text }));
  const busy = task.busy;

  function run(action: () => Promise<void>) {
    setMessage(null);
    return task.run(action);
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
      const r = await api.call('wallet.revealPhrase', { password });
      setPassword('');
      setRevealed({ phraseUrl: r.phraseUrl });
    });
  };

  const a = accounts.data;
  return (
    <div className="card">
      <h2>Key on this computer</h2>
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
                    onChange={() =>
                      void run(
                        async () => (await api.call('wallet.selectAccount', { index: acc.index }), accounts.reload(), onAccountChanged()),
                      )
                    }
                  />
                  Account {acc.index + 1}{' '}
                  <span className="mono muted" title={acc.address}>
                    {shortAddress(acc.address)}
                  </span>
                </label>
              </li>
            ))}
          </ul>
          {a.kind === 'phrase' && (
            <button
              className="ghost"
              disabled={busy}
              onClick={() => void run(async () => (await api.call('wallet.addAccount', {}), accounts.reload()))}
            >
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
      {revealed && (
        <div className="reveal">
          <p className="warn small">
            Your recovery phrase is shown in a separate window that only NMR Delegate itself can read. Anyone who sees the words can take
            your NMR: make sure nobody is watching your screen.
          </p>
          <div className="row gap">
            {revealed.phraseUrl ? (
              <button className="primary" onClick={() => openPhraseWindow(revealed.phraseUrl!)}>
                Open my recovery phrase
              </button>
            ) : (
              <p className="small">It opened in its own window. Close that window when you are done.</p>
            )}
            <button className="ghost" onClick={() => setRevealed(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <Notice message={message} />
    </div>
  );
}
