/**
 * Compiles a test-only Solidity file (contracts/test/fixtures/) with the same offline solc-js and
 * settings as scripts/build-contracts.mjs, so probes never end up in contracts/generated.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

function readImport(path: string): string {
  const local = join(ROOT, path);
  if (!path.startsWith('@') && existsSync(local)) return readFileSync(local, 'utf8');
  const m = /^(@[^/]+\/[^/]+|[^@/][^/]*)\/(.+)$/.exec(path);
  if (!m) throw new Error(`cannot resolve import "${path}"`);
  return readFileSync(join(dirname(require.resolve(`${m[1]}/package.json`, { paths: [ROOT] })), m[2]!), 'utf8');
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
}

/** `unit` is repo-relative (e.g. contracts/test/fixtures/StakingProbe.sol). */
export function compileTestContract(unit: string, name: string): { abi: unknown[]; bytecode: string } {
  const solc = require('solc') as { compile(input: string, cb: { import(p: string): { contents?: string; error?: string } }): string };
  const input = {
    language: 'Solidity',
    sources: { [unit]: { content: readImport(unit) } },
    settings: {
      evmVersion: 'prague',
      optimizer: { enabled: true, runs: 200 },
      viaIR: true,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const out = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import: (p) => {
        try {
          return { contents: readImport(p) };
        } catch (e) {
          return { error: String((e as Error).message) };
        }
      },
    }),
  ) as SolcOutput;
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = out.contracts?.[unit]?.[name];
  if (!c) throw new Error(`${name} not found in ${unit}`);
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}
