/**
 * Numerai's EIP-712 stake authorization on the JS side: the signature Numerai's API returns
 * (`v3StakeAuth.signature`) and its digest (`authorizationDigest`). Domain and type are
 * contracts/numerai-layout.ts's (our choice; ABS.md Q1 marks them unknown).
 */
import { TypedDataEncoder, type Signer } from 'ethers';
import { STAKE_AUTHORIZATION_TYPES, stakingDomain, type StakeAuthorization, type StakingDomain } from '../../contracts/numerai-layout';

const types = (): Record<string, { name: string; type: string }[]> => ({
  StakeAuthorization: STAKE_AUTHORIZATION_TYPES.StakeAuthorization.map((f) => ({ ...f })),
});

export function signStakeAuthorization(
  signer: Pick<Signer, 'signTypedData'>,
  domain: StakingDomain,
  auth: StakeAuthorization,
): Promise<string> {
  return signer.signTypedData(stakingDomain(domain), types(), { ...auth });
}

export function stakeAuthorizationDigest(domain: StakingDomain, auth: StakeAuthorization): string {
  return TypedDataEncoder.hash(stakingDomain(domain), types(), { ...auth });
}

/** `v3StakeAuth`'s answer as the contract's StakeAuthorization (what StakingPool.stakeRound takes). */
export function authorizationFromApi(a: {
  tournamentId: number;
  roundId: string;
  staker: string;
  modelId: string;
  submissionHash: string;
  maxAmount: string;
  nonce: string;
  deadline: string;
}): StakeAuthorization {
  return {
    tournamentId: BigInt(a.tournamentId),
    roundId: BigInt(a.roundId),
    staker: a.staker,
    modelId: a.modelId,
    submissionHash: a.submissionHash,
    maxAmount: BigInt(a.maxAmount),
    nonce: BigInt(a.nonce),
    deadline: BigInt(a.deadline),
  };
}
