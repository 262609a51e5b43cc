/**
 * The demo Numerai: an in-process stand-in for Numerai's side of on-chain staking (ABS.md), running
 * against the local staking contract (LocalNumeraiStaking) whose owner and authorization signer it
 * holds. It answers the staking v3 API (`NumeraiStakingApi`) and has the controls Numerai itself has:
 * open a round, close staking, resolve (results from the demo models' generated scores under the
 * documented formula, root posted with aggregate payout and burn, payouts funded), and finalize
 * positions left unclaimed for seven days. Demo time is the chain's block time (schedule.ts).
 */
import { Contract, MaxUint256, type JsonRpcProvider, type Wallet } from 'ethers';
import { localNmrAbi, localNumeraiStakingAbi } from '../../../contracts/generated';
import type { ClaimRow, StakeAuthorization } from '../../../contracts/numerai-layout';
import { waitForReceipt } from '../../chain/receipts';
import { demoModelRoundResult } from '../../records/demo-source';
import { buildRoundTree, loadRoundTree, type RoundTree } from '../round-tree';
import { signStakeAuthorization, stakeAuthorizationDigest } from '../stake-authorization';
import { NumeraiRefusal, V3StakeAuthorization, V3StakeClaim, V3StakeClaimsEntry, V3StakeConfig, V3StakeRound } from '../v3-api';
import type { NumeraiStakingApi, SelectedSubmission, TournamentId, V3RoundState } from '../v3-api';
import { demoModelIdentity, demoSubmissionId, submissionHash, type DemoModelIdentity } from './identity';
import { CLASSIC_PAYOUT, roundReturnNano, settle, type PayoutScores, type RoundPayoutConfig } from './payout';
import { FINALIZATION_DELAY_S, authorizationDeadline, isOpenAt, roundTimes } from './schedule';
import {
  DEMO_NUMERAI_STATE_VERSION,
  loadDemoNumeraiState,
  peekDemoNumeraiState,
  type DemoNumeraiHead,
  saveDemoNumeraiState,
  type DemoNumeraiState,
  type DemoRoundRecord,
  type DemoSubmissionRecord,
} from './state';
import { parseLog } from '../../chain/log-decoder';

export interface DemoNumeraiOptions {
  provider: JsonRpcProvider;
  chainId: number;
  tournamentId: TournamentId;
  nmrAddress: string;
  stakingAddress: string;
  /**
   * Owner of the staking contract (Numerai): creates rounds, posts roots, funds payouts, finalizes.
   * Holds the payout treasury. Made on first use, as is `signer`: a key's first public point costs
   * ~100 ms of CPU (secp256k1's tables), which a start that only lists models should not pay.
   */
  owner: () => Wallet;
  /** Numerai's authorization signer (`v3StakeConfig.authorizationSigner`). Only signs; needs no ETH. */
  signer: () => Pick<Wallet, 'address' | 'signTypedData'>;
  /** The demo models Numerai knows (their names in the demo track-record world). */
  models: readonly string[];
  stateFile: string;
  /** The id of the first round this Numerai opens on a fresh contract. */
  firstRoundId: bigint;
  /** The block the staking contract was deployed in (where to start reading its logs). */
  fromBlock?: number;
  payout?: RoundPayoutConfig;
  /** A model's scores for a round; null = no submission. Default: the demo track-record generator. */
  scores?: (name: string, roundId: bigint) => PayoutScores | null;
}

/** What resolving a round did. */
export interface RoundResolution {
  roundId: bigint;
  /** Null when nobody staked: there is no tree to post. */
  root: string | null;
  totalPayout: bigint;
  totalBurn: bigint;
  positions: number;
}

const demoScores = (name: string, roundId: bigint): PayoutScores | null => {
  const r = demoModelRoundResult(name, Number(roundId));
  return r ? { corr: r.corr20, mmc: r.mmc } : null;
};

