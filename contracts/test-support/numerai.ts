/**
 * Numerai's side of on-chain staking, for tests, benchmarks and (later) the demo world: deploy the
 * local stand-in, sign stake authorizations as Numerai's API would, and build a round's results tree.
 * Every layout choice (EIP-712 domain and type, leaf encoding) comes from contracts/numerai-layout.ts.
 */
import { type Contract, ContractFactory, type Provider, type Signer } from 'ethers';
import { localNumeraiStakingAbi, localNumeraiStakingBytecode } from '../generated/index';
import { buildRoundTree as buildProductionTree, type RoundTree as ProductionRoundTree } from '../../main/numerai/round-tree';
import type { ClaimRow, StakingDomain } from '../numerai-layout';

export interface NumeraiDeployOptions {
  /** The NMR token the staking contract holds and burns. */
  nmr: string;
  /** Numerai's key that signs authorizations. */
  authorizationSigner: string;
  /** Numerai: creates rounds, posts roots (and funds payouts), finalizes. Default: the deployer. */
  owner?: string;
  /** ABS.md O1: Crypto is tournament 12. Default 8 (Numerai Classic). */
  tournamentId?: bigint;
  /** Who deploys. Default: the provider's first account. */
  deployer?: Signer;
}

export interface NumeraiDeployment {
  staking: Contract;
  address: string;
  tournamentId: bigint;
  domain: StakingDomain;
}

/** Deploys LocalNumeraiStaking on `provider`'s chain. */
export async function deployNumerai(
  provider: Provider & { getSigner(i?: number | string): Promise<Signer> },
  opts: NumeraiDeployOptions,
): Promise<NumeraiDeployment> {
  const deployer = opts.deployer ?? (await provider.getSigner(0));
  const owner = opts.owner ?? (await deployer.getAddress());
  const tournamentId = opts.tournamentId ?? 8n;
  const factory = new ContractFactory(localNumeraiStakingAbi, localNumeraiStakingBytecode, deployer);
  const staking = (await factory.deploy(opts.nmr, tournamentId, opts.authorizationSigner, owner)) as Contract;
  await staking.waitForDeployment();
  const address = await staking.getAddress();
  const { chainId } = await provider.getNetwork();
  return { staking, address, tournamentId, domain: { chainId, verifyingContract: address } };
}

/** Numerai's API's signature and digest of an authorization: the production code's (main/numerai). */
export { signStakeAuthorization, stakeAuthorizationDigest } from '../../main/numerai/stake-authorization';

export type RoundTree = ProductionRoundTree & {
  /** proofs[i] is the proof of rows[i]. */
  proofs: string[][];
};

/** A round's results as Numerai posts them (main/numerai/round-tree.ts), with each row's proof by index. */
export function buildRoundTree(rows: readonly ClaimRow[]): RoundTree {
  if (rows.length === 0) throw new Error('a round tree needs at least one row');
  const tree = buildProductionTree(rows[0]!.roundId, rows);
  return Object.assign(tree, { proofs: rows.map((r) => tree.proofOf(r.staker, r.modelId)) });
}
