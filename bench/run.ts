import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFigures, type Figure } from './results-file';
import { benchStartup } from './startup';
import { benchGas } from './gas';
import { benchRenderer } from './renderer';
import { benchRecords } from './records';
import { benchWallet } from './wallet';
import { benchHistory } from './history';
import { benchDemoDay } from './demo-day';
import { benchNumeraiFirst } from './numerai-first';
import { benchMemory } from './memory';

/** `npm run bench`: measures and writes bench/results.json. Pass names to run only some groups. */
const groups: Record<string, () => Promise<Figure[]>> = {
  startup: () => benchStartup(),
  gas: () => benchGas(),
  records: () => benchRecords(),
  wallet: () => benchWallet(),
  renderer: () => benchRenderer(),
  history: () => benchHistory(),
  'demo-day': () => benchDemoDay(),
  'numerai-first': () => benchNumeraiFirst(),
  memory: () => benchMemory(),
};

const file = join(fileURLToPath(new URL('.', import.meta.url)), 'results.json');
const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(groups)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`bench: ${name}…`);
  const figures = await run();
  for (const f of figures) console.log(`  ${f.name} = ${f.value} ${f.unit}`);
  recordFigures(file, figures);
}
console.log(`written ${file}`);
