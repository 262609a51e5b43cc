import type { ModelRow } from '../../../shared/api';

/**
 * The operator fee a screen can state for a model, or null when none is known. A pool model's fee
 * is the pool's (0 is a real fee there). Outside the pool the fee is its track record's: Numerai's
 * records carry none (main fills 0, which would read as "no fee"), the demo's generated ones do.
 */
export function knownFeeBps(m: Pick<ModelRow, 'modelId' | 'feeBps'>): number | null {
  return m.modelId !== null || m.feeBps > 0 ? m.feeBps : null;
}

/** The fee as a screen shows it ("12.5%"), or "—" when none is known. */
export function feeText(m: Pick<ModelRow, 'modelId' | 'feeBps'>): string {
  const bps = knownFeeBps(m);
  return bps === null ? '—' : `${(bps / 100).toFixed(1)}%`;
}
