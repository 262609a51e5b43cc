import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anvilBinaryIn, outsideAsar } from './anvil';

describe('the anvil binary in a packaged app', () => {
  it('is run from app.asar.unpacked when require.resolve found it inside app.asar', () => {
    const pkg = '/opt/NMR Delegate/resources/app.asar/node_modules/@foundry-rs/anvil-linux-amd64';
    expect(anvilBinaryIn(pkg, 'linux')).toBe(
      '/opt/NMR Delegate/resources/app.asar.unpacked/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil',
    );
  });

  it('handles Windows and macOS layouts', () => {
    expect(outsideAsar('C:\\Program Files\\NMR Delegate\\resources\\app.asar\\node_modules\\x\\bin\\anvil.exe')).toBe(
      'C:\\Program Files\\NMR Delegate\\resources\\app.asar.unpacked\\node_modules\\x\\bin\\anvil.exe',
    );
    expect(outsideAsar('/Applications/NMR Delegate.app/Contents/Resources/app.asar/node_modules/a/bin/anvil')).toBe(
      '/Applications/NMR Delegate.app/Contents/Resources/app.asar.unpacked/node_modules/a/bin/anvil',
    );
    expect(anvilBinaryIn('C:\\app\\resources\\app.asar\\node_modules\\p', 'win32')).toMatch(/app\.asar\.unpacked.*anvil\.exe$/);
  });

  it('leaves a path outside any archive as it is (development, the harness), and an unpacked one too', () => {
    const dev = join('/home/me/nmr-delegate/node_modules/@foundry-rs/anvil-linux-amd64');
    expect(anvilBinaryIn(dev, 'linux')).toBe(`${dev}/bin/anvil`);
    const unpacked = '/opt/app/resources/app.asar.unpacked/node_modules/p/bin/anvil';
    expect(outsideAsar(unpacked)).toBe(unpacked);
    // Only the archive itself, not a folder whose name merely starts with it.
    expect(outsideAsar('/srv/app.asarchive/bin/anvil')).toBe('/srv/app.asarchive/bin/anvil');
  });
});
