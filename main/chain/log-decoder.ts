import { LogDescription, type EventFragment, type Interface } from 'ethers';

const fragmentsByTopic = new WeakMap<Interface, Map<string, EventFragment>>();

/**
 * `iface.parseLog(log)`, with the interface's event topics hashed once: ethers' parseLog hashes
 * every event signature of the ABI again for each log it looks up (a keccak each), which made
 * reading 200 models' registrations at start cost more than fetching them.
 */
export function parseLog(iface: Interface, log: { topics: readonly string[]; data: string }): LogDescription | null {
  let byTopic = fragmentsByTopic.get(iface);
  if (!byTopic) {
    byTopic = new Map();
    const m = byTopic;
    iface.forEachEvent((f) => m.set(f.topicHash, f));
    fragmentsByTopic.set(iface, byTopic);
  }
  const topic = log.topics[0]?.toLowerCase();
  const fragment = topic === undefined ? undefined : byTopic.get(topic);
  if (!fragment || !topic) return null;
  return new LogDescription(fragment, topic, iface.decodeEventLog(fragment, log.data, log.topics));
}
