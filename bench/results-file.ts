import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export type Figure = { name: string; value: number; unit: string; note: string };

/** Merges figures into bench/results.json by name, so a partial run keeps the others. */
export function recordFigures(file: string, figures: Figure[]): Figure[] {
  const old: Figure[] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Figure[]) : [];
  const byName = new Map(old.map((f) => [f.name, f]));
  for (const f of figures) byName.set(f.name, f);
  const all = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  writeFileSync(file, JSON.stringify(all, null, 2) + '\n');
  return all;
}
