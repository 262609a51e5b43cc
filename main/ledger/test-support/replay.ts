import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Mocker from '@ledgerhq/hw-transport-mocker';
import type { RecordStore as RecordStoreType } from '@ledgerhq/hw-transport-mocker';
import type { LedgerTransportSource } from '../device';
import type { LedgerTransport } from '../libs';

// The mocker's ES build imports files without extensions (as hw-app-eth's does): its CommonJS build.
const mocker = createRequire(import.meta.url)('@ledgerhq/hw-transport-mocker') as typeof Mocker;

export function recording(name: string): string {
  return readFileSync(new URL(`../recordings/${name}.apdus`, import.meta.url), 'utf8');
}

/**
 * A device that answers from a recording: each request opens a replayer on the same store, so a
 * run of requests must send exactly the recorded commands in order (`store.ensureQueueEmpty()`
 * then proves none was left out). `closed` counts transports closed. `edit` changes the recording
 * first (a device answering something no real one would).
 */
export function replayDevice(
  name: string,
  edit: (recorded: string) => string = (r) => r,
): {
  source: LedgerTransportSource;
  store: RecordStoreType;
  opened: () => number;
  closed: () => number;
} {
  const store = mocker.RecordStore.fromString(edit(recording(name)));
  let opened = 0;
  let closed = 0;
  const source: LedgerTransportSource = {
    unavailable: () => Promise.resolve(null),
    open: async () => {
      opened++;
      const t: LedgerTransport = await mocker.openTransportReplayer(store);
      const close = t.close.bind(t);
      t.close = () => {
        closed++;
        return close();
      };
      return t;
    },
  };
  return { source, store, opened: () => opened, closed: () => closed };
}
