// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ErrorReport } from '../app/error-reporting';
import { ScreenBoundary } from './ScreenBoundary';

// React's act() needs to know it runs in a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLElement;
let root: Root;
let broken = true;
let renders = 0;

function Page() {
  renders++;
  if (broken) throw new Error('models.map is not a function');
  return <h1>Models</h1>;
}

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  broken = true;
  renders = 0;
  // React logs a caught render error to the console; that is expected here.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.restoreAllMocks();
});

const button = (name: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === name);

describe('a page that throws while rendering', () => {
  it('shows a message with "Reload this screen" instead of a blank window, and reports the error with its page', () => {
    const reports: ErrorReport[] = [];
    act(() =>
      root.render(
        <div>
          <nav>Navigation</nav>
          <ScreenBoundary page="models" report={(r) => reports.push(r)}>
            <Page />
          </ScreenBoundary>
        </div>,
      ),
    );
    // The rest of the window is still there; only the page is replaced.
    expect(container.querySelector('nav')?.textContent).toBe('Navigation');
    const alert = container.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('This screen stopped working');
    expect(alert?.textContent).toContain('not affected');
    expect(button('Reload this screen')).toBeDefined();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ source: 'boundary', page: 'models', message: 'Error: models.map is not a function' });
    // The component stack says which component broke.
    expect(reports[0]!.stack).toContain('Page');
  });

  it('builds the page afresh on "Reload this screen": it shows again once the cause is gone', () => {
    act(() =>
      root.render(
        <ScreenBoundary page="models" report={() => undefined}>
          <Page />
        </ScreenBoundary>,
      ),
    );
    expect(container.querySelector('h1')?.textContent).toBe('This screen stopped working');
    const before = renders;
    broken = false;
    act(() => button('Reload this screen')!.click());
    expect(renders).toBeGreaterThan(before);
    expect(container.querySelector('h1')?.textContent).toBe('Models');
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('still fails again visibly if the page keeps throwing, and reports each time', () => {
    const reports: ErrorReport[] = [];
    act(() =>
      root.render(
        <ScreenBoundary page="history" report={(r) => reports.push(r)}>
          <Page />
        </ScreenBoundary>,
      ),
    );
    act(() => button('Reload this screen')!.click());
    expect(container.querySelector('[role="alert"]')).not.toBeNull();
    expect(reports.map((r) => r.page)).toEqual(['history', 'history']);
  });
});
