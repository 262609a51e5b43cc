/**
 * Finds every call our code makes on the NMR token, from the sources themselves, so a test can hold
 * them against mainnet's ABI (../shared/reference/nmr-mainnet-abi.json). Two scanners:
 *
 * - Solidity (`contracts/src/**`): calls on a token-typed value — a variable declared as `IERC20` or as
 *   an interface whose name mentions Numeraire/NMR, or such a cast (`INumeraireBurn(address(nmr)).mint(…)`)
 *   — and OpenZeppelin SafeERC20 calls on one (`nmr.safeTransfer` → `transfer`). Each call is resolved
 *   to the declaration in the interface it goes through, so its input and output types are the ones the
 *   compiled code uses.
 * - TypeScript (`main/**`): `<receiver>.encodeFunctionData('fn', …)` and `<receiver>.getFunction('fn')`
 *   whose receiver expression names the token (`token`, `nmr`, `this.token.interface`,
 *   `new Contract(t, tokenAbi, p)`); the signature is the one in the ABI the app encodes with.
 *
 * Heuristics, not a compiler: the negative controls in nmr-abi.test.ts prove they catch what they must.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Signature {
  name: string;
  inputs: string[];
  outputs: string[];
}

export interface TokenCall {
  file: string;
  line: number;
  /** the token function called on chain */
  fn: string;
  /** input and output types as the caller declares them (Solidity) or encodes them (TS) */
  signature: Signature | undefined;
  /** the Solidity expression or TS receiver, for messages */
  via: string;
  /** Solidity only: a direct call (not through SafeERC20) whose bool result is not checked */
  uncheckedBool?: boolean;
}

/** Types that stand for the token: OpenZeppelin's IERC20 family, or an interface named after NMR. */
export const TOKEN_TYPE = /^(IERC20\w*|I\w*(?:Numeraire|NMR|Nmr)\w*)$/;

/** SafeERC20 helpers → the token functions they call. */
export const SAFE_ERC20: Record<string, string[]> = {
  safeTransfer: ['transfer'],
  trySafeTransfer: ['transfer'],
  safeTransferFrom: ['transferFrom'],
  trySafeTransferFrom: ['transferFrom'],
  forceApprove: ['approve'],
  safeIncreaseAllowance: ['allowance', 'approve'],
  safeDecreaseAllowance: ['allowance', 'approve'],
  tryGetDecimals: ['decimals'],
  transferAndCallRelaxed: ['transferAndCall'],
  transferFromAndCallRelaxed: ['transferFromAndCall'],
  approveAndCallRelaxed: ['approveAndCall'],
};

export function listFiles(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') out.push(...listFiles(p, ext));
    } else if (e.name.endsWith(ext)) out.push(p);
  }
  return out.sort();
}

function stripComments(src: string): string {
  // Keep line breaks so line numbers stay right.
  return src.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, (m) => ' '.repeat(m.length));
}

const lineOf = (src: string, idx: number) => src.slice(0, idx).split('\n').length;

function splitTypes(list: string): string[] {
  const t = list.trim();
  if (!t) return [];
  return t.split(',').map((p) => {
    const words = p.trim().split(/\s+/);
    return words[0]!;
  });
}

/** Interface name → its functions (inherited ones included): `function name(params) ... returns (outs);`. */
export function interfaceDeclarations(sources: Record<string, string>): Map<string, Map<string, Signature>> {
  const out = new Map<string, Map<string, Signature>>();
  const parents = new Map<string, string[]>();
  for (const src of Object.values(sources)) {
    const text = stripComments(src);
    for (const m of text.matchAll(/\binterface\s+(\w+)([^{]*)\{/g)) {
      const is = /\bis\s+([\w\s,]+)/.exec(m[2]!);
      if (is)
        parents.set(
          m[1]!,
          is[1]!
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        );
      let depth = 1;
      let i = m.index + m[0].length;
      const start = i;
      while (i < text.length && depth > 0) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}') depth--;
        i++;
      }
      const body = text.slice(start, i - 1);
      const fns = out.get(m[1]!) ?? new Map<string, Signature>();
      for (const f of body.matchAll(/function\s+(\w+)\s*\(([^)]*)\)([^;{]*)[;{]/g)) {
        const rets = /returns\s*\(([^)]*)\)/.exec(f[3]!);
        fns.set(f[1]!, { name: f[1]!, inputs: splitTypes(f[2]!), outputs: rets ? splitTypes(rets[1]!) : [] });
      }
      out.set(m[1]!, fns);
    }
  }
  const resolved = new Map<string, Map<string, Signature>>();
  const withParents = (name: string, seen: Set<string> = new Set()): Map<string, Signature> => {
    const done = resolved.get(name);
    if (done) return done;
    const all = new Map<string, Signature>();
    seen.add(name);
    for (const p of parents.get(name) ?? []) if (!seen.has(p)) for (const [k, v] of withParents(p, seen)) all.set(k, v);
    for (const [k, v] of out.get(name) ?? []) all.set(k, v);
    resolved.set(name, all);
    return all;
  };
  for (const name of out.keys()) withParents(name);
  return resolved;
}

