import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { METHOD_NAMES, type MethodName } from '../../shared/api/methods';

// Kept equal to EVENT_CHANNEL in ./ipc.ts (main/electron/preload.test.ts checks it); not imported,
// so the preload bundle holds nothing but this file and the list of method names.
const EVENT_CHANNEL = 'nmr-delegate:event';

/**
 * One named function per API method, in one frozen object. Each sends exactly its own channel and
 * one argument; the page never gets ipcRenderer, an IpcRendererEvent (whose `sender` is
 * ipcRenderer), or any way to name a channel of its own choosing.
 */
function method(name: MethodName): (input: unknown) => Promise<unknown> {
  const fn = (input: unknown) => ipcRenderer.invoke(name, input);
  Object.defineProperty(fn, 'name', { value: name });
  return Object.freeze(fn);
}

const methods = Object.freeze(
  Object.fromEntries(METHOD_NAMES.map((m) => [m, method(m)])) as Record<MethodName, (input: unknown) => Promise<unknown>>,
);

function onEvent(listener: (event: unknown) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
  // Only the payload crosses: never the IpcRendererEvent.
  const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
  ipcRenderer.on(EVENT_CHANNEL, wrapped);
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  };
}

contextBridge.exposeInMainWorld('nmrDelegate', Object.freeze({ methods, onEvent: Object.freeze(onEvent) }));
