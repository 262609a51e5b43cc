/**
 * Test helper for crash.test.ts (not part of the app): rewrites the keystore file in a tight loop
 * through the app's own write path (keystore-file.ts → store/atomic-file.ts), cycling through
 * keystores of two different keys that the test encrypted beforehand, until it is killed. Prints
 * "ready" after its first write. The parent prepares the keystores so each start stays cheap (no
 * scrypt, no ethers here): the test needs more than a hundred starts.
 * Environment: CRASH_DIR (the wallet folder), CRASH_SOURCES (a JSON file: [{ json, address }]),
 * CRASH_NAIVE=1 to write with a plain writeFileSync instead (the test's negative control: it
 * shows the harness does catch a writer that is not crash-safe).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeKeystoreFile } from '../keystore-file';

const { CRASH_DIR, CRASH_SOURCES, CRASH_NAIVE } = process.env;
if (!CRASH_DIR || !CRASH_SOURCES) throw new Error('crash-child: missing environment');

// Never outlive a test run that died without killing us.
setTimeout(() => process.exit(3), 20_000).unref();

const sources = JSON.parse(readFileSync(CRASH_SOURCES, 'utf8')) as { json: string; address: string }[];
let i = Math.floor(Math.random() * sources.length);
let first = true;
const loop = (): void => {
  for (let n = 0; n < 20; n++, i++) {
    const s = sources[i % sources.length]!;
    if (CRASH_NAIVE === '1') writeFileSync(join(CRASH_DIR, 'keystore.json'), s.json, { mode: 0o600 });
    else writeKeystoreFile(CRASH_DIR, s.json, s.address, null);
    if (first) {
      first = false;
      process.stdout.write('ready\n');
    }
  }
  setImmediate(loop); // let the exit timer run
};
loop();