/** How long an issued authorization may wait before the state is saved (see authorize). */
const SAVE_DELAY_MS = 200;

const ROUND_STATES: Record<number, V3RoundState | null> = {
  0: null, // None
  1: 'closed', // Pending (not open yet): not open for staking. The demo opens rounds at creation.
  2: 'open',
  3: 'closed',
  4: 'resolving',
  5: 'resolved',
};

export class DemoNumerai implements NumeraiStakingApi {
  readonly tournamentId: TournamentId;
  private made: { owner: Wallet; signer: Pick<Wallet, 'address' | 'signTypedData'>; staking: Contract; nmr: Contract } | null = null;
  private identitiesMade: { byApiId: Map<string, DemoModelIdentity>; byModelId: Map<string, DemoModelIdentity> } | null = null;
  private readonly treeMap = new Map<string, RoundTree>();
  /**
   * Positions seen settled on chain (claimed or finalized): settled for good, so the claims list
   * reads only the rest, not every position of every round ever resolved.
   */
  private readonly settled = new Set<string>();
  private loaded: DemoNumeraiState | null = null;
  /** Serialises every change (timer and developer panel may act at once). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: DemoNumeraiOptions) {
    this.tournamentId = o.tournamentId;
  }

  /**
   * What this Numerai keeps, read from its file when first needed: checking every round's result
   * tree and every submission was ~50–150 ms of each start, and a start that lists models needs none
   * of it (resume() reads the demo time alone).
   */
  private get state(): DemoNumeraiState {
    return this.load();
  }

  private load(): DemoNumeraiState {
    if (!this.loaded) {
      const o = this.o;
      this.loaded = loadDemoNumeraiState(o.stateFile, { chainId: o.chainId, stakingAddress: o.stakingAddress }) ?? {
        version: DEMO_NUMERAI_STATE_VERSION,
        chainId: o.chainId,
        stakingAddress: o.stakingAddress,
        nextRoundId: o.firstRoundId.toString(),
        demoTime: '0',
        rounds: [],
        submissions: [],
        authorizations: [],
      };
      for (const r of this.loaded.rounds) if (r.tree) this.treeMap.set(r.roundId, loadRoundTree(r.tree));
    }
    return this.loaded;
  }

  private set state(s: DemoNumeraiState) {
    this.loaded = s;
  }

  /** The results trees by round id (loaded with the state). */
  private get trees(): Map<string, RoundTree> {
    this.load();
    return this.treeMap;
  }

  /** The keys and the contracts they act on, made on first use (see DemoNumeraiOptions.owner). */
  private get keys() {
    if (!this.made) {
      const owner = this.o.owner();
      this.made = {
        owner,
        signer: this.o.signer(),
        staking: new Contract(this.o.stakingAddress, localNumeraiStakingAbi, owner),
        nmr: new Contract(this.o.nmrAddress, localNmrAbi, owner),
      };
    }
    return this.made;
  }

  private get staking(): Contract {
    return this.keys.staking;
  }

  private get nmr(): Contract {
    return this.keys.nmr;
  }

  /** The models' ids by Numerai's API id and by on-chain id: 200 hashes, made when first asked, not at every start. */
  private get byApiId(): Map<string, DemoModelIdentity> {
    return this.modelIds().byApiId;
  }

  private get byModelId(): Map<string, DemoModelIdentity> {
    return this.modelIds().byModelId;
  }

  private modelIds() {
    if (!this.identitiesMade) {
      const byApiId = new Map<string, DemoModelIdentity>();
      const byModelId = new Map<string, DemoModelIdentity>();
      for (const name of this.o.models) {
        const id = demoModelIdentity(name);
        byApiId.set(id.apiModelId, id);
        byModelId.set(id.modelId.toLowerCase(), id);
      }
      this.identitiesMade = { byApiId, byModelId };
    }
    return this.identitiesMade;
  }

