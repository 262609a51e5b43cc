import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../store/atomic-file';

/** A JSON number of 16 digits or more: JSON.parse could round it, and the state would be written back changed. */
const LONG_NUMBER = /[:,[]\s*-?\d{16,}/;

/**
 * Empties the call traces of the transactions in anvil's saved state (`--state`), once anvil has
 * stopped. anvil keeps every mined transaction's traces there: 3.0 of the 7.3 MB the demo's set-up
 * leaves. The app never asks for them (no debug_ or trace_ call; receipts and logs stay), yet anvil
 * read them at every start (180 → 135 ms of its CPU with them gone, measured on a 2-core machine)
 * and writes them all back every few seconds while it runs.
 *
 * Whatever it cannot read safely it leaves as anvil wrote it: no file, no traces, not JSON, not
 * anvil's shape, or a number JSON.parse could round. Answers whether it rewrote the file.
 */
export function dropSavedTraces(stateFile: string): boolean {
  let bytes: Buffer;
  try {
    bytes = readFileSync(stateFile);
  } catch {
    return false;
  }
  if (!bytes.includes('"traces":[{')) return false;
  const text = bytes.toString('utf8');
  if (LONG_NUMBER.test(text)) return false;
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch {
    return false;
  }
  const transactions = typeof state === 'object' && state !== null ? (state as { transactions?: unknown }).transactions : undefined;
  if (!Array.isArray(transactions)) return false;
  let dropped = false;
  for (const tx of transactions as unknown[]) {
    const info = typeof tx === 'object' && tx !== null ? (tx as { info?: unknown }).info : undefined;
    if (typeof info !== 'object' || info === null) continue;
    const traced = info as { traces?: unknown };
    if (Array.isArray(traced.traces) && traced.traces.length > 0) {
      traced.traces = [];
      dropped = true;
    }
  }
  if (!dropped) return false;
  try {
    writeFileAtomic(stateFile, JSON.stringify(state));
  } catch {
    return false; // the file anvil wrote is left in place (writeFileAtomic replaces it whole or not at all)
  }
  return true;
}
