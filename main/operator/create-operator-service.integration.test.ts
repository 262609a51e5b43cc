/**
 * createOperatorService as the staking session will call it, on the demo chain: the demo Numerai's API
 * on loopback through the real HTTP client, the token from the vault, sends through auto-send and the
 * app's in-flight tracker, and nothing sent (nor asked of Numerai) without the operator's consent.
 */
import { join } from 'node:path';
import { Wallet } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoOperatorKey, type StakingWorld, type StakingWorldSpec } from '../devnet/staking-world';
import { EventBus } from '../ipc/events';
import type { DemoNumeraiApi } from '../numerai/demo/demo-api';
import { InFlightTracker } from '../tx/in-flight';
import type { KeyAccess } from '../wallet/signer';
import { AutomaticConsent } from './automatic-consent';
import { NO_CONSENT, createOperatorService, type OperatorParts } from './create-operator-service';
import { FAST, useDemoWorld } from './test-support/demo-world';
import { TokenVault } from './token-vault';

const NMR = 10n ** 18n;
const spec: StakingWorldSpec = {
  models: [{ name: 'winner', feeBps: 1_000, capWei: 100_000n * NMR }],
  firstRoundId: 4_001n,
  historyRounds: 0,
  scores: () => ({ corr: 0.02, mmc: 0.003 }),
  holderDelegationWei: 500n * NMR,
};

describe('createOperatorService on the demo chain', () => {
  const demo = useDemoWorld('operator-factory', spec);
  const dir = demo.dir;
  let w: StakingWorld;
  let api: DemoNumeraiApi;
  const operator = new Wallet(demoOperatorKey(0));
  const keys: KeyAccess = {
    withKey: (address, use) => (address === operator.address ? use(operator) : Promise.reject(new Error('locked'))),
  };
  const tokens = new TokenVault(join(dir, 'operator'), keys);
  const consent = new AutomaticConsent(join(dir, 'operator', 'automatic-staking.json'));
  const events = new EventBus();
  const statuses: string[] = [];
  events.subscribe((e) => e.name === 'tx.status' && statuses.push(`${e.payload.label}: ${e.payload.state}`));

  beforeAll(() => {
    w = demo.world();
    api = demo.api();
  });

  const parts = (): OperatorParts => ({
    wallet: { status: () => ({ state: 'unlocked', address: operator.address }), signer: (p) => operator.connect(p) },
    tokens,
    consent,
    numerai: { url: api.server.url, tournamentId: 8, transport: FAST },
    provider: w.provider,
    chainId: w.deployment.chainId,
    networkLabel: 'Local demo chain',
    poolAddress: w.deployment.pool,
    stakingAddress: w.deployment.staking,
    tracker: new InFlightTracker(w.provider, events, 'local'),
    checkChain: () => Promise.resolve(),
    now: () => Date.now(),
  });

  it('stakes the operator’s model only with the consent, through the app’s tracker', async () => {
    const roundId = await w.numerai.openRound();
    const model = w.numerai.identities().find((m) => m.name === 'winner')!;
    await tokens.save(operator.address, api.tokenOf(model.apiModelId)!);

    const handle = createOperatorService(parts());
    expect(handle.pool).toEqual({ chainId: w.deployment.chainId, address: w.deployment.pool, networkLabel: 'Local demo chain' });
    // No consent: the timer did not start and a run stops before asking Numerai for anything.
    expect(handle.service.get().nextRunAt).toBeNull();
    expect((await handle.service.runNow()).current).toEqual({ state: 'no-consent', message: NO_CONSENT });
    expect(statuses).toEqual([]);

    const scope = { chainId: w.deployment.chainId, pool: w.deployment.pool, account: operator.address };
    const end = consent.grantOnce(scope);
    const done = (await handle.service.runNow()).current;
    end();
    expect(done.state).toBe('done');
    if (done.state !== 'done') return;
    expect(done.round.models).toEqual([
      {
        model: expect.objectContaining({ name: 'winner', apiModelId: model.apiModelId }),
        status: expect.objectContaining({ state: 'staked', roundId }),
      },
    ]);
    expect(statuses.some((s) => /^Stake 1 model\(s\) in Numerai round 4001: (mined|confirmed)$/.test(s))).toBe(true);

    // With the standing consent, a service made now starts its timer; its first run finds the round staked.
    consent.set(scope, true);
    const again = createOperatorService(parts());
    await expect.poll(() => again.service.get().lastRunAt, { timeout: 30_000 }).not.toBeNull();
    again.service.stop();
    const current = again.service.get().current;
    expect(current.state === 'done' && current.round.models[0]!.status).toEqual({ state: 'already-staked', roundId });
  }, 120_000);
});
