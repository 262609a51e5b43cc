// `npm run dist [-- <electron-builder args>]`: builds the app and the installers for this computer's
// platform (electron-builder.yml; e.g. `npm run dist -- --linux --arm64` for another target).
// Signing and notarizing happen only when their credentials are in the environment (README,
// "Building installers"). electron-builder downloads Electron, so this needs the internet.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

// A build without a feed gets a reserved address that can never resolve (RFC 2606 `.invalid`);
// the app sees it and does not check for updates (main/electron/updater.ts).
const env = { ...process.env };
if (!env.NMR_DELEGATE_UPDATE_URL) {
  env.NMR_DELEGATE_UPDATE_URL = 'https://updates.invalid/nmr-delegate';
  console.warn('NMR_DELEGATE_UPDATE_URL is not set: this build will not check for updates.');
}

const run = (args) => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(['scripts/build-all.mjs']);
run([require.resolve('electron-builder/cli.js'), '--publish', 'never', ...process.argv.slice(2)]);
