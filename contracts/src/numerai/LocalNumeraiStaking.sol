// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {INumeraiStaking} from "./INumeraiStaking.sol";

/// @notice NMR's real burn path: `mint(uint256)` burns from the caller and, because the backend runs
/// it through `delegatecall`, reports failure by returning false (../shared/reference/NMR.md).
interface INumeraireBurnPath {
    function mint(uint256 value) external returns (bool);
}

/// @title LocalNumeraiStaking — a local stand-in for Numerai's on-chain staking (ABS, "staking v3")
/// @notice Built only from documented behaviour (../shared/reference/ABS.md; tags such as [T1] name the
/// source). Numerai (the owner) creates rounds, signs stake authorizations off chain, posts a Merkle
/// root of every position's payout and burn with the payouts' NMR, and finalizes positions left
/// unclaimed for seven days. A staker stakes with an authorization; anyone relays a claim, which pays
/// the staker amount + payout - burn and burns the rest through NMR's `mint(uint256)`.
/// Details ABS.md marks unknown (EIP-712 type string and domain, leaf encoding, function names) are
/// our choices, listed in contracts/README.md "Numerai's staking (local stand-in)".
/// @dev Storage is packed for the pool's gas budget (<= 100k per model staked and per relayed claim,
/// this contract included): a position is one slot (staker, amount, settled) plus its submission
/// hash; a round's times and running total stake share one slot; a claim rewrites one position slot
/// and one round slot.
contract LocalNumeraiStaking is INumeraiStaking, Ownable2Step, EIP712 {
    using SafeERC20 for IERC20;

    /// @notice EIP-712 type of a stake authorization (our choice; ABS.md T1 names the bound fields).
    bytes32 public constant STAKE_AUTHORIZATION_TYPEHASH = keccak256(
        "StakeAuthorization(uint256 tournamentId,uint256 roundId,address staker,bytes32 modelId,bytes32 submissionHash,uint256 maxAmount,uint256 nonce,uint256 deadline)"
    );
    /// @notice Seven days unclaimed, then Numerai may finalize a position (ABS.md T1).
    uint64 public constant FINALIZATION_DELAY = 7 days;

    IERC20 private immutable _nmr;
    uint256 private immutable _tournamentId;
    address private _authorizationSigner;

    /// @dev One slot: round times, the root's posting time and the running total staked.
    /// uint40 seconds last until the year 36812; uint96 holds 79 billion NMR (the supply cap is 21 million).
    struct RoundSlot {
        uint40 openTime;
        uint40 closeTime;
        uint40 resolveTime;
        uint40 resolvedAt;
        uint96 totalStaked;
    }

    struct RoundData {
        RoundSlot slot;
        bytes32 merkleRoot;
        uint128 totalPayout;
        uint128 totalBurn;
        // One slot, rewritten by every claim.
        uint128 remainingPayout;
        uint128 remainingBurn;
    }

    /// @dev One slot per (round, model): one staker per (round, model) [T1] makes (round, model) a
    /// complete key for the one position of (round, staker, model).
    struct PositionSlot {
        address staker;
        uint88 amount; // 3.1e26 wei > NMR's 2.1e25 supply cap
        bool settled;
    }

    mapping(uint256 roundId => RoundData) private _rounds;
    mapping(uint256 roundId => mapping(bytes32 modelId => PositionSlot)) private _positions;
    /// @dev Stored, not only logged: Numerai's contract "tracks each model's stake for each round and an
    /// associated submission hash" [O3]. It is a position's second fresh slot (contracts/README.md,
    /// "Layout choice"); keeping it in the `Staked` log alone would save ~22,000 gas per stake.
    mapping(uint256 roundId => mapping(bytes32 modelId => bytes32)) private _submissionHashes;
    mapping(address staker => uint256) private _nonces;

    event AuthorizationSignerChanged(address indexed previousSigner, address indexed newSigner);

    // Refusals, one per rule.
    error ZeroAddress();
    error RoundExists(uint256 roundId);
    error InvalidRoundTimes(uint64 openTime, uint64 closeTime, uint64 resolveTime);
    error UnknownRound(uint256 roundId);
    error NotStaker(address caller, address staker);
    error WrongTournament(uint256 expected, uint256 given);
    error AuthorizationExpired(uint256 deadline, uint256 nowTime);
    error RoundNotOpen(uint256 roundId, RoundState state);
    error InvalidNonce(uint256 expected, uint256 given);
    error InvalidSigner(address recovered);
    error ZeroAmount();
    error AmountAboveMax(uint256 amount, uint256 maxAmount);
    error PositionExists(uint256 roundId, address staker, bytes32 modelId);
    error ModelTakenByAnotherStaker(uint256 roundId, bytes32 modelId, address staker);
    error RoundNotClosed(uint256 roundId);
    error RoundAlreadyResolved(uint256 roundId);
    error ZeroRoot();
    error BurnAboveTotalStaked(uint256 totalBurn, uint256 totalStaked);
    error RoundNotResolved(uint256 roundId);
    error NoPosition(uint256 roundId, address staker, bytes32 modelId);
    error AlreadySettled(uint256 roundId, address staker, bytes32 modelId);
    error BurnAboveStake(uint256 burn, uint256 amount);
    error InvalidProof();
    error PayoutAboveRemaining(uint256 payout, uint256 remainingPayout);
    error BurnAboveRemaining(uint256 burn, uint256 remainingBurn);
    error FinalizationTooEarly(uint256 finalizableAt);
    error BurnFailed(uint256 amount);

    constructor(address nmr_, uint256 tournamentId_, address authorizationSigner_, address owner_)
        Ownable(owner_)
        EIP712("NumeraiStaking", "3")
    {
        if (nmr_ == address(0) || authorizationSigner_ == address(0)) revert ZeroAddress();
        _nmr = IERC20(nmr_);
        _tournamentId = tournamentId_;
        _authorizationSigner = authorizationSigner_;
        emit AuthorizationSignerChanged(address(0), authorizationSigner_);
    }

    // ------------------------------------------------------------------ Numerai's side (owner)

    /// @notice Numerai opens a round; rounds may overlap (ABS.md T1: up to 64 at once).
    function createRound(uint256 roundId, uint64 openTime, uint64 closeTime, uint64 resolveTime) external onlyOwner {
        RoundSlot storage s = _rounds[roundId].slot;
        if (s.openTime != 0) revert RoundExists(roundId);
        if (openTime == 0 || openTime >= closeTime || closeTime > resolveTime || resolveTime > type(uint40).max) {
            revert InvalidRoundTimes(openTime, closeTime, resolveTime);
        }
        s.openTime = uint40(openTime);
        s.closeTime = uint40(closeTime);
        s.resolveTime = uint40(resolveTime);
        emit RoundCreated(roundId, openTime, closeTime, resolveTime);
    }

    /// @notice Numerai posts a round's results: the Merkle root of every position's (payout, burn) with
    /// the aggregates, and funds the payouts from the owner in the same call (ABS.md T1: "posts the
    /// Merkle root and aggregate payout and burn amounts and funds the contract for payouts").
    function postRoot(uint256 roundId, bytes32 root, uint256 totalPayout, uint256 totalBurn) external onlyOwner {
        RoundData storage r = _rounds[roundId];
        RoundSlot memory s = r.slot;
        if (s.openTime == 0) revert UnknownRound(roundId);
        if (block.timestamp < s.closeTime) revert RoundNotClosed(roundId);
        if (s.resolvedAt != 0) revert RoundAlreadyResolved(roundId);
        if (root == bytes32(0)) revert ZeroRoot();
        if (totalBurn > s.totalStaked) revert BurnAboveTotalStaked(totalBurn, s.totalStaked);
        r.slot.resolvedAt = uint40(block.timestamp);
        r.merkleRoot = root;
        uint128 payout128 = SafeCast.toUint128(totalPayout);
        uint128 burn128 = uint128(totalBurn); // <= totalStaked < 2^96
        r.totalPayout = payout128;
        r.totalBurn = burn128;
        r.remainingPayout = payout128;
        r.remainingBurn = burn128;
        if (totalPayout != 0) _nmr.safeTransferFrom(msg.sender, address(this), totalPayout);
        emit RoundResolved(roundId, root, totalPayout, totalBurn);
    }

    /// @notice Numerai settles a position left unclaimed for `FINALIZATION_DELAY` after the root (ABS.md
    /// T1): the same proof-checked settlement as `claim`, paid to the staker, logged with finalized = true.
    function finalize(
        uint256 roundId,
        address staker,
        bytes32 modelId,
        uint256 payout,
        uint256 burn,
        bytes32[] calldata proof
    ) external onlyOwner {
        uint256 resolvedAt = _rounds[roundId].slot.resolvedAt;
        if (resolvedAt == 0) revert RoundNotResolved(roundId);
        uint256 finalizableAt = resolvedAt + FINALIZATION_DELAY;
        if (block.timestamp < finalizableAt) revert FinalizationTooEarly(finalizableAt);
        _settle(roundId, staker, modelId, payout, burn, proof, true);
    }

    /// @notice Numerai may rotate the key that signs authorizations (`v3StakeConfig.authorizationSigner`).
    function setAuthorizationSigner(address newSigner) external onlyOwner {
        if (newSigner == address(0)) revert ZeroAddress();
        emit AuthorizationSignerChanged(_authorizationSigner, newSigner);
        _authorizationSigner = newSigner;
    }

    // ------------------------------------------------------------------ stakers

    /// @inheritdoc INumeraiStaking
    function stake(StakeAuthorization calldata auth, uint256 amount, bytes calldata signature) external {
        uint256 nonce = _useAuthorization(auth, signature);
        if (amount == 0) revert ZeroAmount();
        if (amount > auth.maxAmount) revert AmountAboveMax(amount, auth.maxAmount);
        _openPosition(auth, amount);
        emit Staked(auth.roundId, auth.staker, auth.modelId, amount, auth.submissionHash, nonce);
        _nmr.safeTransferFrom(auth.staker, address(this), amount);
    }

    /// @inheritdoc INumeraiStaking
    function claim(
        uint256 roundId,
        address staker,
        bytes32 modelId,
        uint256 payout,
        uint256 burn,
        bytes32[] calldata proof
    ) external {
        _settle(roundId, staker, modelId, payout, burn, proof, false);
    }

    // ------------------------------------------------------------------ views

    function tournamentId() external view returns (uint256) {
        return _tournamentId;
    }

    function nmr() external view returns (address) {
        return address(_nmr);
    }

    function authorizationSigner() external view returns (address) {
        return _authorizationSigner;
    }

    function finalizationDelay() external pure returns (uint64) {
        return FINALIZATION_DELAY;
    }

    function nonces(address staker) external view returns (uint256) {
        return _nonces[staker];
    }

    function rounds(uint256 roundId) external view returns (Round memory) {
        RoundData storage r = _rounds[roundId];
        RoundSlot memory s = r.slot;
        return Round({
            openTime: s.openTime,
            closeTime: s.closeTime,
            resolveTime: s.resolveTime,
            resolvedAt: s.resolvedAt,
            merkleRoot: r.merkleRoot,
            totalStaked: s.totalStaked,
            totalPayout: r.totalPayout,
            totalBurn: r.totalBurn,
            remainingPayout: r.remainingPayout,
            remainingBurn: r.remainingBurn
        });
    }

    function roundState(uint256 roundId) external view returns (RoundState) {
        return _state(_rounds[roundId].slot);
    }

    function positions(uint256 roundId, address staker, bytes32 modelId) external view returns (Position memory) {
        PositionSlot memory p = _positions[roundId][modelId];
        if (p.staker != staker || staker == address(0)) return Position(0, bytes32(0), false);
        return Position(p.amount, _submissionHashes[roundId][modelId], p.settled);
    }

    function stakeByRound(uint256 roundId, address staker, bytes32 modelId) external view returns (uint256) {
        PositionSlot memory p = _positions[roundId][modelId];
        return p.staker == staker && staker != address(0) ? p.amount : 0;
    }

    function stakerOf(uint256 roundId, bytes32 modelId) external view returns (address) {
        return _positions[roundId][modelId].staker;
    }

    function authorizationDigest(StakeAuthorization calldata auth) external view returns (bytes32) {
        return _digest(auth);
    }

    /// @notice The Merkle leaf of a position's result (OpenZeppelin StandardMerkleTree: the abi-encoded
    /// row, hashed twice). Our choice; ABS.md Q1 marks the real leaf unknown.
    function leafOf(uint256 roundId, address staker, bytes32 modelId, uint256 payout, uint256 burn)
        public
        pure
        returns (bytes32)
    {
        return keccak256(bytes.concat(keccak256(abi.encode(roundId, staker, modelId, payout, burn))));
    }

    // ------------------------------------------------------------------ internals

    /// @dev Every check on the authorization itself; consumes the staker's nonce and returns it.
    function _useAuthorization(StakeAuthorization calldata auth, bytes calldata signature) private returns (uint256 nonce) {
        address staker = auth.staker;
        if (msg.sender != staker) revert NotStaker(msg.sender, staker);
        if (auth.tournamentId != _tournamentId) revert WrongTournament(_tournamentId, auth.tournamentId);
        if (block.timestamp > auth.deadline) revert AuthorizationExpired(auth.deadline, block.timestamp);
        RoundSlot memory s = _rounds[auth.roundId].slot;
        if (s.openTime == 0 || block.timestamp < s.openTime || block.timestamp >= s.closeTime) {
            revert RoundNotOpen(auth.roundId, _state(s));
        }
        nonce = _nonces[staker];
        if (auth.nonce != nonce) revert InvalidNonce(nonce, auth.nonce);
        address recovered = ECDSA.recoverCalldata(_digest(auth), signature);
        if (recovered != _authorizationSigner) revert InvalidSigner(recovered);
        unchecked {
            _nonces[staker] = nonce + 1;
        }
    }

    /// @dev Records the one position of (round, staker, model), refusing a second one and a second
    /// staker for (round, model) [T1], and adds it to the round's total.
    function _openPosition(StakeAuthorization calldata auth, uint256 amount) private {
        uint256 roundId = auth.roundId;
        bytes32 modelId = auth.modelId;
        PositionSlot storage p = _positions[roundId][modelId];
        address holder = p.staker;
        if (holder != address(0)) {
            if (holder == auth.staker) revert PositionExists(roundId, holder, modelId);
            revert ModelTakenByAnotherStaker(roundId, modelId, holder);
        }
        // The whole slot in one write (field by field, each write would read the slot back first).
        _positions[roundId][modelId] = PositionSlot({staker: auth.staker, amount: SafeCast.toUint88(amount), settled: false});
        _submissionHashes[roundId][modelId] = auth.submissionHash;
        RoundSlot storage rs = _rounds[roundId].slot;
        rs.totalStaked = SafeCast.toUint96(rs.totalStaked + amount);
    }

    function _digest(StakeAuthorization calldata auth) private view returns (bytes32) {
        // Every field is a static 32-byte word, so the type hash followed by the struct's calldata words is
        // the EIP-712 struct encoding (abi.encode would copy and re-check each field first).
        bytes32 typeHash = STAKE_AUTHORIZATION_TYPEHASH;
        bytes32 structHash;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, typeHash)
            calldatacopy(add(p, 0x20), auth, 0x100)
            structHash := keccak256(p, 0x120)
        }
        return _hashTypedDataV4(structHash);
    }

    function _state(RoundSlot memory s) private view returns (RoundState) {
        if (s.openTime == 0) return RoundState.None;
        if (s.resolvedAt != 0) return RoundState.Resolved;
        if (block.timestamp < s.openTime) return RoundState.Pending;
        if (block.timestamp < s.closeTime) return RoundState.Open;
        if (block.timestamp < s.resolveTime) return RoundState.Closed;
        return RoundState.Resolving;
    }

    /// @dev Verifies the result against the round's root, marks the position settled, consumes the
    /// round's remaining payout and burn, pays amount + payout - burn to the staker (never to the
    /// caller) and burns `burn` through NMR's `mint(uint256)`, whose false is a failure.
    function _settle(
        uint256 roundId,
        address staker,
        bytes32 modelId,
        uint256 payout,
        uint256 burn,
        bytes32[] calldata proof,
        bool finalized
    ) private {
        uint256 amount = _markSettled(roundId, staker, modelId, burn);
        if (!MerkleProof.verifyCalldata(proof, _rounds[roundId].merkleRoot, leafOf(roundId, staker, modelId, payout, burn))) {
            revert InvalidProof();
        }
        _consume(roundId, payout, burn);
        uint256 returned = amount + payout - burn;
        emit StakeClaimed(roundId, staker, modelId, payout, burn, returned, finalized);
        if (returned != 0) _nmr.safeTransfer(staker, returned);
        if (burn != 0 && !INumeraireBurnPath(address(_nmr)).mint(burn)) revert BurnFailed(burn);
    }

    /// @dev The position must exist in a resolved round and be unsettled, and its burn cannot exceed
    /// its stake; marks it settled (the caller reverts everything if the proof then fails).
    function _markSettled(uint256 roundId, address staker, bytes32 modelId, uint256 burn) private returns (uint256 amount) {
        if (_rounds[roundId].merkleRoot == bytes32(0)) revert RoundNotResolved(roundId);
        PositionSlot storage p = _positions[roundId][modelId];
        PositionSlot memory pos = p;
        if (pos.staker != staker || staker == address(0)) revert NoPosition(roundId, staker, modelId);
        if (pos.settled) revert AlreadySettled(roundId, staker, modelId);
        amount = pos.amount;
        if (burn > amount) revert BurnAboveStake(burn, amount);
        p.settled = true;
    }

    /// @dev Takes a settlement's payout and burn from what the round's root has left (T1).
    function _consume(uint256 roundId, uint256 payout, uint256 burn) private {
        RoundData storage r = _rounds[roundId];
        uint256 remainingPayout = r.remainingPayout;
        uint256 remainingBurn = r.remainingBurn;
        if (payout > remainingPayout) revert PayoutAboveRemaining(payout, remainingPayout);
        if (burn > remainingBurn) revert BurnAboveRemaining(burn, remainingBurn);
        unchecked {
            // Both fit: checked against the remaining figures just above.
            r.remainingPayout = uint128(remainingPayout - payout);
            r.remainingBurn = uint128(remainingBurn - burn);
        }
    }
}
