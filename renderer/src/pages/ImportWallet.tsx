import { useState, type FormEvent } from 'react';
import { useApi } from '../api/context';
import { useTask } from '../app/hooks';
import { FormFooter } from '../components/FormFooter';

type Kind = 'phrase' | 'key' | 'keystore';
const MAX_KEYSTORE_BYTES = 200_000;

/** Bring an existing wallet: a recovery phrase, a private key, or a keystore file from another wallet. */
export function ImportWallet({ onDone, onBack }: { onDone: () => void; onBack: () => void }) {
  const api = useApi();
  const [kind, setKind] = useState<Kind>('phrase');
  const [phrase, setPhrase] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [keystore, setKeystore] = useState<{ name: string; json: string } | null>(null);
  const [filePassword, setFilePassword] = useState('');
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useTask(setError);

  async function pickFile(file: File | undefined) {
    setError(null);
    if (!file) return setKeystore(null);
    if (file.size > MAX_KEYSTORE_BYTES) return setError('That file is too large to be a keystore file.');
    setKeystore({ name: file.name, json: await file.text() });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password.length < 8) return setError('Choose a password of at least 8 characters.');
    if (password !== password2) return setError('The two passwords are not the same.');
    setError(null);
    await run(async () => {
      if (kind === 'phrase') await api.call('wallet.importPhrase', { phrase, password });
      else if (kind === 'key') await api.call('wallet.importPrivateKey', { privateKey, password });
      else {
        if (!keystore) throw new Error('Choose the keystore file first.');
        await api.call('wallet.importKeystore', { json: keystore.json, filePassword, password });
      }
      onDone();
    });
  }

  return (
    <form onSubmit={(e) => void submit(e)}>
      <h1>Import a wallet</h1>
      <div className="segmented" role="group" aria-label="What you have">
        {(
          [
            ['phrase', 'Recovery phrase'],
            ['key', 'Private key'],
            ['keystore', 'Keystore file'],
          ] as const
        ).map(([k, label]) => (
          <button key={k} type="button" aria-pressed={kind === k} onClick={() => setKind(k)}>
            {label}
          </button>
        ))}
      </div>
      {kind === 'phrase' && (
        <label className="field">
          <span>Recovery phrase (12 to 24 words)</span>
          <textarea rows={3} autoComplete="off" spellCheck={false} value={phrase} onChange={(e) => setPhrase(e.target.value)} />
        </label>
      )}
      {kind === 'key' && (
        <label className="field">
          <span>Private key</span>
          <input type="password" autoComplete="off" spellCheck={false} value={privateKey} onChange={(e) => setPrivateKey(e.target.value)} />
        </label>
      )}
      {kind === 'keystore' && (
        <>
          <label className="field">
            <span>Keystore file (from MetaMask, geth or another wallet)</span>
            <input type="file" accept=".json,application/json,text/plain" onChange={(e) => void pickFile(e.target.files?.[0])} />
          </label>
          <label className="field">
            <span>The file’s password</span>
            <input type="password" autoComplete="off" value={filePassword} onChange={(e) => setFilePassword(e.target.value)} />
          </label>
        </>
      )}
      <p className="muted small">Choose a password for NMR Delegate. It encrypts the key on this computer and is never sent anywhere.</p>
      <label className="field">
        <span>New password</span>
        <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label className="field">
        <span>Repeat new password</span>
        <input type="password" autoComplete="new-password" value={password2} onChange={(e) => setPassword2(e.target.value)} />
      </label>
      <FormFooter
        error={error}
        onCancel={onBack}
        cancelLabel="Back"
        submitLabel={busy ? 'Importing… this takes a few seconds' : 'Import wallet'}
        submitDisabled={busy}
        alignEnd={false}
      />
    </form>
  );
}
