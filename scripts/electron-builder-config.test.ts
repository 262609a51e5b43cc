/**
 * electron-builder.yml, checked offline the way electron-builder itself checks it before a build:
 * its own loader (getConfig) and its own validator over its own JSON schema (app-builder-lib's
 * scheme.json). The build cannot run here (it downloads Electron), so this is where a wrong key or
 * a missing target shows. Also: each target's anvil binary is left outside app.asar, and main's
 * bundle needs only what package.json ships as a production dependency.
 */
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import beforePack, { anvilFor, missingAnvil } from './before-pack.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
// Deep paths into app-builder-lib: these functions are what `electron-builder` runs first.
const configLib = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<unknown>;
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
};
const quietLogger = { isEnabled: false, add: () => undefined };

const Target = z.object({ target: z.string(), arch: z.array(z.string()) });
const Platform = z.object({ target: z.array(Target), icon: z.string() });
/** The parts of the config these checks read; the schema check covers the rest. */
const Config = z.object({
  /** As electron-builder's loader normalizes it: one set of patterns. */
  files: z.array(z.object({ filter: z.array(z.string()) })),
  asarUnpack: z.array(z.string()),
  beforePack: z.string(),
  publish: z.object({ provider: z.literal('generic'), url: z.string() }),
  linux: Platform,
  mac: Platform.extend({ hardenedRuntime: z.literal(true), entitlements: z.string(), notarize: z.boolean() }),
  win: Platform,
});
type Config = z.infer<typeof Config>;

const PackageJson = z.object({
  author: z.object({ name: z.string(), email: z.string().email() }),
  homepage: z.string().url(),
  dependencies: z.record(z.string(), z.string()),
  devDependencies: z.record(z.string(), z.string()),
  optionalDependencies: z.record(z.string(), z.string()),
});
const pkg = PackageJson.parse(JSON.parse(readFileSync(`${root}/package.json`, 'utf8')));

async function loadConfig(): Promise<unknown> {
  return configLib.getConfig(root, null, null);
}

const ELECTRON_PLATFORM = { linux: 'linux', mac: 'darwin', win: 'win32' } as const;

/** For each platform and arch the config builds, the anvil binary's path as packed, and whether it is unpacked. */
function anvilPerTarget(config: Config): { target: string; pkgName: string; binary: string; unpacked: boolean }[] {
  const out = [];
  for (const platform of ['linux', 'mac', 'win'] as const) {
    const arches = new Set(config[platform].target.flatMap((t) => t.arch));
    for (const arch of arches) {
      const anvil = anvilFor(ELECTRON_PLATFORM[platform], arch);
      if (!anvil) throw new Error(`electron-builder.yml builds ${platform}-${arch}, for which anvil has no build`);
      const { name: pkgName, binary } = anvil;
      out.push({ target: `${platform}-${arch}`, pkgName, binary, unpacked: config.asarUnpack.some((g) => minimatch(binary, g)) });
    }
  }
  return out;
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(configLib.validateConfiguration(await loadConfig(), quietLogger)).resolves.toBeUndefined();
  });

  it('is rejected by the same check when wrong (negative control)', async () => {
    const config = Config.parse(await loadConfig());
    const wrongTarget = { ...config, mac: { ...config.mac, target: ['dmgg'] } };
    await expect(configLib.validateConfiguration(wrongTarget, quietLogger)).rejects.toThrow(/configuration/i);
    await expect(configLib.validateConfiguration({ ...config, notAnOption: true }, quietLogger)).rejects.toThrow(/notAnOption/);
  });

  it('builds every target the issue asks for, with a zip beside the dmg for macOS updates', async () => {
    const config = Config.parse(await loadConfig());
    const targets = (p: 'linux' | 'mac' | 'win') => config[p].target.map((t) => `${t.target}:${t.arch.join('+')}`).sort();
    expect(targets('linux')).toEqual(['AppImage:x64+arm64', 'deb:x64+arm64']);
    expect(targets('mac')).toEqual(['dmg:arm64+x64', 'zip:arm64+x64']);
    expect(targets('win')).toEqual(['nsis:x64']);
    expect(config.publish.url).toBe('${env.NMR_DELEGATE_UPDATE_URL}');
    for (const p of ['linux', 'mac', 'win'] as const)
      expect(readFileSync(`${root}/${config[p].icon}`).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(`${root}/${config.mac.entitlements}`, 'utf8')).toContain('com.apple.security.cs.allow-jit');
  });

  it('leaves the anvil binary of every target outside app.asar, from a package npm installs for it', async () => {
    const config = Config.parse(await loadConfig());
    const perTarget = anvilPerTarget(config);
    expect(perTarget.map((t) => t.target).sort()).toEqual(['linux-arm64', 'linux-x64', 'mac-arm64', 'mac-x64', 'win-x64']);
    for (const t of perTarget) {
      expect(t.unpacked, t.target).toBe(true);
      expect(pkg.optionalDependencies[t.pkgName], t.pkgName).toBeDefined();
    }
    // Negative control: without the pattern no target's binary is unpacked.
    expect(anvilPerTarget({ ...config, asarUnpack: ['node_modules/other/**'] }).some((t) => t.unpacked)).toBe(false);
  });

  it('ships only the app: no source maps, no bench page, no harness', async () => {
    const config = Config.parse(await loadConfig());
    const patterns = config.files.flatMap((f) => f.filter);
    const shipped = (file: string) =>
      patterns.filter((g) => !g.startsWith('!')).some((g) => minimatch(file, g)) &&
      !patterns.filter((g) => g.startsWith('!')).some((g) => minimatch(file, g.slice(1)));
    expect(shipped('dist/main/electron.mjs')).toBe(true);
    expect(shipped('dist/main/preload.cjs')).toBe(true);
    expect(shipped('dist/renderer/index.html')).toBe(true);
    expect(shipped('dist/renderer/assets/index-abc.js')).toBe(true);
    for (const no of [
      'dist/main/electron.mjs.map',
      'dist/renderer/bench/chart-bench.html',
      'dist/main/harness.mjs',
      'dist/main/harness-app.mjs',
      'contracts/src/Pool.sol',
      'main/entry/electron.ts',
    ])
      expect(shipped(no), no).toBe(false);
  });
});

