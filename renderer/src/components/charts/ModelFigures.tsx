import type { ReactNode } from 'react';
import type { ModelRow } from '../../../../shared/api';
import { nmrFromDecimal } from '../../../../shared/money';
import { Nmr, Pct } from '../Amount';
import { RISK_WORDS } from '../RiskTags';
import { fmt } from './format';
import { feeText } from '../../app/model-fee';
import './charts.css';

function Figure({ label, value, children }: { label: string; value: ReactNode; children: ReactNode }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd className="figure-value">{value}</dd>
      <dd className="figure-note">{children}</dd>
    </div>
  );
}

function exactStakeWei(nmr: string): bigint | null {
  try {
    return nmrFromDecimal(nmr);
  } catch {
    return null;
  }
}

/** The model's track-record figures, each with one line in plain words saying what it means. */
export function ModelFigures({ m }: { m: ModelRow }) {
  const dd = m.maxDrawdownPct === null ? null : Math.abs(m.maxDrawdownPct);
  const stakeWei = exactStakeWei(m.numeraiStakeNmr);
  return (
    <dl className="figures">
      <Figure label="Return, last 3 months" value={<Pct value={m.return3mPct} />}>
        {m.historyLoading
          ? 'Numerai’s own figure from its leaderboard, until this model’s history is here.'
          : 'Its results over the last 3 months, added up. +10% would turn 100 NMR into 110 NMR (before the fee).'}
      </Figure>
      <Figure label="Return, last year" value={<Pct value={m.return1yPct} />}>
        {m.historyLoading ? 'Numerai’s own figure too.' : 'The same, over the last year.'}
      </Figure>
      <Figure label="Return, last 20 rounds" value={<Pct value={m.return20Pct} />}>
        The same, over its 20 most recent rounds.
      </Figure>
      <Figure label="Average round" value={<Pct value={m.meanReturnPct} digits={2} />}>
        What one round brought on average.
      </Figure>
      <Figure label="Swings (volatility)" value={m.volatilityPct === null ? '—' : `${fmt.two(m.volatilityPct)}%`}>
        How far a typical round strays from that average. Bigger swings mean a bumpier ride.
      </Figure>
      <Figure label="Sharpe-like ratio" value={m.sharpe === null ? '—' : fmt.two(m.sharpe)}>
        Gains for the swings taken: the average round divided by the swings, over a year. Higher is steadier; below 0, it lost on average.
      </Figure>
      <Figure label="Worst drop" value={<Pct value={dd === null ? null : -dd} />}>
        {dd === null ? (
          'Not enough rounds to tell.'
        ) : dd === 0 ? (
          'It has never fallen below an earlier high.'
        ) : (
          <>
            The biggest fall from a high point: 100 NMR at the top would have become {fmt.one(100 - dd)} NMR
            {m.maxDrawdownRounds
              ? `; it lasted ${fmt.whole(m.maxDrawdownRounds)} rounds from the top until it was back (or until now)`
              : ''}
            .
          </>
        )}
      </Figure>
      <Figure label="Rounds with a gain" value={m.hitRatePct === null ? '—' : `${fmt.one(m.hitRatePct)}%`}>
        How often a round ended up rather than down.
      </Figure>
      <Figure
        label="Its own stake at Numerai"
        value={
          m.riskLabels.includes('no-record') ? '—' : stakeWei === null ? `${m.numeraiStakeNmr} NMR` : <Nmr wei={stakeWei} digits={2} />
        }
      >
        {m.riskLabels.includes('no-record')
          ? 'Unknown: Numerai has no track record under this name.'
          : 'NMR its author has staked on it at Numerai: they lose it too when the model does badly.'}
      </Figure>
      {m.modelId === null ? (
        // Delegated and room are the pool's figures: a model outside it has none, not zeros.
        <Figure label="In the pool" value="No">
          Nobody can delegate to it here, so it has no delegated NMR or room in the pool.
        </Figure>
      ) : (
        <>
          <Figure label="Delegated in the pool" value={<Nmr wei={m.delegatedWei} digits={2} />}>
            NMR that holders have already delegated to it here.
          </Figure>
          <Figure label="Room left" value={m.capacityLeftWei === null ? '—' : <Nmr wei={m.capacityLeftWei} digits={0} />}>
            How much more NMR it accepts.
          </Figure>
        </>
      )}
      {m.feeBps !== null && (
        <Figure label="Operator fee" value={feeText(m.feeBps)}>
          The share of each round's gains its operator keeps. Losses carry no fee.
        </Figure>
      )}
    </dl>
  );
}

/** The model's risk labels, spelled out; or a line saying none applies. */
export function RiskNotes({ m }: { m: ModelRow }) {
  // Nothing to judge yet: the page says the history is on its way.
  if (m.historyLoading) return null;
  if (m.riskLabels.length === 0)
    return (
      <p className="risk-none muted small">
        No warning signs in its record: no drop of 35% or more, a record of 60 rounds or more, and results that do not swing widely.
      </p>
    );
  return (
    <ul className="risk-notes" aria-label="Risk warnings">
      {m.riskLabels.map((l) => (
        <li key={l}>
          <span className="tag risk">{RISK_WORDS[l].label}</span> {RISK_WORDS[l].hint}
        </li>
      ))}
    </ul>
  );
}
