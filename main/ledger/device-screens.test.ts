import { Interface } from 'ethers';
import { describe, expect, it } from 'vitest';
import { deviceGuideLines, renderConfirmPage } from '../confirm/render';
import { testPlan } from '../tx/test-support/plan-fixture';
import { deviceScreens, ledgerGuide } from './device-screens';

const POOL = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const erc20 = new Interface(['function approve(address spender, uint256 amount)']);
const approve = erc20.encodeFunctionData('approve', [POOL, 10n ** 20n]);

const lines = (s: { title: string; value: string }[]) => s.map((x) => `${x.title}: ${x.value}`);

describe('deviceScreens', () => {
  it('a contract call on the demo chain: blind-signing warning, ETH 0, the address in full, the chain, the exact fee cap', () => {
    const screens = deviceScreens({
      to: POOL,
      value: 0n,
      data: approve,
      gasLimit: 250_000n,
      maxFeePerGas: 30_000_000_000n,
      chainId: 31337,
    });
    expect(screens.map((s) => s.title)).toEqual([
      'Review transaction',
      'Blind signing',
      'Amount',
      'Address',
      'Network',
      'Max fees',
      'Accept and send',
    ]);
    expect(lines(screens)).toEqual(
      expect.arrayContaining([
        'Amount: ETH 0',
        'Address: 0x5FbDB2315678afecb367f032d93F642f64180aa3',
        'Network: Chain ID 31337',
        'Max fees: ETH 0.0075 at most',
      ]),
    );
  });

  it('a plain transfer (a cancel: 0 ETH to yourself) has no blind-signing warning; mainnet shows no network; Sepolia by name', () => {
    const transfer = { to: POOL, value: 0n, data: '0x', gasLimit: 21_000n, maxFeePerGas: 1_234_567_891n };
    const mainnet = deviceScreens({ ...transfer, chainId: 1 });
    expect(mainnet.map((s) => s.title)).toEqual(['Review transaction', 'Amount', 'Address', 'Max fees', 'Accept and send']);
    // Every decimal, as the device prints it: 21000 × 1.234567891 gwei.
    expect(lines(mainnet)).toContain('Max fees: ETH 0.000025925925711 at most');
    expect(lines(deviceScreens({ ...transfer, value: 15n * 10n ** 17n, chainId: 11155111 }))).toEqual(
      expect.arrayContaining(['Network: Sepolia', 'Amount: ETH 1.5']),
    );
  });
});

describe('ledgerGuide in main’s confirmation window', () => {
  it('lists each step’s screens under its description, with the plan’s fee cap', () => {
    const plan = testPlan({
      steps: [
        { kind: 'approve', description: 'Allow the pool to move 100 NMR', tx: { to: POOL, data: approve }, gasLimit: 60_000n },
        { kind: 'delegate', description: 'Delegate 100 NMR <to> model', tx: { to: POOL, data: '0x12345678' }, gasLimit: 200_000n },
      ],
      fees: { type: 2, maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1n },
    });
    const guide = ledgerGuide(plan);
    expect(guide.steps.map((s) => s.description)).toEqual(['Allow the pool to move 100 NMR', 'Delegate 100 NMR <to> model']);
    expect(lines(guide.steps[1]!.screens)).toContain('Max fees: ETH 0.002 at most');
    const html = renderConfirmPage(plan, '/confirm/x', 'csrf', null, guide);
    expect(html).toContain('<h2 id="device-guide">What your Ledger will show</h2>');
    expect(html).toContain('Transaction 2 of 2: Delegate 100 NMR &lt;to&gt; model');
    expect(html).toContain('<dt>Blind signing</dt>');
    expect(renderConfirmPage(plan, '/confirm/x', 'csrf')).not.toContain('device-guide');
    // The same guide as lines for Electron's native dialog.
    const text = deviceGuideLines(guide);
    expect(text[0]).toBe('What your Ledger will show');
    expect(text).toContain('Transaction 2 of 2: Delegate 100 NMR <to> model');
    expect(text).toContain('  Max fees: ETH 0.002 at most');
  });
});
