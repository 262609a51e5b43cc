/**
 * Which pool contract a chain session runs: the old DelegationPool or StakingPool (issue 13). The
 * history's one switch: the index's streams and stored form, the ledger and the exports follow it.
 */
export const POOL_KINDS = ['delegation', 'staking'] as const;
export type PoolKind = (typeof POOL_KINDS)[number];
