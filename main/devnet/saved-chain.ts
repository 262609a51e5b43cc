import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { JsonRpcProvider } from 'ethers';
import { createProvider } from '../chain/provider';
import type { Logger } from '../log/logger';
import { writeFileAtomic } from '../store/atomic-file';
import { startAnvil, type AnvilHandle, type AnvilOptions, type AnvilSupervision, type EarlyAnvil } from './anvil';
import { savedChainAnvil, savedChainFiles } from './staking-chain';

export interface SavedChain<D> {
  anvil: AnvilHandle;
  provider: JsonRpcProvider;
  deployment: D;
  /** A first run (deployed now) or a reload of the saved chain. */
  cold: boolean;
  /** Where a saved state anvil could not read was moved before deploying afresh; null when none was. */
  setAside: string | null;
}

export interface SavedChainOptions<D> {
  /** Holds anvil's state file and the record of the deployment. */
  dir: string;
  chainId: number;
  log: Logger;
  /** More anvil flags (e.g. a block gas limit). */
  anvilArgs?: readonly string[];
  /** Start anvil again from its state file when it dies on its own (the app's chain; tests may leave it off). */
  supervise?: AnvilSupervision;
  /** Prefix of the log events (`<name>.state_mismatch`). */
  name: string;
  /** The saved record of the deployment, checked; null when it is not ours (another version or chain). */
  parse(raw: unknown): D | null;
  /** Whether the reloaded chain really holds the recorded deployment. */
  matches(provider: JsonRpcProvider, d: D): Promise<boolean>;
  /** Deploys on a fresh chain and returns the record to save. */
  deploy(provider: JsonRpcProvider, anvil: AnvilHandle): Promise<D>;
  /** A node started early on this chain's state (main/entry/harness.ts): used when its options are these. */
  early?: EarlyAnvil | null;
}

/**
 * A local chain that survives restarts: on first run anvil starts empty and `deploy` runs; later
 * runs reload anvil's saved state. When the saved state and the record of the deployment disagree,
 * both are dropped and the chain is deployed afresh; a state file anvil cannot read is set aside
 * (`anvil-state.json.unreadable`) and the chain deployed afresh too. The chain is saved before the record, so the
 * record never names a deployment the state lacks.
 */
export async function startSavedChain<D>(o: SavedChainOptions<D>): Promise<SavedChain<D>> {
  const files = savedChainFiles(o.dir);
  const stateFile = files.state;
  let deployment = readRecord(files.deployment, (raw) => o.parse(raw));
  if (!deployment || !existsSync(stateFile)) {
    // An early node on this state would write it back.
    o.early?.discard();
    rmSync(stateFile, { force: true });
    deployment = null;
  }
  const options: AnvilOptions = { ...savedChainAnvil(o.dir, o.chainId, o.anvilArgs ?? []), supervise: o.supervise };
  const start = async () => {
    const anvil = await startAnvil(options, o.early?.take(options) ?? null);
    return { anvil, provider: createProvider(anvil.url, o.chainId, 20) };
  };
  let setAside: string | null = null;
  let { anvil, provider } = await start().catch(async (e: unknown) => {
    // A state file anvil cannot read (cut short by a crash, or written by two nodes at once) would
    // stop every start from here on: it is set aside, kept for a look, and the chain deployed afresh.
    const message = e instanceof Error ? e.message : String(e);
    if (!deployment || !existsSync(stateFile) || !message.includes('--state')) throw e;
    const movedTo = `${stateFile}.unreadable`;
    renameSync(stateFile, movedTo);
    setAside = movedTo;
    o.log.warn(`${o.name}.state_unreadable`, { error: message.slice(0, 300), movedTo });
    deployment = null;
    return start();
  });
  if (deployment && !(await o.matches(provider, deployment))) {
    o.log.warn(`${o.name}.state_mismatch`, {});
    provider.destroy();
    await anvil.stop();
    rmSync(stateFile, { force: true });
    deployment = null;
    ({ anvil, provider } = await start());
  }
  const cold = deployment === null;
  if (!deployment) {
    deployment = await o.deploy(provider, anvil);
    await provider.send('anvil_dumpState', []).catch(() => undefined);
    writeFileAtomic(
      files.deployment,
      JSON.stringify(deployment, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2),
    );
  }
  return { anvil, provider, deployment, cold, setAside };
}

function readRecord<D>(file: string, parse: (raw: unknown) => D | null): D | null {
  if (!existsSync(file)) return null;
  try {
    return parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}
