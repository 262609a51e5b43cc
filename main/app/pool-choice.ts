/**
 * Which demo world the local chain runs, chosen here and nowhere else: the old DelegationPool world
 * ('delegation', the default until the renderer and the e2e journey move) or the staking world
 * ('staking': StakingPool staking through the demo Numerai, issue 13). Real networks are not
 * affected: their pool is whatever Settings names.
 */
import type { PoolKind } from '../history/pool-kind';

export type { PoolKind };

/** The variable that picks the demo world (read only here). */
export const DEMO_POOL_VARIABLE = 'NMR_DELEGATE_DEMO_POOL';

/** `NMR_DELEGATE_DEMO_POOL=staking` → the staking world; anything else (or unset) → the old one. */
export function demoPoolKind(env: Readonly<Record<string, string | undefined>> = process.env): PoolKind {
  return env[DEMO_POOL_VARIABLE]?.trim().toLowerCase() === 'staking' ? 'staking' : 'delegation';
}
