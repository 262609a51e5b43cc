// electron-builder's beforePack hook (electron-builder.yml): stops a build whose target has no anvil
// binary installed, with what to run, instead of shipping an app whose demo chain cannot start.
// npm installs only this computer's platform package of the optional @foundry-rs/anvil-* packages,
// so building for another OS or CPU needs that one installed first.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** electron-builder's Arch enum (builder-util), by value. */
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];
const FOUNDRY_OS = { linux: 'linux', darwin: 'darwin', mas: 'darwin', win32: 'win32' };
const FOUNDRY_CPU = { x64: 'amd64', arm64: 'arm64' };

/**
 * The anvil package and binary (relative to the project) for an Electron platform and arch, or null
 * where anvil has no build (Windows on arm64, 32-bit).
 * @param {string} platform electron's platform name: linux, darwin, mas, win32
 * @param {string} arch x64, arm64, …
 */
export function anvilFor(platform, arch) {
  const os = FOUNDRY_OS[platform];
  const cpu = FOUNDRY_CPU[arch];
  if (!os || !cpu || (os === 'win32' && cpu === 'arm64')) return null;
  const name = `@foundry-rs/anvil-${os}-${cpu}`;
  return {
    name,
    os: platform === 'mas' ? 'darwin' : platform,
    cpu: arch,
    binary: `node_modules/${name}/bin/${os === 'win32' ? 'anvil.exe' : 'anvil'}`,
  };
}

/** Why this target cannot be packed, or null when its anvil binary is there. */
export function missingAnvil(platform, arch, projectDir, exists = existsSync) {
  const anvil = anvilFor(platform, arch);
  if (!anvil) return `anvil has no build for ${platform}-${arch}, so the app's demo chain could not start there.`;
  if (exists(join(projectDir, anvil.binary))) return null;
  return `${anvil.name} is not installed (npm installs only this computer's). Run: npm install --no-save --os=${anvil.os} --cpu=${anvil.cpu} ${anvil.name}`;
}

export default async function beforePack(context) {
  const problem = missingAnvil(context.electronPlatformName, ARCH_NAMES[context.arch] ?? String(context.arch), context.packager.projectDir);
  if (problem) throw new Error(problem);
}
