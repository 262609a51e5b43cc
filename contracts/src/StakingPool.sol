// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {NumeraiStakingAdapter} from "./numerai/NumeraiStakingAdapter.sol";

/// @title StakingPool — delegate NMR to Numerai models; the pool stakes it on Numerai as the staker of record
/// @notice Holders delegate NMR to a model and hold shares of it. Every Numerai round the pool stakes a
/// tranche per model through Numerai's own staking contract, with an authorization the model's operator
/// obtained from Numerai's API; results come only from Numerai's settlement (claims relayed by anyone
/// and verified by Numerai, or Numerai's own finalization). The operator's fee is a cut of gains only.
/// Deposits and exits are requests that convert at a checkpoint whose price includes every posted root.
/// The economics, with a timeline, are in contracts/README.md; the interface in contracts/STATUS.md.
/// @dev Per model: NAV = idle NMR + principal of unsettled tranches at face value (never the token
/// balance). Shares use a virtual offset: value of s = s·(NAV+1)/(totalShares+1e6), shares for d =
/// d·(totalShares+1e6)/(NAV+1), both rounded down. A model's tranches live in a ring of TRANCHE_RING slots
/// keyed by round % TRANCHE_RING, written once at registration so that staking rewrites a non-zero slot;
/// one bit per slot in the model marks the unsettled ones. The pool stakes a model's rounds in increasing
/// order and all its unsettled tranches lie within TRANCHE_RING rounds, so the bits and the last staked
/// round give the oldest and newest unsettled round without a list.
contract StakingPool is AccessControlDefaultAdminRules, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ constants

    bytes32 public constant MODEL_ADMIN_ROLE = keccak256("MODEL_ADMIN_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    uint256 internal constant BPS = 10_000;
    /// @notice Largest operator fee, in basis points of gains.
    uint16 public constant MAX_FEE_BPS = 5_000;
    /// @notice Virtual shares (and one virtual wei of NAV) against the first-depositor attack.
    uint256 public constant VIRTUAL_SHARES = 1e6;
    uint32 internal constant MAX_CONCURRENT_ROUNDS = 256;
    /// @dev Ring slots per model for unsettled tranches: Numerai runs at most 64 rounds at once (ABS.md T1;
    /// 24 for Crypto), so round r has resolved (and must be claimed first, see ClaimRoundFirst) by the
    /// time round r + 64 opens. If Numerai ever runs more, TrancheRingFull says so; only this constant moves.
    uint256 internal constant TRANCHE_RING = 64;

    // ------------------------------------------------------------------ storage

    /// @dev Laid out for stakeRound and claim: a stake reads slots 0–3 (and 4 while exits wait), a claim
    /// slots 0 and 3 (and 5 on a gain). Slot 2 never returns to zero once registered (the deposit epoch
    /// starts at 1), nor do 4 and 5 (exit pointers, operator), so their writes are non-zero → non-zero.
    struct Model {
        // slot 0
        uint96 idleWei; // NMR of the shareholders held by the pool, not staked
        uint96 atStakeWei; // principal of unsettled tranches (face value)
        uint64 trancheBits; // bit (round % TRANCHE_RING) set: that ring slot holds an unsettled tranche
        // slot 1
        uint128 totalShares; // includes shares waiting to exit
        uint128 exitingShares; // requested out, not converted yet (0 exactly when no exit batch waits)
        // slot 2
        uint96 pendingDepositWei; // deposits of the open epoch
        uint32 depositEpoch; // open deposit epoch (starts at 1)
        uint16 feeBps; // fee in force
        uint16 nextFeeBps; // scheduled fee (== feeBps when none)
        uint48 lastStakedRound; // rounds are staked in increasing order (Numerai round ids < 2^48)
        uint48 nextFeeAt; // when the scheduled fee starts applying to new tranches (0: none)
        // slot 3
        bytes32 numeraiModelId;
        // slot 4
        uint32 exitHead; // first exit batch not converted (batches start at 1)
        uint32 exitTail; // next exit batch index
        uint96 owedExitWei; // converted exits of this model not withdrawn yet
        uint96 capWei;
        // slot 5
        address operator;
        uint96 feesOwedWei; // operator fees earned, not claimed
        // slot 6
        string name;
    }

    /// @dev One ring slot: the tranche of `roundId` while the model's bit for it is set. Never zeroed, so
    /// the next tranche in the slot rewrites a non-zero word (5,000 gas, not 22,100).
    struct Tranche {
        uint96 principalWei;
        uint16 feeBps; // the fee in force when it was staked
        uint64 roundId;
        bool written; // set at registration: keeps a never-used slot non-zero
    }

    /// @dev Deposits of one epoch: their total, and after conversion the shares they became.
    struct DepositBatch {
        uint96 amountWei;
        uint128 sharesMinted;
    }

    /// @dev Exit requests that mature together: once every tranche up to `unlockRound` has settled.
    struct ExitBatch {
        uint64 unlockRound;
        uint128 shares;
        uint96 assetsWei; // set when converted
    }

    struct Holding {
        // slot 0
        uint128 shares; // settled shares, excluding those requested out
        uint96 depositWei; // pending deposit
        uint32 depositEpoch; // its epoch
        // slot 1
        uint128 exitShares; // requested out, not converted yet (as far as this record knows)
        uint32 exitBatch; // their batch
        uint96 withdrawableWei; // converted exits not withdrawn
    }


    /// @dev A model's slots 0–2 in memory: stakeRound and checkpoint load them once, work on the copy and
    /// store each slot once (packed fields written one by one from storage cost a read and a write each).
    struct Book {
        uint256 idleWei;
        uint256 atStakeWei;
        uint64 trancheBits;
        uint256 totalShares;
        uint256 exitingShares;
        uint256 pendingDepositWei;
        uint32 depositEpoch;
        uint16 feeBps;
        uint16 nextFeeBps;
        uint64 lastStakedRound;
        uint64 nextFeeAt;
    }

    /// @notice NMR.
    IERC20 public immutable nmr;
    /// @notice Numerai's staking contract for the tournament (reached only through NumeraiStakingAdapter).
    address public immutable numeraiStaking;
    /// @notice Its tournament, read once at construction (every authorization the pool submits names it).
    uint256 public immutable numeraiTournamentId;
    /// @notice Rounds a model's NAV is spread over: each tranche is at most NAV ÷ concurrentRounds.
    uint32 public immutable concurrentRounds;
    /// @notice Seconds between scheduling a fee change and the first tranche it applies to.
    uint64 public immutable feeNoticeSeconds;

    uint32 internal _modelCount;
    mapping(uint32 => Model) internal _models;
    mapping(bytes32 numeraiModelId => uint32) public modelIdOf;
    mapping(uint32 => mapping(uint256 ringSlot => Tranche)) internal _tranches;
    mapping(uint32 => mapping(uint32 epoch => DepositBatch)) internal _deposits;
    mapping(uint32 => mapping(uint32 batch => ExitBatch)) internal _exits;
    mapping(address => mapping(uint32 => Holding)) internal _holdings;
    /// @dev Numerai rounds in which the pool has at least one unsettled tranche (any model).
    uint64[] internal _activeRounds;
    /// @dev round → (index in _activeRounds + 1) << 128 | unsettled tranches in it.
    mapping(uint64 => uint256) internal _activeRound;

    // ------------------------------------------------------------------ views returned to the app

    struct ModelView {
        uint32 id;
        bytes32 numeraiModelId;
        address operator;
        uint16 feeBps; // fee for a tranche staked now
        uint16 nextFeeBps; // == feeBps when nothing is scheduled
        uint64 nextFeeAt; // 0 when nothing is scheduled
        uint256 capWei;
        uint256 navWei; // idle + at stake
        uint256 idleWei;
        uint256 atStakeWei;
        uint256 totalShares; // includes exitingShares
        uint256 exitingShares;
        uint256 pendingDepositWei; // waiting for the next checkpoint
        uint256 feesOwedWei;
        uint256 owedExitWei; // converted exits not withdrawn
        uint64 headRound; // oldest unsettled tranche (0: none)
        uint64 lastStakedRound;
        uint32 depositEpoch; // the open deposit epoch
    }

    struct Position {
        uint256 shares; // settled shares (converted deposits included), excluding exiting ones
        uint256 valueWei; // their value now
        uint256 pendingDepositWei; // waiting for a checkpoint; cancellable
        uint256 exitingShares; // requested out, still at risk
        uint256 exitingValueWei; // their value now
        uint64 unlockRound; // they convert at the first checkpoint after every tranche up to this round settled (0: none staked)
        uint256 withdrawableWei; // converted exits
    }

    // ------------------------------------------------------------------ events

    event ModelRegistered(
        uint32 indexed modelId, bytes32 indexed numeraiModelId, string name, address operator, uint16 feeBps, uint256 capWei
    );
    /// @notice `amountWei` moved in and waits in deposit `epoch` of the model (converts at a checkpoint).
    event Delegated(address indexed holder, uint32 indexed modelId, uint32 indexed epoch, uint256 amountWei);
    event DepositCancelled(address indexed holder, uint32 indexed modelId, uint32 indexed epoch, uint256 amountWei);
    /// @notice Deposit `epoch` became `sharesMinted` shares; a holder's `d` of it gets floor(d·sharesMinted/amountWei).
    event DepositsConverted(
        uint32 indexed modelId, uint32 indexed epoch, uint256 amountWei, uint256 sharesMinted, uint256 navAfterWei, uint256 totalSharesAfter
    );
    /// @notice A holder's share of a converted epoch, booked lazily on the holder's next action.
    event SharesIssued(address indexed holder, uint32 indexed modelId, uint32 indexed epoch, uint256 amountWei, uint256 shares);
    /// @notice `shares` requested out into exit `batch`; `exitingShares` is the holder's whole pending exit
    /// now (an earlier unconverted request is moved into this batch). They convert once every tranche up to
    /// `unlockRound` has settled (0: no tranche is unsettled).
    event RedeemRequested(
        address indexed holder, uint32 indexed modelId, uint32 indexed batch, uint256 shares, uint64 unlockRound, uint256 exitingShares
    );
    /// @notice Exit `batch` converted: `shares` burned for `assetsWei`; a holder's `s` of it gets floor(s·assetsWei/shares).
    event ExitsConverted(
        uint32 indexed modelId, uint32 indexed batch, uint256 shares, uint256 assetsWei, uint256 navAfterWei, uint256 totalSharesAfter
    );
    event ExitSettled(address indexed holder, uint32 indexed modelId, uint32 indexed batch, uint256 shares, uint256 assetsWei);
    event Withdrawn(address indexed holder, uint32 indexed modelId, uint256 amountWei);
    event TrancheStaked(uint32 indexed modelId, uint64 indexed roundId, uint256 amountWei, uint16 feeBps);
    /// @notice The policy gave zero (or the auth allows zero): nothing staked for this model this round.
    event StakeSkipped(uint32 indexed modelId, uint64 indexed roundId);
    /// @notice A tranche settled at Numerai: `returnedWei` came back (stake + payout − burn). `feeWei` of the
    /// gain went to the operator. `alreadySettled`: read from Numerai (finalized, or claimed there directly).
    event TrancheSettled(
        uint32 indexed modelId, uint64 indexed roundId, uint256 principalWei, uint256 returnedWei, uint256 feeWei, bool alreadySettled
    );
    event FeeChangeScheduled(uint32 indexed modelId, uint16 currentFeeBps, uint16 newFeeBps, uint64 effectiveAt);
    event FeeChangeApplied(uint32 indexed modelId, uint16 feeBps);
    event FeesClaimed(uint32 indexed modelId, address indexed operator, uint256 amountWei);
    event CapChanged(uint32 indexed modelId, uint256 previousCapWei, uint256 newCapWei);

    // ------------------------------------------------------------------ errors

    error ZeroAddress();
    error InvalidConcurrentRounds(uint32 concurrentRounds);
    error InvalidFeeNotice();
    error InvalidName();
    error InvalidNumeraiModelId();
    error NumeraiModelTaken(bytes32 numeraiModelId, uint32 modelId);
    error FeeTooHigh(uint16 feeBps, uint16 maxFeeBps);
    error UnknownModel(uint32 modelId);
    error ZeroAmount();
    error LengthMismatch(uint256 modelIds, uint256 values);
    error EmptyBatch();
    error CapExceeded(uint32 modelId, uint256 capWei, uint256 wouldBeWei);
    error InsufficientShares(uint256 requested, uint256 available);
    error NothingToWithdraw();
    error NothingToCancel();
    error NothingToClaim();
    error NotOperator(uint32 modelId, address caller);
    /// @notice A model's rounds are staked in increasing order.
    error RoundNotAfterLast(uint32 modelId, uint256 roundId, uint64 lastStakedRound);
    /// @notice Numerai posted the root of `roundId`, where `modelId` has an unsettled tranche: claim it
    /// first (anyone may), so that conversions happen at a price that includes it.
    error ClaimRoundFirst(uint256 roundId, uint32 modelId);
    /// @notice The pool has no unsettled tranche for (round, model).
    error NoTranche(uint256 roundId, uint32 modelId);
    /// @notice The model's tranche of `oldestRound` is still unsettled and TRANCHE_RING (64) rounds old:
    /// claim it (or let Numerai finalize it and claim) before staking this round.
    error TrancheRingFull(uint32 modelId, uint64 oldestRound);

    // ------------------------------------------------------------------ construction

    constructor(
        address nmr_,
        address numeraiStaking_,
        address admin,
        uint48 adminDelay,
        uint32 concurrentRounds_,
        uint64 feeNoticeSeconds_
    ) AccessControlDefaultAdminRules(adminDelay, admin) {
        if (nmr_ == address(0) || numeraiStaking_ == address(0)) revert ZeroAddress();
        if (concurrentRounds_ == 0 || concurrentRounds_ > MAX_CONCURRENT_ROUNDS) {
            revert InvalidConcurrentRounds(concurrentRounds_);
        }
        if (feeNoticeSeconds_ == 0 || feeNoticeSeconds_ > type(uint32).max) revert InvalidFeeNotice();
        nmr = IERC20(nmr_);
        numeraiStaking = numeraiStaking_;
        numeraiTournamentId = NumeraiStakingAdapter.tournamentId(numeraiStaking_);
        concurrentRounds = concurrentRounds_;
        feeNoticeSeconds = feeNoticeSeconds_;
        _grantRole(MODEL_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        // One approval for the pool's life (NMR's approve only moves an allowance from or to zero, and
        // this is the zero one). NMR decrements even a maximal allowance, but 2^256-1 wei outlasts any supply.
        if (!IERC20(nmr_).approve(numeraiStaking_, type(uint256).max)) {
            revert SafeERC20.SafeERC20FailedOperation(nmr_);
        }
    }

    // ------------------------------------------------------------------ admin

    /// @notice Registers a model by its Numerai model id (the bytes32 Numerai's staking contract uses).
    function registerModel(bytes32 numeraiModelId, string calldata name, address operator, uint16 feeBps, uint256 capWei)
        external
        onlyRole(MODEL_ADMIN_ROLE)
        whenNotPaused
        returns (uint32 modelId)
    {
        if (operator == address(0)) revert ZeroAddress();
        if (numeraiModelId == bytes32(0)) revert InvalidNumeraiModelId();
        if (bytes(name).length == 0 || bytes(name).length > 64) revert InvalidName();
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps, MAX_FEE_BPS);
        uint32 taken = modelIdOf[numeraiModelId];
        if (taken != 0) revert NumeraiModelTaken(numeraiModelId, taken);
        modelId = ++_modelCount;
        Model storage m = _models[modelId];
        m.numeraiModelId = numeraiModelId;
        m.name = name;
        m.operator = operator;
        m.capWei = _clampCap(capWei);
        m.feeBps = feeBps;
        m.nextFeeBps = feeBps;
        m.depositEpoch = 1;
        m.exitHead = 1;
        m.exitTail = 1;
        modelIdOf[numeraiModelId] = modelId;
        // Pays every ring slot's first write now (22,100 gas each, once per model) so that each stake
        // rewrites a non-zero slot instead.
        mapping(uint256 => Tranche) storage ring = _tranches[modelId];
        for (uint256 i; i < TRANCHE_RING; ++i) ring[i].written = true;
        emit ModelRegistered(modelId, numeraiModelId, name, operator, feeBps, m.capWei);
    }

    /// @notice Changes a model's cap on new delegations (nobody is ever forced out).
    function setCap(uint32 modelId, uint256 capWei) external onlyRole(MODEL_ADMIN_ROLE) {
        Model storage m = _model(modelId);
        uint96 cap = _clampCap(capWei);
        emit CapChanged(modelId, m.capWei, cap);
        m.capWei = cap;
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------ operator

    /// @notice Schedules a new fee; it applies to tranches staked `feeNoticeSeconds` from now on, so a
    /// holder who disagrees can leave before any tranche carries it.
    function scheduleFeeChange(uint32 modelId, uint16 newFeeBps) external {
        Model storage m = _model(modelId);
        if (msg.sender != m.operator) revert NotOperator(modelId, msg.sender);
        if (newFeeBps > MAX_FEE_BPS) revert FeeTooHigh(newFeeBps, MAX_FEE_BPS);
        // A due change is folded in first, as a stake would (stakeRound does it on its Book).
        uint16 current = m.feeBps;
        uint64 due = m.nextFeeAt;
        if (due != 0 && block.timestamp >= due) {
            current = m.nextFeeBps;
            m.feeBps = current;
            emit FeeChangeApplied(modelId, current);
        }
        uint64 effectiveAt = uint64(block.timestamp) + feeNoticeSeconds;
        m.nextFeeBps = newFeeBps;
        m.nextFeeAt = uint48(effectiveAt); // < 2^48: the constructor bounds the notice
        emit FeeChangeScheduled(modelId, current, newFeeBps, effectiveAt);
    }

    /// @notice Pays the model's operator its earned fees. Works while paused.
    function claimFees(uint32 modelId) external nonReentrant returns (uint256 amount) {
        Model storage m = _model(modelId);
        address op = m.operator;
        if (msg.sender != op) revert NotOperator(modelId, msg.sender);
        amount = m.feesOwedWei;
        if (amount == 0) revert NothingToClaim();
        m.feesOwedWei = 0;
        emit FeesClaimed(modelId, op, amount);
        nmr.safeTransfer(op, amount);
    }

    // ------------------------------------------------------------------ holders

    /// @notice Moves `amountWei` NMR in as a pending deposit to a model; it becomes shares at the next
    /// checkpoint of the model (at a price that includes every posted root), and can be cancelled until then.
    function delegate(uint32 modelId, uint256 amountWei) external nonReentrant whenNotPaused {
        _delegate(msg.sender, modelId, amountWei);
        nmr.safeTransferFrom(msg.sender, address(this), amountWei);
    }

    /// @notice Several delegations, one token transfer.
    function delegateBatch(uint32[] calldata modelIds, uint256[] calldata amountsWei) external nonReentrant whenNotPaused {
        if (modelIds.length == 0) revert EmptyBatch();
        if (modelIds.length != amountsWei.length) revert LengthMismatch(modelIds.length, amountsWei.length);
        uint256 total;
        for (uint256 i; i < modelIds.length; ++i) {
            _delegate(msg.sender, modelIds[i], amountsWei[i]);
            total += amountsWei[i];
        }
        nmr.safeTransferFrom(msg.sender, address(this), total);
    }

    /// @notice Takes back a deposit that has not converted yet. Works while paused.
    function cancelDeposit(uint32 modelId) external nonReentrant returns (uint256 amount) {
        Model storage m = _model(modelId);
        Holding memory h = _syncHolder(msg.sender, modelId, m);
        amount = h.depositWei;
        if (amount == 0) revert NothingToCancel();
        uint32 epoch = h.depositEpoch;
        h.depositWei = 0;
        h.depositEpoch = 0;
        _holdings[msg.sender][modelId] = h;
        _deposits[modelId][epoch].amountWei -= uint96(amount);
        m.pendingDepositWei -= uint96(amount);
        emit DepositCancelled(msg.sender, modelId, epoch, amount);
        nmr.safeTransfer(msg.sender, amount);
    }

    /// @notice Requests an exit of `shares`. They stay at risk until every tranche of the model staked
    /// before now has settled (the unlock round, emitted), then convert at the next checkpoint. An
    /// earlier unconverted request of the holder joins this one (its wait restarts).
    function requestRedeem(uint32 modelId, uint256 shares) external nonReentrant whenNotPaused {
        if (shares == 0) revert ZeroAmount();
        Model storage m = _model(modelId);
        Holding memory h = _syncHolder(msg.sender, modelId, m);
        if (shares > h.shares) revert InsufficientShares(shares, h.shares);
        (, uint64 unlock) = _unsettledRange(m.trancheBits, m.lastStakedRound);
        uint32 tail = m.exitTail;
        uint32 batch;
        if (tail > m.exitHead && _exits[modelId][tail - 1].unlockRound == unlock) {
            batch = tail - 1;
        } else {
            batch = tail;
            m.exitTail = tail + 1;
            _exits[modelId][batch].unlockRound = unlock;
        }
        uint256 moved = shares;
        if (h.exitShares != 0 && h.exitBatch != batch) {
            _exits[modelId][h.exitBatch].shares -= h.exitShares; // unconverted (synced above)
            moved += h.exitShares;
        }
        _exits[modelId][batch].shares += moved.toUint128();
        m.exitingShares += shares.toUint128();
        h.shares -= uint128(shares);
        h.exitShares += uint128(shares);
        h.exitBatch = batch;
        _holdings[msg.sender][modelId] = h;
        emit RedeemRequested(msg.sender, modelId, batch, shares, unlock, h.exitShares);
    }

    /// @notice Pays the holder's converted exits of a model. Works while paused.
    function withdraw(uint32 modelId) external nonReentrant returns (uint256 amount) {
        Model storage m = _model(modelId);
        Holding memory h = _syncHolder(msg.sender, modelId, m);
        amount = h.withdrawableWei;
        if (amount == 0) revert NothingToWithdraw();
        h.withdrawableWei = 0;
        _holdings[msg.sender][modelId] = h;
        m.owedExitWei -= uint96(amount);
        emit Withdrawn(msg.sender, modelId, amount);
        nmr.safeTransfer(msg.sender, amount);
    }

    // ------------------------------------------------------------------ rounds

    /// @notice Converts the models' pending deposits and matured exits, at a price that includes every
    /// posted root: reverts with ClaimRoundFirst if a round where a model has an unsettled tranche has
    /// its root posted. Anyone may call it; it works while paused.
    function checkpoint(uint32[] calldata modelIds) external nonReentrant {
        uint64[] memory posted = _postedActiveRounds();
        for (uint256 i; i < modelIds.length; ++i) {
            uint32 id = modelIds[i];
            Model storage m = _model(id);
            Book memory b = _load(m);
            _requireNoPostedRoot(id, b.trancheBits, b.lastStakedRound, posted);
            _convert(id, m, b);
            _save(m, b);
        }
    }

    /// @notice Stakes one tranche per model with the authorizations Numerai's API issued (`v3StakeAuth`,
    /// naming this pool as the staker). Anyone may submit them: Numerai's signature is the permission.
    /// The pool stakes as itself on the model's own Numerai id, so an authorization for another staker or
    /// model fails Numerai's signature check (see NumeraiStakingAdapter.Authorization).
    /// Each model is checkpointed first; the amount is the pool's policy, `stakeable(modelId)` capped by
    /// the authorization's maximum; zero skips the model.
    function stakeRound(uint32[] calldata modelIds, NumeraiStakingAdapter.Authorization[] calldata auths)
        external
        nonReentrant
        whenNotPaused
    {
        uint256 n = modelIds.length;
        if (n == 0) revert EmptyBatch();
        if (auths.length != n) revert LengthMismatch(n, auths.length);
        uint64[] memory posted = _postedActiveRounds();
        // Tranches are counted into their round once per run of equal rounds, not once per model.
        uint64 countRound;
        uint256 count;
        for (uint256 i; i < n; ++i) {
            uint256 free;
            assembly ("memory-safe") {
                free := mload(0x40)
            }
            uint64 staked = _stakeOne(modelIds[i], auths[i], posted);
            // Nothing _stakeOne allocates outlives it: reusing its memory keeps the batch's memory (and
            // its quadratic expansion cost) at one model's size.
            assembly ("memory-safe") {
                mstore(0x40, free)
            }
            if (staked == 0) continue;
            if (staked != countRound) {
                if (count != 0) _countTranches(countRound, count);
                countRound = staked;
                count = 0;
            }
            ++count;
        }
        if (count != 0) _countTranches(countRound, count);
    }

    /// @dev One model of stakeRound: checks the authorization, checkpoints, stakes the policy's amount.
    /// Returns the round staked (0: skipped); the caller counts the tranche into its round.
    function _stakeOne(uint32 id, NumeraiStakingAdapter.Authorization calldata auth, uint64[] memory posted)
        internal
        returns (uint64)
    {
        Model storage m = _models[id];
        bytes32 numeraiId = m.numeraiModelId; // read once: it is also the existence check (see _model)
        if (numeraiId == bytes32(0)) revert UnknownModel(id);
        (uint256 roundId, uint256 maxAmount) = NumeraiStakingAdapter.terms(auth);
        uint64 round = roundId.toUint48();
        Book memory b = _load(m);
        _checkNextRound(id, b, round, posted);
        _convert(id, m, b);
        uint256 amount = _stakeable(b);
        if (amount > maxAmount) amount = maxAmount;
        if (amount == 0) {
            _save(m, b);
            emit StakeSkipped(id, round);
            return 0;
        }
        uint16 fee = _foldFee(id, b);
        _addTranche(id, b, round, uint96(amount), fee);
        _save(m, b);
        emit TrancheStaked(id, round, amount, fee);
        NumeraiStakingAdapter.stake(numeraiStaking, numeraiTournamentId, numeraiId, auth, amount);
        return round;
    }

    /// @notice Settles the pool's tranche of (round, model) and books its result: anyone may relay the
    /// claim Numerai's API gives (`v3StakeClaim`); Numerai's contract verifies the proof. If Numerai
    /// already settled the position (finalized after its grace period, or claimed there directly), its
    /// posted root is checked against (payout, burn, proof) and their result booked. Works while paused.
    function claim(uint256 roundId, uint32 modelId, uint256 payoutWei, uint256 burnWei, bytes32[] calldata proof)
        external
        nonReentrant
    {
        Model storage m = _model(modelId);
        uint64 round = roundId.toUint64();
        Tranche memory tr = _tranches[modelId][round % TRANCHE_RING];
        if (!_unsettled(m.trancheBits, tr, round)) revert NoTranche(roundId, modelId);
        bool already = NumeraiStakingAdapter.claimOrVerifySettled(
            numeraiStaking, roundId, m.numeraiModelId, payoutWei, burnWei, proof
        );
        // Numerai pays stake + payout − burn (ABS.md T1); (payout, burn) were checked against its root.
        uint256 returned = uint256(tr.principalWei) + payoutWei - burnWei;
        _book(modelId, m, round, tr, returned, already);
    }

    /// @dev Books a settled tranche: the operator's fee on the gain (at the tranche's fee), the rest idle.
    function _book(uint32 modelId, Model storage m, uint64 round, Tranche memory tr, uint256 returned, bool already) internal {
        uint256 principal = tr.principalWei;
        uint256 fee;
        if (returned > principal) fee = ((returned - principal) * tr.feeBps) / BPS;
        uint96 toIdle = (returned - fee).toUint96();
        _removeTranche(m, round);
        m.idleWei += toIdle;
        m.atStakeWei -= uint96(principal);
        if (fee != 0) m.feesOwedWei += uint96(fee);
        emit TrancheSettled(modelId, round, principal, returned, fee, already);
    }

    // ------------------------------------------------------------------ views

    function model(uint32 modelId) external view returns (ModelView memory) {
        return _modelView(modelId);
    }

    /// @notice The views of the models `firstId` up to `firstId + count - 1` that exist, in id order
    /// (ids start at 1; a range past the last model is cut short, or empty): a list of every model
    /// in a few calls instead of one call a model.
    function modelViews(uint32 firstId, uint32 count) external view returns (ModelView[] memory views) {
        uint256 from = firstId == 0 ? 1 : firstId;
        uint256 to = uint256(firstId) + count; // exclusive
        if (to > uint256(_modelCount) + 1) to = uint256(_modelCount) + 1;
        if (from >= to) return new ModelView[](0);
        views = new ModelView[](to - from);
        for (uint256 id = from; id < to; ++id) {
            views[id - from] = _modelView(uint32(id));
        }
    }

    function positionOf(address holder, uint32 modelId) external view returns (Position memory) {
        return _position(holder, modelId);
    }

    /// @notice Pool-wide sums: the pool's NMR balance is idle + pending deposits + owed exits + fees (the
    /// principal at stake is at Numerai).
    function totals()
        external
        view
        returns (uint256 idleWei, uint256 atStakeWei, uint256 pendingDepositWei, uint256 owedExitWei, uint256 feesOwedWei)
    {
        for (uint32 id = 1; id <= _modelCount; ++id) {
            Model storage m = _models[id];
            idleWei += m.idleWei;
            atStakeWei += m.atStakeWei;
            pendingDepositWei += m.pendingDepositWei;
            owedExitWei += m.owedExitWei;
            feesOwedWei += m.feesOwedWei;
        }
    }

    /// @notice An unsettled tranche (principal 0 when there is none) and the fee it carries.
    function tranche(uint32 modelId, uint64 roundId) external view returns (uint256 principalWei, uint16 feeBps) {
        Tranche memory tr = _tranches[modelId][roundId % TRANCHE_RING];
        if (!_unsettled(_models[modelId].trancheBits, tr, roundId)) return (0, 0);
        return (tr.principalWei, tr.feeBps);
    }

    /// @notice Numerai rounds in which the pool has an unsettled tranche (any model), in no particular order.
    function activeRounds() external view returns (uint64[] memory) {
        return _activeRounds;
    }

    /// @notice What the policy would stake for the model now (before the authorization's cap, and before
    /// the checkpoint stakeRound runs first): min(idle NMR not needed by exits, NAV of the shares not
    /// leaving ÷ concurrentRounds).
    function stakeable(uint32 modelId) external view returns (uint256) {
        return _stakeable(_load(_model(modelId)));
    }

    // ------------------------------------------------------------------ internals: conversions

    function _nav(Model storage m) internal view returns (uint256) {
        return uint256(m.idleWei) + m.atStakeWei;
    }

    function _toAssets(uint256 shares, uint256 totalShares, uint256 nav) internal pure returns (uint256) {
        return (shares * (nav + 1)) / (totalShares + VIRTUAL_SHARES);
    }

    /// @dev The staking policy: idle NMR minus what the exiting shares are worth (rounded up, so matured
    /// exits always find their NMR idle), capped at the NAV of the staying shares ÷ concurrentRounds.
    function _stakeable(Book memory b) internal view returns (uint256) {
        // Unchecked: NMR figures are below 2^98 (uint96 fields, plus at most one epoch's deposits) and
        // shares below 2^128, so no sum or product here comes near 2^256; subtractions are guarded.
        unchecked {
            uint256 idle = b.idleWei;
            uint256 nav = idle + b.atStakeWei;
            uint256 ts = b.totalShares + VIRTUAL_SHARES;
            uint256 exitingValue = (b.exitingShares * (nav + 1) + ts - 1) / ts;
            if (idle <= exitingValue) return 0;
            uint256 free = idle - exitingValue;
            uint256 staying = nav > exitingValue ? nav - exitingValue : 0;
            uint256 perRound = staying / concurrentRounds;
            return free < perRound ? free : perRound;
        }
    }

    /// @dev A model's slots 0–2 (see Book).
    function _load(Model storage m) internal view returns (Book memory b) {
        b.idleWei = m.idleWei;
        b.atStakeWei = m.atStakeWei;
        b.trancheBits = m.trancheBits;
        b.totalShares = m.totalShares;
        b.exitingShares = m.exitingShares;
        b.pendingDepositWei = m.pendingDepositWei;
        b.depositEpoch = m.depositEpoch;
        b.feeBps = m.feeBps;
        b.nextFeeBps = m.nextFeeBps;
        b.lastStakedRound = m.lastStakedRound;
        b.nextFeeAt = m.nextFeeAt;
    }

    /// @dev Stores a Book back (one write per slot: the optimizer merges a slot's field writes). The NMR
    /// figures grow in the Book and are checked here, as `+=` on the packed fields did; shares were
    /// range-checked by the conversion that made them and only shrink otherwise; rounds are < 2^48
    /// (stakeRound) and fee times < 2^48 (constructor); pending deposits only go to zero.
    function _save(Model storage m, Book memory b) internal {
        // One check for both, before the first write, so that the writes stay one straight run the
        // optimizer can merge.
        uint256 idle = b.idleWei;
        uint256 atStake = b.atStakeWei;
        if ((idle | atStake) > type(uint96).max) {
            revert SafeCast.SafeCastOverflowedUintDowncast(96, idle > atStake ? idle : atStake);
        }
        m.idleWei = uint96(idle);
        m.atStakeWei = uint96(atStake);
        m.trancheBits = b.trancheBits;
        m.totalShares = uint128(b.totalShares);
        m.exitingShares = uint128(b.exitingShares);
        m.pendingDepositWei = uint96(b.pendingDepositWei);
        m.depositEpoch = b.depositEpoch;
        m.feeBps = b.feeBps;
        m.nextFeeBps = b.nextFeeBps;
        m.lastStakedRound = uint48(b.lastStakedRound);
        m.nextFeeAt = uint48(b.nextFeeAt);
    }

    /// @dev Converts the model's matured exit batches (in order, while idle NMR covers them) and then its
    /// pending deposits, at the current price, in `b` (the caller saves it). Callers check posted roots first.
    function _convert(uint32 id, Model storage m, Book memory b) internal {
        // exitingShares is the sum of the waiting batches' shares and the newest batch is never empty, so
        // it is 0 exactly when no batch waits: the exit pointers' slot is read only when one does.
        if (b.exitingShares != 0) {
            uint32 head = m.exitHead;
            uint32 tail = m.exitTail;
            uint64 oldest = _oldestUnsettled(b.trancheBits, b.lastStakedRound);
            uint96 paid;
            uint256 idle = b.idleWei;
            uint256 nav = idle + b.atStakeWei;
            uint256 ts = b.totalShares;
            uint256 exiting = b.exitingShares;
            for (; head < tail; ++head) {
                ExitBatch storage e = _exits[id][head];
                if (oldest != 0 && oldest <= e.unlockRound) break; // a tranche it is at risk in is unsettled
                uint256 shares = e.shares;
                uint256 assets = _toAssets(shares, ts, nav);
                if (assets > idle) break; // wait for NMR to come back from staking (policy makes this rare)
                e.assetsWei = uint96(assets);
                ts -= shares;
                nav -= assets;
                idle -= assets;
                exiting -= shares;
                paid += uint96(assets);
                emit ExitsConverted(id, head, shares, assets, nav, ts);
            }
            if (paid != 0 || head != m.exitHead) {
                m.exitHead = head;
                m.owedExitWei += paid;
                b.totalShares = ts;
                b.idleWei = idle;
                b.exitingShares = exiting;
            }
        }
        uint256 deposits = b.pendingDepositWei;
        if (deposits != 0) {
            uint32 epoch = b.depositEpoch;
            uint256 ts = b.totalShares;
            uint256 nav;
            uint256 minted;
            // Unchecked: NMR figures are below 2^98 and shares below 2^128 (see _stakeable); the casts
            // below still check that the new shares fit.
            unchecked {
                nav = b.idleWei + b.atStakeWei;
                minted = (deposits * (ts + VIRTUAL_SHARES)) / (nav + 1);
                b.idleWei += deposits;
            }
            _deposits[id][epoch].sharesMinted = minted.toUint128();
            b.totalShares = uint256((ts + minted).toUint128());
            b.pendingDepositWei = 0;
            b.depositEpoch = epoch + 1;
            emit DepositsConverted(id, epoch, deposits, minted, nav + deposits, ts + minted);
        }
    }

    /// @dev Books a holder's converted deposit and exit (lazily, at their batch's figures).
    function _syncHolder(address holder, uint32 id, Model storage m) internal returns (Holding memory h) {
        h = _holdings[holder][id];
        if (h.depositWei != 0 && h.depositEpoch < m.depositEpoch) {
            DepositBatch memory b = _deposits[id][h.depositEpoch];
            uint256 shares = (uint256(h.depositWei) * b.sharesMinted) / b.amountWei;
            emit SharesIssued(holder, id, h.depositEpoch, h.depositWei, shares);
            h.shares += uint128(shares); // ≤ the batch's minted shares, a uint128
            h.depositWei = 0;
            h.depositEpoch = 0;
        }
        if (h.exitShares != 0 && h.exitBatch < m.exitHead) {
            ExitBatch memory b = _exits[id][h.exitBatch];
            uint256 assets = (uint256(h.exitShares) * b.assetsWei) / b.shares;
            emit ExitSettled(holder, id, h.exitBatch, h.exitShares, assets);
            h.withdrawableWei += uint96(assets); // ≤ the batch's assets; all NMR fits a uint96
            h.exitShares = 0;
            h.exitBatch = 0;
        }
    }

    function _delegate(address holder, uint32 id, uint256 amount) internal {
        if (amount == 0) revert ZeroAmount();
        Model storage m = _model(id);
        uint256 wouldBe = _nav(m) + m.pendingDepositWei + amount;
        if (wouldBe > m.capWei) revert CapExceeded(id, m.capWei, wouldBe);
        Holding memory h = _syncHolder(holder, id, m);
        uint32 epoch = m.depositEpoch;
        uint96 a = amount.toUint96();
        h.depositWei += a;
        h.depositEpoch = epoch;
        _holdings[holder][id] = h;
        _deposits[id][epoch].amountWei += a;
        m.pendingDepositWei += a;
        emit Delegated(holder, id, epoch, amount);
    }

    // ------------------------------------------------------------------ internals: tranches and rounds

    /// @dev The fee for a tranche staked now, folding a scheduled change in (in `b`) once it is due.
    function _foldFee(uint32 id, Book memory b) internal returns (uint16) {
        uint64 due = b.nextFeeAt;
        if (due != 0 && block.timestamp >= due) {
            uint16 next = b.nextFeeBps;
            b.feeBps = next;
            b.nextFeeAt = 0;
            emit FeeChangeApplied(id, next);
        }
        return b.feeBps;
    }

    function _addTranche(uint32 id, Book memory b, uint64 round, uint96 amount, uint16 fee) internal {
        uint256 ringSlot = round % TRANCHE_RING;
        // Field by field: `written` is already true (registration), and the three writes merge into one.
        Tranche storage t = _tranches[id][ringSlot];
        t.principalWei = amount;
        t.feeBps = fee;
        t.roundId = round;
        b.trancheBits |= uint64(1 << ringSlot);
        b.lastStakedRound = round; // < 2^48: checked by stakeRound
        // Unchecked: `amount` is at most the idle NMR (_stakeable), and _save checks the sum fits 96 bits.
        unchecked {
            b.idleWei -= amount;
            b.atStakeWei += amount;
        }
    }

    /// @dev Counts `count` new unsettled tranches into `round` (adding it to the active rounds if new).
    function _countTranches(uint64 round, uint256 count) internal {
        uint256 slot = _activeRound[round];
        if (slot == 0) {
            _activeRounds.push(round);
            _activeRound[round] = (_activeRounds.length << 128) | count;
        } else {
            _activeRound[round] = slot + count;
        }
    }

    /// @dev Clears the tranche's bit (its ring slot keeps its words) and counts it out of its round.
    function _removeTranche(Model storage m, uint64 round) internal {
        m.trancheBits &= ~uint64(1 << (round % TRANCHE_RING));
        uint256 slot = _activeRound[round] - 1;
        if (uint128(slot) == 0) {
            uint256 index = (slot >> 128) - 1;
            uint256 last = _activeRounds.length - 1;
            if (index != last) {
                uint64 moved = _activeRounds[last];
                _activeRounds[index] = moved;
                _activeRound[moved] = ((index + 1) << 128) | uint128(_activeRound[moved]);
            }
            _activeRounds.pop();
            delete _activeRound[round];
        } else {
            _activeRound[round] = slot;
        }
    }

    function _unsettled(uint64 bits, Tranche memory tr, uint256 round) internal pure returns (bool) {
        return tr.roundId == round && bits & (1 << (round % TRANCHE_RING)) != 0;
    }

    /// @dev The oldest and newest unsettled round (0, 0: none). Every unsettled round r lies in
    /// (last - TRANCHE_RING, last], so rotating the bits right by (last + 1) % TRANCHE_RING puts round
    /// last + 1 - TRANCHE_RING + k at bit k.
    function _unsettledRange(uint64 bits, uint64 last) internal pure returns (uint64 oldest, uint64 newest) {
        if (bits == 0) return (0, 0);
        uint256 rotated = _rotated(bits, last);
        uint256 base = uint256(last) + 1; // + k - TRANCHE_RING >= 1 for every set bit k
        unchecked {
            oldest = uint64(base + Math.log2(rotated & (0 - rotated)) - TRANCHE_RING);
        }
        newest = uint64(base + Math.log2(rotated) - TRANCHE_RING);
    }

    /// @dev The oldest unsettled round alone (0: none): one bit scan instead of two, for stakeRound.
    function _oldestUnsettled(uint64 bits, uint64 last) internal pure returns (uint64) {
        if (bits == 0) return 0;
        uint256 rotated = _rotated(bits, last);
        unchecked {
            return uint64(uint256(last) + 1 + Math.log2(rotated & (0 - rotated)) - TRANCHE_RING);
        }
    }

    function _rotated(uint64 bits, uint64 last) private pure returns (uint256) {
        uint256 shift = (uint256(last) + 1) % TRANCHE_RING;
        uint256 b = bits;
        return ((b >> shift) | (b << (TRANCHE_RING - shift))) & type(uint64).max;
    }

    /// @dev A round the model can stake now: after its last one, no posted round unclaimed, and its
    /// oldest unsettled tranche less than TRANCHE_RING rounds older.
    function _checkNextRound(uint32 id, Book memory b, uint64 round, uint64[] memory posted) internal pure {
        uint64 last = b.lastStakedRound;
        if (round <= last) revert RoundNotAfterLast(id, round, last);
        uint64 bits = b.trancheBits;
        _requireNoPostedRoot(id, bits, last, posted);
        uint64 oldest = _oldestUnsettled(bits, last);
        if (oldest != 0 && oldest + TRANCHE_RING <= round) revert TrancheRingFull(id, oldest);
    }

    /// @dev The active rounds whose root Numerai has posted (one view per active round).
    function _postedActiveRounds() internal view returns (uint64[] memory posted) {
        uint256 n = _activeRounds.length;
        posted = new uint64[](n);
        uint256 k;
        address staking = numeraiStaking;
        for (uint256 i; i < n; ++i) {
            uint64 r = _activeRounds[i];
            if (NumeraiStakingAdapter.rootPosted(staking, r)) posted[k++] = r;
        }
        assembly ("memory-safe") {
            mstore(posted, k)
        }
    }

    function _requireNoPostedRoot(uint32 id, uint64 bits, uint64 last, uint64[] memory posted) internal pure {
        for (uint256 i; i < posted.length; ++i) {
            uint256 r = posted[i];
            if (r <= last && r + TRANCHE_RING > last && bits & (1 << (r % TRANCHE_RING)) != 0) {
                revert ClaimRoundFirst(r, id);
            }
        }
    }

    // ------------------------------------------------------------------ internals: views

    function _model(uint32 id) internal view returns (Model storage m) {
        m = _models[id];
        // Every registered model has a non-zero Numerai id (slot 4, which stake and claim read anyway).
        if (m.numeraiModelId == bytes32(0)) revert UnknownModel(id);
    }

    function _modelView(uint32 id) internal view returns (ModelView memory v) {
        Model storage m = _model(id);
        v.id = id;
        v.numeraiModelId = m.numeraiModelId;
        v.operator = m.operator;
        v.feeBps = m.feeBps;
        v.nextFeeBps = m.nextFeeBps;
        v.nextFeeAt = m.nextFeeAt;
        if (v.nextFeeAt != 0 && block.timestamp >= v.nextFeeAt) {
            v.feeBps = v.nextFeeBps;
            v.nextFeeAt = 0;
        }
        if (v.nextFeeAt == 0) v.nextFeeBps = v.feeBps;
        v.capWei = m.capWei;
        v.idleWei = m.idleWei;
        v.atStakeWei = m.atStakeWei;
        v.navWei = v.idleWei + v.atStakeWei;
        v.totalShares = m.totalShares;
        v.exitingShares = m.exitingShares;
        v.pendingDepositWei = m.pendingDepositWei;
        v.feesOwedWei = m.feesOwedWei;
        v.owedExitWei = m.owedExitWei;
        (v.headRound,) = _unsettledRange(m.trancheBits, m.lastStakedRound);
        v.lastStakedRound = m.lastStakedRound;
        v.depositEpoch = m.depositEpoch;
    }

    /// @dev The holder's position with converted batches already booked (what _syncHolder would do).
    function _position(address holder, uint32 id) internal view returns (Position memory p) {
        Model storage m = _model(id);
        Holding memory h = _holdings[holder][id];
        uint256 shares = h.shares;
        uint256 withdrawable = h.withdrawableWei;
        if (h.depositWei != 0) {
            if (h.depositEpoch < m.depositEpoch) {
                DepositBatch memory b = _deposits[id][h.depositEpoch];
                shares += (uint256(h.depositWei) * b.sharesMinted) / b.amountWei;
            } else {
                p.pendingDepositWei = h.depositWei;
            }
        }
        uint256 nav = _nav(m);
        uint256 ts = m.totalShares;
        if (h.exitShares != 0) {
            ExitBatch memory b = _exits[id][h.exitBatch];
            if (h.exitBatch < m.exitHead) {
                withdrawable += (uint256(h.exitShares) * b.assetsWei) / b.shares;
            } else {
                p.exitingShares = h.exitShares;
                p.exitingValueWei = _toAssets(h.exitShares, ts, nav);
                p.unlockRound = b.unlockRound;
            }
        }
        p.shares = shares;
        p.valueWei = _toAssets(shares, ts, nav);
        p.withdrawableWei = withdrawable;
    }

    function _clampCap(uint256 capWei) internal pure returns (uint96) {
        return capWei > type(uint96).max ? type(uint96).max : uint96(capWei);
    }
}