/** The token calls in Solidity `sources` (file → text); `decls` resolves their signatures. */
export function solidityTokenCalls(sources: Record<string, string>, decls: Map<string, Map<string, Signature>>): TokenCall[] {
  const calls: TokenCall[] = [];
  for (const [file, raw] of Object.entries(sources)) {
    const text = stripComments(raw);
    // Token-typed identifiers: `IERC20 public immutable nmr;`, `IERC20 nmr_`, `INumeraireX token = …`.
    const idents = new Map<string, string>();
    for (const m of text.matchAll(
      /\b(\w+)\s+(?:(?:public|private|internal|external|immutable|constant|memory|calldata|storage)\s+)*(\w+)\s*[;=,)]/g,
    )) {
      if (TOKEN_TYPE.test(m[1]!) && !/^(returns|function|return)$/.test(m[2]!)) idents.set(m[2]!, m[1]!);
    }
    const seen = new Set<number>();
    const push = (idx: number, type: string, member: string, via: string, direct: boolean) => {
      if (seen.has(idx)) return;
      seen.add(idx);
      const fns = direct ? [member] : SAFE_ERC20[member];
      if (!fns) return; // a member that is not a call on the token (e.g. a library we do not map)
      for (const fn of fns) {
        const signature = direct ? decls.get(type)?.get(fn) : decls.get('IERC20')?.get(fn);
        let uncheckedBool: boolean | undefined;
        if (direct && signature?.outputs[0] === 'bool') {
          const before = text.slice(Math.max(0, idx - 12), idx);
          uncheckedBool = !/(!\s*|require\s*\(\s*|=\s*|return\s+|&&\s*|\|\|\s*)$/.test(before);
        }
        calls.push({ file, line: lineOf(text, idx), fn, signature, via, uncheckedBool });
      }
    };
    // Casts: Type(address(x)).fn(  /  Type(x).fn(
    for (const m of text.matchAll(/\b(\w+)\s*\(\s*(?:address\s*\(\s*)?[\w.]+(?:\(\s*\))?\s*\)?\s*\)\s*\.\s*(\w+)\s*\(/g)) {
      if (TOKEN_TYPE.test(m[1]!)) push(m.index, m[1]!, m[2]!, m[0], true);
    }
    // Variables: x.fn(
    for (const m of text.matchAll(/(?<![\w.])(\w+)\s*\.\s*(\w+)\s*\(/g)) {
      const type = idents.get(m[1]!);
      if (!type) continue;
      const member = m[2]!;
      if (member in SAFE_ERC20) push(m.index, type, member, m[0], false);
      else push(m.index, type, member, m[0], true);
    }
  }
  return calls;
}

/** The receiver expression just before `text[idx]` (a `.`): identifiers, dots, balanced parentheses, `new`. */
function receiverBefore(text: string, idx: number): string {
  let i = idx;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  const end = i;
  for (;;) {
    if (i > 0 && text[i - 1] === ')') {
      let depth = 0;
      do {
        i--;
        if (text[i] === ')') depth++;
        else if (text[i] === '(') depth--;
      } while (i > 0 && depth > 0);
      continue;
    }
    if (i > 0 && /[\w.$!?]/.test(text[i - 1]!)) {
      i--;
      continue;
    }
    break;
  }
  const rest = text.slice(Math.max(0, i - 4), i);
  if (/new\s$/.test(rest)) i -= 4;
  return text.slice(i, end).replace(/\s+/g, ' ');
}

const TOKEN_RECEIVER = /token|nmr/i;

/** The token calls in TypeScript `sources`; `abi` is the token ABI the app encodes with. */
export function typescriptTokenCalls(
  sources: Record<string, string>,
  abi: readonly { type: string; name?: string; inputs?: readonly { type: string }[]; outputs?: readonly { type: string }[] }[],
): TokenCall[] {
  const calls: TokenCall[] = [];
  for (const [file, raw] of Object.entries(sources)) {
    const text = stripComments(raw);
    for (const m of text.matchAll(/\.\s*(encodeFunctionData|getFunction|decodeFunctionResult)\s*\(\s*['"](\w+)['"]/g)) {
      const receiver = receiverBefore(text, m.index);
      if (!TOKEN_RECEIVER.test(receiver) || /pool/i.test(receiver.replace(/\(.*\)/, '()'))) continue;
      const fn = m[2]!;
      const f = abi.find((x) => x.type === 'function' && x.name === fn);
      calls.push({
        file,
        line: lineOf(text, m.index),
        fn,
        signature: f ? { name: fn, inputs: (f.inputs ?? []).map((p) => p.type), outputs: (f.outputs ?? []).map((p) => p.type) } : undefined,
        via: `${receiver}.${m[1]}('${fn}')`,
      });
    }
  }
  return calls;
}

export function readSources(root: string, dir: string, ext: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of listFiles(join(root, dir), ext)) {
    const rel = relative(root, f).split('\\').join('/');
    if (!skip(rel)) out[rel] = readFileSync(f, 'utf8');
  }
  return out;
}
