// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title INumeraiStaking — the part of Numerai's on-chain staking ("Atomic Blockchain Staking", v3)
/// that the pool talks to, as our local stand-in implements it.
/// @notice Built only from documented behaviour (../shared/reference/ABS.md). Where ABS.md marks a
/// detail unknown (function names, the EIP-712 type string, the Merkle leaf, the bytes32 model id),
/// this interface is our choice; the pool reaches it only through `NumeraiStakingAdapter.sol`, so
/// binding to mainnet's verified ABI later changes that one file. contracts/README.md lists each
/// assumption with the source that would settle it.
interface INumeraiStaking {
    /// @notice What Numerai's API signs (`v3StakeAuth`): ABS.md T1 lists exactly these bound fields.
    /// EIP-712 type string (our choice, ABS.md Q1 unknown):
    /// StakeAuthorization(uint256 tournamentId,uint256 roundId,address staker,bytes32 modelId,
    ///   bytes32 submissionHash,uint256 maxAmount,uint256 nonce,uint256 deadline)
    /// Domain (our choice): name "NumeraiStaking", version "3", chainId, verifyingContract = this contract.
    struct StakeAuthorization {
        uint256 tournamentId;
        uint256 roundId;
        address staker;
        bytes32 modelId;
        bytes32 submissionHash;
        uint256 maxAmount;
        uint256 nonce;
        uint256 deadline;
    }

    /// @notice A round as `v3StakeRound` describes it. `state` follows T1: open, closed, resolving, resolved.
    struct Round {
        uint64 openTime;
        uint64 closeTime;
        uint64 resolveTime;
        uint64 resolvedAt; // 0 until the root is posted
        bytes32 merkleRoot; // 0 until resolved
        uint256 totalStaked;
        uint256 totalPayout;
        uint256 totalBurn;
        uint256 remainingPayout;
        uint256 remainingBurn;
    }

    /// @notice One position per (round, staker, model) (ABS.md T1). What a settlement paid back
    /// (amount + payout - burn) is in its `StakeClaimed` event, not in storage: keeping it would cost
    /// every claim a fresh storage slot (~22,000 gas) for a figure the log already holds.
    struct Position {
        uint256 amount; // NMR staked
        bytes32 submissionHash;
        bool settled; // claimed by anyone, or finalized by Numerai after the grace period
    }

    enum RoundState {
        None,
        Pending, // created, not open yet
        Open,
        Closed,
        Resolving, // past resolveTime, root not posted
        Resolved
    }

    event RoundCreated(uint256 indexed roundId, uint64 openTime, uint64 closeTime, uint64 resolveTime);
    event Staked(
        uint256 indexed roundId,
        address indexed staker,
        bytes32 indexed modelId,
        uint256 amount,
        bytes32 submissionHash,
        uint256 nonce
    );
    event RoundResolved(uint256 indexed roundId, bytes32 merkleRoot, uint256 totalPayout, uint256 totalBurn);
    /// @notice `finalized` is true when Numerai settled it after the grace period, false for a claim.
    event StakeClaimed(
        uint256 indexed roundId,
        address indexed staker,
        bytes32 indexed modelId,
        uint256 payout,
        uint256 burn,
        uint256 returned,
        bool finalized
    );

    function tournamentId() external view returns (uint256);
    function nmr() external view returns (address);
    function authorizationSigner() external view returns (address);
    /// @notice Seven days in ABS.md T1: after this long unclaimed, Numerai may finalize a position.
    function finalizationDelay() external view returns (uint64);

    function nonces(address staker) external view returns (uint256);
    function rounds(uint256 roundId) external view returns (Round memory);
    function roundState(uint256 roundId) external view returns (RoundState);
    function positions(uint256 roundId, address staker, bytes32 modelId) external view returns (Position memory);
    /// @notice ABS.md T3's per-model per-round stake read.
    function stakeByRound(uint256 roundId, address staker, bytes32 modelId) external view returns (uint256);
    /// @notice The staker of (round, model), or zero: one staker per (round, model) (ABS.md T1).
    function stakerOf(uint256 roundId, bytes32 modelId) external view returns (address);
    /// @notice EIP-712 digest of `auth` (what `v3StakeAuth.authorizationDigest` returns).
    function authorizationDigest(StakeAuthorization calldata auth) external view returns (bytes32);

    /// @notice Stakes `amount` (≤ auth.maxAmount) for the round; only `auth.staker` may submit.
    /// Pulls the NMR from the staker with `transferFrom`. Consumes the staker's nonce.
    function stake(StakeAuthorization calldata auth, uint256 amount, bytes calldata signature) external;

    /// @notice Anyone may relay a claim; the NMR always goes to the staker: amount + payout − burn,
    /// and `burn` is burned through NMR's real burn path (`mint(uint256)`, checked).
    /// Leaf (our choice, ABS.md Q1 unknown): OpenZeppelin StandardMerkleTree over
    /// (uint256 roundId, address staker, bytes32 modelId, uint256 payout, uint256 burn).
    function claim(
        uint256 roundId,
        address staker,
        bytes32 modelId,
        uint256 payout,
        uint256 burn,
        bytes32[] calldata proof
    ) external;
}
