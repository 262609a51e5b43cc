import { Interface, JsonRpcProvider, Wallet, type TransactionReceipt } from 'ethers';
import { describe, expect, it } from 'vitest';
import { stakingPoolAbi } from '../../contracts/generated';
import { chainErrorWords } from './refusal-words';
import { stakingPoolPort, type PoolTx } from './staking-pool-port';

const pool = new Interface(stakingPoolAbi);
const claim = { roundId: 1200n, poolModelId: 3, payoutWei: 1n, burnWei: 0n, proof: [] };

/** The port with a send that fails as ethers does when the gas estimate reverts (the error's data attached). */
function portFailingWith(error: Error) {
  const sent: PoolTx[] = [];
  const port = stakingPoolPort({
    // Never reached: only the send path is under test.
    provider: new JsonRpcProvider('http://127.0.0.1:9', 31337, { staticNetwork: true }),
    poolAddress: Wallet.createRandom().address,
    stakingAddress: Wallet.createRandom().address,
    chainId: 31337n,
    send: (tx): Promise<TransactionReceipt> => {
      sent.push(tx);
      return Promise.reject(error);
    },
  });
  return { port, sent };
}

describe('stakingPoolPort sends', () => {
  it('say the pool’s refusal in words: ClaimRoundFirst and TrancheRingFull', async () => {
    for (const [name, args] of [
      ['ClaimRoundFirst', [1199n, 3]],
      ['TrancheRingFull', [3, 1136n]],
    ] as const) {
      const data = pool.encodeErrorResult(name, args);
      const { port, sent } = portFailingWith(Object.assign(new Error(`execution reverted (data="${data}")`), { data }));
      await expect(port.sendClaim(claim)).rejects.toThrow(chainErrorWords(name));
      await expect(port.sendStakeRound([])).rejects.toThrow(chainErrorWords(name));
      expect(sent).toHaveLength(2);
    }
    expect(chainErrorWords('TrancheRingFull')).toMatch(/64 or more Numerai rounds/);
    expect(chainErrorWords('ClaimRoundFirst')).toMatch(/claims go first/);
  });

  it('pass any other failure on as it is', async () => {
    const refused = new Error('The operator’s round waits for a normal fee and tries again later.');
    await expect(portFailingWith(refused).port.sendClaim(claim)).rejects.toBe(refused);
  });
});
