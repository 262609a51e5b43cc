import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES, type MethodName } from '../../shared/api/methods';

const EVENT_CHANNEL = 'nmr-delegate:event';

// One named function per API method, frozen. The page never gets ipcRenderer or a way to name
// a channel of its own choosing.
const methods = Object.freeze(
  Object.fromEntries(METHOD_NAMES.map((m) => [m, (input: unknown) => ipcRenderer.invoke(m, input)])) as Record<
    MethodName,
    (input: unknown) => Promise<unknown>
  >,
);

contextBridge.exposeInMainWorld(
  'nmrDelegate',
  Object.freeze({
    methods,
    onEvent(listener: (event: unknown) => void) {
      const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(EVENT_CHANNEL, wrapped);
      return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    },
  }),
);
