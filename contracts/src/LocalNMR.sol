// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

/// @title LocalNMR — the Numeraire token as mainnet behaves, for the local demo chain
/// @notice Reproduces every way mainnet NMR (NumeraireBackend at 0x1776…6671, delegating to
/// NumeraireDelegateV3) differs from a plain ERC-20 (../shared/reference/NMR.md), so that code that
/// works here works against mainnet:
/// - no `burn`/`burnFrom`; `mint(uint256)` burns from the caller and `numeraiTransfer(from, value)` burns
///   from `from` with the caller's allowance, and both report failure by returning false (mainnet runs
///   them through `delegatecall`), never by reverting;
/// - `approve` only from or to zero, `changeApproval(spender, old, new)` otherwise;
/// - `onlyPayloadSize(n)`: the guarded functions (transfer 2, transferFrom 3, approve 2,
///   changeApproval 3, numeraiTransfer 2, as in NumeraireBackend) refuse calldata that is not exactly
///   4 + 32·n bytes;
/// - `emergencyStop()`: while `stopped()`, transfer, transferFrom, approve, changeApproval and mint do
///   nothing and return false;
/// - `transferFrom` refuses `from` = one of the token's owners (`isOwner`) or `numerai()` (the token);
/// - `decimals()` is a uint256.
/// Local-only: `demoMint` (the demo faucet, minter = deployer), and owners are set with
/// `changeShareable` by one owner (mainnet: a multisig of `required()` owners; here required = 1),
/// or by the minter while the token has no owner yet.
contract LocalNMR is IERC20, IERC20Errors {
    string public constant name = "Numeraire (local demo)";
    string public constant symbol = "NMR";
    uint256 public constant decimals = 18;

    /// @notice The demo faucet's key (the deployer). Local only.
    address public immutable minter;

    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    bool public stopped;
    bool public stoppable = true;
    address[] private _owners;
    mapping(address => bool) private _isOwner;

    /// @notice `approve` from a non-zero allowance to another non-zero value, as real NMR refuses it.
    error NonZeroAllowance(address spender, uint256 currentAllowance);
    /// @notice `changeApproval` was given an `oldValue` that is not the current allowance.
    error AllowanceMismatch(address spender, uint256 currentAllowance, uint256 expected);
    /// @notice Only the minter can use the demo faucet.
    error NotMinter(address caller);
    /// @notice Calldata of a guarded function is not exactly 4 + 32·words bytes (mainnet: `onlyPayloadSize`).
    error WrongPayloadSize(uint256 expectedBytes, uint256 actualBytes);
    /// @notice `transferFrom` out of a token owner or `numerai` (mainnet moves those only by other paths).
    error TransferFromProtected(address from);
    /// @notice `changeShareable` by someone who may not, or with a `required` other than 1.
    error NotOwner(address caller);
    error UnsupportedRequired(uint256 required);

    /// @dev mainnet NumeraireShared: `onlyPayloadSize(words)` asserts the exact calldata length.
    modifier onlyPayloadSize(uint256 words) {
        if (msg.data.length != 4 + 32 * words) revert WrongPayloadSize(4 + 32 * words, msg.data.length);
        _;
    }

    /// @dev mainnet StoppableShareable: the body is skipped while stopped, so the call returns false.
    modifier stopInEmergency() {
        if (!stopped) _;
    }

    /// @dev mainnet Shareable: a non-owner's call does nothing (no revert).
    modifier onlyOwner() {
        if (_isOwner[msg.sender]) _;
    }

    constructor() {
        minter = msg.sender;
    }

    // ------------------------------------------------------------------ ERC-20, mainnet rules

    function transfer(address to, uint256 value) external stopInEmergency onlyPayloadSize(2) returns (bool ok) {
        _transfer(msg.sender, to, value);
        ok = true; // stays false when stopInEmergency skips the body
    }

    function transferFrom(address from, address to, uint256 value) external stopInEmergency onlyPayloadSize(3) returns (bool ok) {
        if (_isOwner[from] || from == address(this)) revert TransferFromProtected(from);
        _spendAllowance(from, msg.sender, value);
        _transfer(from, to, value);
        ok = true; // stays false when stopInEmergency skips the body
    }

    function approve(address spender, uint256 value) external stopInEmergency onlyPayloadSize(2) returns (bool ok) {
        uint256 current = allowance[msg.sender][spender];
        if (value != 0 && current != 0) revert NonZeroAllowance(spender, current);
        _approve(msg.sender, spender, value);
        ok = true; // stays false when stopInEmergency skips the body
    }

    /// @notice Sets the allowance of `spender` from `oldValue` to `newValue`; reverts if the current
    /// allowance is not `oldValue` (NumeraireBackend's way to change a non-zero allowance).
    function changeApproval(address spender, uint256 oldValue, uint256 newValue)
        external
        stopInEmergency
        onlyPayloadSize(3)
        returns (bool ok)
    {
        uint256 current = allowance[msg.sender][spender];
        if (current != oldValue) revert AllowanceMismatch(spender, current, oldValue);
        _approve(msg.sender, spender, newValue);
        ok = true; // stays false when stopInEmergency skips the body
    }

    // ------------------------------------------------------------------ burns, mainnet names

    /// @notice NMR 2.0's burn: burns `value` from the caller. Returns false (does not revert) when it
    /// cannot, as mainnet's delegatecall does; the caller must check it.
    function mint(uint256 value) external stopInEmergency returns (bool ok) {
        if (balanceOf[msg.sender] < value) return false;
        _burn(msg.sender, value);
        ok = true;
    }

    /// @notice NMR 2.0's burnFrom: burns `value` from `from`, spending the caller's allowance. Returns
    /// false (does not revert) when it cannot. Not stopped by an emergency, as on mainnet.
    function numeraiTransfer(address from, uint256 value) external onlyPayloadSize(2) returns (bool) {
        if (allowance[from][msg.sender] < value || balanceOf[from] < value) return false;
        _approve(from, msg.sender, allowance[from][msg.sender] - value);
        _burn(from, value);
        return true;
    }

    // ------------------------------------------------------------------ emergency stop and owners

    /// @notice The address mainnet protects from `transferFrom` besides the owners: the token itself.
    function numerai() external view returns (address) {
        return address(this);
    }

    function isOwner(address addr) external view returns (bool) {
        return _isOwner[addr];
    }

    /// @notice The owner at 0-based `ownerIndex`, or zero past the end (as mainnet's fixed array).
    function getOwner(uint256 ownerIndex) external view returns (address) {
        return ownerIndex < _owners.length ? _owners[ownerIndex] : address(0);
    }

    function required() external pure returns (uint256) {
        return 1;
    }

    /// @notice An owner stops the token: transfers, approvals and burns by `mint` return false.
    function emergencyStop() external onlyOwner {
        if (stoppable) stopped = true;
    }

    /// @notice An owner ends the emergency (mainnet: `required()` owners confirm it).
    function release() external onlyOwner {
        if (stoppable) stopped = false;
    }

    /// @notice An owner removes the emergency stop for good.
    function disableStopping() external onlyOwner {
        stoppable = false;
    }

    /// @notice Replaces the owners. Local: one owner decides (required must be 1); while there is no
    /// owner, the minter sets the first ones.
    function changeShareable(address[] calldata owners_, uint256 required_) external {
        if (!(_isOwner[msg.sender] || (_owners.length == 0 && msg.sender == minter))) revert NotOwner(msg.sender);
        if (required_ != 1) revert UnsupportedRequired(required_);
        for (uint256 i = 0; i < _owners.length; ++i) {
            _isOwner[_owners[i]] = false;
        }
        delete _owners;
        for (uint256 i = 0; i < owners_.length; ++i) {
            _owners.push(owners_[i]);
            _isOwner[owners_[i]] = true;
        }
    }

    // ------------------------------------------------------------------ local only

    /// @notice Demo faucet, local chain only (mainnet NMR has no such function). Minter only.
    function demoMint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        totalSupply += amount;
        unchecked {
            balanceOf[to] += amount;
        }
        emit Transfer(address(0), to, amount);
    }

    // ------------------------------------------------------------------ internals

    function _transfer(address from, address to, uint256 value) private {
        uint256 bal = balanceOf[from];
        if (bal < value) revert ERC20InsufficientBalance(from, bal, value);
        unchecked {
            balanceOf[from] = bal - value;
            balanceOf[to] += value; // total supply bounds every balance
        }
        emit Transfer(from, to, value);
    }

    function _spendAllowance(address owner, address spender, uint256 value) private {
        uint256 current = allowance[owner][spender];
        if (current < value) revert ERC20InsufficientAllowance(spender, current, value);
        unchecked {
            allowance[owner][spender] = current - value;
        }
    }

    function _approve(address owner, address spender, uint256 value) private {
        allowance[owner][spender] = value;
        emit Approval(owner, spender, value);
    }

    function _burn(address from, uint256 value) private {
        unchecked {
            balanceOf[from] -= value; // checked by the callers
            totalSupply -= value;
        }
        emit Transfer(from, address(0), value);
    }
}
