// The contracts' ABIs and bytecode, generated from contracts/src by scripts/build-contracts.mjs.
export {
  delegationPoolAbi as poolAbi,
  delegationPoolBytecode as poolBytecode,
  localNmrAbi as tokenAbi,
  localNmrBytecode as tokenBytecode,
} from '../../contracts/generated';
// The new pool (StakingPool, issue 12) and Numerai's staking stand-in: read by main/pool/staking-pool-*.
export { localNumeraiStakingAbi as numeraiStakingAbi, stakingPoolAbi } from '../../contracts/generated';

/** Both pools' virtual share offset (`VIRTUAL_SHARES` in DelegationPool.sol and StakingPool.sol): part of every share price. */
export const VIRTUAL_SHARES = 1_000_000n;
