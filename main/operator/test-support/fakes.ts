import { Wallet, zeroPadValue } from 'ethers';
import { NumeraiRefusal, type NumeraiStakingApi, type V3StakeAuthorization, type V3StakeRound } from '../../numerai/v3-api';
import type { ClaimRelayPort } from '../claim-relay';
import type { LinkedModel, OperatorPoolPort, StakeItem } from '../operator-round';

/** Fakes of the operator's two ports (Numerai's API, the pool) for the operator's unit tests. */
export const POOL = Wallet.createRandom().address;
export const STAKING = Wallet.createRandom().address;
export const NOW = 1_800_000_000_000;
export const ROUND = 1200n;

export const models: LinkedModel[] = [1, 2, 3].map((i) => ({
  poolModelId: i,
  numeraiModelId: zeroPadValue(`0x0${i}`, 32),
  apiModelId: `00000000-0000-0000-0000-00000000000${i}`,
  name: `model_${i}`,
}));

/** Numerai's API as the operator sees it: nonces handed out in order, per-model refusals on demand. */
export function fakeApi(
  opts: { refuse?: Record<string, NumeraiRefusal>; flaky?: number; state?: V3StakeRound['state']; paused?: boolean } = {},
) {
  let nonce = 0n;
  let flaky = opts.flaky ?? 0;
  const calls: string[] = [];
  const api: NumeraiStakingApi = {
    tournamentId: 8,
    config: () => {
      calls.push('config');
      if (flaky-- > 0) return Promise.reject(new NumeraiRefusal('unavailable', 'down'));
      return Promise.resolve({
        address: STAKING,
        authorizationSigner: POOL,
        nmrAddress: POOL,
        owner: POOL,
        paused: opts.paused ?? false,
        pendingOwner: null,
        serviceWallet: null,
      });
    },
    round: (roundId) => Promise.resolve(roundAnswer(roundId, opts.state ?? 'open')),
    selectedSubmission: (apiModelId) => {
      const refusal = opts.refuse?.[apiModelId];
      return refusal ? Promise.reject(refusal) : Promise.resolve({ submissionId: `sub-${apiModelId}`, roundId: ROUND });
    },
    authorize: ({ submissionId, staker, maxAmountWei }) => {
      calls.push(`authorize ${submissionId}`);
      const m = models.find((x) => submissionId === `sub-${x.apiModelId}`)!;
      const auth = authAnswer(
        {
          roundId: ROUND,
          staker,
          modelId: m.numeraiModelId,
          submissionHash: zeroPadValue('0x02', 32),
          maxAmount: maxAmountWei,
          nonce: nonce++,
          deadline: BigInt(NOW / 1000 + 3600),
        },
        `0x${'11'.repeat(65)}`,
        { chainId: 31337n, stakingAddress: STAKING, nmrAddress: POOL, signer: POOL },
      );
      return Promise.resolve({ ...auth, submissionId });
    },
    claim: () => Promise.reject(new NumeraiRefusal('not-found', 'no')),
    claims: () => Promise.resolve([]),
  };
  return { api, calls };
}

export function fakePool(opts: { stakeable?: Record<number, bigint>; lastStaked?: Record<number, bigint>; badNonce?: number } = {}) {
  const sent: StakeItem[][] = [];
  const pool: OperatorPoolPort = {
    address: POOL,
    stakingAddress: STAKING,
    chainId: 31337n,
    lastStakedRound: (id) => Promise.resolve(opts.lastStaked?.[id] ?? 0n),
    stakeable: (id) => Promise.resolve(opts.stakeable?.[id] ?? 10n ** 20n),
    // The chain refuses any batch holding the authorization with `badNonce` (e.g. another operator used it).
    simulateStakeRound: (items) => Promise.resolve(items.some((i) => Number(i.auth.nonce) === opts.badNonce) ? 'InvalidNonce' : null),
    sendStakeRound: (items) => {
      sent.push([...items]);
      return Promise.resolve({
        hash: `0x${'ab'.repeat(32)}`,
        outcomes: items.map((i) => ({ poolModelId: i.poolModelId, stakedWei: BigInt(i.auth.maxAmount) })),
      });
    },
  };
  return { pool, sent };
}

/** The pool as the operator's service sees it: the round's fake, and a relay with no claim pending. */
export function fakeOperatorPool(opts: Parameters<typeof fakePool>[0] = {}) {
  const { pool, sent } = fakePool(opts);
  const relay: ClaimRelayPort = {
    address: POOL,
    poolModelIdOf: () => Promise.resolve(null),
    unsettledPrincipal: () => Promise.resolve(0n),
    sendClaim: () => Promise.reject(new Error('unused')),
  };
  return { pool: { ...pool, ...relay }, sent };
}

/** `v3StakeRound` as Numerai answers it for a round in `state` (times and totals do not matter here). */
export function roundAnswer(roundId: bigint, state: V3StakeRound['state']): V3StakeRound {
  return {
    roundId: String(roundId),
    tournamentId: 8,
    state,
    openTime: '1',
    closeTime: '2',
    resolveTime: '3',
    resolved: false,
    merkleRoot: null,
    totalStaked: '0',
    totalPayout: null,
    remainingPayout: null,
    remainingBurn: null,
    payoutFactor: null,
    stakeCap: null,
    stakeThreshold: null,
  };
}

/** `v3StakeAuth`'s answer around an authorization and its signature (as the contracts' test world signs them). */
export function authAnswer(
  a: { roundId: bigint; staker: string; modelId: string; submissionHash: string; maxAmount: bigint; nonce: bigint; deadline: bigint },
  signature: string,
  where: { chainId: bigint; stakingAddress: string; nmrAddress: string; signer: string },
): V3StakeAuthorization {
  return {
    authorizationDigest: zeroPadValue('0x01', 32),
    authorizationSigner: where.signer,
    chainId: String(where.chainId),
    deadline: String(a.deadline),
    maxAmount: String(a.maxAmount),
    modelId: a.modelId,
    nmrAddress: where.nmrAddress,
    nonce: String(a.nonce),
    roundId: String(a.roundId),
    signature,
    staker: a.staker,
    stakingAddress: where.stakingAddress,
    submissionHash: a.submissionHash,
    submissionId: 'sub-1',
    tournamentId: 8,
  };
}
