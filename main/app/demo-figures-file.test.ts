import { mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoWorld } from '../records/demo-source';
import { createDemoRecordsService, demoFiguresSteps, demoServiceOver, type DemoFigures } from '../records/demo-records';
import { runToEnd } from '../async/slices';
import { checkDemoFiguresLater, checkSample, loadDemoFigures, saveDemoFigures } from './demo-figures-file';
import { createRecords } from './records-adapter';

const dir = mkdtempSync(join(tmpdir(), 'demo-figures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = { models: 300 };
const world = demoWorld(options);
const figures = runToEnd(demoFiguresSteps(world));

describe("the demo world's figures kept between starts", () => {
  it('reads back what it saved: the same list, the same model pages', async () => {
    const path = join(dir, 'same.bin');
    await saveDemoFigures(path, options, figures);
    const read = await loadDemoFigures(path, options);
    expect(read).not.toBeNull();
    const fromFile = demoServiceOver(read!, () => demoWorld(options));
    const made = createDemoRecordsService(options);
    const q = { sortBy: 'sharpe', sortDir: 'desc', offset: 10, limit: 100 } as const;
    expect(fromFile.list(q)).toEqual(made.list(q));
    const name = made.set.models[123]!.name;
    expect(fromFile.summary(name, 40)).toEqual(made.summary(name, 40));
    expect(fromFile.detail(name, { maxPoints: 200 })).toEqual(made.detail(name, { maxPoints: 200 }));
    expect(fromFile.set.currentStakeWei).toEqual(made.set.currentStakeWei);
  });

  it("ignores another world's file, and sets a damaged one aside", async () => {
    const path = join(dir, 'other.bin');
    await saveDemoFigures(path, options, figures);
    expect(await loadDemoFigures(path, { models: 301 })).toBeNull();
    const bytes = readFileSync(path);
    bytes[bytes.length - 3]! ^= 0xff;
    writeFileSync(path, bytes);
    expect(await loadDemoFigures(path, options)).toBeNull();
    expect(existsSync(`${path}.corrupt`)).toBe(true);
    expect(await loadDemoFigures(join(dir, 'none.bin'), options)).toBeNull();
  });

  it('checks a few models spread over the world, first and last included', () => {
    expect(checkSample(300)).toEqual(expect.arrayContaining([0, 299]));
    expect(checkSample(300)).toHaveLength(16);
    expect(checkSample(3)).toEqual([0, 1, 2]);
    expect(checkSample(0)).toEqual([]);
  });

  it('finds out a file made by another version of the generator, and replaces it', async () => {
    const path = join(dir, 'stale.bin');
    // What an older generator might have left: one figure off on the last model.
    const stale: DemoFigures = { ...figures, columns: { ...figures.columns, sharpe: Float64Array.from(figures.columns.sharpe) } };
    stale.columns.sharpe[299] = stale.columns.sharpe[299]! + 1e-9;
    await saveDemoFigures(path, options, stale);
    let rebuilt: DemoFigures | null = null;
    const check = checkDemoFiguresLater(
      (await loadDemoFigures(path, options))!,
      () => world,
      path,
      options,
      (f) => (rebuilt = f),
      undefined,
      0,
    );
    expect(await check.done).toBe('rebuilt');
    expect(Array.from(rebuilt!.columns.sharpe)).toEqual(Array.from(figures.columns.sharpe));
    expect(Array.from((await loadDemoFigures(path, options))!.columns.sharpe)).toEqual(Array.from(figures.columns.sharpe));
    const again = checkDemoFiguresLater(
      (await loadDemoFigures(path, options))!,
      () => world,
      path,
      options,
      () => {},
      undefined,
      0,
    );
    expect(await again.done).toBe('same');
    const cancelled = checkDemoFiguresLater(
      figures,
      () => world,
      path,
      options,
      () => {},
      undefined,
      60_000,
    );
    cancelled.cancel();
    expect(await cancelled.done).toBe('cancelled');
  });

  it('the app saves the figures once the world is built, and its next start lists from the file', async () => {
    const path = join(dir, 'app.bin');
    const first = createRecords({ chainModels: 4, worldModels: 400, figuresPath: path });
    await first.ready();
    await first.close();
    await expect.poll(() => existsSync(path)).toBe(true);
    const second = createRecords({ chainModels: 4, worldModels: 400, figuresPath: path });
    // Read off the main thread: nothing is listed until the file is in, then the whole world at once.
    expect(second.list({ limit: 1 }).total).toBe(0);
    await second.ready(second.demoSpec().models.map((m) => m.name));
    expect(second.list({ limit: 1 }).total).toBe(400);
    expect(second.list({ sortBy: 'return1yPct', limit: 50 })).toEqual(first.list({ sortBy: 'return1yPct', limit: 50 }));
    await second.close();
  });
});
