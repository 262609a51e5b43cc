/**
 * Setup file of the vitest `unit` project: keeps unit tests free of chains and of the network.
 *
 * A unit test may start in-process servers on loopback (a fake Numerai API, the harness server) and
 * child Node processes (the kill -9 tests), but it must not start a local chain (anvil) or open a
 * socket to anything but loopback. Either is recorded as a violation: the call fails on the spot
 * (spawn throws, the socket is destroyed with an error) and, because code under test may swallow
 * that error, the test that made the call fails afterwards as well. A test that needs a chain is an
 * integration test: name it `*.integration.test.ts`.
 *
 * Node's built-in modules are patched once per worker; `syncBuiltinESMExports` makes the named ESM
 * imports (`import { spawn } from 'node:child_process'`) see the patched functions too.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { afterAll, afterEach } from 'vitest';
import { refuseNonLoopbackSockets } from './loopback-sockets';

export { isLoopbackHost } from './loopback-sockets';

// One store per worker process: vitest evaluates this file again for every test file, while the
// patched built-ins live as long as the process, so the patch is applied once and shares this list.
const GUARD = Symbol.for('nmr-delegate.unit-guard');
const state = ((globalThis as Record<symbol, unknown>)[GUARD] ??= { violations: [], patched: false }) as {
  violations: string[];
  patched: boolean;
};
const violations = state.violations;

/** The violations recorded since the last call, emptied; the guard's own test uses it. */
export function takeViolations(): string[] {
  return violations.splice(0);
}

/** A local chain binary: anvil (Foundry), hardhat or ganache, by the program's file name. */
export function isChainProgram(command: unknown): boolean {
  if (typeof command !== 'string') return false;
  const program = command.trim().split(/\s+/)[0] ?? '';
  const name = program.split(/[\\/]/).pop() ?? ''; // a POSIX or a Windows path
  return /^(anvil|hardhat|ganache)(\.exe|\.cmd)?$/i.test(name);
}

function record(message: string): Error {
  violations.push(message);
  return new Error(`unit tests run without chains and network: ${message} (name the test *.integration.test.ts)`);
}

type AnyFn = (...args: never[]) => unknown;

function patchChildProcess(): void {
  const commandCalls = ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync'] as const;
  const cp = childProcess as unknown as Record<(typeof commandCalls)[number], AnyFn>;
  for (const name of commandCalls) {
    const original = cp[name];
    cp[name] = function guarded(this: unknown, ...args: never[]) {
      if (isChainProgram(args[0])) throw record(`${name}(${String(args[0])}) starts a local chain`);
      return original.apply(this, args);
    };
  }
}

function patchSockets(): void {
  refuseNonLoopbackSockets((host) => record(`a socket to ${host} (not loopback)`));
}

if (!state.patched) {
  patchChildProcess();
  patchSockets();
  syncBuiltinESMExports();
  state.patched = true;
}

function failOnViolations(): void {
  const found = takeViolations();
  if (found.length) throw new Error(`unit tests run without chains and network; this one used: ${found.join('; ')}`);
}
afterEach(failOnViolations);
afterAll(failOnViolations);
