/**
 * Every NMR function our contracts or the app call exists on mainnet NMR with the same inputs and
 * outputs (../shared/reference/nmr-mainnet-abi.json), and LocalNMR has the same entry; every bool the
 * token returns is checked. The list of calls is read from the sources (contracts/src/**.sol, main/**.ts),
 * so a new call to a function mainnet lacks fails here. Negative controls prove the scanners can fail.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { localNmrAbi } from '../generated/index';
import {
  interfaceDeclarations,
  readSources,
  solidityTokenCalls,
  typescriptTokenCalls,
  type Signature,
  type TokenCall,
} from '../test-support/token-calls';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface AbiEntry {
  type: string;
  name?: string;
  inputs?: readonly { type: string }[];
  outputs?: readonly { type: string }[];
}
const mainnetAbi = JSON.parse(readFileSync(join(ROOT, '../shared/reference/nmr-mainnet-abi.json'), 'utf8')) as AbiEntry[];
const localAbi = localNmrAbi as readonly AbiEntry[];

/** Functions that exist only on the local demo chain, and the only places allowed to call them. */
const LOCAL_ONLY: Record<string, RegExp> = {
  demoMint: /^main\/(devnet\/|history\/bench\.ts$|history\/test-support\/)|\.test\.ts$/,
};

const sig = (e: AbiEntry): Signature => ({
  name: e.name!,
  inputs: (e.inputs ?? []).map((p) => p.type),
  outputs: (e.outputs ?? []).map((p) => p.type),
});
const fmt = (s: Signature) => `${s.name}(${s.inputs.join(',')}) returns (${s.outputs.join(',')})`;
const has = (abi: readonly AbiEntry[], s: Signature) =>
  abi.some((e) => e.type === 'function' && e.name === s.name && fmt(sig(e)) === fmt(s));

/** Problems with `calls`: each is a sentence naming the file and line. */
function problems(calls: TokenCall[]): string[] {
  const out: string[] = [];
  for (const c of calls) {
    const at = `${c.file}:${c.line} ${c.via.trim()}`;
    const local = LOCAL_ONLY[c.fn];
    if (local) {
      if (!local.test(c.file)) out.push(`${at}: ${c.fn} exists only on the local chain`);
      continue;
    }
    if (!c.signature) {
      out.push(`${at}: no declaration found for ${c.fn}`);
      continue;
    }
    if (!has(mainnetAbi, c.signature)) out.push(`${at}: ${fmt(c.signature)} is not in mainnet NMR's ABI`);
    if (!has(localAbi, c.signature)) out.push(`${at}: ${fmt(c.signature)} is not in LocalNMR's ABI`);
    if (c.uncheckedBool) out.push(`${at}: the bool ${c.fn} returns is not checked`);
  }
  return out;
}

function scanContracts(extra: Record<string, string> = {}): TokenCall[] {
  const sources = { ...readSources(ROOT, 'contracts/src', '.sol', (f) => f === 'contracts/src/LocalNMR.sol'), ...extra };
  const oz = {
    IERC20: readFileSync(join(ROOT, 'node_modules/@openzeppelin/contracts/token/ERC20/IERC20.sol'), 'utf8'),
    IERC20Metadata: readFileSync(join(ROOT, 'node_modules/@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol'), 'utf8'),
  };
  return solidityTokenCalls(sources, interfaceDeclarations({ ...oz, ...sources }));
}

function scanApp(extra: Record<string, string> = {}): TokenCall[] {
  return typescriptTokenCalls({ ...readSources(ROOT, 'main', '.ts'), ...extra }, localAbi);
}

