/** An operator fee as the list and Compare show it ("12.5%"), or "—" when none is known (ModelRow.feeBps). */
export function feeText(feeBps: number | null): string {
  return feeBps === null ? '—' : `${(feeBps / 100).toFixed(1)}%`;
}
