import type { Handlers } from '../ipc/router';
import { stakingPool, type ChainSession } from './chain-session';

export interface ClaimsApiDeps {
  session: () => Promise<ChainSession>;
}

/** "Check with Numerai": a settled result of the staking pool checked against the root Numerai posted (NOT_AVAILABLE on the old pool). */
export function claimsHandlers({ session }: ClaimsApiDeps): Pick<Handlers, 'claims.check'> {
  return {
    'claims.check': async ({ modelId, roundId }) =>
      stakingPool(await session(), 'Checking a result with Numerai').checkClaim(modelId, roundId),
  };
}
