/**
 * StakingPool against a token with mainnet NMR's exact interface (LocalNMR: no `burn`, burns through
 * `mint(uint256)` returning false on failure, zero-first approve, exact payload sizes, and an emergency
 * stop under which transfer/transferFrom/approve/mint return false instead of reverting).
 *   - Every path that moves NMR works with that token (nothing reverts because of the interface).
 *   - With the token stopped, every such path reverts instead of booking a transfer that did not
 *     happen: the pool's books and every balance are unchanged. No ignored `false` is possible.
 *   - The pool's code calls only token functions that exist in mainnet NMR's ABI, and never `burn`.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractFactory, id as keccakId } from 'ethers';
import { stakingPoolAbi, stakingPoolBytecode } from '../generated/index';
import { startAnvil, type Anvil } from '../test-support/anvil';
import {
  WAD,
  authorize,
  createRound,
  deployWorld,
  errorName,
  fund,
  numeraiIface,
  numeraiModelId,
  postRoot,
  stakeRoundData,
  tokenIface,
  type World,
} from '../test-support/staking';

const DAY = 86_400n;
const nmr = (n: number) => BigInt(n) * WAD;
const M1 = numeraiModelId(1);

describe('StakingPool with NMR exact interface', () => {
  let chain: Anvil;
  let w: World;
  let a: string, b: string, op: string, relayer: string, tokenOwner: string;

  beforeAll(async () => {
    chain = await startAnvil({ accounts: 8 });
    w = await deployWorld(chain.url, { concurrentRounds: 2 });
    [a, b, op, relayer, tokenOwner] = w.accounts.slice(2, 7) as [string, string, string, string, string];
    // NMR's multisig owners can stop the token (mainnet: NumeraireBackend's Shareable owners).
    await w.mustSend(w.admin, w.token, tokenIface.encodeFunctionData('changeShareable', [[tokenOwner], 1]));
    await fund(w, [a, b], nmr(10_000), w.pool);
    await fund(w, [w.numerai], nmr(1_000_000), w.staking);
    await w.mustSend(w.admin, w.pool, w.poolData('registerModel', [M1, 'alpha', op, 1000, nmr(1_000_000)]));
  });
  afterAll(async () => {
    w?.stop();
    await chain?.stop();
  });

  const stop = async () => {
    await w.mustSend(tokenOwner, w.token, tokenIface.encodeFunctionData('emergencyStop', []));
    expect(await w.view<boolean>('stopped', [], w.token, tokenIface)).toBe(true);
  };
  const release = async () => {
    await w.mustSend(tokenOwner, w.token, tokenIface.encodeFunctionData('release', []));
    expect(await w.view<boolean>('stopped', [], w.token, tokenIface)).toBe(false);
  };

  /** Everything the books and the token say, to compare before and after a refused call. */
  async function books(): Promise<string> {
    const bal = async (x: string) => w.view<bigint>('balanceOf', [x], w.token, tokenIface);
    const totals = await w.view<bigint[]>('totals');
    const m = await w.view<Record<string, bigint>>('model', [1]);
    const figures = [...totals, m.navWei!, m.totalShares!, m.feesOwedWei!];
    for (const x of [w.pool, w.staking, a, b, op]) figures.push(await bal(x));
    figures.push(await w.view<bigint>('totalSupply', [], w.token, tokenIface));
    return figures.join(',');
  }

  it('calls only functions mainnet NMR has, and never burn(uint256)', () => {
    const mainnet = JSON.parse(readFileSync(new URL('../../../shared/reference/nmr-mainnet-abi.json', import.meta.url), 'utf8')) as {
      type: string;
      name?: string;
      inputs?: { type: string }[];
    }[];
    const signatures = new Set(
      mainnet.filter((f) => f.type === 'function').map((f) => `${f.name}(${(f.inputs ?? []).map((i) => i.type).join(',')})`),
    );
    const code = stakingPoolBytecode.toLowerCase();
    const selector = (sig: string) => keccakId(sig).slice(2, 10);
    // What the pool calls on the token: SafeERC20's transfer/transferFrom/approve (the approval once, at construction).
    const runtime = ['transfer(address,uint256)', 'transferFrom(address,address,uint256)'];
    for (const sig of [...runtime, 'approve(address,uint256)']) {
      expect(signatures.has(sig), sig).toBe(true);
      expect(code.includes(`63${selector(sig)}`), `the pool's code calls ${sig}`).toBe(true);
    }
    expect(signatures.has('burn(uint256)')).toBe(false);
    expect(code.includes(`63${selector('burn(uint256)')}`)).toBe(false);
    expect((stakingPoolAbi as readonly { type: string; name?: string }[]).some((f) => f.type === 'function' && f.name === 'burn')).toBe(
      false,
    );
  });

  it('moves NMR on every path with the faithful token, and refuses every path while the token is stopped', async () => {
    // Money in, staked, settled with a gain (fee) — all with the faithful token.
    await w.mustSend(a, w.pool, w.poolData('delegate', [1, nmr(1000)]));
    await w.mustSend(b, w.pool, w.poolData('delegate', [1, nmr(1000)]));
    await createRound(w, 10n, DAY, DAY);
    const stake = async (round: bigint) =>
      w.send(
        relayer,
        w.pool,
        stakeRoundData(
          [1],
          [
            await authorize(w, {
              roundId: round,
              modelId: M1,
              maxAmount: nmr(1_000_000),
              nonce: await w.view<bigint>('nonces', [w.pool], w.staking, numeraiIface),
            }),
          ],
        ),
      );
    expect((await stake(10n)).ok).toBe(true);
    await w.mustSend(
      a,
      w.pool,
      w.poolData('requestRedeem', [1, ((await w.view<Record<string, bigint>>('positionOf', [a, 1])).shares! * 1n) / 2n]),
    );
    await w.mustSend(b, w.pool, w.poolData('delegate', [1, nmr(5)]));
    w.warp(2n * DAY);
    const tree = await postRoot(w, 10n, [{ modelId: M1, payout: nmr(100), burn: 0n }]);
    await createRound(w, 11n, DAY, DAY);

    // Stop the token: transfer, transferFrom, approve and mint now return false without reverting.
    await stop();
    const before = await books();
    const refused: [string, string, string][] = [
      ['delegate', a, w.poolData('delegate', [1, nmr(1)])],
      ['delegateBatch', a, w.poolData('delegateBatch', [[1], [nmr(1)]])],
      ['cancelDeposit', b, w.poolData('cancelDeposit', [1])],
      ['claim', relayer, w.poolData('claim', [10n, 1, nmr(100), 0n, tree.proofOf(w.pool, M1)])],
    ];
    for (const [name, from, data] of refused) {
      const r = await w.send(from, w.pool, data);
      expect(r.ok ? 'success' : r.error, `${name} must revert while NMR is stopped`).not.toBe('success');
    }
    expect(await books()).toBe(before);

    // Released: the claim books the gain; the deposit converts and a tranche is staked.
    await release();
    await w.mustSend(relayer, w.pool, w.poolData('claim', [10n, 1, nmr(100), 0n, tree.proofOf(w.pool, M1)]));
    await stop();
    const stopped = await books();
    const r1 = await stake(11n); // converts, then Numerai's transferFrom returns false
    expect(r1.ok, 'stakeRound must revert while NMR is stopped').toBe(false);
    expect(await books()).toBe(stopped);

    await release();
    await w.mustSend(relayer, w.pool, w.poolData('checkpoint', [[1]]));
    await stop();
    const again = await books();
    for (const [name, r] of [
      ['withdraw', await w.send(a, w.pool, w.poolData('withdraw', [1]))],
      ['claimFees', await w.send(op, w.pool, w.poolData('claimFees', [1]))],
    ] as const) {
      expect(r.ok, `${name} must revert while NMR is stopped`).toBe(false);
    }
    expect(await books()).toBe(again);

    // A pool cannot even be deployed against a stopped token (its one approval would return false).
    const f = new ContractFactory(stakingPoolAbi, stakingPoolBytecode);
    const tx = await f.getDeployTransaction(w.token, w.staking, w.admin, 1, 2, 1);
    const [d] = await w.rpc.batch([['eth_call', [{ from: w.admin, data: tx.data }, 'latest']]]);
    expect(errorName(d!.error?.data)).toBe('SafeERC20FailedOperation');

    // Released again: every path goes through.
    await release();
    await w.mustSend(a, w.pool, w.poolData('withdraw', [1]));
    await w.mustSend(op, w.pool, w.poolData('claimFees', [1]));
    await w.mustSend(b, w.pool, w.poolData('delegate', [1, nmr(1)]));
    await w.mustSend(b, w.pool, w.poolData('cancelDeposit', [1]));
    expect((await stake(11n)).ok).toBe(true);
  });
});
