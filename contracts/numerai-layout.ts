/**
 * The one place, on the JS side, that fixes how we talk to Numerai's on-chain staking (ABS, v3)
 * where public sources leave it unknown (../shared/reference/ABS.md, "Unknowns"): the EIP-712 domain
 * and type of a stake authorization, the Merkle leaf of a result, and the bytes32 model id. The
 * Solidity half of the same choices is contracts/src/numerai/LocalNumeraiStaking.sol (and the
 * INumeraiStaking interface); binding to mainnet's verified ABI changes this file and that adapter.
 */
import { AbiCoder, Signature, keccak256 } from 'ethers';

/** EIP-712 domain name and version (our choice; ABS.md Q1: unknown). chainId and verifyingContract
 * (the staking contract, `v3StakeAuth.stakingAddress`) come from the deployment. */
export const NUMERAI_STAKING_DOMAIN = { name: 'NumeraiStaking', version: '3' } as const;

/** The bound fields are ABS.md T1's list; their order, names and types are our choice. */
export const STAKE_AUTHORIZATION_TYPES = {
  StakeAuthorization: [
    { name: 'tournamentId', type: 'uint256' },
    { name: 'roundId', type: 'uint256' },
    { name: 'staker', type: 'address' },
    { name: 'modelId', type: 'bytes32' },
    { name: 'submissionHash', type: 'bytes32' },
    { name: 'maxAmount', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const;

/** What Numerai's API signs for one model's selected submission (`v3StakeAuth`). */
export interface StakeAuthorization {
  tournamentId: bigint;
  roundId: bigint;
  staker: string;
  /** bytes32 hex */
  modelId: string;
  /** bytes32 hex */
  submissionHash: string;
  maxAmount: bigint;
  nonce: bigint;
  /** unix seconds */
  deadline: bigint;
}

export interface StakingDomain {
  chainId: bigint | number;
  verifyingContract: string;
}

export function stakingDomain(d: StakingDomain): {
  name: string;
  version: string;
  chainId: bigint;
  verifyingContract: string;
} {
  return { ...NUMERAI_STAKING_DOMAIN, chainId: BigInt(d.chainId), verifyingContract: d.verifyingContract };
}

/** The authorization as a tuple in INumeraiStaking.StakeAuthorization's field order (for calls). */
export function authorizationTuple(a: StakeAuthorization): [bigint, bigint, string, string, string, bigint, bigint, bigint] {
  return [a.tournamentId, a.roundId, a.staker, a.modelId, a.submissionHash, a.maxAmount, a.nonce, a.deadline];
}

/**
 * What StakingPool.stakeRound takes for one model (NumeraiStakingAdapter.Authorization): the fields of
 * Numerai's authorization the pool cannot fill in itself, and the signature in EIP-2098's compact form
 * (r, yParityAndS). The pool names itself as the staker, its model's Numerai id and its tournament, so
 * `auth`'s own staker, modelId and tournamentId must be those or Numerai's signature check refuses it.
 */
export type PoolAuthorizationTuple = [bigint, string, bigint, bigint, bigint, string, string];

export function poolAuthorizationTuple(a: StakeAuthorization, signature: string): PoolAuthorizationTuple {
  const sig = Signature.from(signature);
  return [a.roundId, a.submissionHash, a.maxAmount, a.nonce, a.deadline, sig.r, sig.yParityAndS];
}

/** One position's result as Numerai's tree holds it (ABS.md T1 names the fields). */
export interface ClaimRow {
  roundId: bigint;
  staker: string;
  /** bytes32 hex */
  modelId: string;
  payout: bigint;
  burn: bigint;
}

/** Leaf encoding (our choice; ABS.md Q1: unknown): OpenZeppelin StandardMerkleTree, i.e.
 * keccak256(keccak256(abi.encode(roundId, staker, modelId, payout, burn))) with sorted pairs. */
export const CLAIM_LEAF_ENCODING = ['uint256', 'address', 'bytes32', 'uint256', 'uint256'] as const;

export type ClaimLeaf = [bigint, string, string, bigint, bigint];

export function claimLeafValues(r: ClaimRow): ClaimLeaf {
  return [r.roundId, r.staker, r.modelId, r.payout, r.burn];
}

/** The leaf hash, computed without the tree (what LocalNumeraiStaking.leafOf returns). */
export function claimLeafHash(r: ClaimRow): string {
  const inner = keccak256(AbiCoder.defaultAbiCoder().encode([...CLAIM_LEAF_ENCODING], claimLeafValues(r)));
  return keccak256(inner);
}

/**
 * Numerai's model UUID → the on-chain bytes32 model id. ABS.md Q3: the mapping is unresolved (T3 tried
 * several and none matched). Our choice: the UUID's 16 bytes, left-padded to 32 (its value as a
 * uint128). Every caller goes through this function, so the real rule changes one line.
 */
export function modelIdFromUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  // Padded as text: the same bytes as ethers' zeroPadValue, without its byte round trip (200 ids at every start).
  return `0x${'0'.repeat(32)}${hex}`;
}

/** The inverse of modelIdFromUuid: the API's UUID of an on-chain model id (same choice, same source). */
export function uuidFromModelId(modelId: string): string {
  const hex = modelId.toLowerCase().replace(/^0x/, '');
  if (!/^0{32}[0-9a-f]{32}$/.test(hex)) throw new Error(`not a model id made from a UUID: ${modelId}`);
  const u = hex.slice(32);
  return `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}`;
}
