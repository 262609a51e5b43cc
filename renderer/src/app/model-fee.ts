// One decimal always (the list's column lines up), in the page's locale like its other figures.
const percentOneDecimal = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** An operator fee as every screen shows it ("12.5%"), or "—" when none is known (ModelRow.feeBps). */
export function feeText(feeBps: number | null): string {
  return feeBps === null ? '—' : `${percentOneDecimal.format(feeBps / 100)}%`;
}