describe('the beforePack hook', () => {
  it('is the one electron-builder.yml names', async () => {
    const config = z.object({ beforePack: z.string() }).parse(await loadConfig());
    expect(config.beforePack).toBe('./scripts/before-pack.mjs');
  });

  it("passes a target whose anvil binary is installed (this computer's)", async () => {
    const arch = process.arch === 'arm64' ? 3 : 1;
    await expect(beforePack({ electronPlatformName: process.platform, arch, packager: { projectDir: root } })).resolves.toBeUndefined();
  });

  it('stops a target whose anvil package is missing, saying what to install', () => {
    const problem = missingAnvil('linux', 'arm64', '/project', () => false);
    expect(problem).toContain('npm install --no-save --os=linux --cpu=arm64 @foundry-rs/anvil-linux-arm64');
    expect(
      missingAnvil('darwin', 'x64', '/project', (p) => p === '/project/node_modules/@foundry-rs/anvil-darwin-amd64/bin/anvil'),
    ).toBeNull();
    expect(missingAnvil('win32', 'x64', '/p', (p) => p.endsWith('anvil-win32-amd64/bin/anvil.exe'))).toBeNull();
  });

  it('stops a target anvil has no build for', () => {
    expect(missingAnvil('win32', 'arm64', '/project', () => true)).toMatch(/no build for win32-arm64/);
    expect(missingAnvil('linux', 'ia32', '/project', () => true)).toMatch(/no build/);
  });
});

describe('package.json for the installers', () => {
  it('has what the .deb and the About box need: an author with an e-mail and a homepage', () => {
    expect(pkg.author.email).toMatch(/@/);
    expect(pkg.homepage).toMatch(/^https:\/\//);
  });

  it("ships as production dependencies exactly what main's bundle loads at run time, and no renderer-only library", async () => {
    // main is bundled with every npm package external (scripts/build-main.mjs): what it imports must ship.
    const result = await build({
      absWorkingDir: root,
      entryPoints: ['main/entry/electron.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const external = new Set<string>();
    for (const input of Object.values(result.metafile.inputs))
      for (const imp of input.imports)
        if (imp.external && !imp.path.startsWith('node:'))
          external.add(
            imp.path
              .split('/')
              .slice(0, imp.path.startsWith('@') ? 2 : 1)
              .join('/'),
          );
    external.delete('electron'); // provided by the runtime itself
    const shipped = new Set(Object.keys(pkg.dependencies));
    for (const name of external) expect(shipped.has(name), `${name} is imported by main but not a dependency`).toBe(true);
    for (const rendererOnly of ['react', 'react-dom', 'react-router', 'recharts', '@tanstack/react-virtual']) {
      expect(shipped.has(rendererOnly), rendererOnly).toBe(false);
      expect(pkg.devDependencies[rendererOnly], rendererOnly).toBeDefined();
    }
  });
});
