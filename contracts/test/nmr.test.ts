/**
 * LocalNMR reproduces mainnet NMR (../shared/reference/NMR.md): one test per row of its table, plus
 * the ERC-20 basics and the local-only faucet. StakingPool with this token, on every path and with
 * the token stopped, is staking-nmr.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Contract, JsonRpcProvider, JsonRpcSigner } from 'ethers';
import { startAnvil, type Anvil } from '../test-support/anvil';
import { deploy, expectRevert, mined, nmr, revertTo, snapshot, type Deployed } from '../test-support/deploy';

/** An address given an allowance (the pool's place in the app; any address will do here). */
const SPENDER = '0x00000000000000000000000000000000000000aa';

describe('LocalNMR, faithful to mainnet NMR', () => {
  let chain: Anvil;
  let provider: JsonRpcProvider;
  let d: Deployed;
  let token: Contract;
  let minter: JsonRpcSigner;
  let alice: JsonRpcSigner;
  let bob: JsonRpcSigner;
  let owner: JsonRpcSigner; // one of the token's (multisig) owners
  let snap: string;

  beforeAll(async () => {
    chain = await startAnvil();
    provider = chain.provider();
    d = await deploy(provider);
    token = d.token;
    minter = d.admin;
    alice = d.signers[1]!;
    bob = d.signers[2]!;
    owner = d.signers[5]!;
    await mined(token.connect(minter).getFunction('changeShareable')([owner.address], 1n));
    await mined(token.connect(minter).getFunction('demoMint')(alice.address, nmr(100)));
    await mined(token.connect(minter).getFunction('demoMint')(owner.address, nmr(50)));
    snap = await snapshot(provider);
  });
  beforeEach(async () => {
    await revertTo(provider, snap);
    snap = await snapshot(provider);
  });
  afterAll(async () => {
    provider?.destroy();
    await chain?.stop();
  });

  const as = (s: JsonRpcSigner) => token.connect(s) as Contract;
  const bal = async (a: string) => (await token.getFunction('balanceOf')(a)) as bigint;
  const supply = async () => (await token.getFunction('totalSupply')()) as bigint;
  const encode = (fn: string, args: unknown[]) => token.interface.encodeFunctionData(fn, args);

  describe('NMR.md table', () => {
    it('burn(uint256) and burnFrom do not exist (and there is no fallback): a call reverts', async () => {
      expect(token.interface.getFunction('burn')).toBeNull();
      expect(token.interface.getFunction('burnFrom')).toBeNull();
      const burnData = '0x42966c68' + 1n.toString(16).padStart(64, '0'); // burn(uint256)
      await expect(alice.sendTransaction({ to: d.tokenAddress, data: burnData })).rejects.toThrow(/revert/);
      // sent anyway (fixed gas, no estimate): mined as failed
      const sent = await alice.sendTransaction({ to: d.tokenAddress, data: burnData, gasLimit: 100_000n });
      expect((await sent.wait().catch((e: { receipt?: { status: number } }) => e.receipt))?.status).toBe(0);
      await expect(provider.call({ from: alice.address, to: d.tokenAddress, data: burnData })).rejects.toThrow();
      expect(await bal(alice.address)).toBe(nmr(100));
    });

    it('mint(uint256) burns from the caller and returns true; on failure it returns false without reverting', async () => {
      expect(await as(alice).getFunction('mint').staticCall(nmr(1))).toBe(true);
      const r = await mined(as(alice).getFunction('mint')(nmr(1)));
      expect(await bal(alice.address)).toBe(nmr(99));
      expect(await supply()).toBe(nmr(149));
      const ev = token.interface.parseLog((r.logs as { topics: string[]; data: string }[])[0]!)!;
      expect([ev.name, ev.args[0], ev.args[1], ev.args[2]]).toEqual([
        'Transfer',
        alice.address,
        '0x0000000000000000000000000000000000000000',
        nmr(1),
      ]);
      // more than the balance: false, and the transaction succeeds with nothing burned
      expect(await as(bob).getFunction('mint').staticCall(1n)).toBe(false);
      await mined(as(bob).getFunction('mint')(1n));
      expect(await supply()).toBe(nmr(149));
    });

    it('numeraiTransfer(from, value) burns from `from` with the caller’s allowance; false on failure', async () => {
      expect(await as(bob).getFunction('numeraiTransfer').staticCall(alice.address, 1n)).toBe(false); // no allowance
      await mined(as(alice).getFunction('approve')(bob.address, nmr(3)));
      expect(await as(bob).getFunction('numeraiTransfer').staticCall(alice.address, nmr(4))).toBe(false); // above allowance
      await mined(as(bob).getFunction('numeraiTransfer')(alice.address, nmr(2)));
      expect(await bal(alice.address)).toBe(nmr(98));
      expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(1));
      expect(await supply()).toBe(nmr(148));
      // above the balance (with allowance): false, nothing burned
      await mined(as(alice).getFunction('changeApproval')(bob.address, nmr(1), nmr(1000)));
      expect(await as(bob).getFunction('numeraiTransfer').staticCall(alice.address, nmr(99))).toBe(false);
      await mined(as(bob).getFunction('numeraiTransfer')(alice.address, nmr(99)));
      expect(await bal(alice.address)).toBe(nmr(98));
    });

    it('approve reverts unless the value or the current allowance is zero', async () => {
      await mined(as(alice).getFunction('approve')(bob.address, nmr(10)));
      expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(10));
      await expectRevert(as(alice).getFunction('approve')(bob.address, nmr(20)), 'NonZeroAllowance', [bob.address, nmr(10)]);
      // the same non-zero value again is refused too, as on mainnet
      await expectRevert(as(alice).getFunction('approve')(bob.address, nmr(10)), 'NonZeroAllowance');
      await mined(as(alice).getFunction('approve')(bob.address, 0n));
      await mined(as(alice).getFunction('approve')(bob.address, nmr(20)));
      expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(20));
      await mined(as(alice).getFunction('approve')(SPENDER, 0n)); // zero from zero
    });

    it('changeApproval(spender, old, new) moves an allowance only from the expected value', async () => {
      await mined(as(alice).getFunction('approve')(bob.address, nmr(10)));
      await expectRevert(as(alice).getFunction('changeApproval')(bob.address, nmr(9), nmr(20)), 'AllowanceMismatch', [
        bob.address,
        nmr(10),
        nmr(9),
      ]);
      expect(await as(alice).getFunction('changeApproval').staticCall(bob.address, nmr(10), nmr(20))).toBe(true);
      await mined(as(alice).getFunction('changeApproval')(bob.address, nmr(10), nmr(20)));
      expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(20));
    });

    it('transferFrom reverts when `from` is a token owner or the numerai address', async () => {
      expect(await token.getFunction('isOwner')(owner.address)).toBe(true);
      expect(await token.getFunction('getOwner')(0n)).toBe(owner.address);
      expect(await token.getFunction('getOwner')(1n)).toBe('0x0000000000000000000000000000000000000000');
      await mined(as(owner).getFunction('approve')(bob.address, nmr(5)));
      await expectRevert(as(bob).getFunction('transferFrom')(owner.address, bob.address, 1n), 'TransferFromProtected', [owner.address]);
      const numerai = (await token.getFunction('numerai')()) as string;
      expect(numerai).toBe(d.tokenAddress);
      await expectRevert(as(bob).getFunction('transferFrom')(numerai, bob.address, 0n), 'TransferFromProtected', [numerai]);
      // an owner can still transfer its own NMR
      await mined(as(owner).getFunction('transfer')(bob.address, 1n));
      expect(await bal(bob.address)).toBe(1n);
    });

    it('onlyPayloadSize: guarded calls refuse calldata that is not exactly 4 + 32·n bytes; others accept it', async () => {
      await mined(as(alice).getFunction('approve')(bob.address, nmr(10)));
      const guarded: [string, unknown[], JsonRpcSigner][] = [
        ['transfer', [bob.address, 1n], alice],
        ['transferFrom', [alice.address, bob.address, 1n], bob],
        ['approve', [SPENDER, 0n], alice],
        ['changeApproval', [bob.address, nmr(10) - 1n, nmr(11)], alice], // transferFrom above spent 1 wei
        ['numeraiTransfer', [alice.address, 1n], bob],
      ];
      for (const [fn, args, from] of guarded) {
        const data = encode(fn, args);
        const exact = (data.length - 2) / 2;
        for (const bad of [data + '00'.repeat(32), data + '00']) {
          await expectRevert(from.sendTransaction({ to: d.tokenAddress, data: bad }), 'WrongPayloadSize', [exact, (bad.length - 2) / 2]);
        }
        // one byte short fails too (the ABI decoder refuses it before the size check runs)
        await expect(from.sendTransaction({ to: d.tokenAddress, data: data.slice(0, -2) })).rejects.toThrow(/revert/);
        await mined(from.sendTransaction({ to: d.tokenAddress, data, gasLimit: 200_000n })); // exact size works
      }
      // mint is not guarded on mainnet: extra bytes are ignored
      await mined(alice.sendTransaction({ to: d.tokenAddress, data: encode('mint', [1n]) + '00'.repeat(32), gasLimit: 200_000n }));
      expect(await supply()).toBe(nmr(150) - 1n - 1n); // numeraiTransfer burned 1 wei, mint 1 wei
    });

    it('emergency stop: transfer, transferFrom, approve, changeApproval and mint return false and change nothing', async () => {
      await mined(as(alice).getFunction('approve')(bob.address, nmr(10)));
      // a non-owner's emergencyStop does nothing (mainnet's onlyOwner skips silently)
      await mined(as(alice).getFunction('emergencyStop')());
      expect(await token.getFunction('stopped')()).toBe(false);
      await mined(as(owner).getFunction('emergencyStop')());
      expect(await token.getFunction('stopped')()).toBe(true);
      const calls: [string, unknown[], JsonRpcSigner][] = [
        ['transfer', [bob.address, 1n], alice],
        ['transferFrom', [alice.address, bob.address, 1n], bob],
        ['approve', [SPENDER, 1n], alice],
        ['changeApproval', [bob.address, nmr(10), nmr(1)], alice],
        ['mint', [1n], alice],
      ];
      for (const [fn, args, from] of calls) {
        expect(await (token.connect(from) as Contract).getFunction(fn).staticCall(...args), fn).toBe(false);
        await mined((token.connect(from) as Contract).getFunction(fn)(...args));
      }
      // even a wrongly sized call returns false rather than reverting: the stop check comes first
      await mined(alice.sendTransaction({ to: d.tokenAddress, data: encode('transfer', [bob.address, 1n]) + '00', gasLimit: 200_000n }));
      expect(await bal(alice.address)).toBe(nmr(100));
      expect(await bal(bob.address)).toBe(0n);
      expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(10));
      expect(await token.getFunction('allowance')(alice.address, SPENDER)).toBe(0n);
      expect(await supply()).toBe(nmr(150));
      // numeraiTransfer is not stopped on mainnet
      await mined(as(bob).getFunction('numeraiTransfer')(alice.address, 1n));
      expect(await bal(alice.address)).toBe(nmr(100) - 1n);
      await mined(as(owner).getFunction('release')());
      expect(await token.getFunction('stopped')()).toBe(false);
      await mined(as(alice).getFunction('transfer')(bob.address, 1n));
      expect(await bal(bob.address)).toBe(1n);
      // once stopping is disabled, emergencyStop does nothing
      await mined(as(owner).getFunction('disableStopping')());
      await mined(as(owner).getFunction('emergencyStop')());
      expect(await token.getFunction('stopped')()).toBe(false);
    });

    it('decimals() returns uint256 18', async () => {
      expect(token.interface.getFunction('decimals')!.outputs[0]!.type).toBe('uint256');
      expect(await token.getFunction('decimals')()).toBe(18n);
    });

    it('events: Transfer and Approval as ERC-20; a burn is a Transfer to the zero address', async () => {
      const r = await mined(as(alice).getFunction('approve')(bob.address, 7n));
      const parsed = (r.logs as { topics: string[]; data: string }[]).map((l) => token.interface.parseLog(l)!);
      expect(parsed.map((p) => [p.name, ...p.args])).toEqual([['Approval', alice.address, bob.address, 7n]]);
      const t = await mined(as(alice).getFunction('transfer')(bob.address, 7n));
      const p2 = (t.logs as { topics: string[]; data: string }[]).map((l) => token.interface.parseLog(l)!);
      expect(p2.map((p) => [p.name, ...p.args])).toEqual([['Transfer', alice.address, bob.address, 7n]]);
      expect(token.interface.getEvent('Transfer')!.format('sighash')).toBe('Transfer(address,address,uint256)');
      expect(token.interface.getEvent('Approval')!.format('sighash')).toBe('Approval(address,address,uint256)');
    });
  });

  describe('ERC-20 basics and the local faucet', () => {
    it('looks like NMR', async () => {
      expect(await token.getFunction('name')()).toBe('Numeraire (local demo)');
      expect(await token.getFunction('symbol')()).toBe('NMR');
      expect(await token.getFunction('minter')()).toBe(minter.address);
    });

    it('demoMint is the minter’s only (local faucet, not a mainnet function)', async () => {
      await mined(as(minter).getFunction('demoMint')(bob.address, nmr(5)));
      expect(await bal(bob.address)).toBe(nmr(5));
      expect(await supply()).toBe(nmr(155));
      await expectRevert(as(alice).getFunction('demoMint')(alice.address, 1n), 'NotMinter', [alice.address]);
    });

    it('transferFrom spends the allowance; transfers check balances', async () => {
      await mined(as(alice).getFunction('approve')(bob.address, nmr(10)));
      await mined(as(bob).getFunction('transferFrom')(alice.address, bob.address, nmr(4)));
      expect(await token.getFunction('allowance')(alice.address, bob.address)).toBe(nmr(6));
      await mined(as(bob).getFunction('transferFrom')(alice.address, bob.address, nmr(6)));
      expect(await bal(bob.address)).toBe(nmr(10));
      await expectRevert(as(bob).getFunction('transferFrom')(alice.address, bob.address, 1n), 'ERC20InsufficientAllowance');
      await expectRevert(as(bob).getFunction('transfer')(alice.address, nmr(11)), 'ERC20InsufficientBalance');
    });

    it('owners are changed by an owner (the minter only sets the first ones)', async () => {
      await expectRevert(as(minter).getFunction('changeShareable')([alice.address], 1n), 'NotOwner', [minter.address]);
      await expectRevert(as(owner).getFunction('changeShareable')([alice.address], 2n), 'UnsupportedRequired', [2n]);
      await mined(as(owner).getFunction('changeShareable')([alice.address], 1n));
      expect(await token.getFunction('isOwner')(owner.address)).toBe(false);
      expect(await token.getFunction('isOwner')(alice.address)).toBe(true);
      expect(await token.getFunction('required')()).toBe(1n);
    });
  });
});
