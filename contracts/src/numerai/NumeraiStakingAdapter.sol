// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {INumeraiStaking} from "./INumeraiStaking.sol";

/// @title NumeraiStakingAdapter — the one place that knows how Numerai's staking contract is called
/// @notice StakingPool reaches Numerai's on-chain staking ("Atomic Blockchain Staking", v3) only through
/// these internal functions. Function names, the authorization struct, the claim arguments and the way a
/// posted root is read are all unknown for mainnet (../shared/reference/ABS.md, Q1 and section d); the
/// local stand-in implements `INumeraiStaking`, our choice. Binding the pool to mainnet's verified ABI
/// later changes this file only: the pool sees an opaque `Authorization` (the part of the operator's
/// `v3StakeAuth` answer only Numerai knows) and two facts it checks about it (round, max amount); the
/// adapter fills in the staker, model and tournament from the pool when it stakes.
/// @dev An internal library: every function is inlined into the pool (no separate deployment, no
/// delegatecall). Every call here either succeeds or reverts; none returns a boolean to ignore.
library NumeraiStakingAdapter {
    /// @notice What the pool takes of Numerai's answer to `v3StakeAuth` for one model: the bound fields
    /// only Numerai knows, and its signature. The other bound fields are the pool's own, and `stake` fills
    /// them in: the staker is the pool, the model is the pool model's Numerai id, the tournament is the
    /// staking contract's. So an authorization Numerai issued for another staker, model or tournament
    /// cannot pass Numerai's signature check: the pool can only stake as itself, on the model it books.
    /// Leaving them out also keeps ~1,000 gas of calldata per model out of every stakeRound.
    /// The signature is in EIP-2098's compact form: `r` and `yParityAndS` (the recovery bit in the top
    /// bit of `s`), 64 bytes instead of a 65-byte `bytes` with its offset and length.
    struct Authorization {
        uint256 roundId;
        bytes32 submissionHash;
        uint256 maxAmount;
        uint256 nonce;
        uint256 deadline;
        bytes32 r;
        bytes32 yParityAndS;
    }

    /// @notice The tournament of Numerai's staking contract (a pool stakes in that one tournament).
    function tournamentId(address staking) internal view returns (uint256) {
        return INumeraiStaking(staking).tournamentId();
    }

    /// @notice The facts the pool checks before staking with `auth`: Numerai's round and the most it allows.
    function terms(Authorization calldata auth) internal pure returns (uint256 roundId, uint256 maxAmount) {
        return (auth.roundId, auth.maxAmount);
    }

    /// @notice Stakes `amount` NMR (≤ the authorization's max) for the authorization's round on Numerai's
    /// model `modelId`, with the pool as the staker. Numerai's contract verifies the signature (over the
    /// fields filled in here too), nonce and deadline, and pulls the NMR from the pool with `transferFrom`
    /// (the pool approved it once at construction).
    function stake(address staking, uint256 tournament, bytes32 modelId, Authorization calldata auth, uint256 amount)
        internal
    {
        bytes4 selector = INumeraiStaking.stake.selector;
        // The ABI encoding of stake(StakeAuthorization, amount, signature), written straight from calldata:
        // building the struct and the 65-byte signature in memory and encoding them again costs ~700 gas
        // a model more. No code-size check: the constructor already called this contract (tournamentId).
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, selector)
            mstore(add(p, 0x04), tournament) // StakeAuthorization: tournamentId
            calldatacopy(add(p, 0x24), auth, 0x20) // roundId
            mstore(add(p, 0x44), address()) // staker: this pool
            mstore(add(p, 0x64), modelId) // modelId
            calldatacopy(add(p, 0x84), add(auth, 0x20), 0x80) // submissionHash, maxAmount, nonce, deadline
            mstore(add(p, 0x104), amount)
            mstore(add(p, 0x124), 0x140) // signature: offset from the arguments' start (10 words)
            mstore(add(p, 0x144), 65) // its length, then r, s, v padded to three words
            calldatacopy(add(p, 0x164), add(auth, 0xa0), 0x20) // r
            let vs := calldataload(add(auth, 0xc0))
            mstore(add(p, 0x184), shr(1, shl(1, vs))) // s: vs without its top bit
            mstore(add(p, 0x1a4), shl(248, add(27, shr(255, vs)))) // v = 27 + the top bit, then zeros
            if iszero(call(gas(), staking, 0, p, 0x1c4, 0, 0)) {
                returndatacopy(p, 0, returndatasize())
                revert(p, returndatasize())
            }
        }
    }

    /// @notice True once Numerai has posted the round's Merkle root: from then on anyone can read every
    /// position's result, so the pool converts nothing for a model with an unsettled tranche in it.
    function rootPosted(address staking, uint256 roundId) internal view returns (bool) {
        return INumeraiStaking(staking).roundState(roundId) == INumeraiStaking.RoundState.Resolved;
    }

    /// @notice Settles the pool's position in (round, model) at Numerai and says how it was settled.
    /// - Relays the claim Numerai's API gives (`v3StakeClaim`): Numerai's contract verifies (payout, burn)
    ///   against its root, pays the pool stake + payout − burn and burns the burn. Returns false.
    /// - If that claim fails because Numerai already settled the position (finalized after its grace
    ///   period, or claimed at Numerai directly), (payout, burn) are checked against the root Numerai
    ///   posted instead, and it returns true. Any other failure of the claim reverts with Numerai's error.
    function claimOrVerifySettled(
        address staking,
        uint256 roundId,
        bytes32 modelId,
        uint256 payout,
        uint256 burn,
        bytes32[] calldata proof
    ) internal returns (bool alreadySettled) {
        INumeraiStaking s = INumeraiStaking(staking);
        try s.claim(roundId, address(this), modelId, payout, burn, proof) {
            return false;
        } catch (bytes memory reason) {
            if (!s.positions(roundId, address(this), modelId).settled) {
                assembly ("memory-safe") {
                    revert(add(reason, 32), mload(reason))
                }
            }
        }
        verifySettled(staking, roundId, modelId, payout, burn, proof);
        return true;
    }

    /// @notice For a position Numerai already settled: Numerai's contract keeps no per-position result
    /// (the stand-in only logs it), so (payout, burn) are checked against the root Numerai posted for the
    /// round, with the same leaf Numerai's claim checks. Reverts if they do not match.
    function verifySettled(
        address staking,
        uint256 roundId,
        bytes32 modelId,
        uint256 payout,
        uint256 burn,
        bytes32[] calldata proof
    ) internal view {
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(roundId, address(this), modelId, payout, burn))));
        if (!MerkleProof.verifyCalldata(proof, _merkleRoot(staking, roundId), leaf)) {
            revert InvalidSettledProof(roundId, modelId);
        }
    }

    /// @dev `rounds(roundId).merkleRoot`, read straight from the return data: `Round` is a static struct,
    /// so its fifth word is the root (decoding all ten fields would cost the pool code size it lacks).
    function _merkleRoot(address staking, uint256 roundId) private view returns (bytes32 root) {
        (bool ok, bytes memory ret) = staking.staticcall(abi.encodeCall(INumeraiStaking.rounds, (roundId)));
        if (!ok || ret.length < 320) revert InvalidSettledProof(roundId, bytes32(0));
        assembly ("memory-safe") {
            root := mload(add(ret, 160))
        }
    }

    /// @notice The position was already settled at Numerai and (payout, burn, proof) do not match the
    /// root Numerai posted for the round.
    error InvalidSettledProof(uint256 roundId, bytes32 modelId);
}
