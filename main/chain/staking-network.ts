import { AppError, type AddressVerdict, type RemoteNetworkInput } from '../../shared/api';
import { isTournamentId } from '../numerai/v3-api';
import { numeraiStakingIface } from '../pool/staking-pool-views';
import type { RemoteNetwork } from '../store/settings';
import { chainLabel, checkNode, findDeployBlock } from './network';
import { createProvider } from './provider';
import { checkStakingAddresses } from './staking-addresses';

/**
 * A real network for the staking pool, as Settings sends it: the node (checkNode) and the three
 * addresses (checkStakingAddresses), each with its own verdict. `network` is what may be saved, and
 * only when every address passed; the node's own faults (bad URL, no answer, wrong chain) are thrown
 * as before, since they are about the URL and chain id fields, not an address.
 */
export interface StakingNetworkCheck {
  checks: AddressVerdict[];
  network: RemoteNetwork | null;
}

export async function checkStakingNetwork(input: RemoteNetworkInput): Promise<StakingNetworkCheck> {
  const { rpcUrl, chainId } = await checkNode(input);
  const provider = createProvider(rpcUrl, chainId, 1000);
  try {
    const checks = await checkStakingAddresses(provider, chainId, {
      nmr: input.nmrAddress,
      staking: input.stakingAddress,
      pool: input.poolAddress,
    });
    const [nmr, staking, pool] = checks;
    if (!nmr?.ok || !staking?.ok || !pool?.ok) return { checks, network: null };
    const fn = numeraiStakingIface.getFunction('tournamentId')!;
    const tournamentId = Number(
      numeraiStakingIface.decodeFunctionResult(fn, await provider.call({ to: staking.address, data: fn.selector }))[0] as bigint,
    );
    // Numerai's API is asked per tournament: a contract for a tournament the API does not have is of no use.
    if (!isTournamentId(tournamentId)) {
      const message = `This staking contract is for tournament ${tournamentId}, which is not one of Numerai's (8, 11, 12).`;
      return { checks: [nmr, { role: 'staking', address: staking.address, ok: false, message }, pool], network: null };
    }
    return {
      checks,
      network: {
        kind: 'remote',
        rpcUrl,
        chainId,
        poolAddress: pool.address,
        tokenAddress: nmr.address,
        label: chainLabel(chainId),
        deployBlock: await findDeployBlock(provider, pool.address),
        staking: { address: staking.address, tournamentId },
      },
    };
  } finally {
    provider.destroy();
  }
}

/** The network to save, or NOT_A_POOL naming every address that failed (network.connect without a prior check). */
export async function validateStakingNetwork(input: RemoteNetworkInput): Promise<RemoteNetwork> {
  const { checks, network } = await checkStakingNetwork(input);
  if (network) return network;
  const failed = checks.filter((c) => !c.ok).map((c) => `${ROLE_NAMES[c.role]}: ${c.message}`);
  throw new AppError('NOT_A_POOL', failed.join(' '));
}

const ROLE_NAMES = { nmr: 'NMR', staking: 'Numerai’s staking contract', pool: 'Pool' } as const;
