import fc, { type Arbitrary } from 'fast-check';
import { z } from 'zod';

/**
 * Inputs derived from a call's own zod schema, for the generated contract test: `valid(schema)`
 * draws values the schema's shape accepts (through its JSON Schema, `z.toJSONSchema`, so every
 * object, enum, bound, pattern and union of the contract is followed; refinements the JSON Schema
 * cannot say may still refuse some, which is a refusal the test checks like any other), and
 * `mutated(schema)` draws near misses: one value turned into a wrong type, an unknown key added, a
 * string made huge, a number pushed to an extreme, deep nesting.
 */
type Json = { [k: string]: unknown };

const HUGE = 'x'.repeat(200_000);
const EXTREMES = [Number.MAX_SAFE_INTEGER, -1, -0, 2 ** 53 + 2, 1e308, -1e308, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32];
const WRONG_TYPES: unknown[] = [null, true, 0, -1, '', 'x', [], {}, [null], { a: 1 }];

function deepNest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

function fromJsonSchema(s: Json, depth = 0): Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) {
    const options = (s.oneOf ?? s.anyOf) as Json[];
    return fc.oneof(...options.map((o) => fromJsonSchema(o, depth + 1)));
  }
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const type = s.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t) => fromJsonSchema({ ...s, type: t }, depth + 1)));
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = typeof s.minimum === 'number' ? s.minimum : -(2 ** 31);
      const max = typeof s.maximum === 'number' ? s.maximum : 2 ** 31;
      return fc.oneof(fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31) }), fc.constantFrom(min, max));
    }
    case 'number': {
      const min = typeof s.minimum === 'number' ? s.minimum : -1e12;
      const max = typeof s.maximum === 'number' ? s.maximum : 1e12;
      return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(min, max));
    }
    case 'string': {
      const maxLength = typeof s.maxLength === 'number' ? Math.min(s.maxLength, 300) : 120;
      const minLength = typeof s.minLength === 'number' ? s.minLength : 0;
      if (typeof s.pattern === 'string') {
        return fc
          .stringMatching(new RegExp(s.pattern))
          .filter((x) => x.length >= minLength && x.length <= (typeof s.maxLength === 'number' ? s.maxLength : Infinity));
      }
      return fc.string({ minLength, maxLength: Math.max(minLength, maxLength), unit: 'grapheme' });
    }
    case 'array': {
      const items = (s.items ?? {}) as Json;
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof s.maxItems === 'number' ? s.maxItems : 5, 6));
      return fc.array(fromJsonSchema(items, depth + 1), { minLength, maxLength });
    }
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Json>;
      const required = new Set((s.required ?? []) as string[]);
      const record: Record<string, Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) record[k] = fromJsonSchema(v, depth + 1);
      return fc.record(record, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default:
      // Unrepresentable in JSON Schema (a transform): anything JSON can carry.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values of the schema's input shape. */
export function valid(schema: z.ZodType): Arbitrary<unknown> {
  return fromJsonSchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
}

/** Paths to every value inside `v` (objects and arrays), the root included. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (at.length > 6) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: unknown = Array.isArray(root) ? [...(root as unknown[])] : { ...(root as Record<string, unknown>) };
  const [head, ...rest] = path;
  (copy as Record<string | number, unknown>)[head!] = setAt((root as Record<string | number, unknown>)[head!], rest, value);
  return copy;
}

type Mutation = (value: unknown, path: (string | number)[], pick: number) => unknown;
const MUTATIONS: Mutation[] = [
  (v, p, i) => setAt(v, p, WRONG_TYPES[i % WRONG_TYPES.length]),
  (v, p, i) => setAt(v, p, EXTREMES[i % EXTREMES.length]),
  (v, p) => setAt(v, p, HUGE),
  (v, p) => setAt(v, p, deepNest(3000)),
  (v, p, i) => {
    const target = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], v);
    if (!target || typeof target !== 'object' || Array.isArray(target)) return setAt(v, p, { [`unknown${i}`]: 1 });
    return setAt(v, p, { ...target, [i % 2 ? `x${'k'.repeat(5000)}` : '__proto__']: { polluted: true } });
  },
  (v, p) => setAt(v, p, undefined),
  (v, p, i) =>
    setAt(
      v,
      p,
      Array.from({ length: 10_000 + (i % 1000) }, () => 1),
    ),
];

/** Near misses of the schema's shape (most are refused by the schema; the test sends only those). */
export function mutated(schema: z.ZodType): Arbitrary<unknown> {
  return fc.tuple(valid(schema), fc.nat(), fc.nat(), fc.nat({ max: MUTATIONS.length - 1 })).map(([v, p, i, m]) => {
    const all = paths(v);
    return MUTATIONS[m]!(v, all[p % all.length]!, i);
  });
}
