// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";

/// @title LocalNMR — a Numeraire look-alike for the local demo chain
/// @notice 18 decimals, and the approval rule of the real NumeraireBackend: `approve` may only move an
/// allowance from zero or to zero (`_value == 0 || allowance == 0`), so a client must reset to 0 first
/// or use `changeApproval`. `burn` / `burnFrom` as in NMR 2.0. Only the deployer can mint (the faucet).
contract LocalNMR is ERC20Burnable {
    /// @notice The address allowed to mint (the deployer).
    address public immutable minter;

    /// @notice `approve` from a non-zero allowance to another non-zero value, as real NMR refuses it.
    error NonZeroAllowance(address spender, uint256 currentAllowance);
    /// @notice `changeApproval` was given an `oldValue` that is not the current allowance.
    error AllowanceMismatch(address spender, uint256 currentAllowance, uint256 expected);
    /// @notice Only the minter can mint.
    error NotMinter(address caller);

    constructor() ERC20("Numeraire (local demo)", "NMR") {
        minter = msg.sender;
    }

    /// @inheritdoc ERC20
    function approve(address spender, uint256 value) public override returns (bool) {
        uint256 current = allowance(msg.sender, spender);
        if (value != 0 && current != 0) revert NonZeroAllowance(spender, current);
        return super.approve(spender, value);
    }

    /// @notice Sets the allowance of `spender` from `oldValue` to `newValue`; reverts if the current
    /// allowance is not `oldValue` (NumeraireBackend's safe way to change a non-zero allowance).
    function changeApproval(address spender, uint256 oldValue, uint256 newValue) external returns (bool) {
        uint256 current = allowance(msg.sender, spender);
        if (current != oldValue) revert AllowanceMismatch(spender, current, oldValue);
        _approve(msg.sender, spender, newValue);
        return true;
    }

    /// @notice Demo faucet, local chain only (mainnet NMR has no such function). Minter only.
    function demoMint(address to, uint256 amount) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        _mint(to, amount);
    }

    /// @notice NMR's real burn path: burns `value` from the caller and returns false (never reverts)
    /// when it cannot, as the mainnet backend's delegatecall does.
    function mint(uint256 value) external returns (bool) {
        if (balanceOf(msg.sender) < value) return false;
        _burn(msg.sender, value);
        return true;
    }
}
