import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Wallet, scrypt as ethersScrypt } from 'ethers';
import { EventBus } from '../main/ipc/events';
import { decryptKeystore, parseKeystore } from '../main/wallet/keystore';
import { measureLoopLag } from '../main/wallet/loop-lag';
import { nativeScrypt } from '../main/wallet/native-scrypt';
import { WalletService } from '../main/wallet/wallet-service';

type Figure = { name: string; value: number; unit: string; note: string };

const RUNS = 9;
const PASSWORD = 'bench password 1';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/**
 * Unlock cost at the app's parameters (scrypt N=2^17, r=8, p=1), on one keystore, in one process:
 * our unlock (native scrypt on the thread pool), and the same decryption with ethers' own pure-JS
 * scrypt (`scrypt._`, the implementation ethers uses when nothing is registered; our registration
 * of the native one does not replace it), plus the worst event-loop delay during our unlock, and
 * one bare native scrypt for reference (what an unlock cannot go below).
 *
 * The three are measured in turn within each round, not one after the other in blocks: on a shared
 * 2-core machine the load changes from second to second, and blocks compared an unlock under one
 * load with ethers under another (0.856 vs 0.957 s once, when a bare scrypt took ~0.4 s). Ethers'
 * pure-JS run (whose 128 MB of garbage the next run pays for) comes first in a round, and our unlock
 * and the bare scrypt it is held to follow it in turn, in one order and then the other, so neither
 * is always the one after it. One warm-up round, then RUNS rounds: the unlock and its floor are the best of them (below), the rest medians.
 */
export async function benchWallet(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wallet-bench-'));
  try {
    const wallet = new WalletService(dir, new EventBus(), 2 ** 17, { idleMinutes: 0 });
    await wallet.importPrivateKey(Wallet.createRandom().privateKey, PASSWORD);
    wallet.lock();

    const keystore = parseKeystore(readFileSync(join(dir, 'keystore.json'), 'utf8'));
    if (keystore.kdf.kind !== 'scrypt') throw new Error('bench: the keystore should use scrypt');
    const { N, r, p, salt } = keystore.kdf;
    // The keystore's own parameters: its salt, and 32 bytes (a key wallet's keystore needs no more).
    const dkLen = keystore.mnemonic ? 64 : 32;
    const nativeS: number[] = [];
    const lagMs: number[] = [];
    const jsS: number[] = [];
    const jsLagMs: number[] = [];
    const bareS: number[] = [];
    const seconds = async <T>(work: () => Promise<T>) => {
      const start = performance.now();
      const r = await measureLoopLag(work, 1);
      return { ...r, s: (performance.now() - start) / 1000 };
    };
    const unlockOnce = async () => {
      const run = await seconds(() => wallet.unlock(PASSWORD));
      wallet.lock();
      return run;
    };
    const bareOnce = () => seconds(() => nativeScrypt(Buffer.from(PASSWORD), salt, N, r, p, dkLen));
    for (let i = 0; i <= RUNS; i++) {
      const js = await seconds(() => decryptKeystore(keystore, PASSWORD, { scrypt: ethersScrypt._ }));
      if (!js.result) throw new Error('bench: ethers-js decryption failed');
      let ours: Awaited<ReturnType<typeof unlockOnce>>;
      let bare: Awaited<ReturnType<typeof bareOnce>>;
      if (i % 2 === 0) {
        ours = await unlockOnce();
        bare = await bareOnce();
      } else {
        bare = await bareOnce();
        ours = await unlockOnce();
      }
      if (i === 0) continue; // warm-up
      nativeS.push(ours.s);
      lagMs.push(ours.maxLagMs);
      jsS.push(js.s);
      jsLagMs.push(js.maxLagMs);
      bareS.push(bare.s);
    }

    // The same measurement with the main thread doing nothing: on a shared machine the OS alone
    // delays the loop now and then, and the figure above means something only next to this.
    const idleLagMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { maxLagMs } = await measureLoopLag(() => new Promise((r) => setTimeout(r, median(nativeS) * 1000)), 1);
      idleLagMs.push(maxLagMs);
    }

    const params = `scrypt N=2^${Math.log2(N)}, r=${r}, p=${p}, same keystore`;
    // Best of RUNS for the unlock and its floor: here a round takes ~0.67 or ~0.88 s as other
    // processes come and go (scrypt's 128 MB shares memory bandwidth and page faults with them),
    // and the medians of the two sets can fall in different modes (1.21× once, when the rounds'
    // own ratios ran 0.84–1.35 with a median of 1.01). Load only adds time: the best of each is
    // its cost with the least of it, as history.export_100k_s and its floor are taken.
    const best = (xs: number[]) => Math.min(...xs);
    const overBare = best(nativeS) / best(bareS);
    const roundRatios = nativeS.map((s, i) => s / bareS[i]!);
    return [
      {
        name: 'wallet.unlock_native_s',
        value: round(best(nativeS), 3),
        unit: 's',
        note: `WalletService.unlock: Node's native scrypt on the libuv thread pool, ${params}; best of ${RUNS} (median ${round(median(nativeS), 3)}, range ${round(best(nativeS), 3)}–${round(Math.max(...nativeS), 3)} s), median ${round(median(nativeS) / median(jsS), 2)}× ethers' pure-JS time; ${round(overBare, 3)}× wallet.scrypt_bare_s, best to best (goal ≤ 1.1×: ${overBare <= 1.1 ? 'met' : 'not met'}); per round ${roundRatios.map((x) => x.toFixed(2)).join(', ')} (median ${round(median(roundRatios), 2)})`,
      },
      {
        name: 'wallet.scrypt_bare_s',
        value: round(best(bareS), 3),
        unit: 's',
        note: `the floor of an unlock: one bare native scrypt (node:crypto) with the keystore's parameters (${params}, its salt, ${dkLen} bytes), nothing else; measured in the same rounds as the unlock, in turn with it (before it in every other round); best of ${RUNS} (median ${round(median(bareS), 3)}, range ${round(best(bareS), 3)}–${round(Math.max(...bareS), 3)} s)`,
      },
      {
        name: 'wallet.unlock_ethers_js_s',
        value: round(median(jsS), 3),
        unit: 's',
        note: `the same decryption with ethers' pure-JS scrypt (scrypt._, @noble/hashes) on the main thread, ${params}; median of ${RUNS}; during it the event loop stalls for up to ${round(median(jsLagMs), 0)} ms (median of the worst stall per run): @noble/hashes' async scrypt yields only to microtasks, so the loop is frozen for the whole derivation`,
      },
      {
        name: 'wallet.unlock_event_loop_max_lag_ms',
        value: round(median(lagMs), 1),
        unit: 'ms',
        note: `largest event-loop delay (perf_hooks monitorEventLoopDelay, 1 ms resolution) during our unlock; median over ${RUNS} unlocks, worst ${round(Math.max(...lagMs), 1)} ms; goal < 50 ms. Same measurement while idle for as long: median ${round(median(idleLagMs), 1)} ms (OS scheduling noise; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores)`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
