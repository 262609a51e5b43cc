/**
 * The production round tree against Numerai's contract (the local stand-in): its root, posted with
 * the tree's totals, accepts every proof, through a dump and load as after a restart.
 */
import { type Contract, ContractFactory, JsonRpcProvider, Wallet, zeroPadValue } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNmrAbi, localNmrBytecode, localNumeraiStakingAbi, localNumeraiStakingBytecode } from '../../contracts/generated';
import type { StakeAuthorization } from '../../contracts/numerai-layout';
import { startAnvil, type AnvilHandle } from '../devnet/anvil';
import { buildRoundTree, loadRoundTree } from './round-tree';
import { signStakeAuthorization } from './stake-authorization';

const NMR = 10n ** 18n;
// Anvil's well-known dev keys (local chain only).
const KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
];

describe('a round tree on the staking contract', () => {
  let anvil: AnvilHandle;
  let provider: JsonRpcProvider;
  beforeAll(async () => {
    anvil = await startAnvil();
    provider = new JsonRpcProvider(anvil.url, 31337, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  });
  afterAll(async () => {
    provider?.destroy();
    await anvil?.stop();
  });

  it('is accepted: root and totals by postRoot, each proof by claim', async () => {
    const [numerai, a, b] = KEYS.map((k) => new Wallet(k, provider)) as [Wallet, Wallet, Wallet];
    const signer = Wallet.createRandom();
    const nmr = (await (await new ContractFactory(localNmrAbi, localNmrBytecode, numerai).deploy()).waitForDeployment()) as Contract;
    const nmrAddress = await nmr.getAddress();
    const staking = (await (
      await new ContractFactory(localNumeraiStakingAbi, localNumeraiStakingBytecode, numerai).deploy(
        nmrAddress,
        8n,
        signer.address,
        numerai.address,
      )
    ).waitForDeployment()) as Contract;
    const stakingAddress = await staking.getAddress();
    const now = BigInt((await provider.getBlock('latest'))!.timestamp);
    await (await staking.getFunction('createRound')(5n, now, now + 86_400n, now + 4n * 86_400n)).wait();
    const models = [zeroPadValue('0xaa', 32), zeroPadValue('0xbb', 32)];
    const stakes: [Wallet, string, bigint][] = [
      [a, models[0]!, 100n * NMR],
      [a, models[1]!, 40n * NMR],
    ];
    const domain = { chainId: 31337n, verifyingContract: stakingAddress };
    let nonce = 0n;
    for (const [w, modelId, amount] of stakes) {
      await (await nmr.getFunction('demoMint')(w.address, amount)).wait();
      await (await (nmr.connect(w) as Contract).getFunction('approve')(stakingAddress, amount)).wait();
      const auth: StakeAuthorization = {
        tournamentId: 8n,
        roundId: 5n,
        staker: w.address,
        modelId,
        submissionHash: zeroPadValue('0x5b', 32),
        maxAmount: amount,
        nonce: nonce++,
        deadline: now + 3_600n,
      };
      const sig = await signStakeAuthorization(signer, domain, auth);
      await (await (staking.connect(w) as Contract).getFunction('stake')(auth, amount, sig)).wait();
    }
    // Model 0 gains 25 %, model 1 loses 10 %.
    const built = buildRoundTree(5n, [
      { roundId: 5n, staker: a.address, modelId: models[0]!, payout: 25n * NMR, burn: 0n },
      { roundId: 5n, staker: a.address, modelId: models[1]!, payout: 0n, burn: 4n * NMR },
    ]);
    const tree = loadRoundTree(JSON.parse(JSON.stringify(built.dump())));
    await provider.send('evm_setNextBlockTimestamp', [Number(now + 86_400n)]);
    await (await nmr.getFunction('demoMint')(numerai.address, tree.totalPayout)).wait();
    await (await nmr.getFunction('approve')(stakingAddress, tree.totalPayout)).wait();
    await (await staking.getFunction('postRoot')(5n, tree.root, tree.totalPayout, tree.totalBurn)).wait();
    // Anyone relays (b here); the staker is paid.
    const relay = staking.connect(b) as Contract;
    for (const r of tree.rows) {
      await (await relay.getFunction('claim')(5n, r.staker, r.modelId, r.payout, r.burn, tree.proofOf(r.staker, r.modelId))).wait();
    }
    expect(BigInt(await nmr.getFunction('balanceOf')(a.address))).toBe(125n * NMR + 36n * NMR);
    expect(BigInt(await nmr.getFunction('balanceOf')(stakingAddress))).toBe(0n);
    const round = await staking.getFunction('rounds')(5n);
    expect(BigInt(round.remainingPayout)).toBe(0n);
    expect(BigInt(round.remainingBurn)).toBe(0n);
  });
});
