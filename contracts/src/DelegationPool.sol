// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @dev The part of NMR the pool uses besides ERC-20: burning its own tokens. Mainnet NMR has no
/// `burn`; its burn is `mint(uint256)`, which reports failure by returning false (it runs through
/// `delegatecall`), so the result must be checked (../shared/reference/NMR.md).
interface INumeraireBurn {
    function mint(uint256 value) external returns (bool);
}

/// @title DelegationPool — delegate NMR to Numerai models, share their per-round results
/// @notice One pool holds NMR for many models. Each model has its own shares; a reporter posts each
/// round's signed return per model (±5% max). Gains are paid from a reward reserve (minus the operator
/// fee), losses are burned. Stake delegated in round r is at risk from round r+1; an undelegation
/// requested in round r stays at risk for `lockRounds` results (r .. r+lockRounds-1), then is
/// withdrawable. See contracts/README.md for the economics and the event trail.
/// @dev Rounds: `currentRound()` is the open round. Each model also keeps its own `openRound` (the first
/// round whose result is not applied to it yet): normally equal to `currentRound()`, one more once the
/// model's result for the current round has been posted (results may be posted in several batches with
/// `postResults` before `resolveRound` closes the round), and lower if the model was left out of closed
/// rounds — those count as a zero return and are applied lazily ("caught up") the next time the model is
/// touched. Deposits and exit requests are tagged with the model's open round (after catching up).
/// Per model and round the pool records one price (total shares, stake) at which that round's pending
/// deposits became shares and maturing exits became NMR; holders convert lazily at that price, so a
/// resolution costs O(models), never O(holders). Rounding always favours the pool: holders' conversions
/// round down and their sum never exceeds the aggregate the pool booked.
contract DelegationPool is AccessControl, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ------------------------------------------------------------------ constants

    bytes32 public constant MODEL_ADMIN_ROLE = keccak256("MODEL_ADMIN_ROLE");
    bytes32 public constant REPORTER_ROLE = keccak256("REPORTER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint256 internal constant BPS = 10_000;
    /// @notice Largest absolute return a round may post, in basis points (5%).
    int16 public constant MAX_RETURN_BPS = 500;
    /// @notice Largest operator fee, in basis points of gains.
    uint16 public constant MAX_FEE_BPS = 5_000;
    /// @notice Largest `lockRounds` (bounds the work of catching a model up).
    uint32 public constant MAX_LOCK_ROUNDS = 64;
    /// @notice Virtual shares and assets (OpenZeppelin ERC-4626 style offset): value of `s` shares is
    /// `s * (stake + 1) / (totalShares + VIRTUAL_SHARES)`; `a` wei buys `a * (totalShares + VIRTUAL_SHARES) / (stake + 1)`.
    uint256 public constant VIRTUAL_SHARES = 1e6;
    /// @dev Marks a round record that is not resolved yet (bit 255 is never set in a price).
    uint256 internal constant OPEN_RECORD = 1 << 255;
    uint256 internal constant LOW128 = type(uint128).max;

    // ------------------------------------------------------------------ storage

    /// @dev Read and written by every resolution; stored packed in one slot (see _loadCore/_storeCore).
    struct ModelCore {
        uint96 stakeWei; // at risk this round (includes shares requested out but not matured)
        uint96 feesOwedWei; // operator fees earned and not claimed
        uint32 openRound; // first round whose result is not applied yet
        uint16 feeBps; // fee in force
        uint16 nextFeeBps; // == feeBps when no change is scheduled
    }

    /// @dev Read by every resolution, written when deposits convert or exits mature; one packed slot.
    struct ModelFlow {
        uint128 totalShares; // all shares, including those requested out and not matured
        uint96 pendingInWei; // deposits tagged openRound (not at risk yet)
        uint32 lastExitRound; // latest round at whose result exit requests mature (0 = none)
    }

    struct Model {
        uint256 core; // packed ModelCore
        uint256 flow; // packed ModelFlow
        address operator;
        uint32 nextFeeRound; // first round the scheduled fee applies to
        uint96 capWei; // max stake + pending deposits for new delegations
        string name;
    }

    struct Holding {
        // slot 0
        uint128 shares; // settled shares, excluding those requested out
        uint96 pendingInWei; // delegated in round pendingInRound, not converted yet
        uint32 pendingInRound;
        // slot 1
        uint128 pendingOutShares; // requested out, maturing at the result of exitRound
        uint96 withdrawableWei; // matured exits, not withdrawn
        uint32 exitRound; // the last round these shares are at risk for; unlock round = exitRound + 1
    }

    struct Globals {
        uint32 currentRound;
        uint32 modelCount;
        uint96 reserveWei;
        uint96 unlockedWei; // matured exits not withdrawn, all models
    }

    /// @notice The NMR token.
    IERC20 public immutable nmr;
    /// @notice Results an undelegation stays at risk for.
    uint32 public immutable lockRounds;

    Globals internal _g;
    mapping(uint32 modelId => Model) internal _models;
    mapping(address holder => mapping(uint32 modelId => Holding)) internal _holdings;
    /// @dev One word per model and round. Until the model's result for `round` is applied:
    /// `OPEN_RECORD | shares whose exit matures at that result` (written by the first exit request or
    /// deposit of the round, so the resolution's store is never a zero-to-non-zero one). Afterwards: the
    /// round's price `totalShares | stakeWei << 128`, taken after the result and before the round's exits
    /// and deposits, at which holders convert lazily.
    mapping(uint32 modelId => mapping(uint32 round => uint256)) internal _records;

    // ------------------------------------------------------------------ views returned to the app

    struct ModelView {
        uint32 id;
        string name;
        address operator;
        uint16 feeBps; // fee in force for the model's open round
        uint256 capWei;
        uint256 stakeWei; // at risk
        uint256 pendingInWei; // delegated this round, at risk from the next
        uint256 totalShares; // includes pendingOutShares
        uint256 pendingOutShares; // requested out, still at risk
        uint256 feesOwedWei; // operator fees not claimed
        uint16 nextFeeBps; // == feeBps when nothing is scheduled
        uint32 nextFeeRound; // 0 when nothing is scheduled
        uint32 openRound; // first round whose result is not applied to this model yet
    }

    struct Position {
        uint256 shares; // settled shares, EXCLUDING pendingOutShares
        uint256 valueWei; // value now of `shares`
        uint256 pendingInWei; // delegated, not at risk yet
        uint32 pendingInRound; // round it was delegated in (at risk from pendingInRound + 1); 0 if none
        uint256 pendingOutShares; // requested out, still at risk
        uint256 pendingOutValueWei; // value now of pendingOutShares
        uint32 unlockRound; // withdrawable once currentRound() >= unlockRound (or earlier, when the last result is posted); 0 if none
        uint256 withdrawableWei; // matured exits, withdrawable now
    }

    // ------------------------------------------------------------------ events

    event ModelRegistered(uint32 indexed modelId, string name, address indexed operator, uint16 feeBps, uint256 capWei);
    /// @notice `amountWei` delegated in `round`; at risk from round + 1.
    event Delegated(address indexed holder, uint32 indexed modelId, uint32 indexed round, uint256 amountWei);
    /// @notice A delegation of `round` taken back before it was at risk.
    event DelegationCancelled(address indexed holder, uint32 indexed modelId, uint32 indexed round, uint256 amountWei);
    /// @notice A holder's deposit of `round` converted to `shares` (at the price in RoundResolved for that round).
    event SharesIssued(address indexed holder, uint32 indexed modelId, uint32 indexed round, uint256 amountWei, uint256 shares);
    /// @notice `shares` requested out in `round`; at risk through round unlockRound - 1. `pendingOutSharesTotal`
    /// is the holder's whole pending exit after this request: an earlier locked request is merged into
    /// this one and its lock restarts.
    event UndelegateRequested(
        address indexed holder,
        uint32 indexed modelId,
        uint32 indexed round,
        uint256 shares,
        uint32 unlockRound,
        uint256 pendingOutSharesTotal
    );
    /// @notice A holder's matured exit converted to `amountWei`, now withdrawable.
    event ExitSettled(address indexed holder, uint32 indexed modelId, uint32 indexed unlockRound, uint256 shares, uint256 amountWei);
    event Withdrawn(address indexed holder, uint32 indexed modelId, uint256 amountWei);
    /// @notice Result of `round` applied to a model. Price used for that round's conversions:
    /// shares P_S = totalSharesAfter - sharesMinted + exitSharesBurned, stake P_A = stakeBeforeWei +
    /// rewardWei - feeWei - burnedWei; a holder's deposit d gets floor(d * (P_S + VIRTUAL_SHARES) / (P_A + 1))
    /// shares, an exit of s shares pays floor(s * (P_A + 1) / (P_S + VIRTUAL_SHARES)). stakeAfterWei =
    /// P_A - exitAssetsWei + depositsInWei. Emitted with returnBps 0 for a closed round the model was
    /// left out of, when it had deposits or exits to convert.
    event RoundResolved(
        uint32 indexed round,
        uint32 indexed modelId,
        int16 returnBps,
        uint256 stakeBeforeWei,
        uint256 stakeAfterWei,
        uint256 rewardWei,
        uint256 feeWei,
        uint256 burnedWei,
        uint256 depositsInWei,
        uint256 sharesMinted,
        uint256 exitSharesBurned,
        uint256 exitAssetsWei,
        uint256 totalSharesAfter
    );
    /// @notice `round` closed; currentRound() is now round + 1. Models without a result count a zero return.
    event RoundClosed(uint32 indexed round, uint256 reserveAfterWei);
    event ReserveFunded(address indexed from, uint256 amountWei);
    event FeeChangeScheduled(uint32 indexed modelId, uint16 currentFeeBps, uint16 newFeeBps, uint32 effectiveRound);
    event FeeChangeApplied(uint32 indexed modelId, uint32 indexed round, uint16 feeBps);
    event FeesClaimed(uint32 indexed modelId, address indexed operator, uint256 amountWei);
    event OperatorChanged(uint32 indexed modelId, address indexed previousOperator, address indexed newOperator);
    event CapChanged(uint32 indexed modelId, uint256 previousCapWei, uint256 newCapWei);

    // ------------------------------------------------------------------ errors

    error ZeroAddress();
    error InvalidLockRounds(uint32 lockRounds);
    error InvalidFirstRound(uint32 firstRound);
    error InvalidName();
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
    error WrongRound(uint32 round, uint32 currentRound);
    error ReturnOutOfBounds(uint32 modelId, int16 returnBps);
    error AlreadyResolved(uint32 modelId, uint32 round);
    error ReserveTooLow(uint256 neededWei, uint256 availableWei);
    /// @notice NMR's `mint(uint256)` (its burn) returned false, e.g. while the token is stopped.
    error BurnFailed(uint256 amountWei);

    // ------------------------------------------------------------------ construction

    constructor(address nmr_, address admin, uint32 lockRounds_, uint32 firstRound) {
        if (nmr_ == address(0) || admin == address(0)) revert ZeroAddress();
        if (lockRounds_ == 0 || lockRounds_ > MAX_LOCK_ROUNDS) revert InvalidLockRounds(lockRounds_);
        if (firstRound == 0 || firstRound > type(uint32).max / 2) revert InvalidFirstRound(firstRound);
        nmr = IERC20(nmr_);
        lockRounds = lockRounds_;
        _g.currentRound = firstRound;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MODEL_ADMIN_ROLE, admin);
        _grantRole(REPORTER_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
    }

    // ------------------------------------------------------------------ admin

    /// @notice Registers a model. Ids start at 1 and are sequential. A cap above 2^96-1 means no cap.
    function registerModel(string calldata name, address operator, uint16 feeBps, uint256 capWei)
        external
        onlyRole(MODEL_ADMIN_ROLE)
        whenNotPaused
        returns (uint32 modelId)
    {
        if (operator == address(0)) revert ZeroAddress();
        if (bytes(name).length == 0 || bytes(name).length > 64) revert InvalidName();
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps, MAX_FEE_BPS);
        uint96 cap = _clampCap(capWei);
        modelId = ++_g.modelCount;
        Model storage m = _models[modelId];
        _storeCore(m, ModelCore({stakeWei: 0, feesOwedWei: 0, openRound: _g.currentRound, feeBps: feeBps, nextFeeBps: feeBps}));
        m.operator = operator;
        m.capWei = cap;
        m.name = name;
        emit ModelRegistered(modelId, name, operator, feeBps, cap);
    }

    /// @notice Changes a model's cap on new delegations (existing stake is never forced out).
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

    /// @notice Adds NMR to the reward reserve that pays gains. Anyone may fund it; nobody can take it out.
    function fundReserve(uint256 amountWei) external nonReentrant {
        if (amountWei == 0) revert ZeroAmount();
        nmr.safeTransferFrom(msg.sender, address(this), amountWei);
        _g.reserveWei = (uint256(_g.reserveWei) + amountWei).toUint96();
        emit ReserveFunded(msg.sender, amountWei);
    }

    // ------------------------------------------------------------------ operators

    /// @notice Schedules a fee change, effective from round currentRound() + lockRounds + 1, so every
    /// delegator can exit before it applies. A new schedule replaces a pending one (and restarts the
    /// delay); scheduling the fee in force cancels a pending change.
    function scheduleFeeChange(uint32 modelId, uint16 newFeeBps) external {
        Model storage m = _model(modelId);
        if (msg.sender != m.operator) revert NotOperator(modelId, msg.sender);
        if (newFeeBps > MAX_FEE_BPS) revert FeeTooHigh(newFeeBps, MAX_FEE_BPS);
        uint32 c = _g.currentRound;
        ModelCore memory core = _loadCore(m);
        // A change already in force for the open round becomes the fee before the new one is scheduled.
        if (core.nextFeeBps != core.feeBps && c >= m.nextFeeRound) {
            core.feeBps = core.nextFeeBps;
            emit FeeChangeApplied(modelId, c, core.feeBps);
        }
        uint32 effective = c + lockRounds + 1;
        core.nextFeeBps = newFeeBps;
        _storeCore(m, core);
        m.nextFeeRound = newFeeBps == core.feeBps ? 0 : effective;
        emit FeeChangeScheduled(modelId, core.feeBps, newFeeBps, newFeeBps == core.feeBps ? 0 : effective);
    }

    /// @notice Pays the model's operator the fees it has earned. Works while paused.
    function claimFees(uint32 modelId) external nonReentrant {
        Model storage m = _model(modelId);
        address operator = m.operator;
        if (msg.sender != operator) revert NotOperator(modelId, msg.sender);
        ModelCore memory core = _loadCore(m);
        uint256 amount = core.feesOwedWei;
        if (amount == 0) revert NothingToClaim();
        core.feesOwedWei = 0;
        _storeCore(m, core);
        nmr.safeTransfer(operator, amount);
        emit FeesClaimed(modelId, operator, amount);
    }

    /// @notice Hands the model's operator role (fee claims and fee changes) to another address.
    function setOperator(uint32 modelId, address newOperator) external {
        Model storage m = _model(modelId);
        if (msg.sender != m.operator) revert NotOperator(modelId, msg.sender);
        if (newOperator == address(0)) revert ZeroAddress();
        emit OperatorChanged(modelId, m.operator, newOperator);
        m.operator = newOperator;
    }

    // ------------------------------------------------------------------ delegators

    /// @notice Delegates `amountWei` NMR (approve the pool first) to a model. At risk from the next round.
    function delegate(uint32 modelId, uint256 amountWei) external nonReentrant whenNotPaused {
        if (amountWei == 0) revert ZeroAmount();
        nmr.safeTransferFrom(msg.sender, address(this), amountWei);
        _delegate(msg.sender, modelId, amountWei);
    }

    /// @notice Delegates to several models in one transaction (one token transfer for the total).
    function delegateBatch(uint32[] calldata modelIds, uint256[] calldata amountsWei) external nonReentrant whenNotPaused {
        uint256 n = modelIds.length;
        if (n != amountsWei.length) revert LengthMismatch(n, amountsWei.length);
        if (n == 0) revert EmptyBatch();
        uint256 total;
        for (uint256 i; i < n; ++i) {
            uint256 amount = amountsWei[i];
            if (amount == 0) revert ZeroAmount();
            total += amount;
        }
        nmr.safeTransferFrom(msg.sender, address(this), total);
        for (uint256 i; i < n; ++i) {
            _delegate(msg.sender, modelIds[i], amountsWei[i]);
        }
    }

    /// @notice Takes back the caller's delegation of the model's open round, which is not at risk yet.
    /// Works while paused.
    function cancelDelegation(uint32 modelId) external nonReentrant {
        Model storage m = _model(modelId);
        (ModelCore memory core, ModelFlow memory flow) = _synced(modelId, m);
        Holding memory h = _syncHolder(msg.sender, modelId, core.openRound);
        uint256 amount = h.pendingInWei;
        if (amount == 0) revert NothingToCancel();
        uint32 round = h.pendingInRound;
        h.pendingInWei = 0;
        h.pendingInRound = 0;
        flow.pendingInWei -= uint96(amount);
        _storeFlow(m, flow);
        _holdings[msg.sender][modelId] = h;
        nmr.safeTransfer(msg.sender, amount);
        emit DelegationCancelled(msg.sender, modelId, round, amount);
    }

    /// @notice Requests `shares` out. They stay at risk for `lockRounds` results, starting with the
    /// model's open round, then become withdrawable at that price. A request while an earlier one is
    /// still locked merges both, and the lock restarts for the total.
    function requestUndelegate(uint32 modelId, uint256 shares) external nonReentrant whenNotPaused {
        if (shares == 0) revert ZeroAmount();
        Model storage m = _model(modelId);
        (ModelCore memory core, ModelFlow memory flow) = _synced(modelId, m);
        Holding memory h = _syncHolder(msg.sender, modelId, core.openRound);
        if (shares > h.shares) revert InsufficientShares(shares, h.shares);
        uint32 exitRound = core.openRound + lockRounds - 1;
        uint256 total = uint256(h.pendingOutShares) + shares;
        uint256 add = shares;
        if (h.pendingOutShares != 0 && h.exitRound != exitRound) {
            // Merge the earlier, still locked request into this one.
            uint256 old = _records[modelId][h.exitRound];
            _records[modelId][h.exitRound] = OPEN_RECORD | ((old & LOW128) - h.pendingOutShares);
            add = total;
        }
        uint256 rec = _records[modelId][exitRound];
        _records[modelId][exitRound] = OPEN_RECORD | ((rec & LOW128) + add).toUint128();
        h.shares -= uint128(shares);
        h.pendingOutShares = uint128(total);
        h.exitRound = exitRound;
        _holdings[msg.sender][modelId] = h;
        if (flow.lastExitRound != exitRound) {
            flow.lastExitRound = exitRound;
            _storeFlow(m, flow);
        }
        emit UndelegateRequested(msg.sender, modelId, core.openRound, shares, exitRound + 1, total);
    }

    /// @notice Pays the caller every matured exit of this model. Works while paused.
    function withdraw(uint32 modelId) external nonReentrant {
        Model storage m = _model(modelId);
        (ModelCore memory core,) = _synced(modelId, m);
        Holding memory h = _syncHolder(msg.sender, modelId, core.openRound);
        uint256 amount = h.withdrawableWei;
        if (amount == 0) revert NothingToWithdraw();
        h.withdrawableWei = 0;
        _holdings[msg.sender][modelId] = h;
        _g.unlockedWei -= uint96(amount);
        nmr.safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, modelId, amount);
    }

    /// @notice Converts the caller's matured deposits and exits of this model (optional: every other
    /// call does it on the way). Emits SharesIssued / ExitSettled.
    function settle(uint32 modelId) external nonReentrant {
        Model storage m = _model(modelId);
        (ModelCore memory core,) = _synced(modelId, m);
        _holdings[msg.sender][modelId] = _syncHolder(msg.sender, modelId, core.openRound);
    }

    // ------------------------------------------------------------------ rounds

    struct Totals {
        uint256 rewardWei;
        uint256 burnedWei;
        uint256 unlockedWei;
    }

    /// @notice Posts the results of `round` (must be currentRound()) for `modelIds` and closes the round.
    /// Models not posted for a round count a zero return.
    function resolveRound(uint32 round, uint32[] calldata modelIds, int16[] calldata returnsBps)
        external
        onlyRole(REPORTER_ROLE)
        whenNotPaused
        nonReentrant
    {
        Globals memory g = _post(round, modelIds, returnsBps);
        g.currentRound = round + 1;
        _g = g;
        emit RoundClosed(round, g.reserveWei);
    }

    /// @notice Posts the results of `round` (must be currentRound()) for `modelIds` without closing it,
    /// so a round with more models than fit in a block is posted in several transactions; the last
    /// batch goes through resolveRound. A model can be posted once per round.
    function postResults(uint32 round, uint32[] calldata modelIds, int16[] calldata returnsBps)
        external
        onlyRole(REPORTER_ROLE)
        whenNotPaused
        nonReentrant
    {
        _g = _post(round, modelIds, returnsBps);
    }

    function _post(uint32 round, uint32[] calldata modelIds, int16[] calldata returnsBps) internal returns (Globals memory g) {
        g = _g;
        if (round != g.currentRound) revert WrongRound(round, g.currentRound);
        uint256 n = modelIds.length;
        if (n != returnsBps.length) revert LengthMismatch(n, returnsBps.length);
        Totals memory t;
        // One event buffer for every model: memory does not grow with the batch.
        uint256[11] memory ev;
        uint32 count = g.modelCount;
        for (uint256 i; i < n; ++i) {
            uint32 id = modelIds[i];
            int16 ret = returnsBps[i];
            if (id == 0 || id > count) revert UnknownModel(id);
            if (ret > MAX_RETURN_BPS || ret < -MAX_RETURN_BPS) revert ReturnOutOfBounds(id, ret);
            _resolveOne(id, ret, round, t, ev);
        }
        if (t.rewardWei > g.reserveWei) revert ReserveTooLow(t.rewardWei, g.reserveWei);
        g.reserveWei -= uint96(t.rewardWei);
        g.unlockedWei = (uint256(g.unlockedWei) + t.unlockedWei).toUint96();
        if (t.burnedWei != 0 && !INumeraireBurn(address(nmr)).mint(t.burnedWei)) revert BurnFailed(t.burnedWei);
    }

    /// @dev The hot path: one model's result, on packed words (2 slot reads, 1-2 writes, +1 record
    /// read/write when the round converts deposits or exits), event data built in `ev`.
    function _resolveOne(uint32 id, int16 ret, uint32 round, Totals memory t, uint256[11] memory ev) internal {
        Model storage m = _models[id];
        uint256 core = m.core;
        uint256 flow = m.flow;
        {
            uint32 open = uint32(core >> 192);
            if (open != round) {
                if (open > round) revert AlreadyResolved(id, round);
                (core, flow) = _catchUpWords(id, round, t);
            }
        }
        uint256 stake = uint96(core);
        ev[0] = uint256(int256(ret));
        ev[1] = stake;
        unchecked {
            if (ret > 0) {
                if (uint16(core >> 240) != uint16(core >> 224)) core = _foldFee(m, id, core, round);
                uint256 reward = (stake * uint256(int256(ret))) / BPS;
                uint256 fee = (reward * uint16(core >> 224)) / BPS;
                stake += reward - fee;
                uint256 fees = uint96(core >> 96) + fee;
                if (fees > type(uint96).max) revert SafeCast.SafeCastOverflowedUintDowncast(96, fees);
                core = (core & ~(uint256(type(uint96).max) << 96)) | (fees << 96);
                t.rewardWei += reward;
                ev[3] = reward;
                ev[4] = fee;
                ev[5] = 0;
            } else {
                uint256 burned = (stake * uint256(-int256(ret))) / BPS;
                stake -= burned;
                t.burnedWei += burned;
                ev[3] = 0;
                ev[4] = 0;
                ev[5] = burned;
            }
        }
        uint256 shares = uint128(flow);
        {
            uint256 outShares = uint32(flow >> 224) >= round ? _records[id][round] & LOW128 : 0;
            uint256 pendingIn = uint96(flow >> 128);
            if (outShares | pendingIn != 0) {
                _records[id][round] = shares | (stake << 128);
                (stake, shares) = _convertWords(stake, shares, outShares, pendingIn, t, ev);
                if (shares > type(uint128).max) revert SafeCast.SafeCastOverflowedUintDowncast(128, shares);
                // pendingInWei cleared, lastExitRound kept
                m.flow = shares | (flow & (uint256(type(uint32).max) << 224));
            } else {
                ev[6] = 0;
                ev[7] = 0;
                ev[8] = 0;
                ev[9] = 0;
            }
        }
        if (stake > type(uint96).max) revert SafeCast.SafeCastOverflowedUintDowncast(96, stake);
        m.core = (core & ~(uint256(type(uint96).max) | (uint256(type(uint32).max) << 192))) | stake
            | (uint256(round + 1) << 192);
        ev[2] = stake;
        ev[10] = shares;
        bytes32 topic = RoundResolved.selector;
        assembly ("memory-safe") {
            log3(ev, 352, topic, round, id)
        }
    }

    /// @dev Converts a round's maturing exits and pending deposits at the price (shares, stake);
    /// records the figures in ev[6..9].
    function _convertWords(
        uint256 stake,
        uint256 shares,
        uint256 outShares,
        uint256 pendingIn,
        Totals memory t,
        uint256[11] memory ev
    ) internal pure returns (uint256, uint256) {
        unchecked {
            uint256 pShares = shares + VIRTUAL_SHARES;
            uint256 pAssets = stake + 1;
            uint256 outAssets = (outShares * pAssets) / pShares; // <= stake
            uint256 minted = (pendingIn * pShares) / pAssets;
            t.unlockedWei += outAssets;
            ev[6] = pendingIn;
            ev[7] = minted;
            ev[8] = outShares;
            ev[9] = outAssets;
            return (stake - outAssets + pendingIn, shares - outShares + minted);
        }
    }

    /// @dev Puts a scheduled fee in force if its first round has come; returns the core word.
    function _foldFee(Model storage m, uint32 id, uint256 core, uint32 round) internal returns (uint256) {
        if (round < m.nextFeeRound) return core;
        uint16 next = uint16(core >> 240);
        emit FeeChangeApplied(id, round, next);
        return (core & ~(uint256(type(uint16).max) << 224)) | (uint256(next) << 224);
    }

    /// @dev _catchUp on packed words (the rare path of a model left out of closed rounds).
    function _catchUpWords(uint32 id, uint32 round, Totals memory t) internal returns (uint256, uint256) {
        Model storage m = _models[id];
        ModelCore memory core = _loadCore(m);
        ModelFlow memory flow = _loadFlow(m);
        t.unlockedWei += _catchUp(id, core, flow, round);
        uint256 flowWord = _packFlow(flow);
        m.flow = flowWord; // the caller stores flow only if this round converts something
        return (_packCore(core), flowWord);
    }

    /// @dev Figures of one model's round, kept in memory to stay clear of the stack limit.
    struct Step {
        uint256 stakeBefore;
        uint256 reward;
        uint256 fee;
        uint256 burned;
        uint256 depositsIn;
        uint256 minted;
        uint256 exitShares;
        uint256 exitAssets;
    }

    /// @dev Converts the round's maturing exits and pending deposits at the price (flow.totalShares,
    /// stake) and returns the new stake; updates flow and s.
    function _convert(Step memory s, ModelFlow memory flow, uint256 stake, uint256 outShares) internal pure returns (uint256) {
        uint256 pShares = uint256(flow.totalShares) + VIRTUAL_SHARES;
        uint256 pAssets = stake + 1;
        uint256 totalShares = flow.totalShares;
        if (outShares != 0) {
            uint256 outAssets = (outShares * pAssets) / pShares;
            s.exitShares = outShares;
            s.exitAssets = outAssets;
            stake -= outAssets;
            totalShares -= outShares;
        }
        uint256 inWei = flow.pendingInWei;
        if (inWei != 0) {
            uint256 minted = (inWei * pShares) / pAssets;
            s.depositsIn = inWei;
            s.minted = minted;
            stake += inWei;
            totalShares += minted;
            flow.pendingInWei = 0;
        }
        flow.totalShares = totalShares.toUint128();
        return stake;
    }

    function _emitResolved(uint32 round, uint32 id, int16 ret, Step memory s, uint256 stakeAfter, uint256 totalSharesAfter) internal {
        emit RoundResolved(
            round,
            id,
            ret,
            s.stakeBefore,
            stakeAfter,
            s.reward,
            s.fee,
            s.burned,
            s.depositsIn,
            s.minted,
            s.exitShares,
            s.exitAssets,
            totalSharesAfter
        );
    }

    /// @dev Applies the closed rounds [core.openRound, round) the model was left out of: zero return,
    /// deposits and maturing exits convert at the unchanged price. At most lockRounds iterations.
    /// Updates core/flow in memory (caller stores them) and returns the NMR that became withdrawable.
    function _catchUp(uint32 id, ModelCore memory core, ModelFlow memory flow, uint32 round) internal returns (uint256 unlocked) {
        uint32 r = core.openRound;
        uint32 last = round - 1;
        uint32 exitEnd = flow.lastExitRound < last ? flow.lastExitRound : last;
        uint256 stake = core.stakeWei;
        for (uint32 q = r; ; ++q) {
            uint256 outShares = q <= exitEnd ? _records[id][q] & LOW128 : 0;
            if (outShares != 0 || (q == r && flow.pendingInWei != 0)) {
                Step memory s;
                s.stakeBefore = stake;
                _records[id][q] = uint256(flow.totalShares) | (stake << 128);
                stake = _convert(s, flow, stake, outShares);
                unlocked += s.exitAssets;
                _emitResolved(q, id, 0, s, stake, flow.totalShares);
            }
            if (q >= exitEnd) break;
        }
        core.stakeWei = uint96(stake);
        core.openRound = round;
    }

    /// @dev Loads a model caught up to the current round (storing the catch-up if there was one).
    function _synced(uint32 id, Model storage m) internal returns (ModelCore memory core, ModelFlow memory flow) {
        core = _loadCore(m);
        flow = _loadFlow(m);
        uint32 c = _g.currentRound;
        if (core.openRound < c) {
            uint256 unlocked = _catchUp(id, core, flow, c);
            _storeCore(m, core);
            _storeFlow(m, flow);
            if (unlocked != 0) _g.unlockedWei = (uint256(_g.unlockedWei) + unlocked).toUint96();
        }
    }

    /// @dev Converts a holder's deposits and exits whose round the model has passed; returns the holding
    /// for the caller to change and store.
    function _syncHolder(address holder, uint32 id, uint32 openRound) internal returns (Holding memory h) {
        h = _holdings[holder][id];
        if (h.pendingInWei != 0 && h.pendingInRound < openRound) {
            (uint256 pS, uint256 pA) = _price(id, h.pendingInRound);
            uint256 shares = (uint256(h.pendingInWei) * pS) / pA;
            emit SharesIssued(holder, id, h.pendingInRound, h.pendingInWei, shares);
            h.shares = (uint256(h.shares) + shares).toUint128();
            h.pendingInWei = 0;
            h.pendingInRound = 0;
        }
        if (h.pendingOutShares != 0 && h.exitRound < openRound) {
            (uint256 pS, uint256 pA) = _price(id, h.exitRound);
            uint256 assets = (uint256(h.pendingOutShares) * pA) / pS;
            emit ExitSettled(holder, id, h.exitRound + 1, h.pendingOutShares, assets);
            h.withdrawableWei = (uint256(h.withdrawableWei) + assets).toUint96();
            h.pendingOutShares = 0;
            h.exitRound = 0;
        }
    }

    /// @dev Price of a resolved round, with the virtual offsets applied: (shares + VIRTUAL_SHARES, stake + 1).
    function _price(uint32 id, uint32 round) internal view returns (uint256 pShares, uint256 pAssets) {
        uint256 packed = _records[id][round];
        pShares = uint256(uint128(packed)) + VIRTUAL_SHARES;
        pAssets = (packed >> 128) + 1;
    }

    // ------------------------------------------------------------------ views

    function currentRound() external view returns (uint32) {
        return _g.currentRound;
    }

    function modelCount() external view returns (uint32) {
        return _g.modelCount;
    }

    /// @notice NMR available to pay gains.
    function reserveWei() external view returns (uint256) {
        return _g.reserveWei;
    }

    /// @notice NMR of matured exits not yet withdrawn (all models).
    function unlockedWei() external view returns (uint256) {
        return _g.unlockedWei;
    }

    /// @notice Rounds between scheduling a fee change and the first round it applies to.
    function feeChangeDelayRounds() external view returns (uint32) {
        return lockRounds + 1;
    }

    function model(uint32 modelId) external view returns (ModelView memory) {
        return _modelView(modelId);
    }

    function models(uint32[] calldata modelIds) external view returns (ModelView[] memory out) {
        out = new ModelView[](modelIds.length);
        for (uint256 i; i < modelIds.length; ++i) {
            out[i] = _modelView(modelIds[i]);
        }
    }

    function positionOf(address holder, uint32 modelId) external view returns (Position memory) {
        return _position(holder, modelId);
    }

    function positionsOf(address holder, uint32[] calldata modelIds) external view returns (Position[] memory out) {
        out = new Position[](modelIds.length);
        for (uint256 i; i < modelIds.length; ++i) {
            out[i] = _position(holder, modelIds[i]);
        }
    }

    /// @notice What `shares` of a model are worth now (rounded down).
    function convertToAssets(uint32 modelId, uint256 shares) external view returns (uint256) {
        (ModelCore memory core, ModelFlow memory flow,,) = _viewSynced(modelId, 0);
        return (shares * (uint256(core.stakeWei) + 1)) / (uint256(flow.totalShares) + VIRTUAL_SHARES);
    }

    /// @notice Shares `assetsWei` would buy at the current price (rounded down). Deposits convert at the
    /// price after the round's result, so this is an estimate.
    function convertToShares(uint32 modelId, uint256 assetsWei) external view returns (uint256) {
        (ModelCore memory core, ModelFlow memory flow,,) = _viewSynced(modelId, 0);
        return (assetsWei * (uint256(flow.totalShares) + VIRTUAL_SHARES)) / (uint256(core.stakeWei) + 1);
    }

    function _model(uint32 id) internal view returns (Model storage m) {
        if (id == 0 || id > _g.modelCount) revert UnknownModel(id);
        m = _models[id];
    }

    /// @dev The model as it would be after catching up to the current round, and the price of
    /// `wantRound` if that round is among the ones the catch-up would convert (else 0, 0).
    function _viewSynced(uint32 id, uint32 wantRound)
        internal
        view
        returns (ModelCore memory core, ModelFlow memory flow, uint256 wantShares, uint256 wantAssets)
    {
        Model storage m = _model(id);
        core = _loadCore(m);
        flow = _loadFlow(m);
        uint32 c = _g.currentRound;
        if (core.openRound < c) (wantShares, wantAssets) = _viewCatchUp(id, core, flow, c, wantRound);
    }

    /// @dev View twin of _catchUp (no stores, no events); returns the price of `wantRound` if converted there.
    function _viewCatchUp(uint32 id, ModelCore memory core, ModelFlow memory flow, uint32 c, uint32 wantRound)
        internal
        view
        returns (uint256 wantShares, uint256 wantAssets)
    {
        uint32 exitEnd = flow.lastExitRound < c - 1 ? flow.lastExitRound : c - 1;
        uint256 stake = core.stakeWei;
        Step memory s;
        for (uint32 q = core.openRound; ; ++q) {
            if (q == wantRound) {
                wantShares = uint256(flow.totalShares) + VIRTUAL_SHARES;
                wantAssets = stake + 1;
            }
            uint256 outShares = q <= exitEnd ? _records[id][q] & LOW128 : 0;
            if (outShares != 0 || (q == core.openRound && flow.pendingInWei != 0)) {
                stake = _convert(s, flow, stake, outShares);
            }
            if (q >= exitEnd) break;
        }
        core.stakeWei = uint96(stake);
        core.openRound = c;
    }

    function _modelView(uint32 id) internal view returns (ModelView memory v) {
        (ModelCore memory core, ModelFlow memory flow,,) = _viewSynced(id, 0);
        Model storage m = _models[id];
        v.id = id;
        v.name = m.name;
        v.operator = m.operator;
        uint16 fee = core.feeBps;
        v.nextFeeBps = fee;
        if (core.nextFeeBps != fee) {
            uint32 nextRound = m.nextFeeRound;
            if (core.openRound >= nextRound) {
                fee = core.nextFeeBps; // in force, folded in at the next resolution
                v.nextFeeBps = fee;
            } else {
                v.nextFeeBps = core.nextFeeBps;
                v.nextFeeRound = nextRound;
            }
        }
        v.feeBps = fee;
        v.capWei = m.capWei;
        v.stakeWei = core.stakeWei;
        v.pendingInWei = flow.pendingInWei;
        v.totalShares = flow.totalShares;
        v.feesOwedWei = core.feesOwedWei;
        v.openRound = core.openRound;
        for (uint32 q = core.openRound; q <= flow.lastExitRound; ++q) {
            v.pendingOutShares += _records[id][q] & LOW128;
        }
    }

    function _position(address holder, uint32 id) internal view returns (Position memory p) {
        Holding memory h = _holdings[holder][id];
        uint32 storedOpen = _loadCore(_models[id]).openRound;
        (ModelCore memory core, ModelFlow memory flow, uint256 wS, uint256 wA) = _viewSynced(id, h.exitRound);
        uint256 shares = h.shares;
        uint256 withdrawable = h.withdrawableWei;
        if (h.pendingInWei != 0) {
            if (h.pendingInRound < core.openRound) {
                uint256 pS;
                uint256 pA;
                if (h.pendingInRound < storedOpen) (pS, pA) = _price(id, h.pendingInRound);
                else (pS, pA) = _viewInPrice(id);
                shares += (uint256(h.pendingInWei) * pS) / pA;
            } else {
                p.pendingInWei = h.pendingInWei;
                p.pendingInRound = h.pendingInRound;
            }
        }
        if (h.pendingOutShares != 0) {
            if (h.exitRound < core.openRound) {
                uint256 pS = wS;
                uint256 pA = wA;
                if (h.exitRound < storedOpen) (pS, pA) = _price(id, h.exitRound);
                withdrawable += (uint256(h.pendingOutShares) * pA) / pS;
            } else {
                p.pendingOutShares = h.pendingOutShares;
                p.unlockRound = h.exitRound + 1;
            }
        }
        uint256 pShares = uint256(flow.totalShares) + VIRTUAL_SHARES;
        uint256 pAssets = uint256(core.stakeWei) + 1;
        p.shares = shares;
        p.valueWei = (shares * pAssets) / pShares;
        p.pendingOutValueWei = (p.pendingOutShares * pAssets) / pShares;
        p.withdrawableWei = withdrawable;
    }

    /// @dev Price at which a deposit tagged with the model's stored open round converts when the model
    /// catches up: the stored (unchanged) price, as the deposit round is the first round caught up.
    function _viewInPrice(uint32 id) internal view returns (uint256, uint256) {
        Model storage m = _models[id];
        return (uint256(_loadFlow(m).totalShares) + VIRTUAL_SHARES, uint256(_loadCore(m).stakeWei) + 1);
    }

    // ------------------------------------------------------------------ internals

    function _delegate(address holder, uint32 id, uint256 amount) internal {
        if (amount == 0) revert ZeroAmount();
        Model storage m = _model(id);
        (ModelCore memory core, ModelFlow memory flow) = _synced(id, m);
        uint32 open = core.openRound;
        Holding memory h = _syncHolder(holder, id, open);
        uint256 wouldBe = uint256(core.stakeWei) + flow.pendingInWei + amount;
        uint256 cap = m.capWei;
        if (wouldBe > cap) revert CapExceeded(id, cap, wouldBe);
        if (flow.pendingInWei == 0 && _records[id][open] == 0) _records[id][open] = OPEN_RECORD;
        flow.pendingInWei = (uint256(flow.pendingInWei) + amount).toUint96();
        _storeFlow(m, flow);
        h.pendingInWei = (uint256(h.pendingInWei) + amount).toUint96();
        h.pendingInRound = open;
        _holdings[holder][id] = h;
        emit Delegated(holder, id, open, amount);
    }

    function _loadCore(Model storage m) internal view returns (ModelCore memory c) {
        uint256 w = m.core;
        c.stakeWei = uint96(w);
        c.feesOwedWei = uint96(w >> 96);
        c.openRound = uint32(w >> 192);
        c.feeBps = uint16(w >> 224);
        c.nextFeeBps = uint16(w >> 240);
    }

    function _storeCore(Model storage m, ModelCore memory c) internal {
        m.core = _packCore(c);
    }

    function _packCore(ModelCore memory c) internal pure returns (uint256) {
        return uint256(c.stakeWei) | (uint256(c.feesOwedWei) << 96) | (uint256(c.openRound) << 192)
            | (uint256(c.feeBps) << 224) | (uint256(c.nextFeeBps) << 240);
    }

    function _loadFlow(Model storage m) internal view returns (ModelFlow memory f) {
        uint256 w = m.flow;
        f.totalShares = uint128(w);
        f.pendingInWei = uint96(w >> 128);
        f.lastExitRound = uint32(w >> 224);
    }

    function _storeFlow(Model storage m, ModelFlow memory f) internal {
        m.flow = _packFlow(f);
    }

    function _packFlow(ModelFlow memory f) internal pure returns (uint256) {
        return uint256(f.totalShares) | (uint256(f.pendingInWei) << 128) | (uint256(f.lastExitRound) << 224);
    }

    function _clampCap(uint256 capWei) internal pure returns (uint96) {
        return capWei > type(uint96).max ? type(uint96).max : uint96(capWei);
    }
}
