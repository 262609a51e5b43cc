import { useEffect, useState } from 'react';
import type { AccountsList, AccountView } from '../../../shared/api';
import { useApi } from '../api/context';
import { useLoad, useTask } from '../app/hooks';
import { Notice } from '../components/Notice';
import { shortAddress } from '../components/Amount';

/**
 * Which account signs: the key on this computer, a wallet connected over WalletConnect, or a
 * Ledger. Main does the pairing and every signature; this card only shows main's pairing link as
 * a QR code, and lets the person choose, connect and disconnect.
 */
export function AccountsCard({ onAccountChanged }: { onAccountChanged: () => void }) {
  const api = useApi();
  const list = useLoad(() => api.call('accounts.list', {}), [api]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  // Which Ledger account to add: Ledger Live's numbering, or the legacy path older apps (MyEtherWallet) used.
  const [ledgerScheme, setLedgerScheme] = useState<'ledger-live' | 'legacy'>('ledger-live');
  const [ledgerAccount, setLedgerAccount] = useState('1');
  const ledgerIndex = /^\d{1,4}$/.test(ledgerAccount.trim()) ? Number(ledgerAccount.trim()) - 1 : -1;
  const task = useTask((text) => setMessage({ ok: false, text }));
  const { reload } = list;

  // A wallet approving (or leaving) happens outside any call: main says so and the list is read again.
  useEffect(
    () =>
      api.on('accounts.changed', () => {
        reload();
        onAccountChanged();
      }),
    [api, reload, onAccountChanged],
  );

  function run(action: () => Promise<AccountsList>, done?: string) {
    setMessage(null);
    return task.run(async () => {
      list.replace(await action());
      onAccountChanged();
      if (done) setMessage({ ok: true, text: done });
    });
  }

  const a = list.data;
  if (!a) return null;
  const pairing = a.pairing;
  return (
    <div className="card">
      <h2>Sign with</h2>
      <p className="muted small">
        The account in use signs your delegations and withdrawals; its balance and positions are what you see. Whichever you choose, this
        app shows you every transaction in its own window before your wallet or Ledger is asked.
      </p>
      <fieldset className="account-kinds">
        <legend>Account in use</legend>
        {a.accounts.map((acc) => (
          <AccountRow
            key={acc.id}
            account={acc}
            inUse={a.inUse === acc.id}
            busy={task.busy}
            onUse={() => void run(() => api.call('accounts.use', { id: acc.id }))}
            onRemove={() =>
              void run(
                () => api.call('accounts.remove', { id: acc.id }),
                acc.kind === 'walletconnect'
                  ? 'Disconnected. Your wallet no longer gets requests from this app.'
                  : 'Removed from the list.',
              )
            }
          />
        ))}
      </fieldset>

      <div className="row gap wrap">
        <button
          disabled={task.busy || !a.walletconnect.ok || pairing?.state === 'waiting'}
          onClick={() => void run(() => api.call('accounts.pairWalletConnect', {}))}
        >
          Connect a wallet (WalletConnect)
        </button>
        <button
          disabled={task.busy || !a.ledger.ok || ledgerIndex < 0 || ledgerIndex > 1000}
          onClick={() => void run(() => api.call('accounts.addLedger', { scheme: ledgerScheme, index: ledgerIndex }))}
        >
          Add a Ledger
        </button>
      </div>
      {a.ledger.ok && (
        <div className="row gap wrap">
          <label className="field">
            <span>Ledger account kind</span>
            <select value={ledgerScheme} onChange={(e) => setLedgerScheme(e.target.value === 'legacy' ? 'legacy' : 'ledger-live')}>
              <option value="ledger-live">Ledger Live (m/44′/60′/n′/0/0)</option>
              <option value="legacy">Legacy, as older apps made (m/44′/60′/0′/n)</option>
            </select>
          </label>
          <label className="field">
            <span>Account number (1 is the first)</span>
            <input inputMode="numeric" value={ledgerAccount} onChange={(e) => setLedgerAccount(e.target.value)} />
          </label>
        </div>
      )}
      {!a.walletconnect.ok && <p className="muted small">{a.walletconnect.reason}</p>}
      {!a.ledger.ok && <p className="muted small">{a.ledger.reason}</p>}
      {a.ledger.ok && (
        <p className="muted small">Unlock your Ledger and open its Ethereum app first; you will check the address on the device.</p>
      )}

      {pairing?.state === 'waiting' && <Pairing uri={pairing.uri} />}
      {pairing?.state === 'failed' && (
        <p role="alert" className="error">
          {pairing.error}
        </p>
      )}
      <Notice message={message} />
    </div>
  );
}

function AccountRow({
  account,
  inUse,
  busy,
  onUse,
  onRemove,
}: {
  account: AccountView;
  inUse: boolean;
  busy: boolean;
  onUse: () => void;
  onRemove: () => void;
}) {
  const usable = account.address !== null || inUse;
  return (
    <div className="account-kind">
      <label>
        <input type="radio" name="account-in-use" checked={inUse} disabled={busy || !usable || !account.address} onChange={onUse} />
        <span>
          <strong>{account.label}</strong>{' '}
          {account.address && (
            <span className="mono muted" title={account.address}>
              {shortAddress(account.address)}
            </span>
          )}
          {inUse && <span className="in-use">in use</span>}
          {account.detail && <span className="muted small account-detail">{account.detail}</span>}
        </span>
      </label>
      {account.kind !== 'key' && (
        <button
          className="ghost small-button"
          disabled={busy}
          onClick={onRemove}
          aria-label={`${account.kind === 'walletconnect' ? 'Disconnect' : 'Remove'} ${account.label}`}
        >
          {account.kind === 'walletconnect' ? 'Disconnect' : 'Remove'}
        </button>
      )}
    </div>
  );
}

/** The pairing link main made, as a QR code to scan and as text to copy. */
function Pairing({ uri }: { uri: string }) {
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    let live = true;
    // Loaded only when a pairing is shown, so the first screen stays light.
    void import('qrcode')
      .then((QRCode) => QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }))
      .then((svg) => live && setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`));
    return () => {
      live = false;
    };
  }, [uri]);

  async function copy() {
    await navigator.clipboard.writeText(uri);
    setCopied(true);
  }

  return (
    <div className="pairing" aria-live="polite">
      {qr ? <img src={qr} alt="QR code to connect your wallet" width={220} height={220} /> : <div className="qr-placeholder" />}
      <div>
        <h3>Scan with your wallet</h3>
        <p className="small">
          Open your wallet app (MetaMask, Rabby, Trust, Rainbow…), choose WalletConnect or “scan”, and scan this code. On this computer,
          copy the link into a wallet that asks for one.
        </p>
        <label className="field">
          <span>Connection link</span>
          <input readOnly value={uri} className="mono" onFocus={(e) => e.currentTarget.select()} />
        </label>
        <div className="row gap">
          <button onClick={() => void copy()}>{copied ? 'Copied' : 'Copy the link'}</button>
        </div>
        <p className="muted small" role="status">
          Waiting for your wallet to approve…
        </p>
      </div>
    </div>
  );
}
