import type { HistoryKind } from '../../../../shared/api';

/**
 * Each kind of entry in words a holder reads, with its round where it has one; `moves`: the entry
 * changes the position's value (money in or out, a round's result), else it only says where the
 * NMR is (converted, at stake, leaving), and its amount is shown muted.
 */
export const KIND_WORDS: Record<HistoryKind, { text: (round: number | null) => string; moves: boolean }> = {
  delegated: { text: () => 'Delegated', moves: true },
  deposit_cancelled: { text: () => 'Delegation cancelled', moves: true },
  shares_issued: { text: () => 'Joined the model (shares issued)', moves: false },
  staked: { text: (r) => `Staked in round ${r ?? '?'}`, moves: false },
  payout: { text: (r) => `Payout, round ${r ?? '?'}`, moves: true },
  fee: { text: (r) => `Operator fee, round ${r ?? '?'}`, moves: true },
  burn: { text: (r) => `Burn, round ${r ?? '?'}`, moves: true },
  exit_requested: { text: (r) => (r ? `Take back requested (unlocks after round ${r})` : 'Take back requested'), moves: false },
  exit_settled: { text: () => 'Take back ready to withdraw', moves: false },
  withdrawn: { text: () => 'Withdrawn to your wallet', moves: true },
  rounding: { text: () => 'Pool rounding', moves: true },
};

/** The kind filter's choices: groups a holder asks for, then each kind alone. */
export const KIND_CHOICES: readonly { id: string; label: string; kinds: HistoryKind[] | null }[] = [
  { id: 'all', label: 'Every kind', kinds: null },
  { id: 'results', label: 'Round results (payouts, fees, burns)', kinds: ['payout', 'fee', 'burn'] },
  { id: 'money', label: 'Money in and out (delegations, withdrawals)', kinds: ['delegated', 'deposit_cancelled', 'withdrawn'] },
  { id: 'take-back', label: 'Taking back (requests, ready, withdrawn)', kinds: ['exit_requested', 'exit_settled', 'withdrawn'] },
  { id: 'delegated', label: 'Delegations', kinds: ['delegated'] },
  { id: 'staked', label: 'Stakes in rounds', kinds: ['staked'] },
  { id: 'payout', label: 'Payouts', kinds: ['payout'] },
  { id: 'fee', label: 'Operator fees', kinds: ['fee'] },
  { id: 'burn', label: 'Burns', kinds: ['burn'] },
  { id: 'withdrawn', label: 'Withdrawals', kinds: ['withdrawn'] },
];