  /** The demo models as Numerai knows them. */
  identities(): DemoModelIdentity[] {
    return [...this.byApiId.values()];
  }

  /** The saved state's head, read once while the state itself is not needed (see `state`). */
  private peeked: { head: DemoNumeraiHead | null } | null = null;

  private head(): DemoNumeraiHead | null {
    if (this.loaded) {
      const last = this.loaded.rounds.at(-1);
      return { demoTime: BigInt(this.loaded.demoTime), latestRoundId: last ? BigInt(last.roundId) : null };
    }
    const o = this.o;
    this.peeked ??= { head: peekDemoNumeraiState(o.stateFile, { chainId: o.chainId, stakingAddress: o.stakingAddress }) };
    return this.peeked.head;
  }

  /** The newest round this Numerai created, or null (the list's current round: the state itself is not read for it). */
  latestRoundId(): bigint | null {
    return this.head()?.latestRoundId ?? null;
  }

  /** Round ids this Numerai created, oldest first. */
  roundIds(): bigint[] {
    return this.state.rounds.map((r) => BigInt(r.roundId));
  }

  /** Demo time: the chain's latest block time. */
  async now(): Promise<bigint> {
    const b = await this.o.provider.getBlock('latest');
    if (!b) throw new Error('the local chain has no latest block');
    const t = BigInt(b.timestamp);
    if (t > this.seen) this.seen = t;
    return t;
  }

  /** The latest demo time seen (saved with the state). */
  private seen = 0n;

  /**
   * After a restart: anvil's reloaded chain goes on from the wall clock, which can be behind the demo
   * time the developer panel or the history moved to. Moves the chain back to where Numerai left it,
   * so demo time never runs backwards.
   */
  resume(): Promise<void> {
    return this.exclusive(async () => {
      const latest = await this.now();
      const saved = this.head()?.demoTime ?? 0n;
      // evm_setTime sets anvil's clock itself: later blocks go on from here, never before the saved blocks.
      await this.o.provider.send('evm_setTime', [Number(saved > latest ? saved : latest)]);
    });
  }

  // ------------------------------------------------------------------ Numerai's controls

  /** Opens the next round now: created on chain, a submission selected for every demo model that has one. */
  openRound(): Promise<bigint> {
    return this.exclusive(async () => {
      const roundId = BigInt(this.state.nextRoundId);
      const t = roundTimes(await this.now());
      await this.send(this.staking, 'createRound', [roundId, t.openTime, t.closeTime, t.resolveTime]);
      const cfg = this.o.payout ?? CLASSIC_PAYOUT;
      const submissions: DemoSubmissionRecord[] = [];
      for (const m of this.byApiId.values()) {
        if (!this.scoresOf(m.name, roundId)) continue;
        const submissionId = demoSubmissionId(m.name, roundId);
        submissions.push({
          submissionId,
          apiModelId: m.apiModelId,
          roundId: roundId.toString(),
          submissionHash: submissionHash(submissionId),
        });
      }
      this.commit({
        ...this.state,
        nextRoundId: (roundId + 1n).toString(),
        rounds: [
          ...this.state.rounds,
          {
            roundId: roundId.toString(),
            openTime: t.openTime.toString(),
            closeTime: t.closeTime.toString(),
            resolveTime: t.resolveTime.toString(),
            ...cfg,
            tree: null,
            resolvedAt: null,
          },
        ],
        submissions: [...this.state.submissions, ...submissions],
      });
      return roundId;
    });
  }

  /** Closes staking now: demo time moves to the round's close time (if it is not past it already). */
  closeRound(roundId: bigint): Promise<void> {
    return this.exclusive(async () => {
      await this.advanceTo(BigInt(this.record(roundId).closeTime));
    });
  }

