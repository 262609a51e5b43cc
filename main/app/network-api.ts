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
 * until all pass).
 */
export function networkHandlers({
  sessions,
  appVersion,
  transport,
}: NetworkApiDeps): Pick<Handlers, 'app.info' | 'network.checkAddresses' | 'network.connect' | 'network.useLocal'> {
  return {
    'app.info': async () => {
      await sessions.current();
      return { appVersion, transport, network: sessions.network(), notice: sessions.startNotice };
    },
    'network.checkAddresses': async (input) => ({ checks: (await checkStakingNetwork(input)).checks }),
    'network.connect': async (input) => sessions.switchTo(await validateStakingNetwork(input)),
    'network.useLocal': async () => ((await sessions.current()).local ? sessions.network() : sessions.switchTo({ kind: 'local' })),
  };
}
