/**
 * Numerai's side of on-chain staking, for tests, benchmarks and (later) the demo world: deploy the
 * local stand-in, sign stake authorizations as Numerai's API would, and build a round's results tree.
 * Every layout choice (EIP-712 domain and type, leaf encoding) comes from contracts/numerai-layout.ts.
 */
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { type Contract, ContractFactory, TypedDataEncoder, type Provider, type Signer, type TypedDataDomain } from 'ethers';
import { localNumeraiStakingAbi, localNumeraiStakingBytecode } from '../generated/index';
import {
  CLAIM_LEAF_ENCODING,
  STAKE_AUTHORIZATION_TYPES,
  claimLeafValues,
  stakingDomain,
  type ClaimLeaf,
  type ClaimRow,
  type StakeAuthorization,
  type StakingDomain,
} from '../numerai-layout';

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

function typedDomain(d: StakingDomain): TypedDataDomain {
  return stakingDomain(d);
}

/** Numerai's API's signature over `auth` (EIP-712, ethers' signTypedData). */
export async function signStakeAuthorization(
  wallet: Pick<Signer, 'signTypedData'>,
  domain: StakingDomain,
  auth: StakeAuthorization,
): Promise<string> {
  return wallet.signTypedData(typedDomain(domain), toMutableTypes(), { ...auth });
}

/** The EIP-712 digest of `auth` (`v3StakeAuth.authorizationDigest`; the contract's authorizationDigest). */
export function stakeAuthorizationDigest(domain: StakingDomain, auth: StakeAuthorization): string {
  return TypedDataEncoder.hash(typedDomain(domain), toMutableTypes(), { ...auth });
}

function toMutableTypes(): Record<string, { name: string; type: string }[]> {
  return { StakeAuthorization: STAKE_AUTHORIZATION_TYPES.StakeAuthorization.map((f) => ({ ...f })) };
}

export interface RoundTree {
  root: string;
  /** proofs[i] is the proof of rows[i]. */
  proofs: string[][];
  totalPayout: bigint;
  totalBurn: bigint;
  tree: StandardMerkleTree<ClaimLeaf>;
  /** The proof of a row by its (staker, model) in the tree. */
  proofOf(staker: string, modelId: string): string[];
}

/** A round's results as Numerai posts them: root, one proof per row, aggregate payout and burn. */
export function buildRoundTree(rows: readonly ClaimRow[]): RoundTree {
  if (rows.length === 0) throw new Error('a round tree needs at least one row');
  const tree = StandardMerkleTree.of<ClaimLeaf>(rows.map(claimLeafValues), [...CLAIM_LEAF_ENCODING]);
  const proofs = rows.map((_, i) => tree.getProof(i));
  const index = new Map(rows.map((r, i) => [`${r.staker.toLowerCase()}:${r.modelId.toLowerCase()}`, i]));
  return {
    root: tree.root,
    proofs,
    totalPayout: rows.reduce((a, r) => a + r.payout, 0n),
    totalBurn: rows.reduce((a, r) => a + r.burn, 0n),
    tree,
    proofOf(staker, modelId) {
      const i = index.get(`${staker.toLowerCase()}:${modelId.toLowerCase()}`);
      if (i === undefined) throw new Error(`no row for ${staker} / ${modelId}`);
      return proofs[i]!;
    },
  };
}