  /**
   * Resolves a round now (the timer does it at the round's resolve time): closes staking if it is
   * still open, computes every position's payout or burn from its model's scores, posts the root
   * with the aggregate payout and burn and funds the payouts from the owner's treasury.
   */
  resolveRound(roundId: bigint): Promise<RoundResolution> {
    return this.exclusive(async () => {
      const rec = this.record(roundId);
      if (rec.tree || rec.resolvedAt) throw new Error(`round ${roundId} is already resolved`);
      await this.advanceTo(BigInt(rec.closeTime));
      const rows = await this.results(rec);
      const resolvedAt = (await this.now()).toString();
      if (rows.length === 0) {
        this.updateRound(roundId, { resolvedAt });
        return { roundId, root: null, totalPayout: 0n, totalBurn: 0n, positions: 0 };
      }
      const tree = buildRoundTree(roundId, rows);
      await this.fund(tree.totalPayout);
      await this.send(this.staking, 'postRoot', [roundId, tree.root, tree.totalPayout, tree.totalBurn]);
      this.trees.set(roundId.toString(), tree);
      this.updateRound(roundId, { tree: tree.dump(), resolvedAt });
      return { roundId, root: tree.root, totalPayout: tree.totalPayout, totalBurn: tree.totalBurn, positions: rows.length };
    });
  }

  /** ABS.md T1: settles, for the staker, every position left unclaimed seven days after its root. Returns how many. */
  finalizeDue(): Promise<number> {
    return this.exclusive(async () => {
      const now = await this.now();
      let done = 0;
      for (const [roundId, tree] of this.trees) {
        const round = await this.chainRound(BigInt(roundId));
        if (round.resolvedAt + FINALIZATION_DELAY_S > now) continue;
        for (const r of tree.rows) {
          const pos = await this.position(r);
          if (pos.settled) continue;
          await this.send(this.staking, 'finalize', [r.roundId, r.staker, r.modelId, r.payout, r.burn, tree.proofOf(r.staker, r.modelId)]);
          done++;
        }
      }
      return done;
    });
  }

  /** Moves demo time forward by whole days (developer panel, tests). */
  advanceDays(days: number): Promise<void> {
    return this.exclusive(async () => {
      await this.advanceTo((await this.now()) + BigInt(Math.round(days * 86_400)));
    });
  }

  /**
   * What a timer calls: brings demo time to the wall clock's block, opens a round when none is open,
   * resolves rounds whose resolve time has passed, finalizes what is due.
   */
  async tick(): Promise<{ opened: bigint | null; resolved: bigint[]; finalized: number }> {
    await this.o.provider.send('evm_mine', []);
    const now = await this.now();
    const open = this.state.rounds.some((r) => isOpenAt(timesOf(r), now));
    const opened = open ? null : await this.openRound();
    const resolved: bigint[] = [];
    for (const r of this.state.rounds) {
      if (!r.tree && !r.resolvedAt && BigInt(r.resolveTime) <= now) {
        await this.resolveRound(BigInt(r.roundId));
        resolved.push(BigInt(r.roundId));
      }
    }
    return { opened, resolved, finalized: await this.finalizeDue() };
  }

  // ------------------------------------------------------------------ the staking v3 API

  async config(): Promise<V3StakeConfig> {
    return this.answer(V3StakeConfig, async () => ({
      address: this.o.stakingAddress,
      authorizationSigner: this.keys.signer.address,
      nmrAddress: this.o.nmrAddress,
      owner: this.keys.owner.address,
      paused: false,
      pendingOwner: null,
      serviceWallet: null,
    }));
  }

