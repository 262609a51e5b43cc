/**
 * The stand-in's own share of the pool's gas goals (issue 12: <= 100,000 gas per model to stake one
 * round in a batch of 50, and per relayed claim, stand-in included). A test-only probe does exactly
 * what a pool does on Numerai's side — a batch of `stake` calls in one transaction, and relayed
 * `claim`s — and a call trace (anvil's callTracer) gives the gas of each call into the stand-in
 * (its own code plus the NMR calls it makes; the caller's CALL overhead is the pool's).
 */
import { type Contract, ContractFactory, Wallet, hexlify, id, randomBytes, type InterfaceAbi, type JsonRpcProvider } from 'ethers';
import { authorizationTuple, type ClaimRow, type StakeAuthorization } from '../numerai-layout';
import { deploy, mined, nmr } from './deploy';
import { buildRoundTree, deployNumerai, signStakeAuthorization } from './numerai';
import { compileTestContract } from './solc';

export interface NumeraiGas {
  /** average gas of one `stake` call into the stand-in, in a batch of `batch` (steady state: the staker's nonce is not new) */
  stake_in_batch_per_model: number;
  /** the same for the first stake of the batch (cold round slot, token balances, signer) */
  stake_in_batch_first: number;
  /** average gas of one `claim` call into the stand-in, each relayed in its own transaction */
  claim_per_position: number;
  /** a claim with a payout and no burn, and one with a burn (mint(uint256) called) */
  claim_payout_only: number;
  claim_with_burn: number;
  /** whole transactions, for scale: the probe's batch of `batch` stakes, and one relayed claim */
  tx_stake_batch: number;
  tx_claim: number;
  batch: number;
}

interface Frame {
  to?: string;
  input: string;
  gasUsed: string;
  calls?: Frame[];
}

async function frames(provider: JsonRpcProvider, hash: string, to: string, selector: string): Promise<number[]> {
  const root = (await provider.send('debug_traceTransaction', [hash, { tracer: 'callTracer' }])) as Frame;
  const out: number[] = [];
  const walk = (f: Frame) => {
    if (f.to?.toLowerCase() === to.toLowerCase() && f.input.startsWith(selector)) out.push(Number(BigInt(f.gasUsed)));
    for (const c of f.calls ?? []) walk(c);
  };
  walk(root);
  return out;
}

export async function measureNumeraiGas(provider: JsonRpcProvider, batch = 50): Promise<NumeraiGas> {
  const d = await deploy(provider);
  const owner = d.admin;
  const signer = new Wallet(hexlify(randomBytes(32)));
  const numerai = await deployNumerai(provider, { nmr: d.tokenAddress, authorizationSigner: signer.address, owner: owner.address });
  const staking = numerai.staking;
  const probeArt = compileTestContract('contracts/test/fixtures/StakingProbe.sol', 'StakingProbe');
  const probe = (await new ContractFactory(probeArt.abi as InterfaceAbi, probeArt.bytecode, owner).deploy(
    numerai.address,
    d.tokenAddress,
  )) as Contract;
  await probe.waitForDeployment();
  const probeAddress = await probe.getAddress();
  await mined(d.token.connect(owner).getFunction('demoMint')(probeAddress, nmr(10_000_000)));
  await mined(d.token.connect(owner).getFunction('demoMint')(owner.address, nmr(10_000_000)));
  await mined(d.token.connect(owner).getFunction('approve')(numerai.address, nmr(10_000_000)));

  const now = Number((await provider.getBlock('latest'))!.timestamp);
  const models = Array.from({ length: batch }, (_, i) => id(`model-${i}`));
  const rounds = [1n, 2n];
  for (const r of rounds) await mined(staking.connect(owner).getFunction('createRound')(r, now + 1, now + 1000, now + 2000));
  await provider.send('evm_setNextBlockTimestamp', [now + 2]);

  const stakeSel = staking.interface.getFunction('stake')!.selector;
  let nonce = 0n;
  let measured: number[] = [];
  let txStakeBatch = 0;
  const amount = (i: number) => nmr(100 + i);
  for (const roundId of rounds) {
    // Round 1 warms up the probe's nonce (its first write is a one-off per staker); round 2 is measured.
    const auths: StakeAuthorization[] = models.map((modelId) => ({
      tournamentId: numerai.tournamentId,
      roundId,
      staker: probeAddress,
      modelId,
      submissionHash: id(`sub-${roundId}-${modelId}`),
      maxAmount: nmr(1_000),
      nonce: nonce++,
      deadline: BigInt(now + 900),
    }));
    const sigs = await Promise.all(auths.map((a) => signStakeAuthorization(signer, numerai.domain, a)));
    const tx = await probe.getFunction('stakeBatch')(
      auths.map(authorizationTuple),
      models.map((_, i) => amount(i)),
      sigs,
      { gasLimit: 25_000_000n },
    );
    const rc = await mined(Promise.resolve(tx));
    measured = await frames(provider, tx.hash, numerai.address, stakeSel);
    txStakeBatch = Number(rc.gasUsed);
  }
  if (measured.length !== batch) throw new Error(`expected ${batch} stake frames, saw ${measured.length}`);

  // Resolve round 2: half the models gain 10%, half lose 20%.
  const rows: ClaimRow[] = models.map((modelId, i) => ({
    roundId: 2n,
    staker: probeAddress,
    modelId,
    payout: i % 2 === 0 ? amount(i) / 10n : 0n,
    burn: i % 2 === 1 ? amount(i) / 5n : 0n,
  }));
  const tree = buildRoundTree(rows);
  await provider.send('evm_setNextBlockTimestamp', [now + 1000]);
  await mined(staking.connect(owner).getFunction('postRoot')(2n, tree.root, tree.totalPayout, tree.totalBurn));
  const claimSel = staking.interface.getFunction('claim')!.selector;
  const claims: number[] = [];
  const payoutOnly: number[] = [];
  const withBurn: number[] = [];
  let txClaim = 0;
  for (const [i, r] of rows.entries()) {
    const tx = await probe.getFunction('claim')(r.roundId, r.modelId, r.payout, r.burn, tree.proofs[i]!);
    const rc = await mined(Promise.resolve(tx));
    const [g] = await frames(provider, tx.hash, numerai.address, claimSel);
    claims.push(g!);
    (r.burn > 0n ? withBurn : payoutOnly).push(g!);
    txClaim = Math.max(txClaim, Number(rc.gasUsed));
  }
  const avg = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    stake_in_batch_per_model: avg(measured),
    stake_in_batch_first: measured[0]!,
    claim_per_position: avg(claims),
    claim_payout_only: avg(payoutOnly),
    claim_with_burn: avg(withBurn),
    tx_stake_batch: txStakeBatch,
    tx_claim: txClaim,
    batch,
  };
}
