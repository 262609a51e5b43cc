import type { RiskLabel } from '../../../shared/api';

export const RISK_WORDS: Record<RiskLabel, { label: string; hint: string }> = {
  'deep-drawdown': { label: 'Deep drop', hint: 'Its value once fell 35% or more from a high point.' },
  'short-record': { label: 'Short record', hint: 'Fewer than 60 rounds of history: too little to judge.' },
  volatile: { label: 'Volatile', hint: 'Its results swing widely from round to round.' },
  'no-record': { label: 'No track record', hint: 'Numerai has no results under this name (yet): there is nothing to judge it by.' },
};

export function RiskTags({ labels }: { labels: RiskLabel[] }) {
  return (
    <>
      {labels.map((l) => (
        <span key={l} className="tag risk" title={RISK_WORDS[l].hint}>
          {RISK_WORDS[l].label}
        </span>
      ))}
    </>
  );
}
