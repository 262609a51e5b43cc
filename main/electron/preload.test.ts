import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/api/methods';
import { EVENT_CHANNEL } from './ipc';

/**
 * No passthrough: the preload, as built, runs in a vm with a fake `electron` module, and we look
 * at exactly what it hands the page. The bundle is dist/main/preload.cjs (what the app ships, built
 * by `npm test` before the unit tests); when that is missing or older than its sources (a
 * stand-alone run of this file), the same esbuild options build a fresh copy in a temp folder.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const SOURCES = ['main/electron/preload.ts', 'shared/api/methods.ts'].map((p) => join(root, p));
let bundlePath = '';

beforeAll(async () => {
  const dist = join(root, 'dist', 'main', 'preload.cjs');
  const fresh = existsSync(dist) && SOURCES.every((s) => statSync(s).mtimeMs <= statSync(dist).mtimeMs);
  if (fresh) bundlePath = dist;
  else {
    bundlePath = join(mkdtempSync(join(tmpdir(), 'preload-')), 'preload.cjs');
    // The options of scripts/build-main.mjs for the preload.
    await build({
      entryPoints: [join(root, 'main/electron/preload.ts')],
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      external: ['electron'],
      outfile: bundlePath,
      logLevel: 'silent',
    });
  }
});

type Listener = (...args: unknown[]) => unknown;

/** Loads the bundle as Electron's sandboxed preload would, with recording fakes of electron. */
function loadPreload() {
  const required: string[] = [];
  const touched: string[] = [];
  const exposed: { key: string; api: unknown }[] = [];
  const invoked: unknown[][] = [];
  const listeners: { channel: string; fn: Listener }[] = [];
  const removed: { channel: string; fn: Listener }[] = [];
  const record = <T extends object>(name: string, target: T) =>
    new Proxy(target, {
      get(t, prop) {
        if (prop in t) return t[prop as keyof T];
        touched.push(`${name}.${String(prop)}`);
        return () => undefined;
      },
    });
  const ipcRenderer = record('ipcRenderer', {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: null };
    },
    on: (channel: string, fn: Listener) => {
      listeners.push({ channel, fn });
    },
    removeListener: (channel: string, fn: Listener) => {
      removed.push({ channel, fn });
    },
  });
  const contextBridge = record('contextBridge', {
    exposeInMainWorld: (key: string, api: unknown) => {
      exposed.push({ key, api });
    },
  });
  const electron = { contextBridge, ipcRenderer };
  const fakeRequire = (id: string) => {
    required.push(id);
    if (id === 'electron') return electron;
    throw new Error(`the preload required ${id}`);
  };
  const module = { exports: {} };
  const context = vm.createContext({ require: fakeRequire, module, exports: module.exports });
  vm.runInContext(readFileSync(bundlePath, 'utf8'), context, { filename: 'preload.cjs' });
  return { required, touched, exposed, invoked, listeners, removed, ipcRenderer, contextBridge, electron, fakeRequire };
}

type Bridge = { methods: Record<string, (...a: unknown[]) => Promise<unknown>>; onEvent: (l: unknown) => () => void };

describe('preload bundle: no passthrough', () => {
  it('requires nothing but electron and exposes one object, once, under nmrDelegate', () => {
    const p = loadPreload();
    expect(p.required).toEqual(['electron']);
    expect(p.exposed.map((e) => e.key)).toEqual(['nmrDelegate']);
    expect(p.touched).toEqual([]);
    expect(p.listeners).toEqual([]);
  });

  it('exposes exactly { methods, onEvent }, frozen, and methods holds exactly METHOD_NAMES as frozen named functions', () => {
    const api = loadPreload().exposed[0]!.api as Bridge;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Reflect.ownKeys(api)).toEqual(['methods', 'onEvent']);
    expect(typeof api.onEvent).toBe('function');
    expect(Object.isFrozen(api.onEvent)).toBe(true);
    expect(Object.isFrozen(api.methods)).toBe(true);
    expect(Reflect.ownKeys(api.methods)).toEqual([...METHOD_NAMES]);
    for (const m of METHOD_NAMES) {
      const fn = api.methods[m]!;
      expect(typeof fn).toBe('function');
      expect(fn.name).toBe(m);
      expect(Object.isFrozen(fn)).toBe(true);
    }
    // Nothing can be added or replaced by the page.
    expect(Reflect.set(api.methods, 'wallet.status', () => 1)).toBe(false);
    expect(Reflect.set(api.methods, 'ipc.anything', () => 1)).toBe(false);
    expect(Reflect.defineProperty(api, 'ipcRenderer', { value: 1 })).toBe(false);
    expect(Reflect.deleteProperty(api, 'methods')).toBe(false);
  });

  it('sends each method on its own channel with one argument, whatever the page passes', async () => {
    const p = loadPreload();
    const api = p.exposed[0]!.api as Bridge;
    for (const m of METHOD_NAMES) await api.methods[m]!({ n: 1 }, 'extra', { channel: 'evil' });
    expect(p.invoked).toEqual(METHOD_NAMES.map((m) => [m, { n: 1 }]));
    expect(p.touched).toEqual([]);
  });

  it('gives event listeners the payload only, never the IpcRendererEvent (whose sender is ipcRenderer)', () => {
    const p = loadPreload();
    const api = p.exposed[0]!.api as Bridge;
    const got: unknown[][] = [];
    const off = api.onEvent((...args: unknown[]) => got.push(args));
    expect(p.listeners.map((l) => l.channel)).toEqual([EVENT_CHANNEL]);
    p.listeners[0]!.fn({ sender: p.ipcRenderer, senderId: 0, ports: [] }, { name: 'chain.round', payload: { round: 1 } });
    expect(got).toEqual([[{ name: 'chain.round', payload: { round: 1 } }]]);
    off();
    expect(p.removed).toEqual([{ channel: EVENT_CHANNEL, fn: p.listeners[0]!.fn }]);
    expect(() => api.onEvent('not a function')).toThrow();
    expect(p.listeners).toHaveLength(1);
    expect(p.touched).toEqual([]);
  });

  it('reaches neither ipcRenderer, contextBridge, electron nor require from anything it exposes', () => {
    const p = loadPreload();
    const forbidden = new Set<unknown>([p.ipcRenderer, p.contextBridge, p.electron, p.fakeRequire]);
    const seen = new Set<unknown>();
    const walk = (v: unknown, path: string) => {
      if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) return;
      if (forbidden.has(v)) throw new Error(`exposed: ${path}`);
      seen.add(v);
      for (const k of Reflect.ownKeys(v)) {
        const d = Reflect.getOwnPropertyDescriptor(v, k)!;
        for (const x of [d.value, d.get, d.set]) walk(x, `${path}.${String(k)}`);
      }
    };
    expect(() => walk(p.exposed[0]!.api, 'nmrDelegate')).not.toThrow();
    expect(seen.size).toBeGreaterThan(METHOD_NAMES.length);
  });
});
