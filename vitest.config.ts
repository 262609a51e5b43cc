import { defineConfig } from 'vitest/config';

// Three projects, all run by `npm test` (scripts/test-all.mjs) and each by its own script:
// - unit (`npm run test:unit`): no chain, no network. In-process servers on loopback and child Node
//   processes are fine; a test that starts anvil or opens a socket to anything but loopback fails
//   (scripts/test-support/unit-guard.ts).
// - integration (`npm run test:integration`): tests named *.integration.test.ts, which start a local
//   chain (anvil) or the whole app on one.
// - contracts (`npm run test:contracts`): the Solidity contracts on a real local EVM.

/** Code tested by unit and integration tests: main, shared, renderer, scripts and bench. */
const SOURCES = ['main', 'shared', 'renderer', 'scripts', 'bench'];
const INTEGRATION = SOURCES.map((dir) => `${dir}/**/*.integration.test.ts`);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: SOURCES.map((dir) => `${dir}/**/*.test.{ts,tsx}`),
          exclude: ['**/node_modules/**', ...INTEGRATION],
          setupFiles: ['scripts/test-support/unit-guard.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: INTEGRATION,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'contracts',
          include: ['contracts/test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
