import { createRequire } from 'node:module';
import type TransportType from '@ledgerhq/hw-transport';
import { hexlify, Transaction } from 'ethers';
import { addressAnswer, DEVICE_PHRASE, deviceKey } from './device-recordings';

// hw-transport's CommonJS build (its ES build does not load in Node, like the other Ledger packages).
const Transport = (createRequire(import.meta.url)('@ledgerhq/hw-transport') as { default: typeof TransportType }).default;

const sw = (code: number) => Buffer.from([code >> 8, code & 0xff]);

/** The BIP-32 path at the start of a command's data, as "m/44'/60'/…". */
function readPath(data: Buffer): { path: string; rest: Buffer } {
  const n = data[0]!;
  const levels = Array.from({ length: n }, (_, i) => {
    const v = data.readUInt32BE(1 + 4 * i);
    return v >= 0x80000000 ? `${v - 0x80000000}'` : String(v);
  });
  return { path: `m/${levels.join('/')}`, rest: data.subarray(1 + 4 * n) };
}

/** Whether `tx` holds a whole transaction: a type byte (if any), then one complete RLP list. */
function complete(tx: Buffer): boolean {
  const rlp = tx[0]! < 0x7f ? tx.subarray(1) : tx;
  if (rlp.length === 0) return false;
  const head = rlp[0]!;
  if (head < 0xf8) return rlp.length >= 1 + head - 0xc0;
  const lenOfLen = head - 0xf7;
  return rlp.length >= 1 + lenOfLen && rlp.length >= 1 + lenOfLen + rlp.readUIntBE(1, lenOfLen);
}

/**
 * A Ledger running the Ethereum app, emulated from its APDU specification (doc/ethapp.adoc) with
 * a test seed: it answers GET ETH PUBLIC ADDRESS and SIGN ETH TRANSACTION for any path and any
 * transaction, approving everything, so main's whole sending path can run against a real chain.
 * Like the device, it signs a legacy transaction with v = chainId·2 + 35 + parity cut to one byte.
 */
export class EmulatedEthApp extends Transport {
  #signing: Buffer | null = null;

  constructor(private readonly phrase = DEVICE_PHRASE) {
    super();
  }

  override exchange(apdu: Buffer): Promise<Buffer> {
    const [cla, ins, p1] = [apdu[0], apdu[1], apdu[2]];
    const data = apdu.subarray(5, 5 + apdu[4]!);
    if (cla !== 0xe0) return Promise.resolve(sw(0x6e00));
    if (ins === 0x02)
      return Promise.resolve(Buffer.concat([Buffer.from(addressAnswer(readPath(data).path, this.phrase), 'hex'), sw(0x9000)]));
    if (ins !== 0x04) return Promise.resolve(sw(0x6d00));
    this.#signing = p1 === 0x00 ? Buffer.from(data) : Buffer.concat([this.#signing ?? Buffer.alloc(0), data]);
    const { path, rest } = readPath(this.#signing);
    if (!complete(rest)) return Promise.resolve(sw(0x9000));
    this.#signing = null;
    const tx = Transaction.from(hexlify(rest));
    const sig = deviceKey(path, this.phrase).signingKey.sign(tx.unsignedHash);
    const v = tx.type === 0 ? Number((tx.chainId * 2n + 35n + BigInt(sig.yParity)) & 0xffn) : sig.yParity;
    return Promise.resolve(
      Buffer.concat([Buffer.from([v]), Buffer.from(sig.r.slice(2), 'hex'), Buffer.from(sig.s.slice(2), 'hex'), sw(0x9000)]),
    );
  }
}
