// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {INumeraiStaking} from "./INumeraiStaking.sol";

/// @title NumeraiStakingAdapter — the one place that knows how Numerai's staking contract is called
/// @notice StakingPool reaches Numerai's on-chain staking ("Atomic Blockchain Staking", v3) only through
/// these internal functions. Function names, the authorization struct, the claim arguments and the way a
/// posted root is read are all unknown for mainnet (../shared/reference/ABS.md, Q1 and section d); the
/// local stand-in implements `INumeraiStaking`, our choice. Binding the pool to mainnet's verified ABI
/// later changes this file only: the pool sees an opaque `Authorization` (passed through unchanged from
/// the operator's `v3StakeAuth` answer) and four facts it must check about it (round, staker, model,
/// max amount).
/// @dev An internal library: every function is inlined into the pool (no separate deployment, no
/// delegatecall). Every call here either succeeds or reverts; none returns a boolean to ignore.
library NumeraiStakingAdapter {
    /// @notice What Numerai's API signs for a stake (`v3StakeAuth`), as the stand-in's EIP-712 type has it.
    /// The pool never reads its fields itself: it calls `terms`.
    struct Authorization {
        uint256 tournamentId;
        uint256 roundId;
        address staker;
        bytes32 modelId;
        bytes32 submissionHash;
        uint256 maxAmount;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice The facts the pool checks before staking with `auth`: Numerai's round, the staker it
    /// names (must be the pool), Numerai's model id (must be the pool model's), and the most it allows.
    function terms(Authorization calldata auth)
        internal
        pure
        returns (uint256 roundId, address staker, bytes32 modelId, uint256 maxAmount)
    {
        return (auth.roundId, auth.staker, auth.modelId, auth.maxAmount);
    }

    /// @notice Stakes `amount` NMR (≤ the authorization's max) for the authorization's round and model.
    /// Numerai's contract verifies the signature, nonce and deadline, and pulls the NMR from the pool
    /// with `transferFrom` (the pool approved it once at construction).
    function stake(address staking, Authorization calldata auth, uint256 amount, bytes calldata signature) internal {
        INumeraiStaking.StakeAuthorization memory a = INumeraiStaking.StakeAuthorization({
            tournamentId: auth.tournamentId,
            roundId: auth.roundId,
            staker: auth.staker,
            modelId: auth.modelId,
            submissionHash: auth.submissionHash,
            maxAmount: auth.maxAmount,
            nonce: auth.nonce,
            deadline: auth.deadline
        });
        INumeraiStaking(staking).stake(a, amount, signature);
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
