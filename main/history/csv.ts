/**
 * One CSV cell. Quotes when needed, and defuses text that a spreadsheet would run as a formula
 * (a model name like "=HYPERLINK(...)" comes from the chain and is not ours to trust). A plain
 * decimal number ("-1.5") is a number, not a formula, and stays as it is.
 */
export function csvCell(value: string | number | bigint): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: (string | number | bigint)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