  async round(roundId: bigint): Promise<V3StakeRound> {
    const rec = this.state.rounds.find((r) => r.roundId === roundId.toString());
    if (!rec) throw new NumeraiRefusal('not-found', `Numerai has no round ${roundId}.`);
    return this.answer(V3StakeRound, async () => {
      const [r, s] = await Promise.all([this.chainRound(roundId), this.staking.getFunction('roundState')(roundId) as Promise<bigint>]);
      const posted = BigInt(r.merkleRoot) !== 0n;
      // A round nobody staked is resolved without a root (there is nothing to post).
      const state = rec.resolvedAt && !posted ? 'resolved' : ROUND_STATES[Number(s)];
      return {
        roundId: roundId.toString(),
        tournamentId: this.tournamentId,
        state,
        openTime: rec.openTime,
        closeTime: rec.closeTime,
        resolveTime: rec.resolveTime,
        resolved: state === 'resolved',
        merkleRoot: posted ? r.merkleRoot : null,
        totalStaked: r.totalStaked.toString(),
        totalPayout: posted ? r.totalPayout.toString() : null,
        remainingPayout: posted ? r.remainingPayout.toString() : null,
        remainingBurn: posted ? r.remainingBurn.toString() : null,
        payoutFactor: null,
        stakeCap: null,
        stakeThreshold: null,
      };
    });
  }

  /** The API model id a submission of this Numerai belongs to (for the API stand-in's ownership check). */
  modelOfSubmission(submissionId: string): string | undefined {
    return this.state.submissions.find((s) => s.submissionId === submissionId)?.apiModelId;
  }

  async selectedSubmission(apiModelId: string): Promise<SelectedSubmission> {
    this.model(apiModelId);
    const now = await this.chainNow();
    const open = [...this.state.rounds].reverse().find((r) => isOpenAt(timesOf(r), now));
    if (!open) throw new NumeraiRefusal('staking-closed', 'No Numerai round is open for staking now.');
    const sub = this.state.submissions.find((s) => s.apiModelId === apiModelId && s.roundId === open.roundId);
    if (!sub) throw new NumeraiRefusal('no-selected-submission', `The model has no submission selected for round ${open.roundId}.`);
    return { submissionId: sub.submissionId, roundId: BigInt(sub.roundId) };
  }

  authorize(req: { submissionId: string; staker: string; maxAmountWei: bigint }): Promise<V3StakeAuthorization> {
    return this.exclusive(async () => {
      const sub = this.state.submissions.find((s) => s.submissionId === req.submissionId);
      if (!sub) throw new NumeraiRefusal('not-found', 'Numerai has no such submission.');
      const rec = this.record(BigInt(sub.roundId));
      const [now, onChainNonce] = await this.timeAndNonce(req.staker);
      if (!isOpenAt(timesOf(rec), now)) throw new NumeraiRefusal('staking-closed', `Round ${sub.roundId} is not open for staking.`);
      const [auth] = await this.issue([sub], req.staker, req.maxAmountWei, rec, now, onChainNonce);
      return auth!;
    });
  }

  /**
   * Numerai's bulk path (its batch invoker, ABS.md O1), not part of the API: an authorization for
   * every model with a selected submission in the open round, consecutive nonces, in model order.
   */
  authorizeOpenRound(staker: string, maxAmountWei: bigint): Promise<V3StakeAuthorization[]> {
    return this.exclusive(async () => {
      const [now, onChainNonce] = await this.timeAndNonce(staker);
      const rec = [...this.state.rounds].reverse().find((r) => isOpenAt(timesOf(r), now));
      if (!rec) throw new NumeraiRefusal('staking-closed', 'No Numerai round is open for staking now.');
      const subs = this.state.submissions.filter((s) => s.roundId === rec.roundId);
      return this.issue(subs, staker, maxAmountWei, rec, now, onChainNonce);
    });
  }

  async claim(req: { roundId: bigint; apiModelId: string; staker: string }): Promise<V3StakeClaim> {
    const model = this.model(req.apiModelId);
    const tree = this.trees.get(req.roundId.toString());
    const row = tree?.rowOf(req.staker, model.modelId);
    if (!tree || !row) throw new NumeraiRefusal('not-found', `No result for this model and staker in round ${req.roundId} yet.`);
    return this.answer(V3StakeClaim, async () => this.claimOf(tree, row, model));
  }

