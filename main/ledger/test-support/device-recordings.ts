import { getAddress, HDNodeWallet, Interface, Mnemonic, Transaction, type TransactionLike } from 'ethers';

/**
 * Recordings of a Ledger's Ethereum app, written from its published APDU specification
 * (LedgerHQ/app-ethereum, doc/ethapp.adoc) with no Ledger library involved, so that replaying them
 * tests hw-app-eth and our code against the specification rather than against themselves:
 * - GET ETH PUBLIC ADDRESS: E0 02 P1 (00 quiet, 01 show and wait for approval) 00 Lc, then the path
 *   (count, then each index as 4 bytes big-endian, hardened ones + 2^31). Answer: public key length,
 *   the uncompressed public key, address length, the address as ASCII hex digits, then 90 00.
 * - SIGN ETH TRANSACTION: E0 04 P1 (00 first block, 80 the next ones) 00 Lc; the path then the RLP of
 *   the unsigned transaction, cut into blocks of at most 255 bytes. Each block but the last is
 *   answered 90 00; the last with v (the y parity, for a typed transaction), r, s, then 90 00.
 * - A refusal is only its status word, answered to the command it refuses.
 * The device's seed is BIP-39's published test vector; the "other device" is another well-known test
 * phrase. Signatures are real: ethers signs the transaction's hash with the key the device would use.
 */
export const DEVICE_PHRASE = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
export const OTHER_DEVICE_PHRASE = 'test test test test test test test test test test test junk';

export function deviceKey(path: string, phrase = DEVICE_PHRASE): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(phrase), path);
}

const hex = (b: Uint8Array | number[]) => Buffer.from(b).toString('hex');
const OK = '9000';

