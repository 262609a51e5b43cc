import { useState, type FormEvent } from 'react';
import { knownStakingAddresses, type AddressVerdict, type StakingRole } from '../../../shared/api';
import { useApi } from '../api/context';
import { useTask } from '../app/hooks';

const PRESETS: { label: string; chainId: number }[] = [
  { label: 'Ethereum mainnet', chainId: 1 },
  { label: 'Sepolia (test network)', chainId: 11155111 },
];

const FIELDS: { role: StakingRole; label: string }[] = [
  { role: 'nmr', label: 'NMR token address' },
  { role: 'staking', label: 'Numerai’s staking contract (for the tournament)' },
  { role: 'pool', label: 'Staking pool address' },
];

type Addresses = Record<StakingRole, string>;

/** The addresses a chain starts with (shared/api/networks.ts: mainnet NMR is known, Numerai's staking contract is not yet). */
function prefill(chainId: number, now: Addresses): Addresses {
  const known = knownStakingAddresses(chainId);
  return { ...now, nmr: known.nmr ?? now.nmr, staking: known.staking ?? now.staking };
}

/**
 * Settings → Network: the demo chain or a real one. A real network names its node and the staking
 * pool's three addresses; main checks each (network.checkAddresses) and its verdict shows beside its
 * field. Only when all three pass does the app switch and save (network.connect checks again).
 */
export function NetworkCard({
  current,
  onChanged,
  onError,
}: {
  current: { kind: 'local' | 'remote'; chainId: number; label: string } | null;
  onChanged: (text: string) => void;
  onError: (text: string) => void;
}) {
  const api = useApi();
  const [rpcUrl, setRpcUrl] = useState('');
  const [chainId, setChainId] = useState('1');
  const [addresses, setAddresses] = useState<Addresses>(() => prefill(1, { nmr: '', staking: '', pool: '' }));
  const [verdicts, setVerdicts] = useState<Partial<Record<StakingRole, AddressVerdict>>>({});
  const { busy, run } = useTask(onError);
  const stakingUnknown = knownStakingAddresses(Number(chainId)).stakingUnknown;

  function changeChain(value: string) {
    setChainId(value);
    const id = Number(value);
    if (Number.isInteger(id) && id > 0) setAddresses((a) => prefill(id, a));
  }

  function changeAddress(role: StakingRole, value: string) {
    setAddresses((a) => ({ ...a, [role]: value }));
    // A verdict is about the address it was given: an edited field has none until checked again.
    setVerdicts((v) => ({ ...v, [role]: undefined }));
  }

  async function connect(e: FormEvent) {
    e.preventDefault();
    const id = Number(chainId);
    if (!Number.isInteger(id) || id <= 0) return onError('The chain id is a whole number, such as 1 for Ethereum mainnet.');
    await run(async () => {
      const input = {
        rpcUrl: rpcUrl.trim(),
        chainId: id,
        nmrAddress: addresses.nmr.trim(),
        stakingAddress: addresses.staking.trim(),
        poolAddress: addresses.pool.trim(),
      };
      const { checks } = await api.call('network.checkAddresses', input);
      setVerdicts(Object.fromEntries(checks.map((c) => [c.role, c])));
      if (!checks.every((c) => c.ok)) return;
      const n = await api.call('network.connect', input);
      onChanged(`Connected to ${n.label}. NMR, Numerai’s staking contract and the pool were checked and saved.`);
    });
  }

  const switchToLocal = () =>
    run(async () => {
      await api.call('network.useLocal', {});
      onChanged('Back on the local demo chain.');
    });

  const filled = rpcUrl && addresses.nmr && addresses.staking && addresses.pool;
  return (
    <div className="card">
      <h2>Network</h2>
      <p>
        Now using: <strong>{current ? current.label : '…'}</strong>
        {current && <span className="muted"> (chain id {current.chainId})</span>}
      </p>
      {current?.kind === 'remote' && (
        <button className="ghost" disabled={busy} onClick={() => void switchToLocal()}>
          Use the local demo chain
        </button>
      )}
      <form onSubmit={(e) => void connect(e)} aria-label="Connect to a real network">
        <h3>Use a real network</h3>
        <p className="muted small">
          You need a node URL (from your own node or a provider such as Infura or Alchemy), the NMR token, Numerai’s staking contract for
          the tournament and the staking pool. The app checks each before saving anything.
        </p>
        <label className="field">
          <span>Node URL (JSON-RPC)</span>
          <input value={rpcUrl} placeholder="https://…" onChange={(e) => setRpcUrl(e.target.value)} />
        </label>
        <label className="field">
          <span>Chain id</span>
          <input inputMode="numeric" value={chainId} onChange={(e) => changeChain(e.target.value)} list="chain-presets" />
          <datalist id="chain-presets">
            {PRESETS.map((p) => (
              <option key={p.chainId} value={p.chainId}>
                {p.label}
              </option>
            ))}
          </datalist>
        </label>
        {FIELDS.map(({ role, label }) => {
          const v = verdicts[role];
          const id = `network-${role}-verdict`;
          return (
            <label className="field" key={role}>
              <span>{label}</span>
              <input
                value={addresses[role]}
                placeholder="0x…"
                spellCheck={false}
                aria-invalid={v ? !v.ok : undefined}
                aria-describedby={id}
                onChange={(e) => changeAddress(role, e.target.value)}
              />
              <span id={id} className={v && !v.ok ? 'error small' : 'muted small'} role={v && !v.ok ? 'alert' : undefined}>
                {v
                  ? v.ok
                    ? `✓ ${v.detail}`
                    : v.message
                  : role === 'staking' && !addresses.staking && stakingUnknown
                    ? stakingUnknown
                    : ''}
              </span>
            </label>
          );
        })}
        <button className="primary" type="submit" disabled={busy || !filled}>
          {busy ? 'Checking…' : 'Check and connect'}
        </button>
      </form>
    </div>
  );
}