  async claims(staker: string): Promise<V3StakeClaimsEntry[]> {
    return this.answer(V3StakeClaimsEntry.array(), async () => {
      const rows = [...this.trees.values()].flatMap((tree) =>
        tree.rows
          .filter((x) => x.staker.toLowerCase() === staker.toLowerCase() && !this.settled.has(positionKey(x)))
          .flatMap((r) => {
            const model = this.byModelId.get(r.modelId.toLowerCase());
            return model ? [{ tree, r, model }] : [];
          }),
      );
      // Read together: a demo day lists every model's position of the round it resolved.
      const positions = await Promise.all(rows.map(({ r }) => this.position(r)));
      return rows.flatMap(({ tree, r, model }, i) => {
        const pos = positions[i]!;
        if (pos.settled) {
          this.settled.add(positionKey(r));
          return [];
        }
        return [{ ...this.claimOf(tree, r, model), claimableAmountWei: (pos.amount + r.payout - r.burn).toString() }];
      });
    });
  }

  // ------------------------------------------------------------------ internals

  private timeAndNonce(staker: string): Promise<[bigint, bigint]> {
    return Promise.all([this.now(), this.staking.getFunction('nonces')(staker) as Promise<bigint>]).catch((e: Error) => {
      throw new NumeraiRefusal('unavailable', `The demo chain did not answer: ${e.message}`);
    });
  }

  /** Signs one authorization per submission (of one open round), nonces one after another. */
  private async issue(
    subs: readonly DemoSubmissionRecord[],
    staker: string,
    maxAmountWei: bigint,
    rec: DemoRoundRecord,
    now: bigint,
    onChainNonce: bigint,
  ): Promise<V3StakeAuthorization[]> {
    const domain = { chainId: BigInt(this.o.chainId), verifyingContract: this.o.stakingAddress };
    const deadline = authorizationDeadline(now, BigInt(rec.closeTime));
    let nonce = this.nextNonce(staker, now, onChainNonce);
    const out: V3StakeAuthorization[] = [];
    const issued: DemoNumeraiState['authorizations'] = [];
    for (const sub of subs) {
      const auth: StakeAuthorization = {
        tournamentId: BigInt(this.tournamentId),
        roundId: BigInt(sub.roundId),
        staker,
        modelId: this.model(sub.apiModelId).modelId,
        submissionHash: sub.submissionHash,
        maxAmount: maxAmountWei,
        nonce: nonce++,
        deadline,
      };
      const signature = await signStakeAuthorization(this.keys.signer, domain, auth);
      issued.push({
        staker,
        nonce: auth.nonce.toString(),
        deadline: deadline.toString(),
        roundId: sub.roundId,
        submissionId: sub.submissionId,
      });
      out.push(
        await this.answer(V3StakeAuthorization, async () => ({
          authorizationDigest: stakeAuthorizationDigest(domain, auth),
          authorizationSigner: this.keys.signer.address,
          chainId: String(this.o.chainId),
          deadline: deadline.toString(),
          maxAmount: maxAmountWei.toString(),
          modelId: auth.modelId,
          nmrAddress: this.o.nmrAddress,
          nonce: auth.nonce.toString(),
          roundId: sub.roundId,
          signature,
          staker,
          stakingAddress: this.o.stakingAddress,
          submissionHash: sub.submissionHash,
          submissionId: sub.submissionId,
          tournamentId: this.tournamentId,
        })),
      );
    }
    // Saved shortly after, not before answering: losing an issued, unused authorization only lets a
    // later one reuse its nonce, and the contract accepts one of the two (InvalidNonce for the other).
    // Expired ones no longer hold a nonce: they are dropped.
    const live = this.state.authorizations.filter((a) => BigInt(a.deadline) >= now);
    this.commitSoon({ ...this.state, authorizations: [...live, ...issued] });
    return out;
  }

