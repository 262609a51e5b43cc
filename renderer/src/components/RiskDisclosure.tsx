import { useState } from 'react';

/** Shown once, before the first delegation: what can go wrong, in plain words. */
export function RiskDisclosure({ onAccept, onCancel }: { onAccept: () => void; onCancel: () => void }) {
  const [ok, setOk] = useState(false);
  return (
    <div>
      <p className="summary-title">Before your first delegation</p>
      <ul className="risks">
        <li>
          <strong>Your stake can be burned.</strong> In each of Numerai’s rounds the pool stakes a part of a model’s NMR, and the round’s
          result can grow that part or burn all of it. A bad streak can take a large part of what you delegated.
        </li>
        <li>
          <strong>Taking it back takes time.</strong> When you ask to withdraw, your NMR stays at risk for a few more rounds before you can
          withdraw it.
        </li>
        <li>
          <strong>Past results do not promise future ones.</strong> A model that did well can do badly.
        </li>
        <li>
          <strong>Smart contracts can have bugs,</strong> and rules about tokens like NMR differ between countries and can change. Only
          delegate what you can afford to lose.
        </li>
      </ul>
      <label className="check">
        <input type="checkbox" checked={ok} onChange={(e) => setOk(e.target.checked)} />I understand these risks
      </label>
      <div className="row gap end">
        <button className="ghost" onClick={onCancel}>
          Not now
        </button>
        <button className="primary" disabled={!ok} onClick={onAccept}>
          Continue
        </button>
      </div>
    </div>
  );
}
