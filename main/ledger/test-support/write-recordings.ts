// Writes main/ledger/recordings/*.apdus from the specification (device-recordings.ts):
//   npx tsx main/ledger/test-support/write-recordings.ts
// recordings.test.ts fails when the files and this generator disagree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { recordings } from './device-recordings';

const dir = fileURLToPath(new URL('../recordings/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(recordings())) writeFileSync(`${dir}${name}.apdus`, text);
console.log(`wrote ${Object.keys(recordings()).length} recordings to ${dir}`);
