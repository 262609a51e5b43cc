import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startAnvilEarly, type AnvilOptions, type EarlyAnvil } from './anvil';

/**
 * Where the demo chain lives and how its node is started: one place for what the staking world
 * starts anvil with (staking-world.ts, through saved-chain.ts) and what the harness starts it with
 * early, while the rest of main still loads (main/entry/harness.ts): the two must agree for the early
 * node to be used. Light on purpose (no ethers): the harness's first bundle imports it.
 */

export const DEVNET_CHAIN_ID = 31337;
/** Set-up bursts are mined a block at a time: room for a burst of hundreds of transactions. */
export const BLOCK_GAS_LIMIT = 1_000_000_000n;
/** How often anvil saves its state: at most this much of the chain's recent past is lost to a crash. */
const STATE_INTERVAL_S = 5;

/** The local chains' folder in the user-data folder. */
export function devnetDir(userDataDir: string): string {
  return join(userDataDir, 'devnet');
}

/** The staking world's folder: anvil's state and the record of the deployment. */
export function stakingWorldDir(userDataDir: string): string {
  return join(devnetDir(userDataDir), 'staking');
}

/** A saved chain's two files in its folder (saved-chain.ts). */
export function savedChainFiles(dir: string): { state: string; deployment: string } {
  return { state: join(dir, 'anvil-state.json'), deployment: join(dir, 'deployment.json') };
}

/** The options a saved chain in `dir` starts anvil with. */
export function savedChainAnvil(dir: string, chainId: number, anvilArgs: readonly string[]): AnvilOptions {
  return { chainId, stateFile: savedChainFiles(dir).state, stateIntervalS: STATE_INTERVAL_S, extraArgs: [...anvilArgs] };
}

export const STAKING_ANVIL_ARGS = ['--gas-limit', String(BLOCK_GAS_LIMIT)] as const;

/**
 * The options of the staking world's node in `dir`, when a saved chain is there to reload (a node
 * worth starting before it is known whether the chain will be used); null before the first run.
 */
export function savedStakingChainAnvil(dir: string): AnvilOptions | null {
  const files = savedChainFiles(dir);
  return existsSync(files.state) && existsSync(files.deployment) ? savedChainAnvil(dir, DEVNET_CHAIN_ID, STAKING_ANVIL_ARGS) : null;
}

/**
 * The saved demo chain's node, started ahead of the rest of main (both entries: harness.ts and
 * electron.ts), for the local session to take (EarlyAnvil.take); null when the saved network is a
 * real one (`networkIsLocal`, main/store/settings-file.ts) or no demo chain is saved yet (a first
 * start deploys it).
 */
export function startSavedChainEarly(userDataDir: string, networkIsLocal: boolean): EarlyAnvil | null {
  const options = networkIsLocal ? savedStakingChainAnvil(stakingWorldDir(userDataDir)) : null;
  return options ? startAnvilEarly(options) : null;
}
