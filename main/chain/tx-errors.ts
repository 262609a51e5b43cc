import { Interface, isError } from 'ethers';

/**
 * Turns an ethers failure into one sentence a holder can act on. Revert data is decoded with the
 * contracts' ABIs so "ExceedsCap" reads as such, not as hex.
 */
export function describeTxError(e: unknown, abis: Interface[]): string {
  if (isError(e, 'INSUFFICIENT_FUNDS')) return 'Not enough ETH to pay the network fee.';
  if (isError(e, 'NONCE_EXPIRED')) return 'A transaction with the same number was already sent; refresh and try again.';
  if (isError(e, 'NETWORK_ERROR') || isError(e, 'TIMEOUT') || isError(e, 'SERVER_ERROR')) {
    return 'The network did not answer. Check your connection and try again.';
  }
  if (isError(e, 'CALL_EXCEPTION')) {
    const data = e.data;
    if (data) {
      for (const abi of abis) {
        try {
          const parsed = abi.parseError(data);
          if (parsed) return `The pool refused it: ${humanize(parsed.name)}.`;
        } catch {
          // not this contract's error
        }
      }
    }
    if (e.reason) return `The pool refused it: ${e.reason}.`;
    return 'The transaction would fail on chain.';
  }
  if (e instanceof Error) return e.message.split('(')[0]!.trim().slice(0, 300);
  return 'The transaction failed.';
}

function humanize(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
