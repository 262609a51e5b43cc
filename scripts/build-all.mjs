// One build of everything the app needs: contract artifacts, main + preload, renderer.
// `--bench` adds the bench-only pages to the renderer's build (`npm run bench`); the app never ships them.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** @type {[name: string, command: string[]][]} */
const steps = [
  ['contracts', [process.execPath, 'scripts/build-contracts.mjs']],
  ['main', [process.execPath, 'scripts/build-main.mjs']],
  ['renderer', [process.execPath, 'node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']],
];
for (const [name, [cmd, ...args]] of steps) {
  const env = process.argv.includes('--bench') ? { ...process.env, NMR_DELEGATE_BENCH_PAGES: '1' } : process.env;
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`Building ${name} failed.`);
    process.exit(r.status ?? 1);
  }
}
