import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { savedNetworkIsLocal, settingsFile } from './settings-file';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('savedNetworkIsLocal', () => {
  it('is false only for saved settings that name a remote network', () => {
    dir = mkdtempSync(join(tmpdir(), 'settings-file-'));
    expect(savedNetworkIsLocal(dir)).toBe(true); // no file yet: the default, the demo chain
    for (const [text, local] of [
      ['{"network":{"kind":"remote","rpcUrl":"https://eth.example"}}', false],
      ['{"network":{"kind":"local"}}', true],
      ['{"theme":"dark"}', true],
      ['null', true],
      ['{ not json', true],
    ] as const) {
      writeFileSync(settingsFile(dir), text);
      expect(savedNetworkIsLocal(dir), text).toBe(local);
    }
  });
});
