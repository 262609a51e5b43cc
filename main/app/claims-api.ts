import type { Handlers } from '../ipc/router';
import type { ChainSession } from './chain-session';

export interface ClaimsApiDeps {
  session: () => Promise<ChainSession>;
}

/** "Check with Numerai": a settled result of the pool checked against the root Numerai posted. */
export function claimsHandlers({ session }: ClaimsApiDeps): Pick<Handlers, 'claims.check'> {
  return {
    'claims.check': async ({ modelId, roundId }) => (await session()).staking.checkClaim(modelId, roundId),
  };
}
