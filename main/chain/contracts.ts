// The contracts' ABIs and bytecode, generated from contracts/src by scripts/build-contracts.mjs.
export {
  delegationPoolAbi as poolAbi,
  delegationPoolBytecode as poolBytecode,
  localNmrAbi as tokenAbi,
  localNmrBytecode as tokenBytecode,
} from '../../contracts/generated';
