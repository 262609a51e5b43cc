import { describe, expect, it } from 'vitest';
import { decodeLog, packEvent, poolInterface, unpackEvent, type EventName, type PoolEvent } from './pool-events';
import { rng } from './test-support/dev-chain';
import { rawLog, viaEthers } from './test-support/event-logs';

const POOL = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
const MAX = 2n ** 256n - 1n;

describe('decodeLog', () => {
  it("decodes every event the history uses exactly as ethers' ABI coder does, at the edges of each type", () => {
    const rand = rng(11);
    const big = () => [0n, 1n, MAX, 10n ** 18n, BigInt(Math.floor(rand() * 2 ** 53)) * 10n ** 20n][Math.floor(rand() * 5)]!;
    const u32 = () => [0, 1, 2 ** 32 - 1, Math.floor(rand() * 2 ** 32)][Math.floor(rand() * 4)]!;
    const holder = () =>
      `0x${Math.floor(rand() * 2 ** 52)
        .toString(16)
        .padStart(40, 'c')}`;
    const names = [
      'bench-model-1',
      '',
      'x'.repeat(32),
      'y'.repeat(33),
      'quote "name", comma',
      '=HYPERLINK("x")',
      'modèle-é',
      '数値',
      '\u{1F680} rocket',
    ];
    const cases: [EventName, () => unknown[]][] = [
      ['Delegated', () => [holder(), u32(), u32(), big()]],
      ['DelegationCancelled', () => [holder(), u32(), u32(), big()]],
      ['SharesIssued', () => [holder(), u32(), u32(), big(), big()]],
      ['UndelegateRequested', () => [holder(), u32(), u32(), big(), u32(), big()]],
      ['ExitSettled', () => [holder(), u32(), u32(), big(), big()]],
      ['Withdrawn', () => [holder(), u32(), big()]],
      [
        'RoundResolved',
        () => [
          u32(),
          u32(),
          [-32768, -1, 0, 1, 32767, -500][Math.floor(rand() * 6)],
          big(),
          big(),
          big(),
          big(),
          big(),
          big(),
          big(),
          big(),
          big(),
          big(),
        ],
      ],
      ['RoundClosed', () => [u32(), big()]],
      [
        'ModelRegistered',
        () => [u32(), names[Math.floor(rand() * names.length)], holder(), [0, 1, 500, 65535][Math.floor(rand() * 4)], big()],
      ],
    ];
    let n = 0;
    for (const [name, values] of cases) {
      for (let i = 0; i < 60; i++) {
        const log = rawLog(poolInterface, POOL, name, values(), n++);
        const e = decodeLog(log)!;
        expect(e).not.toBeNull();
        const { block, logIndex, txHash, ...fields } = e;
        expect(fields).toEqual(viaEthers(poolInterface, log));
        expect(block).toBe(Number(log.blockNumber));
        expect(logIndex).toBe(Number(log.logIndex));
        expect(txHash).toBe(log.transactionHash);
      }
    }
    // Every name, ASCII or not, once at least.
    for (const name of names) {
      const log = rawLog(poolInterface, POOL, 'ModelRegistered', [7, name, holder(), 250, 10n ** 24n], n++);
      expect(decodeLog(log)).toMatchObject({ kind: 'ModelRegistered', name, feeBps: 250, capWei: 10n ** 24n });
    }
  });

  it('refuses data shorter than the event, and ignores events the history does not use', () => {
    const log = rawLog(poolInterface, POOL, 'RoundResolved', [5, 9, 120, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n], 1);
    expect(() => decodeLog({ ...log, data: log.data.slice(0, -64) })).toThrow(/shorter/);
    const named = rawLog(poolInterface, POOL, 'ModelRegistered', [3, 'a-model', POOL, 100, 5n], 2);
    expect(() => decodeLog({ ...named, data: named.data.slice(0, 2 + 64 * 3) })).toThrow();
    const other = poolInterface.encodeEventLog(poolInterface.getEvent('ReserveFunded')!, [POOL, 5n]);
    expect(decodeLog({ ...log, ...other })).toBeNull();
  });
});

describe('packEvent', () => {
  it('packs every kind so that unpackEvent gives the same event back', () => {
    const samples: PoolEvent[] = [
      { kind: 'Delegated', block: 1, logIndex: 0, txHash: '0xa1', holder: '0xb2', modelId: 3, round: 4, amountWei: MAX },
      { kind: 'DelegationCancelled', block: 2, logIndex: 1, txHash: '0xa2', holder: '0xb2', modelId: 3, round: 4, amountWei: 5n },
      { kind: 'SharesIssued', block: 3, logIndex: 2, txHash: '0xa3', holder: '0xb2', modelId: 3, round: 4, amountWei: 5n, shares: 0n },
      {
        kind: 'UndelegateRequested',
        block: 4,
        logIndex: 3,
        txHash: '0xa4',
        holder: '0xb2',
        modelId: 3,
        round: 4,
        shares: 6n,
        unlockRound: 9,
        pendingOutSharesTotal: 12n,
      },
      { kind: 'ExitSettled', block: 5, logIndex: 4, txHash: '0xa5', holder: '0xb2', modelId: 3, unlockRound: 9, shares: 6n, amountWei: 7n },
      { kind: 'Withdrawn', block: 6, logIndex: 5, txHash: '0xa6', holder: '0xb2', modelId: 3, amountWei: 8n },
      {
        kind: 'RoundResolved',
        block: 7,
        logIndex: 6,
        txHash: '0xa7',
        round: 4,
        modelId: 3,
        returnBps: -321,
        stakeBeforeWei: 1n,
        stakeAfterWei: 2n,
        rewardWei: 3n,
        feeWei: 4n,
        burnedWei: 5n,
        depositsInWei: 6n,
        sharesMinted: 7n,
        exitSharesBurned: 8n,
        exitAssetsWei: 9n,
        totalSharesAfter: 10n,
      },
      { kind: 'RoundClosed', block: 8, logIndex: 7, txHash: '0xa8', round: 4, reserveAfterWei: 11n },
      {
        kind: 'ModelRegistered',
        block: 9,
        logIndex: 8,
        txHash: '0xa9',
        modelId: 3,
        name: 'm "3"',
        operator: '0xb3',
        feeBps: 500,
        capWei: 12n,
      },
    ];
    for (const e of samples) {
      const packed = packEvent(e);
      expect(packed.filter((v) => typeof v === 'bigint')).toEqual([]);
      // Through JSON, as the index stores it.
      expect(unpackEvent(JSON.parse(JSON.stringify(packed)) as unknown[])).toEqual(e);
    }
  });
});
