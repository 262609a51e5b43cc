import { z } from 'zod';

/** Mainnet NMR (NumeraireBackend, ../shared/reference/NMR.md). A pool on chain 1 must hold this token and no other. */
export const MAINNET_NMR = '0x1776e1f26f98b1a5df9cd347953a26dd3cb46671';

/**
 * What Settings prefills for a real network's staking addresses, by chain id: the one place these
 * defaults live. NMR on mainnet is known. Numerai's staking contract is not: ABS.md (d) item 7 has
 * two candidates for tournament 12 (0x82fc… in Numerai's docs, 0xC1f46… seen live, which DefiLlama
 * calls a registry) and none for tournament 8. What settles it: the live API's
 * `v3StakeConfig(tournamentId).address` for the tournament, cross-checked with the verified contract
 * on Etherscan. Until then the field starts empty and the screen says why. No pool is deployed yet.
 */
export interface KnownStakingAddresses {
  nmr: string | null;
  staking: string | null;
  /** Why the staking field starts empty, in a sentence the screen shows; null when it is known. */
  stakingUnknown: string | null;
}

const STAKING_UNKNOWN =
  'Numerai’s staking contract address is not known to this app yet: take it from Numerai (the API’s v3StakeConfig for your tournament) and check it on Etherscan.';

export function knownStakingAddresses(chainId: number): KnownStakingAddresses {
  if (chainId === 1) return { nmr: MAINNET_NMR, staking: null, stakingUnknown: STAKING_UNKNOWN };
  return { nmr: null, staking: null, stakingUnknown: STAKING_UNKNOWN };
}

/** The three addresses a real network needs for staking through the pool, as the person types them. */
export const StakingAddressesInput = z.strictObject({
  nmrAddress: z.string().min(1).max(100),
  stakingAddress: z.string().min(1).max(100),
  poolAddress: z.string().min(1).max(100),
});

/** A real network: its node and the staking pool's three addresses. */
export const RemoteNetworkInput = z.strictObject({
  rpcUrl: z.string().min(1).max(2000),
  chainId: z
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1),
  ...StakingAddressesInput.shape,
});
export type RemoteNetworkInput = z.infer<typeof RemoteNetworkInput>;

export const StakingRole = z.enum(['nmr', 'staking', 'pool']);
export type StakingRole = z.infer<typeof StakingRole>;

/** One address's verdict, shown beside its field: what it is (ok) or what is wrong with it. */
export const AddressVerdict = z.discriminatedUnion('ok', [
  z.strictObject({ role: StakingRole, address: z.string().max(100), ok: z.literal(true), detail: z.string().max(300) }),
  z.strictObject({ role: StakingRole, address: z.string().max(100), ok: z.literal(false), message: z.string().max(300) }),
]);
export type AddressVerdict = z.infer<typeof AddressVerdict>;

export const AddressVerdicts = z.strictObject({ checks: z.array(AddressVerdict).max(3) });
