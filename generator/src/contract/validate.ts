/**
 * Checking JSON input against a contract schema: each problem as its JSON Pointer path inside the
 * document and what was expected there (`/records/3/fields/0/offset: expected integer >= 0, got "abc"`).
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export interface Problem {
  /** JSON Pointer into the document ("" for the document itself). */
  path: string;
  message: string;
}

/** At most this many problems are listed per document; the rest are counted as "more". */
export const MAX_PROBLEMS = 5;

/** Problems of `value` against `schema`, one per path, the first `limit` of them (empty: valid). */
export function schemaProblems(schema: TSchema, value: unknown, prefix = '', limit = MAX_PROBLEMS + 1): Problem[] {
  if (Value.Check(schema, value)) return [];
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, value)) {
    if (seen.has(e.path)) continue;
    seen.add(e.path);
    const missing = e.value === undefined;
    out.push({ path: prefix + e.path, message: missing ? `missing (expected ${expected(e.schema)})` : `expected ${expected(e.schema)}, got ${shown(e.value)}` });
    if (out.length >= limit) break;
  }
  return out;
}

/** What a schema accepts, in a few words: `integer >= 0`, `"struct" or "union"`, `decimal string`. */
export function expected(s: TSchema): string {
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.anyOf)) return (s.anyOf as TSchema[]).map(expected).join(' or ');
  switch (s[Kind] ?? s.type) {
    case 'Integer':
    case 'integer': {
      const lo = typeof s.minimum === 'number' ? ` >= ${s.minimum}` : '';
      const max = s.maximum as unknown;
      const hi = typeof max !== 'number' ? '' : max === Number.MAX_SAFE_INTEGER ? ' < 2^53' : ` <= ${max}`;
      return `integer${lo}${lo && hi ? ' and' : ''}${hi}`;
    }
    case 'String':
    case 'string':
      return typeof s.pattern === 'string' ? (s.pattern === '^-?[0-9]+$' ? 'decimal integer string' : `string matching /${s.pattern}/`) : 'string';
    case 'Object':
    case 'object':
      return 'object';
    case 'Record':
      return 'object';
    case 'Array':
    case 'array':
      return typeof s.minItems === 'number' && s.minItems > 0 ? `array of at least ${s.minItems}` : 'array';
    case 'Tuple':
      return `array of ${String(s.minItems)}`;
    case 'Boolean':
    case 'boolean':
      return 'boolean';
    case 'Null':
    case 'null':
      return 'null';
    default:
      return typeof s.type === 'string' ? s.type : 'a valid value';
  }
}

/** A JSON value as the error shows it: short, one line. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Problems as lines `<prefix><path>: <message>`, with a last line for those not listed. */
export function problemLines(problems: readonly Problem[], prefix: string, limit = MAX_PROBLEMS): string[] {
  const lines = problems.slice(0, limit).map((p) => `${prefix}${p.path || '/'}: ${p.message}`);
  if (problems.length > limit) lines.push(`${prefix}... and more problems`);
  return lines;
}
