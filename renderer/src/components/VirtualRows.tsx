import type { ReactNode } from 'react';
import type { Virtualizer } from '@tanstack/react-virtual';

/**
 * The rows of a virtualized table body (`role="table"` of grid rows): only those in view are
 * drawn, each at its place; a row whose page has not arrived yet says so.
 */
export function VirtualRows<T>({
  virtual,
  grid,
  rowHeight,
  row,
  render,
}: {
  virtual: Virtualizer<HTMLDivElement, Element>;
  /** The rows' CSS grid columns, the header's too. */
  grid: string;
  rowHeight: number;
  row: (i: number) => T | null;
  render: (item: T) => ReactNode;
}) {
  return (
    <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
      {virtual.getVirtualItems().map((v) => {
        const item = row(v.index);
        return (
          <div
            key={v.key}
            role="row"
            aria-rowindex={v.index + 2}
            className="vrow"
            style={{ gridTemplateColumns: grid, transform: `translateY(${v.start}px)`, height: rowHeight }}
          >
            {item ? (
              render(item)
            ) : (
              <div role="cell" className="vcell muted">
                Loading…
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
