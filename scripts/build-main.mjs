// Bundles main (harness and Electron entries) as ESM and the preload as CommonJS, which a
// sandboxed preload requires. npm packages stay external: they are loaded from node_modules.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning', absWorkingDir: root };

const t0 = performance.now();
await Promise.all([
  build({
    ...common,
    entryPoints: { harness: 'main/entry/harness.ts', electron: 'main/entry/electron.ts' },
    outdir: 'dist/main',
    format: 'esm',
    outExtension: { '.js': '.mjs' },
    packages: 'external',
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
