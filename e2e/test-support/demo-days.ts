import { expect } from '@playwright/test';
import { demoModelRoundResult } from '../../main/records';

/**
 * A model the demo Numerai pays in `round` and one it burns, among `names`. It pays 5×CORR + 10×MMC of
 * the models' generated scores: both positive pays, both negative burns.
 */
export function winnerAndLoser(names: readonly string[], round: number): { winner: string; loser: string } {
  const score = (name: string) => demoModelRoundResult(name, round);
  const winner = names.find((n) => (score(n)?.corr20 ?? 0) > 0 && (score(n)?.mmc ?? 0) > 0);
  const loser = names.find((n) => (score(n)?.corr20 ?? 0) < 0 && (score(n)?.mmc ?? 0) < 0);
  expect(winner, `a demo model Numerai pays in round ${round}`).toBeDefined();
  expect(loser, `a demo model Numerai burns in round ${round}`).toBeDefined();
  return { winner: winner!, loser: loser! };
}
