// A page for `npm run bench` only: the app's own model table (pages/Models.tsx) with the real API
// client over a transport stand-in that answers at once from rows the bench took from the running
// app. It measures the table's floor: the same rows drawn again with no sort, no network and no
// main process in between. Not linked from the app.
import { createRoot } from 'react-dom/client';
import { useState } from 'react';
import type { Envelope, MethodName } from '../../shared/api';
import { createApiClient } from '../src/api/client';
import { ApiProvider } from '../src/api/context';
import type { Transport } from '../src/api/transport';
import { Models, type Selection } from '../src/pages/Models';
import type { ModelsView } from '../src/app/routes';
import '../src/styles.css';
import { whenDom } from './dom-wait';

type ListAnswer = { value: { dataLabel: string } } & Envelope<unknown>;

let answer: ListAnswer | null = null;
const listeners = new Set<(e: unknown) => void>();
const transport: Transport = {
  kind: 'harness',
  call(method: MethodName) {
    if (method !== 'models.list' || !answer)
      return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: `bench: no ${method}` } });
    // A structured clone: new row objects with the same contents, as a new answer from main would be.
    return Promise.resolve(structuredClone(answer));
  },
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
const api = createApiClient(transport);

function Bench({ view }: { view: ModelsView }) {
  const [selection] = useState<Selection>(() => new Map());
  return (
    <ApiProvider client={api}>
      <div className="shell">
        <main className="content">
          <Models
            view={view}
            onView={() => undefined}
            scrollKey="bench"
            onOpen={() => undefined}
            selection={selection}
            onToggle={() => undefined}
          />
        </main>
      </div>
    </ApiProvider>
  );
}

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));
const firstRow = () => document.querySelectorAll('[role="table"][aria-label="Models"] [role="row"]')[1]?.textContent ?? null;

/** Shows the table with `first` (the rows the sort starts from), its body `bodyHeight` px tall as in the app. */
async function mount(first: ListAnswer, view: ModelsView, bodyHeight: number): Promise<void> {
  answer = first;
  const style = document.createElement('style');
  style.textContent = `.vbody { flex: none; height: ${bodyHeight}px; }`;
  document.head.append(style);
  createRoot(document.getElementById('root')!).render(<Bench view={view} />);
  while (!firstRow() || firstRow()!.includes('Loading')) await frame();
}

/**
 * From main's word that the rows changed (`records.updated`, as after a refresh) to the new first
 * row on screen: the table asks again, gets `next` at once and draws it.
 */
async function redraw(next: ListAnswer): Promise<number> {
  const table = document.querySelector('[role="table"][aria-label="Models"]')!;
  const before = firstRow();
  const changed = () => {
    const now = firstRow();
    return now !== null && now !== before && !now.includes('Loading');
  };
  answer = next;
  const t0 = performance.now();
  for (const l of listeners) l({ name: 'records.updated', payload: { setChanged: true, dataLabel: next.value.dataLabel } });
  // Timed to the DOM change itself, as the bench times a sort (not rounded up to the next frame).
  await whenDom(table, changed);
  return performance.now() - t0;
}

(window as unknown as { __benchTable: unknown }).__benchTable = { mount, redraw };
