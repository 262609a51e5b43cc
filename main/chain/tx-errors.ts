import { type Interface, isError, type JsonRpcProvider } from 'ethers';
import { AppError } from '../../shared/api';

/** What a holder can do about a node that answers nonsense; every such message ends with it. */
const NODE_ADVICE = 'It may be faulty or dishonest: nothing was signed. Try again later, or choose another node in Settings → Network.';

/**
 * Turns an ethers failure into one sentence a holder can act on. Revert data is decoded with the
 * contracts' ABIs so "ExceedsCap" reads as such, not as hex.
 */
export function describeTxError(e: unknown, abis: Interface[]): string {
  if (isError(e, 'INSUFFICIENT_FUNDS')) return 'Not enough ETH to pay the network fee.';
  if (isError(e, 'NONCE_EXPIRED')) return 'A transaction with the same number was already sent; refresh and try again.';
  if (isError(e, 'CALL_EXCEPTION')) {
    const reason = revertReason(e, abis);
    return reason ? `The pool refused it: ${reason}.` : 'The transaction would fail on chain.';
  }
  const fault = nodeFault(e, abis);
  if (fault) return fault.message;
  if (e instanceof Error) return e.message.split('(')[0]!.trim().slice(0, 300);
  return 'The transaction failed.';
}

/** A revert's reason in words: the pool's or token's custom error by name, else the node's reason string. */
function revertReason(e: unknown, abis: Interface[]): string | null {
  if (!isError(e, 'CALL_EXCEPTION')) return null;
  if (e.data) {
    for (const abi of abis) {
      try {
        const parsed = abi.parseError(e.data);
        // parseError also knows Solidity's built-in Error(string) and Panic(uint256).
        if (parsed?.signature === 'Error(string)') return String(parsed.args[0]).slice(0, 200);
        if (parsed?.signature === 'Panic(uint256)') return `an internal error (code ${String(parsed.args[0])})`;
        if (parsed) return humanize(parsed.name);
      } catch {
        // not this contract's error
      }
    }
  }
  return e.reason ? e.reason.slice(0, 200) : null;
}

/**
 * The node's part of a failure, as an error a holder understands, or null when the failure is not
 * about the node. ethers reports a body that is not JSON as UNSUPPORTED_OPERATION (bodyJson), a
 * value it cannot parse as BAD_DATA or as INVALID_ARGUMENT of "%response": each is an answer no
 * honest node gives, so it says so instead of "something went wrong inside the app".
 */
export function nodeFault(e: unknown, abis: Interface[] = []): AppError | null {
  if (e instanceof AppError) return null;
  if (isError(e, 'NETWORK_ERROR') || isError(e, 'TIMEOUT') || isError(e, 'SERVER_ERROR')) {
    return new AppError('RPC_UNREACHABLE', 'The network node did not answer. Check your connection and try again.');
  }
  if (isError(e, 'UNSUPPORTED_OPERATION') && e.operation === 'bodyJson') {
    return new AppError('RPC_BAD_ANSWER', `The network node answered with something that is not JSON. ${NODE_ADVICE}`);
  }
  if (isError(e, 'BAD_DATA') || (isError(e, 'INVALID_ARGUMENT') && e.argument === '%response')) {
    return new AppError(
      'RPC_BAD_ANSWER',
      `The network node gave an answer that makes no sense (a value of the wrong kind). ${NODE_ADVICE}`,
    );
  }
  if (isError(e, 'CALL_EXCEPTION')) {
    // The pool's views never revert for the questions the app asks: a node that says they did is wrong.
    const reason = revertReason(e, abis);
    return new AppError('RPC_BAD_ANSWER', `The network node says reading the pool failed${reason ? ` (${reason})` : ''}. ${NODE_ADVICE}`);
  }
  return null;
}

/**
 * Asks the node which chain it is on now and refuses to go on when it is not the one validated
 * when the network was chosen. The provider's network is static (one probe per request would
 * double the traffic), so this is asked explicitly before anything is planned or signed.
 */
export async function checkChainId(
  provider: JsonRpcProvider,
  expected: number,
  label: string,
  consequence = 'so nothing was signed',
): Promise<void> {
  const raw: unknown = await provider.send('eth_chainId', []);
  if (typeof raw !== 'string' || !/^0x[0-9a-f]{1,16}$/i.test(raw)) {
    throw new AppError('RPC_BAD_ANSWER', `The network node gave a chain id that is not a number. ${NODE_ADVICE}`);
  }
  const actual = BigInt(raw);
  if (actual !== BigInt(expected)) {
    throw new AppError(
      'WRONG_CHAIN',
      `The network node now says it is on chain id ${actual}, not ${label} (chain id ${expected}) as when you chose it, ${consequence}. Check the node in Settings → Network.`,
    );
  }
}

function humanize(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
