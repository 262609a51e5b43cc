// The contracts' ABIs and bytecode, generated from contracts/src by scripts/build-contracts.mjs.
export { localNmrAbi as tokenAbi, localNmrBytecode as tokenBytecode } from '../../contracts/generated';
// The pool (StakingPool) and Numerai's staking stand-in: read by main/pool/staking-pool-*.
export { localNumeraiStakingAbi as numeraiStakingAbi, stakingPoolAbi } from '../../contracts/generated';

/** The pool's virtual share offset (`VIRTUAL_SHARES` in StakingPool.sol): part of every share price. */
export const VIRTUAL_SHARES = 1_000_000n;
