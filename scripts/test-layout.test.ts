/**
 * The test layout, checked over the real tree (docs/architecture.md, "Tests and benchmarks"):
 * benchmarks only in bench/, test helpers only in `test-support/` folders, and no production file
 * that imports either or vitest. A negative control shows each rule catches what it is for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const PRODUCTION_TREES = ['main', 'shared', 'renderer/src'];

type SourceFile = { path: string; text: string };

const isTest = (path: string) => /\.test\.tsx?$/.test(path);
const isTestSupport = (path: string) => path.split('/').includes('test-support');

/** What breaks the convention, one line per file and rule. */
function layoutProblems(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const { path, text } of files) {
    const parts = path.split('/');
    const name = parts[parts.length - 1]!;
    if (/^bench([-.]|$)/.test(name)) problems.push(`${path}: a benchmark outside bench/`);
    const folders = parts.slice(0, -1);
    if (folders.some((f) => f === 'test' || f === 'support' || f === 'test-helpers'))
      problems.push(`${path}: test helpers go in a test-support/ folder`);
    if (/^test-helpers?\.tsx?$/.test(name)) problems.push(`${path}: test helpers go in a test-support/ folder`);
    if (isTest(path) || isTestSupport(path)) continue;
    for (const m of text.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (spec === 'vitest' || spec.startsWith('vitest/')) problems.push(`${path}: production code imports vitest`);
      if (spec.split('/').includes('test-support')) problems.push(`${path}: production code imports test support (${spec})`);
      if (/(^|\/)bench(\/|$)/.test(spec)) problems.push(`${path}: production code imports a benchmark (${spec})`);
    }
  }
  return problems;
}

function sources(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sources(path));
    else if (/\.(ts|tsx|mjs)$/.test(entry.name)) out.push({ path, text: readFileSync(join(root, path), 'utf8') });
  }
  return out;
}

describe('test layout', () => {
  it('holds in the real tree', () => {
    const files = PRODUCTION_TREES.flatMap(sources);
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => isTestSupport(f.path))).toBe(true);
    expect(layoutProblems(files)).toEqual([]);
  });

  it('catches each kind of break (negative control)', () => {
    const bad: SourceFile[] = [
      { path: 'main/records/bench.ts', text: '' },
      { path: 'main/records/bench-cache.ts', text: '' },
      { path: 'main/test/test-app.ts', text: '' },
      { path: 'main/records/test-helpers.ts', text: '' },
      { path: 'main/pool/pool-service.ts', text: "import { fake } from './test-support/fake';" },
      { path: 'main/pool/other.ts', text: "import { expect } from 'vitest';" },
      { path: 'main/pool/lazy.ts', text: "const b = await import('../../bench/records');" },
    ];
    expect(layoutProblems(bad)).toEqual([
      'main/records/bench.ts: a benchmark outside bench/',
      'main/records/bench-cache.ts: a benchmark outside bench/',
      'main/test/test-app.ts: test helpers go in a test-support/ folder',
      'main/records/test-helpers.ts: test helpers go in a test-support/ folder',
      'main/pool/pool-service.ts: production code imports test support (./test-support/fake)',
      'main/pool/other.ts: production code imports vitest',
      'main/pool/lazy.ts: production code imports a benchmark (../../bench/records)',
    ]);
    // Tests and test support may import both.
    expect(
      layoutProblems([
        { path: 'main/pool/pool-service.test.ts', text: "import { it } from 'vitest'; import { x } from './test-support/x';" },
        { path: 'main/pool/test-support/x.ts', text: "import { expect } from 'vitest';" },
      ]),
    ).toEqual([]);
  });
});