  private claimOf(tree: RoundTree, r: ClaimRow, model: DemoModelIdentity) {
    const sub = this.state.submissions.find((s) => s.apiModelId === model.apiModelId && s.roundId === r.roundId.toString());
    return {
      apiModelId: model.apiModelId,
      burnAmountWei: r.burn.toString(),
      merkleRoot: tree.root,
      modelId: model.modelId,
      payoutAmountWei: r.payout.toString(),
      proof: tree.proofOf(r.staker, r.modelId),
      roundId: r.roundId.toString(),
      staker: r.staker,
      submissionId: sub?.submissionId ?? null,
      tournamentId: this.tournamentId,
    };
  }

  /** Every position of the round, from the contract's Staked logs, with its result. */
  private async results(rec: DemoRoundRecord): Promise<ClaimRow[]> {
    const roundId = BigInt(rec.roundId);
    const logs = await this.staking.queryFilter(this.staking.filters.Staked!(roundId), this.o.fromBlock ?? 0, 'latest');
    return logs.map((log) => {
      const { staker, modelId, amount } = parseLog(this.staking.interface, log)!.args as unknown as {
        staker: string;
        modelId: string;
        amount: bigint;
      };
      const model = this.byModelId.get(modelId.toLowerCase());
      const scores = model ? this.scoresOf(model.name, roundId) : null;
      // A position on a model Numerai has no scores for (no submission) neither pays nor burns.
      const s = scores ? settle(amount, roundReturnNano(scores, rec)) : { payout: 0n, burn: 0n };
      return { roundId, staker, modelId, payout: s.payout, burn: s.burn };
    });
  }

  private chainRound(roundId: bigint): Promise<ChainRound> {
    return this.staking.getFunction('rounds')(roundId) as Promise<ChainRound>;
  }

  private position(r: ClaimRow): Promise<{ amount: bigint; settled: boolean }> {
    return this.staking.getFunction('positions')(r.roundId, r.staker, r.modelId) as Promise<{ amount: bigint; settled: boolean }>;
  }

  private scoresOf(name: string, roundId: bigint): PayoutScores | null {
    return (this.o.scores ?? demoScores)(name, roundId);
  }

  /**
   * The stand-in's nonces are consecutive per staker: the next one after the contract's and after
   * every authorization still usable. An authorization issued and never used blocks later ones until
   * its deadline passes (an hour at most), as a real nonce gap would.
   */
  private nextNonce(staker: string, now: bigint, onChain: bigint): bigint {
    let next = onChain;
    for (const a of this.state.authorizations) {
      if (a.staker.toLowerCase() !== staker.toLowerCase() || BigInt(a.deadline) < now) continue;
      const n = BigInt(a.nonce);
      if (n >= next) next = n + 1n;
    }
    return next;
  }

  private async fund(amount: bigint): Promise<void> {
    if (amount === 0n) return;
    const owner = this.keys.owner.address;
    const balance = (await this.nmr.getFunction('balanceOf')(owner)) as bigint;
    if (balance < amount) throw new Error(`Numerai's treasury holds ${balance} wei, the round pays ${amount}`);
    const allowance = (await this.nmr.getFunction('allowance')(owner, this.o.stakingAddress)) as bigint;
    if (allowance >= amount) return;
    // NMR's approve refuses to change one non-zero allowance into another: zero first.
    if (allowance > 0n) await this.send(this.nmr, 'approve', [this.o.stakingAddress, 0n]);
    await this.send(this.nmr, 'approve', [this.o.stakingAddress, MaxUint256]);
  }

  private async send(c: Contract, fn: string, args: unknown[]): Promise<void> {
    const tx = await c.getFunction(fn).send(...args);
    const receipt = await waitForReceipt(this.o.provider, tx.hash);
    if (receipt.status !== 1) throw new Error(`${fn} failed in ${tx.hash}`);
  }

