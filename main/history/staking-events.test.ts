import { describe, expect, it } from 'vitest';
import {
  decodeStakingLog,
  packStakingEvent,
  unpackStakingEvent,
  STAKING_HOLDER_EVENTS,
  STAKING_MODEL_EVENTS,
  type StakingEventName,
} from './staking-events';
import { stakingPoolIface } from '../pool/staking-pool-views';
import { rng } from './test-support/rng';
import { rawLog, viaEthers } from './test-support/event-logs';

const POOL = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const MAX = 2n ** 256n - 1n;
/** Rounds are decoded as numbers: the largest one that stays exact. */
const U64_MAX_SAFE = 2 ** 53 - 1;

describe('decodeStakingLog', () => {
  it("decodes every StakingPool event exactly as ethers' ABI coder does, at the edges of each type", () => {
    const rand = rng(13);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const big = () => pick([0n, 1n, MAX, 10n ** 18n, BigInt(Math.floor(rand() * 2 ** 53)) * 10n ** 20n]);
    const u32 = () => pick([0, 1, 2 ** 32 - 1, Math.floor(rand() * 2 ** 32)]);
    const u64 = () => pick([0, 1, 2 ** 32, U64_MAX_SAFE, Math.floor(rand() * 2 ** 40)]);
    const u16 = () => pick([0, 1, 5000, 65535]);
    const account = () =>
      `0x${Math.floor(rand() * 2 ** 52)
        .toString(16)
        .padStart(40, 'd')}`;
    const b32 = () =>
      `0x${Math.floor(rand() * 2 ** 52)
        .toString(16)
        .padStart(64, 'a')}`;
    const names = ['model-1', '', 'x'.repeat(64), 'x'.repeat(65), 'quote "name", comma', 'modèle-é', '数値', '\uFEFFbom', 'emoji 🚀'];
    const cases: Record<StakingEventName, () => unknown[]> = {
      ModelRegistered: () => [u32(), b32(), pick(names), account(), u16(), big()],
      Delegated: () => [account(), u32(), u32(), big()],
      DepositCancelled: () => [account(), u32(), u32(), big()],
      DepositsConverted: () => [u32(), u32(), big(), big(), big(), big()],
      SharesIssued: () => [account(), u32(), u32(), big(), big()],
      RedeemRequested: () => [account(), u32(), u32(), big(), u64(), big()],
      ExitsConverted: () => [u32(), u32(), big(), big(), big(), big()],
      ExitSettled: () => [account(), u32(), u32(), big(), big()],
      Withdrawn: () => [account(), u32(), big()],
      TrancheStaked: () => [u32(), u64(), big(), u16()],
      StakeSkipped: () => [u32(), u64()],
      TrancheSettled: () => [u32(), u64(), big(), big(), big(), rand() < 0.5],
      FeeChangeScheduled: () => [u32(), u16(), u16(), u64()],
      FeeChangeApplied: () => [u32(), u16()],
      FeesClaimed: () => [u32(), account(), big()],
      CapChanged: () => [u32(), big(), big()],
    };
    // Every event of the ABI the ledger could need is either decoded or deliberately left out.
    const decoded = new Set<string>(Object.keys(cases));
    expect(new Set([...STAKING_HOLDER_EVENTS, ...STAKING_MODEL_EVENTS])).toEqual(decoded);
    let n = 0;
    for (const [name, values] of Object.entries(cases) as [StakingEventName, () => unknown[]][]) {
      for (let i = 0; i < 40; i++) {
        const log = rawLog(stakingPoolIface, POOL, name, values(), n++);
        const e = decodeStakingLog(log);
        expect(e).not.toBeNull();
        const { block, logIndex, txHash, ...fields } = e!;
        expect(fields).toEqual(viaEthers(stakingPoolIface, log));
        expect(block).toBe(Number(log.blockNumber));
        expect(logIndex).toBe(Number(log.logIndex));
        expect(txHash).toBe(log.transactionHash.toLowerCase());
        // The index's stored form (through its JSON) gives the same event back.
        expect(unpackStakingEvent(JSON.parse(JSON.stringify(packStakingEvent(e!))) as unknown[])).toEqual(e);
      }
    }
  });

  it('refuses a stored event of an unknown kind or another shape', () => {
    const e = decodeStakingLog(rawLog(stakingPoolIface, POOL, 'Withdrawn', ['0x' + 'd'.repeat(40), 3, 5n], 1))!;
    const packed = packStakingEvent(e);
    expect(() => unpackStakingEvent([99, ...packed.slice(1)])).toThrow(/unknown event/);
    expect(() => unpackStakingEvent(packed.slice(0, -1))).toThrow(/another shape/);
  });

  it('refuses data shorter than the event or a round past 2^53, and ignores events it does not use', () => {
    const log = rawLog(stakingPoolIface, POOL, 'TrancheSettled', [4, 900, 1n, 2n, 3n, true], 1);
    expect(() => decodeStakingLog({ ...log, data: log.data.slice(0, -64) })).toThrow(/shorter/);
    const far = rawLog(stakingPoolIface, POOL, 'TrancheStaked', [4, 2n ** 60n, 1n, 100], 2);
    expect(() => decodeStakingLog(far)).toThrow(/round number/);
    const other = stakingPoolIface.encodeEventLog(stakingPoolIface.getEvent('Paused')!, [POOL]);
    expect(decodeStakingLog({ ...log, ...other })).toBeNull();
  });

  it("reads ModelRegistered's string as ethers' coder does, and refuses what that coder refuses", () => {
    const values = [7, `0x${'ab'.repeat(32)}`, 'model-7', `0x${'cd'.repeat(20)}`, 500, 10n ** 18n];
    const log = rawLog(stakingPoolIface, POOL, 'ModelRegistered', values, 1);
    const words = log.data.slice(2).match(/.{64}/g)!;
    const withWords = (ws: string[]) => ({ ...log, data: `0x${ws.join('')}` });
    const ethersOf = (l: typeof log) => {
      try {
        return { name: viaEthers(stakingPoolIface, l).name };
      } catch {
        return 'refused';
      }
    };
    const oursOf = (l: typeof log) => {
      try {
        return { name: (decodeStakingLog(l) as { name: string }).name };
      } catch {
        return 'refused';
      }
    };
    const lengthWord = (n: number) => n.toString(16).padStart(64, '0');
    const bytesWord = (hex: string) => hex.padEnd(64, '0');
    const variants = {
      // The last word's padding left out: ethers reads event data loosely.
      unpadded: { ...log, data: log.data.slice(0, -(64 - 'model-7'.length * 2)) },
      // The string after a gap, at an offset that is not a multiple of 32.
      unaligned: {
        ...log,
        data: `0x${(0x80 + 35).toString(16).padStart(64, '0')}${words.slice(1, 4).join('')}${'00'.repeat(35)}${lengthWord(2)}${bytesWord('6869')}`,
      },
      invalidUtf8: withWords([...words.slice(0, 4), lengthWord(2), bytesWord('c328')]),
      surrogate: withWords([...words.slice(0, 4), lengthWord(3), bytesWord('eda080')]),
      overlong: withWords([...words.slice(0, 4), lengthWord(2), bytesWord('c0af')]),
      lengthPastEnd: withWords([...words.slice(0, 4), lengthWord(33), bytesWord('41')]),
      offsetPastEnd: withWords([(0x200).toString(16).padStart(64, '0'), ...words.slice(1)]),
      hugeOffset: withWords(['f'.repeat(64), ...words.slice(1)]),
      dirtyAddress: withWords([words[0], `01${words[1]!.slice(2)}`, ...words.slice(2)]),
      notHex: withWords([...words.slice(0, 4), lengthWord(2), bytesWord('zz41')]),
    };
    expect(oursOf(log)).toEqual({ name: 'model-7' });
    for (const [what, l] of Object.entries(variants)) {
      expect([what, oursOf(l)]).toEqual([what, ethersOf(l)]);
    }
    // The cases meant to be read are read, not refused by both.
    expect(oursOf(variants.unpadded)).toEqual({ name: 'model-7' });
    expect(oursOf(variants.unaligned)).toEqual({ name: 'hi' });
  });
});
