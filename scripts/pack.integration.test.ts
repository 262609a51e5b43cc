/**
 * electron-builder run for real on this computer's Linux target as far as it goes without
 * Electron: `--linux dir` with a stand-in Electron distribution (electronDist), a script that
 * carries the fuse sentinel, so electron-builder's own fuse step flips it as it would Electron's.
 * What it packs is then read back: app.asar holds only the app, anvil is unpacked and executable,
 * the update feed is written, and the fuses are the ones electron-builder.yml sets.
 * It needs the built app (`npm run build`; `npm test` builds first) and no network.
 */
import * as asar from '@electron/asar';
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'nmr-pack-'));
const out = join(work, 'out');
const FEED = 'https://updates.example.org/nmr-delegate';
/** @electron/fuses' marker, followed by the wire's version (1), its length and one byte per fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = 9;

const pkg = z
  .object({ dependencies: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()) })
  .parse(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')));

let resources = '';
let entries: string[] = [];

beforeAll(() => {
  if (!existsSync(join(root, 'dist/main/electron.mjs'))) throw new Error('Build the app first: npm run build');
  const electronDist = join(work, 'electron');
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "a stand-in for Electron"\n'),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, FUSES]),
    Buffer.from('0'.repeat(FUSES)),
  ]);
  mkdirSync(join(electronDist, 'resources'), { recursive: true });
  writeFileSync(join(electronDist, 'electron'), binary);
  chmodSync(join(electronDist, 'electron'), 0o755);
  const electronVersion = z
    .object({ version: z.string() })
    .parse(JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'))).version;
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/electron-builder/cli.js'),
      '--linux',
      'dir',
      process.arch === 'arm64' ? '--arm64' : '--x64',
      '--publish',
      'never',
      `-c.electronDist=${electronDist}`,
      `-c.electronVersion=${electronVersion}`,
      `-c.directories.output=${out}`,
    ],
    { cwd: root, env: { ...process.env, NMR_DELEGATE_UPDATE_URL: FEED }, encoding: 'utf8', timeout: 180_000 },
  );
  if (r.status !== 0) throw new Error(`electron-builder failed:\n${r.stdout}\n${r.stderr}`);
  resources = join(out, process.arch === 'arm64' ? 'linux-arm64-unpacked' : 'linux-unpacked', 'resources');
  entries = asar.listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.replaceAll('\\', '/').replace(/^\//, ''));
}, 200_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed app (electron-builder --linux dir)', () => {
  it('holds main, the preload and the renderer, and no source maps, bench page or harness', () => {
    for (const file of ['package.json', 'dist/main/electron.mjs', 'dist/main/preload.cjs', 'dist/renderer/index.html'])
      expect(entries).toContain(file);
    expect(entries.filter((e) => e.endsWith('.map'))).toEqual([]);
    expect(entries.filter((e) => e.startsWith('dist/') && e.includes('bench'))).toEqual([]);
    expect(entries).not.toContain('dist/main/harness.mjs');
    expect(entries).not.toContain('dist/main/harness-app.mjs');
    expect(entries.filter((e) => /^(main|renderer|shared|contracts|e2e|scripts|build)\//.test(e))).toEqual([]);
  });

  it('ships the production dependencies and none of the renderer-only libraries Vite already bundled', () => {
    const modules = new Set(
      entries
        .filter((e) => e.startsWith('node_modules/'))
        .map((e) =>
          e
            .split('/')
            .slice(1, e.split('/')[1]!.startsWith('@') ? 3 : 2)
            .join('/'),
        ),
    );
    for (const dep of Object.keys(pkg.dependencies)) expect(modules, dep).toContain(dep);
    for (const dev of ['react', 'react-dom', 'react-router', 'recharts', '@tanstack/react-virtual', 'vite', 'electron', 'electron-builder'])
      expect(modules.has(dev), dev).toBe(false);
  });

  it('leaves the anvil binary outside app.asar, executable', () => {
    const cpu = process.arch === 'arm64' ? 'arm64' : 'amd64';
    const anvil = join(resources, 'app.asar.unpacked/node_modules/@foundry-rs', `anvil-linux-${cpu}`, 'bin/anvil');
    expect(() => accessSync(anvil, constants.X_OK)).not.toThrow();
  });

  it('leaves node-hid’s prebuilt binary (Ledger over USB) outside app.asar, where Electron loads a .node file from', () => {
    const dir = `HID_hidraw-linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;
    expect(() => accessSync(join(resources, 'app.asar.unpacked/node_modules/node-hid/prebuilds', dir, 'node-napi-v4.node'))).not.toThrow();
    expect(entries).toContain('node_modules/@ledgerhq/hw-transport-node-hid-noevents/package.json');
    // Ledger's test transport and its rxjs are never loaded at run time: left out.
    expect(
      entries.filter((e) => e.startsWith('node_modules/rxjs/') || e.startsWith('node_modules/@ledgerhq/hw-transport-mocker/')),
    ).toEqual([]);
  });

  it('writes the update feed the build was given', () => {
    const yml = readFileSync(join(resources, 'app-update.yml'), 'utf8');
    expect(yml).toContain('provider: generic');
    expect(yml).toContain(`url: ${FEED}`);
  });

  it('flips the fuses electron-builder.yml sets (run as node, NODE_OPTIONS and --inspect off; cookie encryption, asar integrity and asar only on)', () => {
    const dir = join(resources, '..');
    const binary = readFileSync(join(dir, 'nmr-delegate'));
    const at = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length + 2;
    expect(binary.subarray(at, at + 6).toString()).toBe('010011');
  });
});
