import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Contract, Wallet, hexlify, id, randomBytes, recoverAddress, type JsonRpcProvider, type JsonRpcSigner } from 'ethers';
import { authorizationTuple, claimLeafHash, modelIdFromUuid, type ClaimRow, type StakeAuthorization } from '../numerai-layout';
import { startAnvil, type Anvil } from '../test-support/anvil';
import { deploy, expectRevert, mined, nmr, revertTo, snapshot } from '../test-support/deploy';
import {
  buildRoundTree,
  deployNumerai,
  signStakeAuthorization,
  stakeAuthorizationDigest,
  type NumeraiDeployment,
} from '../test-support/numerai';

const DAY = 86_400;
const State = { None: 0n, Pending: 1n, Open: 2n, Closed: 3n, Resolving: 4n, Resolved: 5n } as const;

describe('LocalNumeraiStaking (stand-in for Numerai ABS)', () => {
  let chain: Anvil;
  let provider: JsonRpcProvider;
  let token: Contract;
  let numerai: NumeraiDeployment;
  let staking: Contract;
  let owner: JsonRpcSigner; // Numerai
  let alice: JsonRpcSigner;
  let bob: JsonRpcSigner;
  let relayer: JsonRpcSigner;
  const signer = new Wallet(hexlify(randomBytes(32))); // Numerai's authorization key
  const stranger = new Wallet(hexlify(randomBytes(32)));
  const MODEL_A = modelIdFromUuid('0b1e1f6a-8d2c-4f5e-9a7b-1c2d3e4f5a6b');
  const MODEL_B = modelIdFromUuid('7c6b5a49-3827-4615-a4b3-c2d1e0f9a8b7');
  const SUB = id('submission-1');
  const ROUND = 1000n;
  let t0: number; // ROUND opens at t0, closes t0 + 1 day, resolves t0 + 30 days
  let snap: string;

  const now = async () => Number((await provider.getBlock('latest'))!.timestamp);
  const warpTo = async (ts: number) => {
    await provider.send('evm_setNextBlockTimestamp', [ts]);
    await provider.send('evm_mine', []);
  };
  const as = (s: JsonRpcSigner) => staking.connect(s) as Contract;
  const bal = async (a: string) => (await token.getFunction('balanceOf')(a)) as bigint;

  async function auth(staker: string, over: Partial<StakeAuthorization> = {}): Promise<StakeAuthorization> {
    return {
      tournamentId: numerai.tournamentId,
      roundId: ROUND,
      staker,
      modelId: MODEL_A,
      submissionHash: SUB,
      maxAmount: nmr(100),
      nonce: (await staking.getFunction('nonces')(staker)) as bigint,
      deadline: BigInt((await now()) + 3600),
      ...over,
    };
  }
  async function stake(who: JsonRpcSigner, a: StakeAuthorization, amount: bigint, by: Wallet = signer) {
    const sig = await signStakeAuthorization(by, numerai.domain, a);
    return as(who).getFunction('stake')(authorizationTuple(a), amount, sig);
  }

  beforeAll(async () => {
    chain = await startAnvil();
    provider = chain.provider();
    const d = await deploy(provider);
    token = d.token;
    owner = d.admin;
    [, alice, bob, relayer] = d.signers as [JsonRpcSigner, JsonRpcSigner, JsonRpcSigner, JsonRpcSigner];
    numerai = await deployNumerai(provider, { nmr: d.tokenAddress, authorizationSigner: signer.address, owner: owner.address });
    staking = numerai.staking;
    for (const s of [owner, alice, bob]) {
      await mined(token.connect(owner).getFunction('demoMint')(s.address, nmr(10_000)));
      await mined(token.connect(s).getFunction('approve')(numerai.address, nmr(10_000)));
    }
    t0 = (await now()) + 10;
    await mined(as(owner).getFunction('createRound')(ROUND, t0, t0 + DAY, t0 + 30 * DAY));
    await warpTo(t0);
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

  describe('authorizations', () => {
    it('the JS digest (TypedDataEncoder) equals the contract authorizationDigest, and the signature recovers Numerai', async () => {
      const a = await auth(alice.address);
      const digest = stakeAuthorizationDigest(numerai.domain, a);
      expect(await staking.getFunction('authorizationDigest')(authorizationTuple(a))).toBe(digest);
      const sig = await signStakeAuthorization(signer, numerai.domain, a);
      expect(recoverAddress(digest, sig)).toBe(signer.address);
      // A different field gives a different digest (the digest binds every field).
      const other = stakeAuthorizationDigest(numerai.domain, { ...a, maxAmount: a.maxAmount + 1n });
      expect(await staking.getFunction('authorizationDigest')(authorizationTuple({ ...a, maxAmount: a.maxAmount + 1n }))).toBe(other);
      expect(other).not.toBe(digest);
    });

    it('exposes its configuration', async () => {
      expect(await staking.getFunction('tournamentId')()).toBe(8n);
      expect(await staking.getFunction('nmr')()).toBe(await token.getAddress());
      expect(await staking.getFunction('authorizationSigner')()).toBe(signer.address);
      expect(await staking.getFunction('finalizationDelay')()).toBe(7n * BigInt(DAY));
      expect(await staking.getFunction('owner')()).toBe(owner.address);
    });

    it('refuses a signature by anyone but the authorization signer', async () => {
      const a = await auth(alice.address);
      await expectRevert(stake(alice, a, nmr(10), stranger), 'InvalidSigner', [stranger.address]);
    });

    it('refuses a replayed authorization (nonce consumed)', async () => {
      const a = await auth(alice.address);
      const sig = await signStakeAuthorization(signer, numerai.domain, a);
      await mined(as(alice).getFunction('stake')(authorizationTuple(a), nmr(10), sig));
      expect(await staking.getFunction('nonces')(alice.address)).toBe(1n);
      await expectRevert(as(alice).getFunction('stake')(authorizationTuple(a), nmr(10), sig), 'InvalidNonce', [1n, 0n]);
      // a future nonce is refused too: nonces are used in order
      await expectRevert(stake(alice, await auth(alice.address, { modelId: MODEL_B, nonce: 5n }), nmr(1)), 'InvalidNonce', [1n, 5n]);
    });

    it('refuses an expired authorization, and accepts one at its deadline', async () => {
      const a = await auth(alice.address, { deadline: BigInt((await now()) - 1) });
      await expectRevert(stake(alice, a, nmr(10)), 'AuthorizationExpired');
      const at = (await now()) + 5;
      const b = await auth(alice.address, { deadline: BigInt(at) });
      const sig = await signStakeAuthorization(signer, numerai.domain, b);
      await provider.send('evm_setNextBlockTimestamp', [at]);
      await mined(as(alice).getFunction('stake')(authorizationTuple(b), nmr(10), sig));
    });

    it('only the named staker may submit it, for this tournament, with 0 < amount <= maxAmount', async () => {
      const a = await auth(alice.address);
      await expectRevert(stake(bob, a, nmr(10)), 'NotStaker', [bob.address, alice.address]);
      await expectRevert(stake(alice, await auth(alice.address, { tournamentId: 12n }), nmr(10)), 'WrongTournament', [8n, 12n]);
      await expectRevert(stake(alice, a, 0n), 'ZeroAmount');
      await expectRevert(stake(alice, a, nmr(100) + 1n), 'AmountAboveMax', [nmr(100) + 1n, nmr(100)]);
      await mined(stake(alice, a, nmr(100)));
    });
  });

  describe('staking', () => {
    it('records one position: amount, submission hash, nonce, round total; pulls the NMR', async () => {
      const before = await bal(alice.address);
      const a = await auth(alice.address);
      const rc = await mined(stake(alice, a, nmr(40)));
      expect(await bal(alice.address)).toBe(before - nmr(40));
      expect(await bal(numerai.address)).toBe(nmr(40));
      const p = await staking.getFunction('positions')(ROUND, alice.address, MODEL_A);
      expect([p.amount, p.submissionHash, p.settled]).toEqual([nmr(40), SUB, false]);
      expect(await staking.getFunction('stakeByRound')(ROUND, alice.address, MODEL_A)).toBe(nmr(40));
      expect(await staking.getFunction('stakeByRound')(ROUND, bob.address, MODEL_A)).toBe(0n);
      expect(await staking.getFunction('stakerOf')(ROUND, MODEL_A)).toBe(alice.address);
      expect((await staking.getFunction('positions')(ROUND, bob.address, MODEL_A)).amount).toBe(0n);
      expect((await staking.getFunction('rounds')(ROUND)).totalStaked).toBe(nmr(40));
      const ev = staking.interface.parseLog(
        (rc.logs as { topics: string[]; data: string }[]).find((l) => l.topics[0] === staking.interface.getEvent('Staked')!.topicHash)!,
      )!;
      expect([ev.args.roundId, ev.args.staker, ev.args.modelId, ev.args.amount, ev.args.submissionHash, ev.args.nonce]).toEqual([
        ROUND,
        alice.address,
        MODEL_A,
        nmr(40),
        SUB,
        0n,
      ]);
      // a second model for the same staker adds up
      await mined(stake(alice, await auth(alice.address, { modelId: MODEL_B }), nmr(2)));
      expect((await staking.getFunction('rounds')(ROUND)).totalStaked).toBe(nmr(42));
    });

    it('one position per (round, staker, model) and one staker per (round, model)', async () => {
      await mined(stake(alice, await auth(alice.address), nmr(10)));
      await expectRevert(stake(alice, await auth(alice.address), nmr(10)), 'PositionExists', [ROUND, alice.address, MODEL_A]);
      await expectRevert(stake(bob, await auth(bob.address), nmr(10)), 'ModelTakenByAnotherStaker', [ROUND, MODEL_A, alice.address]);
      await mined(stake(bob, await auth(bob.address, { modelId: MODEL_B }), nmr(10)));
    });

    it('stakes only while the round is Open (not Pending, Closed, unknown)', async () => {
      const later = 2000n;
      await mined(as(owner).getFunction('createRound')(later, t0 + 7 * DAY, t0 + 8 * DAY, t0 + 40 * DAY));
      expect(await staking.getFunction('roundState')(later)).toBe(State.Pending);
      await expectRevert(stake(alice, await auth(alice.address, { roundId: later }), nmr(1)), 'RoundNotOpen', [later, State.Pending]);
      await expectRevert(stake(alice, await auth(alice.address, { roundId: 3n }), nmr(1)), 'RoundNotOpen', [3n, State.None]);
      await warpTo(t0 + DAY);
      expect(await staking.getFunction('roundState')(ROUND)).toBe(State.Closed);
      await expectRevert(stake(alice, await auth(alice.address, { deadline: BigInt(t0 + 2 * DAY) }), nmr(1)), 'RoundNotOpen', [
        ROUND,
        State.Closed,
      ]);
    });

    it('rounds overlap; state follows the clock: Pending → Open → Closed → Resolving → Resolved', async () => {
      const r2 = ROUND + 1n;
      await mined(as(owner).getFunction('createRound')(r2, t0 + DAY / 2, t0 + 2 * DAY, t0 + 31 * DAY));
      expect(await staking.getFunction('roundState')(r2)).toBe(State.Pending);
      await warpTo(t0 + DAY / 2);
      expect(await staking.getFunction('roundState')(ROUND)).toBe(State.Open);
      expect(await staking.getFunction('roundState')(r2)).toBe(State.Open);
      await mined(stake(alice, await auth(alice.address), nmr(5)));
      await mined(stake(alice, await auth(alice.address, { roundId: r2 }), nmr(6)));
      await warpTo(t0 + DAY);
      expect(await staking.getFunction('roundState')(ROUND)).toBe(State.Closed);
      expect(await staking.getFunction('roundState')(r2)).toBe(State.Open);
      await warpTo(t0 + 30 * DAY);
      expect(await staking.getFunction('roundState')(ROUND)).toBe(State.Resolving);
      const tree = buildRoundTree([{ roundId: ROUND, staker: alice.address, modelId: MODEL_A, payout: 0n, burn: 0n }]);
      await mined(as(owner).getFunction('postRoot')(ROUND, tree.root, 0n, 0n));
      expect(await staking.getFunction('roundState')(ROUND)).toBe(State.Resolved);
      expect(await staking.getFunction('roundState')(r2)).toBe(State.Closed);
    });

    it('createRound: owner only, once, with open < close <= resolve', async () => {
      await expectRevert(as(alice).getFunction('createRound')(5n, t0 + 10, t0 + 20, t0 + 30), 'OwnableUnauthorizedAccount', [
        alice.address,
      ]);
      await expectRevert(as(owner).getFunction('createRound')(ROUND, t0 + 10, t0 + 20, t0 + 30), 'RoundExists', [ROUND]);
      await expectRevert(as(owner).getFunction('createRound')(5n, t0 + 20, t0 + 20, t0 + 30), 'InvalidRoundTimes');
      await expectRevert(as(owner).getFunction('createRound')(5n, t0 + 10, t0 + 40, t0 + 30), 'InvalidRoundTimes');
      await expectRevert(as(owner).getFunction('createRound')(5n, 0, t0 + 40, t0 + 50), 'InvalidRoundTimes');
    });
  });

  describe('results, claims and finalization', () => {
    // alice: model A 100 NMR, +30 payout; model B 50 NMR, -20 burn. bob: model C 10 NMR, burned whole.
    const MODEL_C = modelIdFromUuid('11111111-2222-4333-8444-555555555555');
    let rows: ClaimRow[];
    let tree: ReturnType<typeof buildRoundTree>;

    async function stakeAndResolve(): Promise<void> {
      await mined(stake(alice, await auth(alice.address), nmr(100)));
      await mined(stake(alice, await auth(alice.address, { modelId: MODEL_B }), nmr(50)));
      await mined(stake(bob, await auth(bob.address, { modelId: MODEL_C }), nmr(10)));
      rows = [
        { roundId: ROUND, staker: alice.address, modelId: MODEL_A, payout: nmr(30), burn: 0n },
        { roundId: ROUND, staker: alice.address, modelId: MODEL_B, payout: 0n, burn: nmr(20) },
        { roundId: ROUND, staker: bob.address, modelId: MODEL_C, payout: 0n, burn: nmr(10) },
      ];
      tree = buildRoundTree(rows);
      await warpTo(t0 + 30 * DAY);
      await mined(as(owner).getFunction('postRoot')(ROUND, tree.root, tree.totalPayout, tree.totalBurn));
    }
    const claimArgs = (r: ClaimRow, proof = tree.proofOf(r.staker, r.modelId)) =>
      [r.roundId, r.staker, r.modelId, r.payout, r.burn, proof] as const;

    it('the JS tree verifies on chain: leafOf equals the tree leaf, and every row claims', async () => {
      await stakeAndResolve();
      for (const r of rows) {
        const leaf = await staking.getFunction('leafOf')(r.roundId, r.staker, r.modelId, r.payout, r.burn);
        expect(leaf).toBe(tree.tree.leafHash([r.roundId, r.staker, r.modelId, r.payout, r.burn]));
        expect(leaf).toBe(claimLeafHash(r));
      }
      for (const r of rows) await mined(as(relayer).getFunction('claim')(...claimArgs(r)));
      const round = await staking.getFunction('rounds')(ROUND);
      expect([round.remainingPayout, round.remainingBurn]).toEqual([0n, 0n]);
      expect(await bal(numerai.address)).toBe(0n);
    });

    it('postRoot: owner only, after close, once, nonzero root, burn <= staked; pulls the payouts from Numerai', async () => {
      await mined(stake(alice, await auth(alice.address), nmr(100)));
      const t = buildRoundTree([{ roundId: ROUND, staker: alice.address, modelId: MODEL_A, payout: nmr(30), burn: 0n }]);
      await expectRevert(as(owner).getFunction('postRoot')(ROUND, t.root, t.totalPayout, 0n), 'RoundNotClosed', [ROUND]);
      await expectRevert(as(owner).getFunction('postRoot')(77n, t.root, 0n, 0n), 'UnknownRound', [77n]);
      await warpTo(t0 + DAY); // closed, before resolveTime: allowed
      await expectRevert(as(alice).getFunction('postRoot')(ROUND, t.root, 0n, 0n), 'OwnableUnauthorizedAccount');
      await expectRevert(as(owner).getFunction('postRoot')(ROUND, `0x${'00'.repeat(32)}`, 0n, 0n), 'ZeroRoot');
      await expectRevert(as(owner).getFunction('postRoot')(ROUND, t.root, 0n, nmr(100) + 1n), 'BurnAboveTotalStaked', [
        nmr(100) + 1n,
        nmr(100),
      ]);
      const ownerBefore = await bal(owner.address);
      await mined(as(owner).getFunction('postRoot')(ROUND, t.root, t.totalPayout, 0n));
      expect(await bal(owner.address)).toBe(ownerBefore - nmr(30));
      expect(await bal(numerai.address)).toBe(nmr(130));
      const round = await staking.getFunction('rounds')(ROUND);
      expect([round.merkleRoot, round.totalPayout, round.remainingPayout, round.totalBurn]).toEqual([t.root, nmr(30), nmr(30), 0n]);
      expect(round.resolvedAt).toBe(BigInt(await now()));
      await expectRevert(as(owner).getFunction('postRoot')(ROUND, t.root, 0n, 0n), 'RoundAlreadyResolved', [ROUND]);
    });

    it('a claim relayed by a third party pays the staker amount + payout − burn, and burns through mint(uint256)', async () => {
      await stakeAndResolve();
      const supply = (await token.getFunction('totalSupply')()) as bigint;
      const aliceBefore = await bal(alice.address);
      const relayerBefore = await bal(relayer.address);
      const rc = await mined(as(relayer).getFunction('claim')(...claimArgs(rows[0]!)));
      expect(await bal(alice.address)).toBe(aliceBefore + nmr(130));
      await mined(as(relayer).getFunction('claim')(...claimArgs(rows[1]!)));
      expect(await bal(alice.address)).toBe(aliceBefore + nmr(130) + nmr(30));
      expect(await bal(relayer.address)).toBe(relayerBefore);
      expect(await token.getFunction('totalSupply')()).toBe(supply - nmr(20));
      const ev = staking.interface.parseLog(
        (rc.logs as { topics: string[]; data: string }[]).find(
          (l) => l.topics[0] === staking.interface.getEvent('StakeClaimed')!.topicHash,
        )!,
      )!;
      expect([ev.args.payout, ev.args.burn, ev.args.returned, ev.args.finalized]).toEqual([nmr(30), 0n, nmr(130), false]);
      expect((await staking.getFunction('positions')(ROUND, alice.address, MODEL_A)).settled).toBe(true);
      // a whole-stake burn returns nothing and burns it all
      await mined(as(relayer).getFunction('claim')(...claimArgs(rows[2]!)));
      expect(await token.getFunction('totalSupply')()).toBe(supply - nmr(30));
      const round = await staking.getFunction('rounds')(ROUND);
      expect([round.remainingPayout, round.remainingBurn]).toEqual([0n, 0n]);
    });

    it('refuses a bad proof, a double claim, a position that is not there, and a round not resolved', async () => {
      await mined(stake(alice, await auth(alice.address), nmr(100)));
      const early = buildRoundTree([{ roundId: ROUND, staker: alice.address, modelId: MODEL_A, payout: 0n, burn: 0n }]);
      await expectRevert(as(relayer).getFunction('claim')(ROUND, alice.address, MODEL_A, 0n, 0n, early.proofs[0]!), 'RoundNotResolved', [
        ROUND,
      ]);
      await revertTo(provider, snap);
      snap = await snapshot(provider);
      await stakeAndResolve();
      const r = rows[0]!;
      // a higher payout than the tree's
      await expectRevert(
        as(relayer).getFunction('claim')(...claimArgs({ ...r, payout: r.payout + 1n }, tree.proofOf(r.staker, r.modelId))),
        'InvalidProof',
      );
      // another row's proof
      await expectRevert(
        as(relayer).getFunction('claim')(...claimArgs(r, tree.proofOf(rows[1]!.staker, rows[1]!.modelId))),
        'InvalidProof',
      );
      // redirected to another staker: no such position
      await expectRevert(as(relayer).getFunction('claim')(...claimArgs({ ...r, staker: bob.address }, tree.proofs[0])), 'NoPosition', [
        ROUND,
        bob.address,
        MODEL_A,
      ]);
      await mined(as(relayer).getFunction('claim')(...claimArgs(r)));
      await expectRevert(as(alice).getFunction('claim')(...claimArgs(r)), 'AlreadySettled', [ROUND, alice.address, MODEL_A]);
    });

    it('never pays more than the root left: payout and burn are bounded by the remaining totals and by the stake', async () => {
      await mined(stake(alice, await auth(alice.address), nmr(100)));
      await mined(stake(bob, await auth(bob.address, { modelId: MODEL_B }), nmr(10)));
      // A root whose rows claim more than the posted totals, and a burn above a stake.
      const bad = buildRoundTree([
        { roundId: ROUND, staker: alice.address, modelId: MODEL_A, payout: nmr(5), burn: 0n },
        { roundId: ROUND, staker: bob.address, modelId: MODEL_B, payout: 0n, burn: nmr(11) },
      ]);
      await warpTo(t0 + DAY);
      await mined(as(owner).getFunction('postRoot')(ROUND, bad.root, nmr(4), nmr(10)));
      await expectRevert(
        as(relayer).getFunction('claim')(ROUND, alice.address, MODEL_A, nmr(5), 0n, bad.proofs[0]!),
        'PayoutAboveRemaining',
        [nmr(5), nmr(4)],
      );
      await expectRevert(as(relayer).getFunction('claim')(ROUND, bob.address, MODEL_B, 0n, nmr(11), bad.proofs[1]!), 'BurnAboveStake', [
        nmr(11),
        nmr(10),
      ]);
    });

    it('Numerai finalizes an unclaimed position only after 7 days, paying the staker; then it cannot be claimed', async () => {
      await stakeAndResolve();
      const resolvedAt = Number((await staking.getFunction('rounds')(ROUND)).resolvedAt);
      const r = rows[1]!;
      await expectRevert(as(owner).getFunction('finalize')(...claimArgs(r)), 'FinalizationTooEarly', [resolvedAt + 7 * DAY]);
      await provider.send('evm_increaseTime', [7 * DAY - 10]);
      await provider.send('evm_mine', []);
      await expectRevert(as(owner).getFunction('finalize')(...claimArgs(r)), 'FinalizationTooEarly');
      await warpTo(resolvedAt + 7 * DAY);
      await expectRevert(as(relayer).getFunction('finalize')(...claimArgs(r)), 'OwnableUnauthorizedAccount', [relayer.address]);
      await expectRevert(as(owner).getFunction('finalize')(...claimArgs({ ...r, burn: 0n })), 'InvalidProof');
      const aliceBefore = await bal(alice.address);
      const supply = (await token.getFunction('totalSupply')()) as bigint;
      const rc = await mined(as(owner).getFunction('finalize')(...claimArgs(r)));
      expect(await bal(alice.address)).toBe(aliceBefore + nmr(30));
      expect(await token.getFunction('totalSupply')()).toBe(supply - nmr(20));
      const ev = staking.interface.parseLog(
        (rc.logs as { topics: string[]; data: string }[]).find(
          (l) => l.topics[0] === staking.interface.getEvent('StakeClaimed')!.topicHash,
        )!,
      )!;
      expect(ev.args.finalized).toBe(true);
      await expectRevert(as(relayer).getFunction('claim')(...claimArgs(r)), 'AlreadySettled');
      // a claim is still possible after the grace period for a position Numerai has not finalized
      await mined(as(relayer).getFunction('claim')(...claimArgs(rows[0]!)));
      await expectRevert(as(owner).getFunction('finalize')(...claimArgs(rows[0]!)), 'AlreadySettled');
    });

    it('a burn that NMR refuses (mint returns false, e.g. token stopped) reverts the claim: BurnFailed', async () => {
      await stakeAndResolve();
      const tokenOwner = await provider.getSigner(6);
      await mined(token.connect(owner).getFunction('changeShareable')([tokenOwner.address], 1n));
      await mined(token.connect(tokenOwner).getFunction('emergencyStop')());
      // bob's row burns his whole stake: nothing to transfer, so only the burn can fail
      await expectRevert(as(relayer).getFunction('claim')(...claimArgs(rows[2]!)), 'BurnFailed', [nmr(10)]);
      await mined(token.connect(tokenOwner).getFunction('release')());
      await mined(as(relayer).getFunction('claim')(...claimArgs(rows[2]!)));
    });

    it('finalize on a round without a root is refused', async () => {
      await mined(stake(alice, await auth(alice.address), nmr(100)));
      await expectRevert(as(owner).getFunction('finalize')(ROUND, alice.address, MODEL_A, 0n, 0n, []), 'RoundNotResolved', [ROUND]);
    });
  });

  it('Numerai can rotate its authorization key (owner only); old signatures stop working', async () => {
    const next = new Wallet(hexlify(randomBytes(32)));
    await expectRevert(as(alice).getFunction('setAuthorizationSigner')(next.address), 'OwnableUnauthorizedAccount');
    await mined(as(owner).getFunction('setAuthorizationSigner')(next.address));
    await expectRevert(stake(alice, await auth(alice.address), nmr(1)), 'InvalidSigner', [signer.address]);
    await mined(stake(alice, await auth(alice.address), nmr(1), next));
  });
});
