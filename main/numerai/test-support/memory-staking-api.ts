/**
 * A small in-memory NumeraiStakingApi for tests of the client and the stand-in (the demo Numerai
 * proper is built elsewhere). Two models of one account, one round open and one resolved with a
 * claim each; every value passes ../v3-api.ts's schemas. Tests edit the maps to set up a case.
 */
import {
  NumeraiRefusal,
  type NumeraiStakingApi,
  type SelectedSubmission,
  type TournamentId,
  type V3StakeAuthorization,
  type V3StakeClaimsEntry,
  type V3StakeConfig,
  type V3StakeRound,
} from '../v3-api';

const hex = (byte: string, bytes: number) => `0x${byte.repeat(bytes)}`;
export const STAKING_ADDRESS = hex('5a', 20);
export const NMR_ADDRESS = hex('4e', 20);
export const SIGNER = hex('51', 20);
export const POOL = hex('b0', 20);
export const MODELS = { alpha: 'a1a1a1a1-0000-4000-8000-000000000001', beta: 'b2b2b2b2-0000-4000-8000-000000000002' } as const;
export const OPEN_ROUND = 41n;
export const RESOLVED_ROUND = 17n;

export interface MemoryStakingApi extends NumeraiStakingApi {
  readonly rounds: Map<bigint, V3StakeRound>;
  /** API model UUID → its selected submission for the open round. */
  readonly selected: Map<string, SelectedSubmission>;
  /** Submission id → API model UUID. */
  readonly submissions: Map<string, string>;
  readonly claimList: V3StakeClaimsEntry[];
  /** Set to make every call fail with this refusal. */
  failWith: NumeraiRefusal | undefined;
}

function round(roundId: bigint, tournamentId: number, resolved: boolean): V3StakeRound {
  return {
    roundId: roundId.toString(),
    tournamentId,
    state: resolved ? 'resolved' : 'open',
    openTime: '1790000000',
    closeTime: '1790086400',
    resolveTime: '1792000000',
    resolved,
    merkleRoot: resolved ? hex('77', 32) : null,
    totalStaked: '250000000000000000000',
    totalPayout: resolved ? '1234567890123456789' : null,
    remainingPayout: resolved ? '1234567890123456789' : null,
    remainingBurn: resolved ? '98765432109876543' : null,
    payoutFactor: null,
    stakeCap: null,
    stakeThreshold: null,
  };
}

export function memoryStakingApi(tournamentId: TournamentId = 12): MemoryStakingApi {
  const rounds = new Map([
    [OPEN_ROUND, round(OPEN_ROUND, tournamentId, false)],
    [RESOLVED_ROUND, round(RESOLVED_ROUND, tournamentId, true)],
  ]);
  const selected = new Map<string, SelectedSubmission>([
    [MODELS.alpha, { submissionId: 'sub-alpha-41', roundId: OPEN_ROUND }],
    [MODELS.beta, { submissionId: 'sub-beta-41', roundId: OPEN_ROUND }],
  ]);
  const submissions = new Map([
    ['sub-alpha-41', MODELS.alpha],
    ['sub-beta-41', MODELS.beta],
  ]);
  const claim = (apiModelId: string, byte: string, payout: string, burn: string): V3StakeClaimsEntry => ({
    apiModelId,
    burnAmountWei: burn,
    merkleRoot: hex('77', 32),
    modelId: hex(byte, 32),
    payoutAmountWei: payout,
    proof: [hex('01', 32), hex('02', 32)],
    roundId: RESOLVED_ROUND.toString(),
    staker: POOL,
    submissionId: `sub-${byte}-17`,
    tournamentId,
    claimableAmountWei: (100n * 10n ** 18n + BigInt(payout) - BigInt(burn)).toString(),
  });
  const claimList = [claim(MODELS.alpha, 'aa', '1234567890123456789', '0'), claim(MODELS.beta, 'bb', '0', '98765432109876543')];
  const config: V3StakeConfig = {
    address: STAKING_ADDRESS,
    authorizationSigner: SIGNER,
    nmrAddress: NMR_ADDRESS,
    owner: hex('0e', 20),
    paused: false,
    pendingOwner: null,
    serviceWallet: hex('5e', 20),
  };
  let nonce = 0n;

  const api: MemoryStakingApi = {
    tournamentId,
    rounds,
    selected,
    submissions,
    claimList,
    failWith: undefined,
    config: async () => {
      if (api.failWith) throw api.failWith;
      return config;
    },
    round: async (roundId) => {
      if (api.failWith) throw api.failWith;
      const r = rounds.get(roundId);
      if (!r) throw new NumeraiRefusal('not-found', `no round ${roundId}`);
      return r;
    },
    selectedSubmission: async (apiModelId) => {
      if (api.failWith) throw api.failWith;
      const s = selected.get(apiModelId);
      if (!s) throw new NumeraiRefusal('no-selected-submission', 'none selected');
      return s;
    },
    authorize: async ({ submissionId, staker, maxAmountWei }): Promise<V3StakeAuthorization> => {
      if (api.failWith) throw api.failWith;
      const model = submissions.get(submissionId);
      const s = model === undefined ? undefined : selected.get(model);
      if (!model || !s || s.submissionId !== submissionId) throw new NumeraiRefusal('no-selected-submission', 'not selected');
      if (rounds.get(s.roundId)?.state !== 'open') throw new NumeraiRefusal('staking-closed', 'closed');
      return {
        authorizationDigest: hex('d1', 32),
        authorizationSigner: SIGNER,
        chainId: '31337',
        deadline: '1790003600',
        maxAmount: maxAmountWei.toString(),
        modelId: hex(model === MODELS.alpha ? 'aa' : 'bb', 32),
        nmrAddress: NMR_ADDRESS,
        nonce: (nonce++).toString(),
        roundId: s.roundId.toString(),
        signature: hex('5c', 65),
        staker,
        stakingAddress: STAKING_ADDRESS,
        submissionHash: hex('c4', 32),
        submissionId,
        tournamentId,
      };
    },
    claim: async ({ roundId, apiModelId, staker }) => {
      if (api.failWith) throw api.failWith;
      const c = claimList.find(
        (x) => x.roundId === roundId.toString() && x.apiModelId === apiModelId && x.staker.toLowerCase() === staker.toLowerCase(),
      );
      if (!c) throw new NumeraiRefusal('not-found', 'no claim');
      const { claimableAmountWei: _, ...one } = c;
      return one;
    },
    claims: async (staker) => {
      if (api.failWith) throw api.failWith;
      return claimList.filter((x) => x.staker.toLowerCase() === staker.toLowerCase());
    },
  };
  return api;
}
