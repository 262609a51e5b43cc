import { AbiCoder, Interface, Wallet, isError, zeroPadValue, toBeHex } from 'ethers';
import { describe, expect, it } from 'vitest';
import { stakingPoolAbi } from '../chain/contracts';
import { parseLog } from '../chain/log-decoder';
import { MODEL_REGISTERED_TOPIC, registrationOf } from './registration-log';

const pool = new Interface(stakingPoolAbi);
const event = pool.getEvent('ModelRegistered')!;

/** A ModelRegistered log as the contract emits it. */
function registered(modelId: number, name: string) {
  const { data, topics } = pool.encodeEventLog(event, [
    modelId,
    zeroPadValue(toBeHex(modelId * 7919), 32),
    name,
    Wallet.createRandom().address,
    250,
    10n ** 21n,
  ]);
  return { topics, data };
}

const caught = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return null;
};

describe('registrationOf: a ModelRegistered log’s id and name', () => {
  it('reads what ethers reads, for names of every kind', () => {
    expect(event.topicHash).toBe(MODEL_REGISTERED_TOPIC);
    const names = ['lgbm87_bot', '', 'x'.repeat(31), 'y'.repeat(32), 'z'.repeat(33), 'Ünïcödé 模型 🚀', 'a'.repeat(300)];
    names.forEach((name, i) => {
      const log = registered(i === 0 ? 2 ** 32 - 1 : i + 1, name);
      const ev = parseLog(pool, log)!;
      expect(registrationOf(log)).toEqual({ modelId: Number(ev.args.modelId), name: String(ev.args.name) });
    });
  });

  it('refuses a log that is not one, as BAD_DATA', () => {
    const log = registered(5, 'model');
    const coder = AbiCoder.defaultAbiCoder();
    const lies = [
      { ...log, topics: [log.topics[0]!, log.topics[1]!] }, // a topic missing
      { ...log, topics: [pool.getEvent('Withdrawn')!.topicHash, ...log.topics.slice(1)] }, // another event
      { ...log, topics: [log.topics[0]!, zeroPadValue('0x0100000000', 32), log.topics[2]!] }, // an id past uint32
      { ...log, data: log.data.slice(0, -64) }, // cut short
      { ...log, data: log.data + 'ab' }, // not whole words
      { ...log, data: '0x' + coder.encode(['uint256'], [64]).slice(2) + log.data.slice(66) }, // the name's offset inside the head
      { ...log, data: '0x' + coder.encode(['uint256'], [32n * 100n]).slice(2) + log.data.slice(66) }, // offset past the data
      { ...log, data: log.data.slice(0, 2 + 64 * 4) + coder.encode(['uint256'], [1000]).slice(2) + log.data.slice(2 + 64 * 5) }, // length past the data
      { ...log, data: log.data.slice(0, 2 + 64 * 5) + 'ff' + log.data.slice(2 + 64 * 5 + 2) }, // not UTF-8
    ];
    for (const lie of lies)
      expect(
        isError(
          caught(() => registrationOf(lie)),
          'BAD_DATA',
        ),
        JSON.stringify(lie).slice(0, 120),
      ).toBe(true);
  });
});
