import { useState, type FormEvent } from 'react';
import type { ApiOutput } from '../../../shared/api';
import { useApi } from '../api/context';
import { useTask } from '../app/hooks';
import { ImportWallet } from './ImportWallet';

type Draft = ApiOutput<'wallet.createDraft'>;

/** Opens one of main's own windows (a recovery phrase) that this page may open but never read. */
export function openPhraseWindow(url: string) {
  window.open(url, 'nmr-delegate-phrase', 'popup,width=600,height=820');
}

/**
 * Make a wallet (shown in the wallet dialog, app/wallet-gate.tsx). Three plain steps: why, the words, prove you wrote them down.
 * The words are shown only in main's own window; this page never receives them, it only sends
 * back the three words the person types.
 */
export function Onboarding({ onDone }: { onDone: () => void }) {
  const api = useApi();
  const [step, setStep] = useState<'intro' | 'phrase' | 'confirm' | 'import'>('intro');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [opened, setOpened] = useState(false);
  const [wroteDown, setWroteDown] = useState(false);
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [password, setPassword] = useState('');
  const [password2, setPassword2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useTask(setError);

  async function begin(words: 12 | 24) {
    setError(null);
    await run(async () => {
      setDraft(await api.call('wallet.createDraft', { words }));
      setOpened(false);
      setWroteDown(false);
      setAnswers({});
      setStep('phrase');
    });
  }

  async function finish(e: FormEvent) {
    e.preventDefault();
    if (!draft) return;
    if (password.length < 8) return setError('Choose a password of at least 8 characters.');
    if (password !== password2) return setError('The two passwords are not the same.');
    setError(null);
    await run(async () => {
      await api.call('wallet.confirmCreate', {
        draftId: draft.draftId,
        password,
        confirmations: draft.confirmPositions.map((position) => ({ position, word: answers[position] ?? '' })),
      });
      onDone();
    });
  }

  return (
    <div className="wallet-flow">
      <p className="eyebrow">Welcome to NMR Delegate</p>
      {step === 'intro' && (
        <>
          <h1>Create your wallet</h1>
          <p>
            Your wallet holds your NMR on this computer. It is protected by a password and can be restored anywhere with a
            <strong> recovery phrase</strong>: a list of words only you know.
          </p>
          <p className="muted">Nobody, including us, can restore it for you without those words.</p>
          <div className="row gap">
            <button className="primary" disabled={busy} onClick={() => void begin(12)}>
              Create a wallet
            </button>
            <button className="ghost" disabled={busy} onClick={() => void begin(24)}>
              Use 24 words instead
            </button>
          </div>
          <p className="muted small">
            Already have a wallet?{' '}
            <button className="link" onClick={() => setStep('import')}>
              Import it
            </button>{' '}
            with its recovery phrase, private key or keystore file.
          </p>
        </>
      )}
      {step === 'import' && <ImportWallet onDone={onDone} onBack={() => setStep('intro')} />}
      {step === 'phrase' && draft && (
        <>
          <h1>Write down your recovery phrase</h1>
          <p>
            Your wallet comes with {draft.wordCount} words, its <strong>recovery phrase</strong>. If this computer is lost or you forget
            your password, these words are the only way to get your NMR back, so write them on paper now.
          </p>
          {draft.phraseUrl ? (
            <>
              <p>
                For your safety the words open in a separate window that only NMR Delegate itself can read. Nothing on this screen ever sees
                them.
              </p>
              <div className="row gap">
                <button
                  className={opened ? 'ghost' : 'primary'}
                  onClick={() => {
                    openPhraseWindow(draft.phraseUrl!);
                    setOpened(true);
                  }}
                >
                  {opened ? 'Open my recovery phrase again' : 'Open my recovery phrase'}
                </button>
              </div>
            </>
          ) : (
            <p>
              For your safety the words are shown in a separate window that only NMR Delegate itself can read. If you closed it before
              writing every word down,{' '}
              <button className="link" disabled={busy} onClick={() => void begin(draft.wordCount)}>
                start again with new words
              </button>
              .
            </p>
          )}
          <p className="muted small">
            Anyone with these words can take your NMR: no photos, no screenshots, never type them into a website.
          </p>
          <label className="check">
            <input
              type="checkbox"
              checked={wroteDown}
              disabled={!!draft.phraseUrl && !opened}
              onChange={(e) => setWroteDown(e.target.checked)}
            />
            I have written down all {draft.wordCount} words in order
          </label>
          <div className="row gap">
            <button className="primary" disabled={!wroteDown} onClick={() => setStep('confirm')}>
              Continue
            </button>
          </div>
        </>
      )}
      {step === 'confirm' && draft && (
        <form onSubmit={(e) => void finish(e)}>
          <h1>Check your words and choose a password</h1>
          <p>Type the words at these positions from what you wrote down.</p>
          <div className="grid3">
            {draft.confirmPositions.map((p) => (
              <label key={p} className="field">
                <span>Word #{p}</span>
                <input
                  autoComplete="off"
                  spellCheck={false}
                  value={answers[p] ?? ''}
                  onChange={(e) => setAnswers({ ...answers, [p]: e.target.value })}
                />
              </label>
            ))}
          </div>
          <p>The password unlocks the wallet on this computer. It is never sent anywhere.</p>
          <label className="field">
            <span>Password</span>
            <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          <label className="field">
            <span>Repeat password</span>
            <input type="password" autoComplete="new-password" value={password2} onChange={(e) => setPassword2(e.target.value)} />
          </label>
          <div className="row gap">
            <button type="button" className="ghost" onClick={() => setStep('phrase')}>
              Back to the words
            </button>
            <button className="primary" type="submit" disabled={busy}>
              {busy ? 'Creating…' : 'Create wallet'}
            </button>
          </div>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}

export function Unlock({ address, onDone }: { address: string | null; onDone: () => void }) {
  const api = useApi();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { busy, run } = useTask(setError);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    await run(async () => {
      await api.call('wallet.unlock', { password });
      onDone();
    });
  }
  return (
    <form className="wallet-flow" onSubmit={(e) => void submit(e)}>
      <p className="eyebrow">NMR Delegate</p>
      <h1>Unlock your wallet</h1>
      {address && <p className="muted mono">{address}</p>}
      <label className="field">
        <span>Password</span>
        {/* eslint-disable-next-line jsx-a11y/no-autofocus -- the unlock screen is this one field; typing the password starts there */}
        <input type="password" autoFocus autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button className="primary" type="submit" disabled={busy || password === ''}>
        {busy ? 'Unlocking…' : 'Unlock'}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
