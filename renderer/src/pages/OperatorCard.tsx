import { useEffect, useState, type FormEvent } from 'react';
import type { ApiOutput, OperatorModelStatus, OperatorStatusView } from '../../../shared/api';
import { useApi } from '../api/context';
import { useLoad, useTask } from '../app/hooks';
import { Nmr, shortAddress } from '../components/Amount';
import { Notice } from '../components/Notice';
import { openConfirmWindow } from '../components/StuckTx';

type Message = { ok: boolean; text: string } | null;

const CONFIRM_THERE = 'Confirm in NMR Delegate’s confirmation window. Nothing changes until you do.';

/** The run as a whole, in words; what is missing comes from main already worded. */
function stateWords(s: OperatorStatusView): string {
  switch (s.state) {
    case 'not-run':
      return 'Not run since the app started.';
    case 'no-wallet':
      return 'Create or import a wallet first.';
    case 'no-token':
      return 'Save a Numerai API token for this account to start.';
    case 'running':
      return 'Running this round’s part now…';
    case 'done':
      return s.lastRunAt ? `Last run ${new Date(s.lastRunAt).toLocaleString()}.` : 'Done.';
    default:
      return s.message ?? '';
  }
}

function modelWords(m: OperatorModelStatus) {
  switch (m.state) {
    case 'staked':
      return (
        <>
          Staked <Nmr wei={m.stakedWei} /> in round {m.roundId}
        </>
      );
    case 'already-staked':
      return `Already staked in round ${m.roundId}`;
    case 'nothing-to-stake':
      return `Nothing to stake in round ${m.roundId}: no NMR waiting for this model`;
    default:
      return m.message;
  }
}

/**
 * Settings → "Your models": for a model's operator (its Numerai owner). The token is typed here and
 * goes to main once; this screen never gets it back, only which account it is saved for. Turning on
 * automatic staking (and "Run now" while it is off) is confirmed in main's own window.
 */
export function OperatorCard() {
  const api = useApi();
  const status = useLoad(() => api.call('operator.status', {}), [api]);
  const { replace } = status;
  const [token, setToken] = useState('');
  const [message, setMessage] = useState<Message>(null);
  // Main's status moving on means the person answered in main's window: the "confirm there" notice is done.
  useEffect(
    () =>
      api.on('operator.status', (s) => {
        replace(s);
        setMessage((m) => (m?.text === CONFIRM_THERE ? null : m));
      }),
    [api, replace],
  );
  const task = useTask((text) => setMessage({ ok: false, text }));

  function run(action: () => Promise<void>) {
    setMessage(null);
    return task.run(action);
  }

  /** Main either acted at once or is asking in its own window (which the harness page opens). */
  function asked(r: ApiOutput<'operator.runNow'>, done: string) {
    replace(r.status);
    if (!r.asking) return setMessage({ ok: true, text: done });
    openConfirmWindow(r.confirmUrl);
    setMessage({ ok: true, text: CONFIRM_THERE });
  }

  const save = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.call('operator.setToken', { token });
      setToken('');
      setMessage({
        ok: true,
        text: `Token saved for ${r.savedFor ? shortAddress(r.savedFor) : 'this account'}, encrypted on this computer.`,
      });
      status.reload();
    });
  };
  const remove = () =>
    run(async () => {
      await api.call('operator.clearToken', {});
      setMessage({ ok: true, text: 'The token was removed from this computer.' });
      status.reload();
    });
  const runNow = () => run(async () => asked(await api.call('operator.runNow', {}), 'Running this round’s part now.'));
  const setAutomatic = (on: boolean) =>
    run(async () => asked(await api.call('operator.setAutomatic', { on }), on ? 'Automatic staking is on.' : 'Automatic staking is off.'));

  const s = status.data;
  const busy = task.busy;
  return (
    <div className="card operator" aria-labelledby="operator-title">
      <h2 id="operator-title">Your models</h2>
      <p className="muted small">
        For a model’s operator: with your Numerai API token the app stakes the NMR delegated to your models in each Numerai round and relays
        the results.
      </p>
      {status.error && <Notice message={{ ok: false, text: status.error.message }} />}
      <Notice message={message} />
      {s && (
        <>
          <h3>Numerai API token</h3>
          {s.token.savedFor ? (
            <div className="row gap wrap">
              <p>
                Saved for <strong className="mono">{shortAddress(s.token.savedFor)}</strong>
                {s.account && s.token.savedFor.toLowerCase() !== s.account.toLowerCase() && (
                  <span className="error"> (another account: save one for this account to use it)</span>
                )}
              </p>
              <button className="ghost danger" disabled={busy} onClick={() => void remove()}>
                Remove the token
              </button>
            </div>
          ) : (
            <p className="muted small">No token saved.</p>
          )}
          <form onSubmit={save} aria-label="Save a Numerai API token">
            <label className="field">
              <span>{s.token.savedFor ? 'Replace it with a new token' : 'Paste your token'}</span>
              <input
                type="password"
                autoComplete="off"
                spellCheck={false}
                value={token}
                placeholder="PUBLICID$SECRETKEY"
                onChange={(e) => setToken(e.target.value)}
              />
            </label>
            <p className="muted small">
              Create it on numer.ai (Account → Custom API keys) with the “web3_staking” permission. It is encrypted with your wallet on this
              computer and never shown again.
            </p>
            <button className="primary" type="submit" disabled={busy || token.trim() === ''}>
              Save the token
            </button>
          </form>

          <h3>This round</h3>
          <p role="status">{stateWords(s)}</p>
          {s.models.length > 0 && (
            <div className="table-wrap">
              <table aria-label="Your models this round" className="operator-models">
                <thead>
                  <tr>
                    <th>Model</th>
                    <th>This round</th>
                  </tr>
                </thead>
                <tbody>
                  {s.models.map((m) => (
                    <tr key={m.modelId}>
                      <td>{m.name}</td>
                      <td className={m.status.state === 'refused' || m.status.state === 'failed' ? 'state error' : 'state'}>
                        {modelWords(m.status)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {s.claims.refused && <p className="error">{s.claims.refused}</p>}
          {s.claims.results.length > 0 && (
            <p className="muted small">
              Results relayed: {s.claims.results.filter((c) => c.failure === null).length} of {s.claims.results.length}.
            </p>
          )}
          {s.claims.results.map(
            (c) =>
              c.failure !== null && (
                <p key={`${c.roundId}:${c.modelId}`} className="error">
                  Round {c.roundId}, {s.models.find((m) => m.modelId === c.modelId)?.name ?? `model #${c.modelId}`}: {c.failure}
                </p>
              ),
          )}
          {s.nextRunAt && <p className="muted small">Next run {new Date(s.nextRunAt).toLocaleTimeString()}.</p>}
          <div className="row gap wrap">
            <button disabled={busy || s.state === 'running'} onClick={() => void runNow()}>
              Run now
            </button>
          </div>
          <label className="check">
            <input type="checkbox" checked={s.automatic} disabled={busy} onChange={(e) => void setAutomatic(e.target.checked)} />
            Stake automatically each round
          </label>
          <p className="muted small">
            Turning this on is confirmed in NMR Delegate’s own window, not on this page. The app then sends only the pool’s staking and
            claim transactions, at the market fee, while your wallet is unlocked.
          </p>
        </>
      )}
    </div>
  );
}
