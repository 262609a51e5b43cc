/**
 * Test helper for kill9.test.ts (not part of the app): rewrites one file in a tight loop through
 * the app's own write path until it is killed, alternating between two contents the test knows.
 * Prints "ready" after its first write.
 *
 * Environment: KILL9_FILE (the file), KILL9_MODE:
 * - "settings": SettingsStore.update() with the two full settings in KILL9_VARIANTS (a JSON array);
 * - "atomic": writeFileAtomic() with the two texts in KILL9_VARIANTS;
 * - "naive": a plain writeFileSync() of those texts — the test's negative control, to show that it
 *   does catch a writer that is not crash-safe.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { writeFileAtomic } from '../atomic-file';
import type { Settings, SettingsStore } from '../settings';

const { KILL9_FILE, KILL9_MODE, KILL9_VARIANTS } = process.env;
if (!KILL9_FILE || !KILL9_MODE || !KILL9_VARIANTS) throw new Error('kill9-child: missing environment');

// Never outlive a test run that died without killing us.
setTimeout(() => process.exit(3), 20_000).unref();

async function main(file: string, mode: string, variantsFile: string): Promise<void> {
  const variants = JSON.parse(readFileSync(variantsFile, 'utf8')) as unknown[];
  // Loaded only when needed: zod and the schema make up most of a start.
  const store: SettingsStore | null = mode === 'settings' ? new (await import('../settings')).SettingsStore(file) : null;
  let i = Math.floor(Math.random() * 2);
  let first = true;

  const writeOnce = (): void => {
    const v = variants[i++ % variants.length];
    if (store) {
      const { version: _version, ...patch } = v as Settings;
      store.update(patch);
    } else if (mode === 'atomic') writeFileAtomic(file, v as string);
    else writeFileSync(file, v as string, { mode: 0o600 });
  };

  const loop = (): void => {
    for (let n = 0; n < 10; n++) {
      writeOnce();
      if (first) {
        first = false;
        process.stdout.write('ready\n');
      }
    }
    setImmediate(loop); // let the exit timer run
  };
  loop();
}

void main(KILL9_FILE, KILL9_MODE, KILL9_VARIANTS);
