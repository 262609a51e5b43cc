// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelRow } from '../../../../shared/api';
import { sampleModelRow } from '../../../../shared/test-support/model-row';
import { ModelFigures } from './ModelFigures';

// React's act() needs to know it runs in a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  root = createRoot(container);
});
afterEach(() => act(() => root.unmount()));

// Checked by the contract's own schema, so the fixture is a row main could send.
const row = (over: Partial<ModelRow>): ModelRow =>
  ModelRow.parse(
    sampleModelRow({
      name: 'quiet_lynx',
      modelId: 7,
      feeBps: 1250,
      capWei: '5000000000000000000000',
      delegatedWei: '1200000000000000000000',
      capacityLeftWei: '3800000000000000000000',
      ...over,
    }),
  );

/** The figures as label → value. */
async function figures(m: ModelRow): Promise<Map<string, string>> {
  await act(async () => root.render(<ModelFigures m={m} />));
  return new Map(
    [...container.querySelectorAll('.figure')].map((f) => [
      f.querySelector('dt')!.textContent,
      f.querySelector('.figure-value')!.textContent,
    ]),
  );
}

describe('ModelFigures', () => {
  it('shows a pool model’s delegated NMR, room and fee', async () => {
    const f = await figures(row({}));
    expect(f.get('Operator fee')).toBe('12.5%');
    expect(f.get('Delegated in the pool')).toMatch(/^1,200(\.00)? NMR$/);
    expect(f.get('Room left')).toMatch(/^3,800 NMR$/);
    expect(f.has('In the pool')).toBe(false);
  });

  it('says a model outside the pool is not in it, instead of 0 NMR delegated and a 0% fee its record does not have', async () => {
    const f = await figures(row({ modelId: null, feeBps: null, capWei: null, delegatedWei: '0', capacityLeftWei: null }));
    expect(f.get('In the pool')).toBe('No');
    for (const label of ['Operator fee', 'Delegated in the pool', 'Room left']) expect(f.has(label)).toBe(false);
  });

  it('keeps the fee a model outside the pool has in its record (the demo’s), as its list row shows it', async () => {
    const f = await figures(row({ modelId: null, feeBps: 1750, capWei: null, delegatedWei: '0', capacityLeftWei: null }));
    expect(f.get('In the pool')).toBe('No');
    expect(f.get('Operator fee')).toBe('17.5%');
  });
});
