import { lazy, Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../api/context';
import { Nmr, Pct } from '../components/Amount';
import { AllocateDialog } from '../components/AllocateDialog';
import { useLoad } from '../app/hooks';
import { useWalletGate } from '../app/wallet-gate';
import { ModelFigures, RiskNotes } from '../components/charts/ModelFigures';
import { WhatIf } from '../components/charts/WhatIf';
import { fmt } from '../components/charts/format';
import { SCORE_NAMES } from '../components/charts/scoreNames';
import {
  OVERVIEW_POINTS,
  RANGES,
  formatRound,
  rangeOf,
  rebased,
  roundBars,
  scorePoints,
  stakePoints,
  summarize,
  thin,
  windowOf,
  windowReturnPct,
  type RangeKey,
} from '../components/charts/series';
import { nmrFromDecimal } from '../../../shared/money';
import '../components/charts/charts.css';
import { feeText } from '../app/model-fee';

const ReturnsChart = lazy(() => import('../components/ReturnsChart'));
const RoundBarsChart = lazy(() => import('../components/charts/RoundBarsChart'));
const ScoresChart = lazy(() => import('../components/charts/ScoresChart'));
const StakeChart = lazy(() => import('../components/charts/StakeChart'));

/** The full record (≤ 2,000 rounds, thinned per chart), fetched after the first screen's OVERVIEW_POINTS. */
const FULL_POINTS = 2000;

const PERIOD_WORDS: Record<RangeKey, string> = { '3m': 'the last 3 months', '1y': 'the last year', all: 'its whole record' };

function Placeholder({ children = 'Loading chart…' }: { children?: ReactNode }) {
  return <div className="chart-placeholder">{children}</div>;
}

function exactWei(nmr: string): bigint | null {
  try {
    return nmrFromDecimal(nmr);
  } catch {
    return null;
  }
}

export function ModelDetail({
  name,
  backLabel,
  onBack,
  onDelegated,
}: {
  name: string;
  backLabel: string;
  onBack: () => void;
  onDelegated: () => void;
}) {
  const api = useApi();
  // Without a wallet the page is open to read; Delegate asks for the wallet first, then carries on.
  const gate = useWalletGate();
  const loaded = useLoad(() => api.call('models.detail', { name, maxPoints: OVERVIEW_POINTS }), [api, name]);
  // useLoad keeps the last answer while it reloads: never show another model's figures under this name.
  const detail = { ...loaded, data: loaded.data?.model.name === name ? loaded.data : null };
  // The whole record, for the 3-month and 1-year views, the per-round bars and the replay. Asked for
  // once the first screen is up, and only when the overview had to be downsampled.
  const needsFull = detail.data !== null && detail.data.totalPoints > detail.data.series.length;
  const full = useLoad(
    () => (needsFull ? api.call('models.detail', { name, maxPoints: FULL_POINTS }) : Promise.resolve(null)),
    [api, name, needsFull],
  );
  const fullData = full.data?.model.name === name ? full.data : null;
  // On a real network the records may arrive after the page opened (the app fetches the opened model first).
  const reloadDetail = loaded.reload;
  const reloadFull = full.reload;
  useEffect(
    () =>
      api.on('records.updated', (e) => {
        if (!e.setChanged) return;
        reloadDetail();
        reloadFull();
      }),
    [api, reloadDetail, reloadFull],
  );
  const fullSeries = detail.data === null ? null : needsFull ? (fullData?.series ?? null) : detail.data.series;
  const [rangeKey, setRangeKey] = useState<RangeKey>('all');
  const [delegating, setDelegating] = useState(false);

  const win = useMemo(() => (fullSeries ? windowOf(fullSeries, rangeOf(rangeKey)) : null), [fullSeries, rangeKey]);
  const cumulative = useMemo(
    () => (rangeKey === 'all' ? (detail.data?.series ?? null) : win ? thin(rebased(win)) : null),
    [rangeKey, detail.data, win],
  );
  const periodReturn = useMemo(() => {
    if (rangeKey === 'all') return detail.data?.series.at(-1)?.cumulativePct ?? null;
    return win ? windowReturnPct(win) : null;
  }, [rangeKey, detail.data, win]);
  const bars = useMemo(() => (win ? roundBars(win.points) : null), [win]);
  const scores = useMemo(() => (win ? scorePoints(win.points) : null), [win]);
  const stake = useMemo(() => (win ? stakePoints(win.points) : null), [win]);
  const summary = useMemo(() => (win ? summarize(win.points) : null), [win]);
  const scoreMeans = useMemo(() => {
    if (!win) return null;
    return SCORE_NAMES.map((s) => {
      const vals = win.points.map((p) => p[s.key]).filter((v): v is number => v !== null);
      return { ...s, mean: vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null };
    });
  }, [win]);

  const m = detail.data?.model;
  if (!m || !detail.data) {
    return (
      <section>
        <button className="ghost back" onClick={onBack}>
          ← {backLabel}
        </button>
        {detail.error ? (
          <p role="alert" className="error">
            {detail.error.message}
          </p>
        ) : (
          <p className="muted">Loading {name}…</p>
        )}
      </section>
    );
  }
  const firstRound = detail.data.series[0]?.round ?? null;
  const lastRound = detail.data.series.at(-1)?.round ?? null;
  const range = rangeOf(rangeKey);
  const shown = win?.points ?? [];
  const span = shown.length > 0 ? `rounds ${formatRound((win?.baseline ?? shown[0]!).round)}–${formatRound(shown.at(-1)!.round)}` : '';
  const period = PERIOD_WORDS[rangeKey];
  const fullError = needsFull && full.error ? full.error.message : null;
  const waitFull = (chart: ReactNode) =>
    fullError ? (
      <p role="alert" className="error">
        {fullError}
      </p>
    ) : win ? (
      chart
    ) : (
      <Placeholder />
    );
  const stakeWei = exactWei(m.numeraiStakeNmr);
  const firstStake = shown[0]?.stakeNmr;

  return (
    <section aria-labelledby="model-title" className="model-page">
      <button className="ghost back" onClick={onBack}>
        ← {backLabel}
      </button>
      <div className="page-head">
        <div>
          <h1 id="model-title">
            {m.name} {m.isDemo && <span className="tag">demo</span>}
          </h1>
          {m.historyLoading ? (
            <p className="muted" role="status">
              {m.numeraiRank !== null && `Rank ${fmt.whole(m.numeraiRank)} on Numerai’s leaderboard · `}Its round-by-round history is still
              loading (this model is fetched next); the figures below fill in when it is here.
            </p>
          ) : (
            <p className="muted">
              {fmt.whole(m.rounds)} rounds of results
              {firstRound !== null && lastRound !== null && ` (round ${formatRound(firstRound)} to ${formatRound(lastRound)})`}
              {m.feeBps !== null && ` · operator fee ${feeText(m.feeBps)} of gains`}
            </p>
          )}
        </div>
        {m.modelId !== null ? (
          <button className="primary" onClick={() => gate.ask(() => setDelegating(true))}>
            Delegate to {m.name}
          </button>
        ) : (
          <p className="muted small">This model is not in the pool, so it cannot be delegated to.</p>
        )}
      </div>
      <RiskNotes m={m} />

      <div className="card">
        <h2>Track record in figures</h2>
        <ModelFigures m={m} />
        <p className="muted small figures-foot">
          Past results{m.feeBps !== null && ', before the operator fee'}. They do not promise future ones.
        </p>
      </div>

      <div className="period-head">
        <h2 id="over-time">How it did over time</h2>
        <div className="period-pick">
          <span className="muted small" id="period-label">
            Period
          </span>
          <div className="segmented" role="group" aria-labelledby="period-label">
            {RANGES.map((r) => (
              <button key={r.key} type="button" aria-pressed={rangeKey === r.key} onClick={() => setRangeKey(r.key)}>
                {r.label}
              </button>
            ))}
          </div>
        </div>
      </div>
      {win?.shorter && (
        <p className="muted small period-note">
          {m.name}’s record is shorter than {range.label}: showing all of it.
        </p>
      )}

      <div className="card">
        <h3 className="chart-title">Cumulative return</h3>
        <p className="chart-summary">
          Over {period}
          {span && ` (${span})`}: <Pct value={periodReturn} digits={1} />
          {periodReturn !== null && (
            <span className="muted">
              {' '}
              — 100 NMR would have become about {fmt.one(100 + periodReturn)} NMR{m.feeBps !== null && ', before the fee'}.
            </span>
          )}
        </p>
        {detail.error && (
          <p role="alert" className="error">
            {detail.error.message}
          </p>
        )}
        {rangeKey !== 'all' && fullError ? (
          <p role="alert" className="error">
            {fullError}
          </p>
        ) : cumulative ? (
          <Suspense fallback={<Placeholder />}>
            <ReturnsChart data={cumulative} />
          </Suspense>
        ) : (
          <Placeholder />
        )}
      </div>

      <div className="card">
        <h3 className="chart-title">Result of each round</h3>
        <p className="chart-summary">
          {summary && summary.rounds > 0 ? (
            <>
              {fmt.whole(summary.gains)} of {fmt.whole(summary.rounds)} rounds gained. Best round:{' '}
              <Pct value={summary.best!.returnPct} digits={2} /> (round {formatRound(summary.best!.round)}); worst:{' '}
              <Pct value={summary.worst!.returnPct} digits={2} /> (round {formatRound(summary.worst!.round)}).
              {bars && bars.roundsPerBar > 1 && <span className="muted"> Each bar adds up {bars.roundsPerBar} rounds in a row.</span>}
            </>
          ) : (
            <span className="muted">{win ? 'No rounds in this period.' : 'Loading…'}</span>
          )}
        </p>
        {waitFull(
          bars && (
            <Suspense fallback={<Placeholder />}>
              <RoundBarsChart
                data={bars.bars}
                roundsPerBar={bars.roundsPerBar}
                label={`${bars.roundsPerBar === 1 ? 'Return of each round' : `Return of every ${bars.roundsPerBar} rounds`} over ${period}: gains as green bars above zero, losses as red bars below`}
              />
            </Suspense>
          ),
        )}
        <p className="legend-keys muted small" aria-hidden="true">
          <span className="key key-pos" /> gain <span className="key key-neg" /> loss
        </p>
      </div>

      <div className="chart-pair">
        <div className="card">
          <h3 className="chart-title">Scores at Numerai</h3>
          <p className="chart-summary small">
            Numerai scores each round’s predictions; above 0 is good. <b>CORR20</b>: how well they matched what really happened. <b>MMC</b>:
            what they added beyond all other models. <b>TC</b>: how much they helped Numerai’s own portfolio.
          </p>
          {scoreMeans && (
            <p className="chart-summary small muted">
              Average over {period}:{' '}
              {scoreMeans.map((s, i) => (
                <span key={s.key}>
                  {i > 0 && ', '}
                  {s.name} {s.mean === null ? 'not reported' : fmt.score(s.mean)}
                </span>
              ))}
              .
            </p>
          )}
          {waitFull(
            scores &&
              (scoreMeans?.every((s) => s.mean === null) ? (
                <Placeholder>No scores were reported for these rounds.</Placeholder>
              ) : (
                <Suspense fallback={<Placeholder />}>
                  <ScoresChart
                    data={scores.points}
                    label={`CORR20, MMC and TC scores ${scores.roundsPerPoint > 1 ? `(averaged over every ${scores.roundsPerPoint} rounds) ` : ''}over ${period}`}
                  />
                </Suspense>
              )),
          )}
        </div>
        <div className="card">
          <h3 className="chart-title">Its own stake at Numerai</h3>
          <p className="chart-summary small">
            The NMR its author has staked on it at Numerai, after each round. Now:{' '}
            {stakeWei === null ? `${m.numeraiStakeNmr} NMR` : <Nmr wei={stakeWei} digits={2} />}
            {firstStake !== undefined && rangeKey !== 'all' && (
              <span className="muted"> (about {fmt.nmrApprox(firstStake)} at the start of the period)</span>
            )}
            .
          </p>
          {waitFull(
            stake && (
              <Suspense fallback={<Placeholder />}>
                <StakeChart data={stake} label={`${m.name}’s own stake at Numerai in NMR after each round over ${period}`} />
              </Suspense>
            ),
          )}
        </div>
      </div>

      <div className="card">
        <h2>What if you had delegated?</h2>
        <WhatIf key={m.name} name={m.name} feeBps={m.feeBps} series={fullSeries} />
      </div>

      {delegating && m.modelId !== null && (
        <AllocateDialog
          models={[{ modelId: m.modelId, name: m.name, capacityLeftWei: m.capacityLeftWei }]}
          onClose={() => setDelegating(false)}
          onDone={() => {
            setDelegating(false);
            onDelegated();
          }}
        />
      )}
    </section>
  );
}
