// One build of everything the app needs: contract artifacts, main + preload, renderer.
// `--bench` then builds the bench-only pages beside it (`npm run bench`), in a build of their own, so
// the app's chunks are the ones it ships (the pages in the app's build split them differently).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** @type {[name: string, command: string[]][]} */
const steps = [
  ['contracts', [process.execPath, 'scripts/build-contracts.mjs']],
  ['main', [process.execPath, 'scripts/build-main.mjs']],
  ['renderer', [process.execPath, 'node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']],
];
if (process.argv.includes('--bench')) steps.push(['bench pages', [...steps[2][1], '--mode', 'bench-pages']]);
for (const [name, [cmd, ...args]] of steps) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`Building ${name} failed.`);
    process.exit(r.status ?? 1);
  }
}
