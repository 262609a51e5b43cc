import { validateRemoteNetwork } from '../chain/network';
import { checkStakingNetwork, validateStakingNetwork } from '../chain/staking-network';
import type { Handlers } from '../ipc/router';
import type { Sessions } from './sessions';

export interface NetworkApiDeps {
  sessions: Sessions;
  appVersion: string;
  transport: 'electron' | 'harness';
}

/**
 * Which app and network this is, and switching network: a real one (checked first) or the local demo
 * chain. A real network names the staking pool's three addresses (checked one by one, nothing saved
 * until all pass); one naming only a pool address is the old DelegationPool, kept until it is retired.
 */
export function networkHandlers({
  sessions,
  appVersion,
  transport,
}: NetworkApiDeps): Pick<Handlers, 'app.info' | 'network.checkAddresses' | 'network.connect' | 'network.useLocal'> {
  return {
    'app.info': async () => {
      const s = await sessions.current();
      return { appVersion, transport, network: sessions.network(), pool: s.poolKind, notice: sessions.startNotice };
    },
    'network.checkAddresses': async (input) => ({ checks: (await checkStakingNetwork(input)).checks }),
    'network.connect': async (input) =>
      sessions.switchTo('stakingAddress' in input ? await validateStakingNetwork(input) : await validateRemoteNetwork(input)),
    'network.useLocal': async () => ((await sessions.current()).local ? sessions.network() : sessions.switchTo({ kind: 'local' })),
  };
}
