import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { savedSettingsHints, settingsFile } from './settings-file';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('savedSettingsHints', () => {
  it('says the network is local unless the saved settings name a remote one, and gives a saved theme only when it is one of the three', () => {
    dir = mkdtempSync(join(tmpdir(), 'settings-file-'));
    // No file yet: the default, the demo chain, and no theme.
    expect(savedSettingsHints(dir)).toEqual({ networkIsLocal: true, theme: null });
    for (const [text, networkIsLocal, theme] of [
      ['{"network":{"kind":"remote","rpcUrl":"https://eth.example"},"theme":"light"}', false, 'light'],
      ['{"network":{"kind":"local"}}', true, null],
      ['{"theme":"dark"}', true, 'dark'],
      ['{"theme":"system"}', true, 'system'],
      ['{"theme":"purple"}', true, null],
      ['{"theme":["dark"]}', true, null],
      ['null', true, null],
      ['{ not json', true, null],
    ] as const) {
      writeFileSync(settingsFile(dir), text);
      expect(savedSettingsHints(dir), text).toEqual({ networkIsLocal, theme });
    }
  });
});
