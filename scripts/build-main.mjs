// Bundles main as ESM (the Electron entry; the harness's page server and the services it loads
// after) and the preload as CommonJS, which a sandboxed preload requires.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning', absWorkingDir: root };
// The update feed is fixed when the app is built (scripts/dist.mjs), the same URL electron-builder
// writes into the installers' publish settings; empty means none (main/electron/updater.ts).
const define = { 'process.env.NMR_DELEGATE_UPDATE_URL': JSON.stringify(process.env.NMR_DELEGATE_UPDATE_URL ?? '') };

const EXTERNAL = ['electron', 'electron-updater', '@ledgerhq/*', 'node-hid', '@walletconnect/*', '@reown/*'];

/**
 * `node:http` and `node:https` through require(), not `import`: Node makes an ES module's view of a
 * built-in by reading every export, and http's WebSocket, CloseEvent and MessageEvent are getters
 * that load undici, ~50 ms of a start's main thread for something the app never uses. The names
 * listed are the ones read; a bundled module that asks for another fails the build, not the app.
 */
const httpByRequire = {
  name: 'http-by-require',
  setup(b) {
    const names = {
      http: 'Agent, ClientRequest, IncomingMessage, OutgoingMessage, Server, ServerResponse, STATUS_CODES, METHODS, createServer, get, globalAgent, request, maxHeaderSize, validateHeaderName, validateHeaderValue',
      https: 'Agent, Server, createServer, get, globalAgent, request',
    };
    b.onResolve({ filter: /^(node:)?https?$/ }, (a) => ({ path: a.path.replace(/^node:/, ''), namespace: 'http-by-require' }));
    b.onLoad({ filter: /.*/, namespace: 'http-by-require' }, (a) => ({
      contents: `import { createRequire } from 'node:module'; const m = createRequire(import.meta.url)('node:${a.path}'); export default m; export const { ${names[a.path]} } = m;`,
      loader: 'js',
    }));
  },
};
/**
 * zod's error messages in English only. zod re-exports all ~50 of its locales (`z.locales`, ~0.3 MB
 * of main's 1.9 MB bundle) through a namespace that bundlers cannot shake off; main uses none of
 * them (zod's English default comes from locales/en.js, imported directly). Reading and compiling
 * them was ~15 ms of every start. `z.locales` keeps `en` only.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (a) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(a.importer) ? { path: a.importer, namespace: 'zod-english-only' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (a) => ({
      contents: `export { default as en } from '../locales/en.js';`,
      resolveDir: dirname(a.path),
      loader: 'js',
    }));
  },
};
const esm = {
  ...common,
  define,
  outdir: 'dist/main',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  // Pure-JS packages are bundled in: one file loads far faster than hundreds (ethers alone is
  // ~200 modules; resolving and linking them was most of a start's first half second). Native,
  // Electron-only and lazily loaded packages stay in node_modules.
  external: EXTERNAL,
  plugins: [httpByRequire, zodEnglishOnly],
  // A require() shim for the few CommonJS paths inside ESM output.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  // Without comments and indentation (names stay; the source maps give lines back): 2.6 → 1.9 MB
  // that every start reads, decodes and compiles; and no comment's non-ASCII character makes the
  // whole file two-byte text for V8. PROFILE_BUILD=1 keeps both, so that a CPU profile's line
  // numbers fall under the `// main/…` comment of the module they belong to.
  minifyWhitespace: !process.env.PROFILE_BUILD,
};

const t0 = performance.now();
// Nothing of an earlier build's layout may linger (electron-builder ships dist/main/**).
rmSync(`${root}/dist/main`, { recursive: true, force: true });
await Promise.all([
  build({ ...esm, entryPoints: { electron: 'main/entry/electron.ts', 'harness-app': 'main/entry/harness-app.ts' } }),
  // The harness's first file on its own: it serves the page, then imports harness-app.mjs (left out
  // of this bundle: main/entry/harness.ts). Its own copies of the few modules both use (the logger,
  // the server) keep the ~1 MB that every other module shares out of its first ~100 ms.
  build({ ...esm, entryPoints: { harness: 'main/entry/harness.ts' } }),
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
