import { id as topicOf, makeError } from 'ethers';

/** StakingPool's ModelRegistered (contracts/src/StakingPool.sol): modelId and numeraiModelId indexed. */
export const MODEL_REGISTERED_TOPIC = topicOf('ModelRegistered(uint32,bytes32,string,address,uint16,uint256)');

/** The four head words of the event's data: the name's offset, operator, feeBps, capWei. */
const HEAD_WORDS = 4;
const utf8 = new TextDecoder('utf-8', { fatal: true });

const bad = (why: string, log: unknown) => makeError(`not a ModelRegistered log: ${why}`, 'BAD_DATA', { value: log });

/**
 * A ModelRegistered log's pool model id and name, the two things the model list needs of it. Read
 * here rather than by ethers' Interface for a measured reason: the list reads every registration at
 * start, and ethers' decoding (Result proxies, every address checksummed) of 200 of them was ~100 ms
 * of main's CPU on the first screen's path. The checks are ABI decoding's: the topic, the id fitting
 * uint32, the name's offset and length inside the data, the name valid UTF-8 (as ethers' default).
 */
export function registrationOf(log: { topics: readonly string[]; data: string }): { modelId: number; name: string } {
  const { topics, data } = log;
  if (topics.length !== 3 || topics[0]?.toLowerCase() !== MODEL_REGISTERED_TOPIC) throw bad('its topics', log);
  const idWord = topics[1]!;
  if (!/^0x0{56}[0-9a-fA-F]{8}$/.test(idWord)) throw bad('the model id is not a uint32', log);
  if (!/^0x([0-9a-fA-F]{64})*$/.test(data) || data.length < 2 + 64 * (HEAD_WORDS + 1)) throw bad('its data', log);
  const words = (data.length - 2) / 64;
  const word = (i: number) => BigInt(`0x${data.slice(2 + 64 * i, 2 + 64 * (i + 1))}`);
  const offset = word(0);
  if (offset % 32n !== 0n || offset < 32n * BigInt(HEAD_WORDS) || offset / 32n >= BigInt(words)) throw bad("the name's offset", log);
  const at = Number(offset / 32n);
  const length = word(at);
  if (length > BigInt((words - at - 1) * 32)) throw bad("the name's length", log);
  const start = 2 + 64 * (at + 1);
  const hex = data.slice(start, start + 2 * Number(length));
  let name: string;
  try {
    name = utf8.decode(Buffer.from(hex, 'hex'));
  } catch {
    throw bad('the name is not UTF-8', log);
  }
  return { modelId: Number.parseInt(idWord.slice(-8), 16), name };
}