function pathBytes(path: string): Buffer {
  const levels = path.replace(/^m\//, '').split('/');
  const out = Buffer.alloc(1 + 4 * levels.length);
  out[0] = levels.length;
  levels.forEach((level, i) => {
    const hardened = level.endsWith("'");
    out.writeUInt32BE((hardened ? 0x80000000 : 0) + Number(hardened ? level.slice(0, -1) : level), 1 + 4 * i);
  });
  return out;
}

function command(ins: number, p1: number, data: Buffer): string {
  return hex([0xe0, ins, p1, 0x00, data.length]) + hex(data);
}

type Exchange = { send: string; receive: string };

function getAddressCommand(path: string, display: boolean): string {
  return command(0x02, display ? 0x01 : 0x00, pathBytes(path));
}

/** GET ETH PUBLIC ADDRESS's answer for a path, without the status word. */
export function addressAnswer(path: string, phrase = DEVICE_PHRASE): string {
  const key = deviceKey(path, phrase);
  const publicKey = Buffer.from(key.signingKey.publicKey.slice(2), 'hex');
  const ascii = Buffer.from(getAddress(key.address).slice(2), 'ascii');
  return hex([publicKey.length]) + hex(publicKey) + hex([ascii.length]) + hex(ascii);
}

export function getAddressExchange(path: string, display: boolean, phrase = DEVICE_PHRASE): Exchange {
  return { send: getAddressCommand(path, display), receive: addressAnswer(path, phrase) + OK };
}

/** The blocks of SIGN ETH TRANSACTION for an unsigned transaction. */
function signCommands(path: string, unsigned: Transaction): string[] {
  const payload = Buffer.concat([pathBytes(path), Buffer.from(unsigned.unsignedSerialized.slice(2), 'hex')]);
  const commands: string[] = [];
  for (let at = 0; at < payload.length; at += 255) commands.push(command(0x04, at === 0 ? 0x00 : 0x80, payload.subarray(at, at + 255)));
  return commands;
}

/** The whole signing exchange; the last block is answered with the signature of `phrase`'s key, or refused with `refuse`. */
export function signExchanges(path: string, unsigned: Transaction, opts: { phrase?: string; refuseWith?: string } = {}): Exchange[] {
  const commands = signCommands(path, unsigned);
  const sig = deviceKey(path, opts.phrase).signingKey.sign(unsigned.unsignedHash);
  const last = opts.refuseWith ?? hex([sig.yParity]) + sig.r.slice(2) + sig.s.slice(2) + OK;
  return commands.map((send, i) => ({ send, receive: i === commands.length - 1 ? last : OK }));
}

export const ACCOUNT_0 = "m/44'/60'/0'/0/0";

/** A delegation as main plans it: EIP-1559, on the demo chain, calldata long enough to need two blocks. */
export function delegateTx(): Transaction {
  const pool = new Interface(['function delegateMany(bytes32[] modelIds, uint256[] amounts)']);
  const ids = [1, 2, 3].map((n) => `0x${n.toString(16).padStart(64, '0')}`);
  const like: TransactionLike<string> = {
    type: 2,
    chainId: 31337n,
    nonce: 7,
    to: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    value: 0n,
    data: pool.encodeFunctionData('delegateMany', [ids, [10n ** 20n, 2n * 10n ** 20n, 3n * 10n ** 20n]]),
    gasLimit: 250_000n,
    maxFeePerGas: 30_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
  };
  return Transaction.from(like);
}

/** NMR's token contract on Ethereum mainnet (reference/NMR.md). */
export const NMR_MAINNET = '0x1776e1F26f98b1A5dF9cD347953a26dd3Cb46671';

/** NMR's approve for the pool on mainnet: the call Ledger's service can make readable (NMR is in its token list). */
export function approveOnMainnetTx(): Transaction {
  const erc20 = new Interface(['function approve(address spender, uint256 amount)']);
  return Transaction.from({
    type: 2,
    chainId: 1n,
    nonce: 0,
    to: NMR_MAINNET,
    value: 0n,
    data: erc20.encodeFunctionData('approve', ['0x5FbDB2315678afecb367f032d93F642f64180aa3', 10n ** 20n]),
    gasLimit: 60_000n,
    maxFeePerGas: 20_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
  });
}

/**
 * PROVIDE ERC 20 TOKEN INFORMATION's data for NMR on mainnet: ticker length, ticker, address,
 * decimals and chain id (4 bytes big-endian each), then Ledger's signature over them. Only Ledger's
 * key makes that signature: this one is a placeholder of the right length, so the recording shows
 * the resolution reaching the device before the transaction, not that a device would accept it.
 */
export function nmrTokenInfo(): string {
  const ticker = Buffer.from('NMR', 'ascii');
  const numbers = Buffer.alloc(8);
  numbers.writeUInt32BE(18, 0);
  numbers.writeUInt32BE(1, 4);
  return hex([ticker.length]) + hex(ticker) + NMR_MAINNET.slice(2).toLowerCase() + hex(numbers) + '30' + '44' + '00'.repeat(68);
}

function text(exchanges: Exchange[]): string {
  return exchanges.map((e) => `=> ${e.send}\n<= ${e.receive}`).join('\n') + '\n';
}

/** Status words, as the device answers them (see main/ledger/device-errors.ts for their meaning). */
export const SW = {
  locked: '5515',
  lockedOld: '6b0c',
  dashboard: '6e00',
  otherApp: '6d00',
  noApp: '6511',
  wrongApp: '6a15',
  rejected: '6985',
  blindSigningOff: '6a80',
} as const;

/** Every recording, by file name (main/ledger/recordings/<name>.apdus). */
export function recordings(): Record<string, string> {
  const tx = delegateTx();
  const live = ["m/44'/60'/0'/0/0", "m/44'/60'/1'/0/0"];
  const legacy = ["m/44'/60'/0'/0", "m/44'/60'/0'/1"];
  const sign = signExchanges(ACCOUNT_0, tx);
  const refuseSign = (sw: string) => text(signExchanges(ACCOUNT_0, tx, { refuseWith: sw }));
  // A locked device or a closed app refuses the very first block.
  const refuseFirstBlock = (sw: string) => text([{ send: sign[0]!.send, receive: sw }]);
  const out: Record<string, string> = {
    'addresses-ledger-live': text(live.map((p) => getAddressExchange(p, false))),
    'addresses-legacy': text(legacy.map((p) => getAddressExchange(p, false))),
    verify: text([getAddressExchange(ACCOUNT_0, false), getAddressExchange(ACCOUNT_0, true)]),
    'verify-rejected': text([getAddressExchange(ACCOUNT_0, false), { send: getAddressCommand(ACCOUNT_0, true), receive: SW.rejected }]),
    'sign-delegate': text(sign),
    'sign-other-seed': text(signExchanges(ACCOUNT_0, tx, { phrase: OTHER_DEVICE_PHRASE })),
    'sign-with-token-info': text([
      { send: command(0x0a, 0x00, Buffer.from(nmrTokenInfo(), 'hex')), receive: OK },
      ...signExchanges(ACCOUNT_0, approveOnMainnetTx()),
    ]),
    'sign-rejected': refuseSign(SW.rejected),
    'sign-blind-signing-off': refuseSign(SW.blindSigningOff),
  };
  for (const [name, sw] of Object.entries(SW)) {
    if (name === 'rejected' || name === 'blindSigningOff') continue;
    out[`address-refused-${name}`] = text([{ send: getAddressCommand(ACCOUNT_0, false), receive: sw }]);
    out[`sign-refused-${name}`] = refuseFirstBlock(sw);
  }
  return out;
}
