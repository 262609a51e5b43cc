/** Raw logs made with ethers' coder, and ethers' reading of them, for the fast decoders' tests. */
import type { Interface } from 'ethers';
import type { RawLog } from '../log-reader';

/** Log number `n` of event `name` with `values`, as a node would return it (distinct block, index, hash). */
export function rawLog(iface: Interface, address: string, name: string, values: unknown[], n: number): RawLog {
  const { data, topics } = iface.encodeEventLog(iface.getEvent(name)!, values);
  const hex = (k: number) => `0x${k.toString(16)}`;
  return {
    address,
    topics,
    data,
    blockNumber: hex(1000 + n),
    blockHash: `0x${(n + 1).toString(16).padStart(64, '0')}`,
    transactionHash: `0x${(n + 7).toString(16).padStart(64, 'a')}`,
    logIndex: hex(n % 300),
  };
}

/** What ethers' ABI coder makes of the log, in the decoders' shape (addresses and bytes32 lower-case, small uints as numbers). */
export function viaEthers(iface: Interface, log: RawLog): Record<string, unknown> {
  const parsed = iface.parseLog(log)!;
  const out: Record<string, unknown> = { kind: parsed.name };
  for (const input of parsed.fragment.inputs) {
    const v: unknown = parsed.args.getValue(input.name);
    if (input.type === 'address' || input.type === 'bytes32') out[input.name] = String(v).toLowerCase();
    else if (input.type === 'uint256' || input.type === 'string' || input.type === 'bool') out[input.name] = v;
    else out[input.name] = Number(v);
  }
  return out;
}