  private async advanceTo(t: bigint): Promise<void> {
    const now = await this.now();
    if (now >= t) return;
    // evm_increaseTime moves anvil's clock for every later block (evm_setNextBlockTimestamp only for
    // the next one: after a reload anvil would fall back to the wall clock, behind demo time).
    await this.o.provider.send('evm_increaseTime', [Number(t - now)]);
    await this.o.provider.send('evm_mine', []);
  }

  private async chainNow(): Promise<bigint> {
    try {
      return await this.now();
    } catch (e) {
      throw new NumeraiRefusal('unavailable', `The demo chain did not answer: ${(e as Error).message}`);
    }
  }

  private record(roundId: bigint): DemoRoundRecord {
    const rec = this.state.rounds.find((r) => r.roundId === roundId.toString());
    if (!rec) throw new NumeraiRefusal('not-found', `Numerai has no round ${roundId}.`);
    return rec;
  }

  private model(apiModelId: string): DemoModelIdentity {
    const m = this.byApiId.get(apiModelId);
    if (!m) throw new NumeraiRefusal('not-found', 'Numerai has no such model.');
    return m;
  }

  private updateRound(roundId: bigint, patch: Partial<DemoRoundRecord>): void {
    this.commit({ ...this.state, rounds: this.state.rounds.map((r) => (r.roundId === roundId.toString() ? { ...r, ...patch } : r)) });
  }

  private commit(next: DemoNumeraiState): void {
    this.cancelSave();
    this.state = this.stamped(next);
    saveDemoNumeraiState(this.o.stateFile, this.state);
  }

  private stamped(s: DemoNumeraiState): DemoNumeraiState {
    return this.seen > BigInt(s.demoTime) ? { ...s, demoTime: this.seen.toString() } : s;
  }

  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  private commitSoon(next: DemoNumeraiState): void {
    this.state = next;
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = null;
      this.state = this.stamped(this.state);
      saveDemoNumeraiState(this.o.stateFile, this.state);
    }, SAVE_DELAY_MS);
    this.saveTimer.unref?.();
  }

  private cancelSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
  }

  /** Writes what a delayed save holds, and the latest demo time (before stopping). */
  flush(): void {
    const pending = this.saveTimer !== null;
    this.cancelSave();
    // Never read this run: saved only if the demo time moved past the file's.
    if (!this.loaded && this.seen <= (this.head()?.demoTime ?? 0n)) return;
    const next = this.stamped(this.state);
    if (!pending && next === this.state) return;
    this.state = next;
    saveDemoNumeraiState(this.o.stateFile, this.state);
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Builds an answer and checks it against the API's schema; chain trouble is `unavailable`. */
  private async answer<T>(schema: { parse(v: unknown): T }, build: () => Promise<unknown>): Promise<T> {
    let value: unknown;
    try {
      value = await build();
    } catch (e) {
      if (e instanceof NumeraiRefusal) throw e;
      throw new NumeraiRefusal('unavailable', `The demo chain did not answer: ${(e as Error).message}`);
    }
    try {
      return schema.parse(value);
    } catch (e) {
      throw new NumeraiRefusal('bad-answer', `The demo Numerai built an answer outside the API's shape: ${(e as Error).message}`);
    }
  }
}

/** LocalNumeraiStaking's `Round` (contracts/STATUS.md), as ethers decodes it. */
interface ChainRound {
  resolvedAt: bigint;
  merkleRoot: string;
  totalStaked: bigint;
  totalPayout: bigint;
  remainingPayout: bigint;
  remainingBurn: bigint;
}

function timesOf(r: DemoRoundRecord) {
  return { openTime: BigInt(r.openTime), closeTime: BigInt(r.closeTime), resolveTime: BigInt(r.resolveTime) };
}

/** A position's key: (round, staker, model), Numerai's one position per the three. */
function positionKey(r: ClaimRow): string {
  return `${r.roundId}:${r.staker.toLowerCase()}:${r.modelId.toLowerCase()}`;
}