describe('NMR calls match mainnet NMR', () => {
  it('every token function our contracts call is on mainnet with the same types, in LocalNMR, bools checked', () => {
    const calls = scanContracts();
    const fns = new Set(calls.map((c) => c.fn));
    // The scan sees what we know is there (so an empty or blind scan cannot pass).
    for (const f of ['transfer', 'transferFrom', 'mint']) expect(fns, f).toContain(f);
    for (const f of ['transfer', 'transferFrom'])
      expect(
        calls.some((c) => c.file === 'contracts/src/StakingPool.sol' && c.fn === f),
        `StakingPool calls ${f}`,
      ).toBe(true);
    expect(calls.some((c) => c.file === 'contracts/src/numerai/LocalNumeraiStaking.sol' && c.fn === 'mint')).toBe(true);
    expect(problems(calls)).toEqual([]);
  });

  it('every token function the app calls is on mainnet with the same types (local-only faucet only on the local chain)', () => {
    const calls = scanApp();
    const fns = new Set(calls.map((c) => c.fn));
    for (const f of ['approve', 'allowance', 'balanceOf', 'decimals', 'demoMint']) expect(fns, f).toContain(f);
    expect(problems(calls)).toEqual([]);
  });

  it('LocalNMR’s whole mainnet-named surface matches mainnet (only the local faucet and minter are extra)', () => {
    const extra = localAbi.filter((e) => e.type === 'function' && !has(mainnetAbi, sig(e))).map((e) => fmt(sig(e)));
    expect(extra.sort()).toEqual(['demoMint(address,uint256) returns ()', 'minter() returns (address)']);
  });

  describe('negative controls: the scanners catch what they must', () => {
    it('a contract calling burn (which mainnet lacks) fails', () => {
      const bad = `
        pragma solidity ^0.8.28;
        import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
        interface INumeraireOldBurn { function burn(uint256 value) external; function decimals() external view returns (uint8); }
        contract Bad {
            IERC20 public immutable nmr;
            constructor(IERC20 nmr_) { nmr = nmr_; }
            function lose(uint256 x) external { INumeraireOldBurn(address(nmr)).burn(x); }
            function d() external view returns (uint8) { return INumeraireOldBurn(address(nmr)).decimals(); }
        }`;
      const p = problems(scanContracts({ 'contracts/src/Bad.sol': bad }));
      expect(p.some((m) => m.includes('contracts/src/Bad.sol') && m.includes('burn(uint256) returns () is not in mainnet'))).toBe(true);
      expect(p.some((m) => m.includes('decimals() returns (uint8) is not in mainnet'))).toBe(true);
    });

    it('an unchecked mint (burn) result fails; a checked one passes', () => {
      const src = (body: string) => `
        interface INumeraireBurnX { function mint(uint256 value) external returns (bool); }
        contract C { address nmr; function f(uint256 x) external { ${body} } }`;
      const unchecked = problems(scanContracts({ 'contracts/src/C.sol': src('INumeraireBurnX(nmr).mint(x);') }));
      expect(unchecked.some((m) => m.includes('the bool mint returns is not checked'))).toBe(true);
      const checked = problems(scanContracts({ 'contracts/src/C.sol': src('require(INumeraireBurnX(nmr).mint(x));') }));
      expect(checked.filter((m) => m.includes('contracts/src/C.sol'))).toEqual([]);
    });

    it('SafeERC20 calls map to the token functions they make (an ERC-1363 call fails)', () => {
      const bad = `
        contract D { using SafeERC20 for IERC20; IERC20 private immutable _nmr;
          function f(address to) external { _nmr.safeTransfer(to, 1); _nmr.transferAndCallRelaxed(to, 1, ""); } }`;
      const calls = scanContracts({ 'contracts/src/D.sol': bad }).filter((c) => c.file === 'contracts/src/D.sol');
      expect(calls.map((c) => c.fn)).toEqual(['transfer', 'transferAndCall']);
      expect(problems(calls)).toEqual(['contracts/src/D.sol:3 _nmr.transferAndCallRelaxed(: no declaration found for transferAndCall']);
    });

    it('a token held as IERC20Metadata resolves inherited functions, and its uint8 decimals fails', () => {
      const src = `
        contract E { IERC20Metadata internal immutable nmr;
          function f(address to) external returns (uint8) { require(nmr.transfer(to, 1)); return nmr.decimals(); } }`;
      const p = problems(scanContracts({ 'contracts/src/E.sol': src })).filter((m) => m.includes('contracts/src/E.sol'));
      expect(p).toEqual([
        "contracts/src/E.sol:3 nmr.decimals(: decimals() returns (uint8) is not in mainnet NMR's ABI",
        "contracts/src/E.sol:3 nmr.decimals(: decimals() returns (uint8) is not in LocalNMR's ABI",
      ]);
    });

    it('the app calling burnFrom, or the faucet outside the local chain, fails', () => {
      const bad = `
        const token = new Contract(addr, tokenAbi, signer);
        await token.getFunction('burnFrom')(a, 1n);
        const data = this.token.interface.encodeFunctionData('demoMint', [a, 1n]);
        const poolData = this.pool.interface.encodeFunctionData('burnFrom', [1n]);`;
      const p = problems(scanApp({ 'main/pool/bad.ts': bad }));
      expect(p).toEqual([
        "main/pool/bad.ts:3 token.getFunction('burnFrom'): no declaration found for burnFrom",
        "main/pool/bad.ts:4 this.token.interface.encodeFunctionData('demoMint'): demoMint exists only on the local chain",
      ]);
    });
  });
});
