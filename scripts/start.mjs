// `npm start`: build, then run the desktop app in Electron when its binary is here (or can be
// fetched by Electron's own installer); otherwise run the same app in the browser harness.
import { spawn, spawnSync } from 'node:child_process';
import { electronInstallerPath, installedElectronPath } from './electron-binary.mjs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
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

let electron = forceHarness ? null : installedElectronPath();
let why = forceHarness ? 'the harness was asked for' : '';
if (!electron && !forceHarness) {
  console.log('Electron is not installed yet; trying to download it with Electron’s own installer…');
  const r = run(process.execPath, [electronInstallerPath()], { timeout: 120_000, stdio: ['ignore', 'ignore', 'pipe'] });
  electron = installedElectronPath();
  if (!electron) {
    // The installer prints a stack; its first "...Error: ..." line is the reason worth showing.
    const lines =
      r.stderr
        ?.toString()
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean) ?? [];
    const reason = r.error?.message ?? lines.find((l) => /error/i.test(l) && !l.startsWith('at ')) ?? lines[0];
    why = `its download failed: ${(reason || 'no answer').slice(0, 200)}`;
  }
}

if (electron) {
  const child = spawn(electron, ['.'], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    `\nElectron cannot run here (${why}).\n` +
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
