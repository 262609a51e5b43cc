// `npm start`: build, then run the desktop app in Electron when its binary is here (or can be
// fetched by Electron's own installer); otherwise run the same app in the browser harness.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const forceHarness = args.includes('--harness') || process.env.NMR_DELEGATE_HARNESS === '1';

function run(cmd, cmdArgs, opts = {}) {
  return spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts });
}

console.log('Building NMR Delegate…');
if (run(process.execPath, ['scripts/build-all.mjs']).status !== 0) {
  console.error('The build failed; see the messages above.');
  process.exit(1);
}

function electronBinary() {
  try {
    return require('electron'); // the package's index returns the binary's path, or throws
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

let electron = forceHarness ? { error: 'the harness was asked for' } : electronBinary();
if (typeof electron !== 'string' && !forceHarness) {
  console.log('Electron is not installed yet; trying to download it with Electron’s own installer…');
  const installer = require.resolve('electron/install.js');
  const r = run(process.execPath, [installer], { timeout: 120_000, stdio: ['ignore', 'ignore', 'pipe'] });
  electron = r.status === 0 ? electronBinary() : { error: (r.stderr?.toString().trim().split('\n').pop() || 'the download failed').slice(0, 300) };
}

if (typeof electron === 'string') {
  const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    `\nElectron cannot run here (${electron.error}).\n` +
      'Starting the browser harness instead: the same app and services, shown in your web browser.',
  );
  const child = spawn(process.execPath, ['dist/main/harness.mjs', ...args.filter((a) => a !== '--harness')], {
    cwd: root,
    stdio: 'inherit',
  });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}
