import { AbiCoder, Interface, makeError, type JsonRpcProvider } from 'ethers';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/api';
import { stakingPoolAbi, tokenAbi } from './contracts';
import { checkChainId, describeTxError, nodeFault } from './tx-errors';

const abis = [new Interface(stakingPoolAbi), new Interface(tokenAbi)];
const pool = abis[0]!;
const coder = AbiCoder.defaultAbiCoder();

/** A revert as ethers reports it, with the raw revert data a node returns. */
function revert(data: string | null, reason: string | null = null) {
  return makeError('execution reverted', 'CALL_EXCEPTION', {
    action: 'estimateGas',
    data,
    reason,
    transaction: { to: null, data: '0x' },
    invocation: null,
    revert: null,
  });
}

describe('describeTxError: one sentence a holder can act on', () => {
  it('names the pool’s custom error in words, not hex', () => {
    const data = pool.encodeErrorResult('CapExceeded', [3, 10n ** 21n, 2n * 10n ** 21n]);
    expect(describeTxError(revert(data), abis)).toBe('The pool refused it: cap exceeded.');
    expect(describeTxError(revert(pool.encodeErrorResult('NothingToWithdraw', [])), abis)).toBe(
      'The pool refused it: nothing to withdraw.',
    );
  });

  it('reads Error(string) and Panic(uint256) reverts, and the node’s reason when the data is unknown', () => {
    const errorString = '0x08c379a0' + coder.encode(['string'], ['ERC20: insufficient allowance']).slice(2);
    expect(describeTxError(revert(errorString), abis)).toBe('The pool refused it: ERC20: insufficient allowance.');
    const panic = '0x4e487b71' + coder.encode(['uint256'], [0x11]).slice(2);
    expect(describeTxError(revert(panic), abis)).toBe('The pool refused it: an internal error (code 17).');
    expect(describeTxError(revert('0xdeadbeef', 'paused'), abis)).toBe('The pool refused it: paused.');
    expect(describeTxError(revert(null), abis)).toBe('The transaction would fail on chain.');
  });

  it('says what to do about funds, nonces and unreachable nodes', () => {
    const tx = { transaction: { to: null, data: '0x' } };
    expect(describeTxError(makeError('x', 'INSUFFICIENT_FUNDS', tx), abis)).toBe('Not enough ETH to pay the network fee.');
    expect(describeTxError(makeError('x', 'NONCE_EXPIRED', tx), abis)).toMatch(/same number was already sent/);
    expect(describeTxError(makeError('x', 'NETWORK_ERROR', { event: 'x' }), abis)).toMatch(/did not answer/);
  });

  it('keeps an unknown error’s first words, without the details ethers appends', () => {
    expect(describeTxError(new Error('something odd (code=FOO, version=6)'), abis)).toBe('something odd');
    expect(describeTxError('a string', abis)).toBe('The transaction failed.');
  });
});

describe('nodeFault: answers no honest node gives', () => {
  it('tells an unreachable node from one that answers nonsense', () => {
    expect(nodeFault(makeError('x', 'TIMEOUT', { operation: 'x', reason: 'timeout' }))?.code).toBe('RPC_UNREACHABLE');
    expect(nodeFault(makeError('x', 'SERVER_ERROR', { request: null as never, response: null as never }))?.code).toBe('RPC_UNREACHABLE');
    const notJson = nodeFault(makeError('x', 'UNSUPPORTED_OPERATION', { operation: 'bodyJson' }));
    expect(notJson?.code).toBe('RPC_BAD_ANSWER');
    expect(notJson?.message).toMatch(/not JSON.*nothing was signed/);
    expect(nodeFault(makeError('x', 'BAD_DATA', { value: 1 }))?.code).toBe('RPC_BAD_ANSWER');
    expect(nodeFault(makeError('x', 'INVALID_ARGUMENT', { argument: '%response', value: 1 }))?.code).toBe('RPC_BAD_ANSWER');
  });

  it('treats a revert of a pool view as the node’s fault, with the reason when there is one', () => {
    const f = nodeFault(revert(pool.encodeErrorResult('UnknownModel', [9])), abis);
    expect(f?.code).toBe('RPC_BAD_ANSWER');
    expect(f?.message).toMatch(/reading the pool failed \(unknown model\)/);
  });

  it('leaves other failures alone: app errors, other arguments, plain errors', () => {
    expect(nodeFault(new AppError('BAD_INPUT', 'no'))).toBeNull();
    expect(nodeFault(makeError('x', 'INVALID_ARGUMENT', { argument: 'to', value: 1 }))).toBeNull();
    expect(nodeFault(makeError('x', 'UNSUPPORTED_OPERATION', { operation: 'getSigner' }))).toBeNull();
    expect(nodeFault(new Error('plain'))).toBeNull();
  });
});

describe('checkChainId', () => {
  const answering = (raw: unknown) => ({ send: async () => raw }) as unknown as JsonRpcProvider;

  it('passes when the node is on the chain that was validated', async () => {
    await expect(checkChainId(answering('0x1'), 1, 'Ethereum mainnet')).resolves.toBeUndefined();
    await expect(checkChainId(answering('0x7A69'), 31337, 'Local chain')).resolves.toBeUndefined();
  });

  it('refuses another chain, saying which, and what was not done', async () => {
    const e = await checkChainId(answering('0xaa36a7'), 1, 'Ethereum mainnet', 'so nothing was sent').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('WRONG_CHAIN');
    expect((e as AppError).message).toMatch(/chain id 11155111, not Ethereum mainnet \(chain id 1\).*so nothing was sent/);
  });

  it('refuses a chain id that is not a number', async () => {
    for (const raw of [12, '12', '0x', '0xzz', '0x' + 'f'.repeat(17), null]) {
      await expect(checkChainId(answering(raw), 1, 'Ethereum mainnet')).rejects.toMatchObject({ code: 'RPC_BAD_ANSWER' });
    }
  });
});
