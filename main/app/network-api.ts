import { validateRemoteNetwork } from '../chain/network';
import type { Handlers } from '../ipc/router';
import type { Sessions } from './sessions';

export interface NetworkApiDeps {
  sessions: Sessions;
  appVersion: string;
  transport: 'electron' | 'harness';
}

/** Which app and network this is, and switching network: a real one (checked first) or the local demo chain. */
export function networkHandlers({
  sessions,
  appVersion,
  transport,
}: NetworkApiDeps): Pick<Handlers, 'app.info' | 'network.connect' | 'network.useLocal'> {
  return {
    'app.info': async () => {
      const s = await sessions.current();
      return { appVersion, transport, network: sessions.network(), pool: s.poolKind, notice: sessions.startNotice };
    },
    'network.connect': async (input) => sessions.switchTo(await validateRemoteNetwork(input)),
    'network.useLocal': async () => ((await sessions.current()).local ? sessions.network() : sessions.switchTo({ kind: 'local' })),
  };
}
