// Bundles main (harness and Electron entries) as ESM and the preload as CommonJS, which a
// sandboxed preload requires. npm packages stay external: they are loaded from node_modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning', absWorkingDir: root };
// The update feed is fixed when the app is built (scripts/dist.mjs), the same URL electron-builder
// writes into the installers' publish settings; empty means none (main/electron/updater.ts).
const define = { 'process.env.NMR_DELEGATE_UPDATE_URL': JSON.stringify(process.env.NMR_DELEGATE_UPDATE_URL ?? '') };

const EXTERNAL = ['electron', 'electron-updater', '@ledgerhq/*', 'node-hid', '@walletconnect/*', '@reown/*'];

const t0 = performance.now();
await Promise.all([
  build({
    ...common,
    entryPoints: { harness: 'main/entry/harness.ts', electron: 'main/entry/electron.ts' },
    define,
    outdir: 'dist/main',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    // Pure-JS packages are bundled in: one file loads far faster than hundreds (ethers alone is
    // ~200 modules; resolving and linking them was most of a start's first half second). Native,
    // Electron-only and lazily loaded packages stay in node_modules.
    external: EXTERNAL,
    // A require() shim for the few CommonJS paths inside ESM output.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  }),
  build({
    ...common,
    entryPoints: { preload: 'main/electron/preload.ts' },
    outdir: 'dist/main',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);
console.log(`main built in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
