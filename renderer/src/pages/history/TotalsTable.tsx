import type { HistoryPositionTotals, HistoryTotals } from '../../../../shared/api';
import { Nmr, shortAddress } from '../../components/Amount';

type Amount = Exclude<keyof HistoryTotals, 'entries'>;
type Column = { key: Amount; label: string; hint: string };

const COLUMNS: Column[] = [
  { key: 'valueAtStartWei', label: 'Value at start', hint: 'The position’s value when the period began' },
  { key: 'delegatedWei', label: 'Delegated', hint: 'NMR you put in' },
  { key: 'cancelledWei', label: 'Cancelled', hint: 'Delegations cancelled before they joined the model' },
  { key: 'payoutWei', label: 'Paid', hint: 'Numerai’s payouts, your share, before the operator’s fee' },
  { key: 'feeWei', label: 'Fees', hint: 'The operator’s fee on gains' },
  { key: 'burnWei', label: 'Burned', hint: 'Numerai’s burns, your share' },
  { key: 'withdrawnWei', label: 'Withdrawn', hint: 'NMR that came back to your wallet' },
  { key: 'resultWei', label: 'Net result', hint: 'Paid − fees − burned, and the pool’s rounding: what the rounds earned or lost' },
  { key: 'valueAtEndWei', label: 'Value at end', hint: 'The position’s value at the end of the period (now, if the period has no end)' },
];

/**
 * The totals of the entries shown, per position and together, to the wei (exact on hover). Columns
 * that are zero everywhere ("Cancelled", "Value at start" of a whole history) are left out.
 */
export function TotalsTable({
  positions,
  overall,
  showAccount,
}: {
  positions: HistoryPositionTotals[];
  overall: HistoryTotals;
  showAccount: boolean;
}) {
  const optional = new Set<Amount>(['cancelledWei', 'valueAtStartWei']);
  const columns = COLUMNS.filter((c) => !optional.has(c.key) || BigInt(overall[c.key]) !== 0n);
  const cells = (t: HistoryTotals) =>
    columns.map((c) => {
      const v = BigInt(t[c.key]);
      const tone = c.key === 'resultWei' ? (v > 0n ? 'pos' : v < 0n ? 'neg' : '') : '';
      return (
        <td key={c.key} className={`num ${tone}`}>
          <Nmr wei={v} digits={4} unit={false} />
        </td>
      );
    });
  return (
    <div className="table-wrap totals">
      <table>
        <caption className="visually-hidden">Totals of the entries shown, per position, in NMR</caption>
        <thead>
          <tr>
            <th scope="col">Position (NMR)</th>
            {columns.map((c) => (
              <th key={c.key} scope="col" className="num" title={c.hint}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {positions.map((p) => (
            <tr key={`${p.account}:${p.modelId}`}>
              <th scope="row">
                {p.model}
                {showAccount && <span className="muted small mono"> {shortAddress(p.account)}</span>}
              </th>
              {cells(p)}
            </tr>
          ))}
        </tbody>
        {positions.length > 1 && (
          <tfoot>
            <tr>
              <th scope="row">All positions</th>
              {cells(overall)}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
