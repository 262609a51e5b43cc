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
