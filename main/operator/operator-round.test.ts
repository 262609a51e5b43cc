import { zeroPadValue } from 'ethers';
import { describe, expect, it } from 'vitest';
import { NumeraiRefusal, type NumeraiStakingApi } from '../numerai/v3-api';
import { relayClaims, type ClaimRelayPort, type ClaimToRelay } from './claim-relay';
import { runOperatorRound, type LinkedModel } from './operator-round';
import { NOW, POOL, ROUND, STAKING, fakeApi, fakePool, models } from './test-support/fakes';

const quick = { now: () => NOW, sleep: () => Promise.resolve() };

describe('runOperatorRound', () => {
  it('stakes every linked model in one batch, in nonce order, for what the pool can stake', async () => {
    const { api, calls } = fakeApi();
    const { pool, sent } = fakePool({ stakeable: { 1: 5n, 2: 7n, 3: 9n } });
    const report = await runOperatorRound({ api, pool, ...quick }, models);
    expect(calls.filter((c) => c === 'config')).toHaveLength(1); // once per round, not per model
    expect(sent).toHaveLength(1);
    expect(sent[0]!.map((i) => i.auth.nonce)).toEqual(['0', '1', '2']);
    expect(report.models.map((m) => m.status)).toEqual(
      [5n, 7n, 9n].map((stakedWei) => ({ state: 'staked', roundId: ROUND, stakedWei, hash: `0x${'ab'.repeat(32)}` })),
    );
  });

  it('says why for each model Numerai refuses, and stakes the others', async () => {
    const { api } = fakeApi({ refuse: { [models[1]!.apiModelId]: new NumeraiRefusal('no-selected-submission', 'none') } });
    const { pool, sent } = fakePool({ stakeable: { 3: 0n }, lastStaked: { 1: ROUND } });
    const report = await runOperatorRound({ api, pool, ...quick }, models);
    expect(sent).toHaveLength(0);
    expect(report.models[0]!.status).toEqual({ state: 'already-staked', roundId: ROUND });
    expect(report.models[1]!.status).toMatchObject({ state: 'refused', kind: 'no-selected-submission', retrySoon: false });
    expect((report.models[1]!.status as { message: string }).message).toContain('model_2 has no submission selected');
    expect(report.models[2]!.status).toEqual({ state: 'nothing-to-stake', roundId: ROUND });
  });

  it('asks again when Numerai is briefly unavailable, and reports closed staking without asking for an authorization', async () => {
    const flaky = fakeApi({ flaky: 2 });
    const report = await runOperatorRound({ api: flaky.api, pool: fakePool().pool, ...quick }, models.slice(0, 1));
    expect(report.models[0]!.status.state).toBe('staked');
    expect(flaky.calls.filter((c) => c === 'config')).toHaveLength(3);

    const closed = fakeApi({ state: 'closed' });
    const r2 = await runOperatorRound({ api: closed.api, pool: fakePool().pool, ...quick }, models);
    expect(r2.models.every((m) => m.status.state === 'refused')).toBe(true);
    expect(closed.calls.some((c) => c.startsWith('authorize'))).toBe(false);
  });

  it('falls back to one model at a time when the batch would fail, so one bad authorization costs only its model', async () => {
    const { api } = fakeApi();
    const { pool, sent } = fakePool({ badNonce: 1 });
    const report = await runOperatorRound({ api, pool, ...quick }, models);
    expect(sent.map((b) => b.map((i) => i.poolModelId))).toEqual([[1], [3]]);
    expect(report.models.map((m) => m.status.state)).toEqual(['staked', 'failed', 'staked']);
    expect(report.models[1]!.status).toMatchObject({
      message: expect.stringContaining('Another authorization for the pool was used first'),
    });
  });

  it('never submits an authorization that names another staker', async () => {
    const { api } = fakeApi();
    const wrong = { ...api, authorize: (r: Parameters<NumeraiStakingApi['authorize']>[0]) => api.authorize({ ...r, staker: STAKING }) };
    const { pool, sent } = fakePool();
    const report = await runOperatorRound({ api: wrong, pool, ...quick }, models.slice(0, 1));
    expect(sent).toHaveLength(0);
    expect(report.models[0]!.status).toMatchObject({ state: 'failed' });
    expect((report.models[0]!.status as { message: string }).message).toContain('not the pool');
  });
});

describe('relayClaims', () => {
  const claim = (roundId: number, model: LinkedModel, staker = POOL) => ({
    apiModelId: model.apiModelId,
    burnAmountWei: '3',
    merkleRoot: zeroPadValue('0x05', 32),
    modelId: model.numeraiModelId,
    payoutAmountWei: '0',
    proof: [zeroPadValue('0x06', 32)],
    roundId: String(roundId),
    staker,
    submissionId: null,
    tournamentId: 8,
    claimableAmountWei: '7',
  });

  function port(unsettled: Set<string>, failOn?: number) {
    const sent: ClaimToRelay[] = [];
    const p: ClaimRelayPort = {
      address: POOL,
      poolModelIdOf: (id) => Promise.resolve(models.find((m) => m.numeraiModelId === id)?.poolModelId ?? null),
      unsettledPrincipal: (id, round) => Promise.resolve(unsettled.has(`${id}/${round}`) ? 10n : 0n),
      sendClaim: (c) => {
        if (c.poolModelId === failOn) return Promise.reject(new Error('InvalidProof'));
        sent.push(c);
        return Promise.resolve({ hash: '0x01' });
      },
    };
    return { p, sent };
  }

  it('relays pending claims in round order and leaves settled or foreign ones alone', async () => {
    const list = [claim(1201, models[0]!), claim(1200, models[1]!), claim(1200, models[2]!), claim(1199, models[0]!, STAKING)];
    const { p, sent } = port(new Set(['1/1201', '2/1200']), 2);
    const report = await relayClaims({ claims: () => Promise.resolve(list) }, p);
    expect(sent).toEqual([{ roundId: 1201n, poolModelId: 1, payoutWei: 0n, burnWei: 3n, proof: list[0]!.proof }]);
    expect(report.results.map((r) => [r.state, r.claim.roundId])).toEqual([
      ['failed', 1200n],
      ['relayed', 1201n],
    ]);
    expect(report.notPending).toBe(2);
  });

  it('with claims in flight at once, keeps at most that many sending and reports them in round order', async () => {
    const list = models.flatMap((m) => [claim(1300, m), claim(1301, m)]).reverse();
    const { p, sent } = port(new Set(models.flatMap((m) => [`${m.poolModelId}/1300`, `${m.poolModelId}/1301`])));
    let inFlight = 0;
    let most = 0;
    const slow: ClaimRelayPort = {
      ...p,
      sendClaim: async (c) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return p.sendClaim(c);
      },
    };
    const report = await relayClaims({ claims: () => Promise.resolve(list) }, slow, { inFlight: 2 });
    expect(most).toBe(2);
    expect(sent).toHaveLength(list.length);
    expect(report.results.map((r) => r.claim.roundId)).toEqual([...Array(models.length).fill(1300n), ...Array(models.length).fill(1301n)]);
    expect(report.results.every((r) => r.state === 'relayed')).toBe(true);
  });

  it('says why in words when Numerai cannot be asked', async () => {
    const report = await relayClaims({ claims: () => Promise.reject(new NumeraiRefusal('missing-scope', 'x')) }, port(new Set()).p);
    expect(report.refused).toContain('web3_staking');
    expect(report.results).toEqual([]);
  });
});
