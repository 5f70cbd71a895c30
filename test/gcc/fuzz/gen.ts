/**
 * Random cases: small headers written with the constructs issue 12 lists (attributes on members,
 * records and typedefs, `_Alignas`, `#pragma pack` push/pop, macros, enums with 64-bit and negative
 * values, typedefs over <stdint.h>/<stddef.h> names, arrays near 2^53 and PTRDIFF_MAX,
 * `aligned(1<<k)` past 2^28, UTF-8 names, flexible arrays (in unions too), bitfields, nested and
 * anonymous records), and malformed variants of them. Every name a case declares starts with
 * `c<n>_`, so many cases can share one header (one gcc run per ABI per batch).
 */
import { leaf, renderNodes, Rng, type Case, type Node, type Tag } from './spec.js';

const SCALARS = ['char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int', 'long', 'unsigned long', 'long long', 'unsigned long long', 'float', 'double', 'void *', '_Bool', 'long double', 'const char *', 'unsigned'];
const STDINT = ['uint8_t', 'int8_t', 'uint16_t', 'int16_t', 'uint32_t', 'int32_t', 'uint64_t', 'int64_t', 'uintptr_t', 'intptr_t'];
const BIT_TYPES: [string, number][] = [['unsigned char', 8], ['signed char', 8], ['char', 8], ['unsigned short', 16], ['short', 16], ['unsigned int', 32], ['int', 32], ['unsigned long', 32], ['long', 32], ['unsigned long long', 64], ['long long', 64], ['_Bool', 1]];
const UTF8 = ['é', 'λ', 'ü', 'ß', 'Ж', '名', 'ø'];
/** Shadowing typedefs a header may declare itself, with the types it might give them. */
const SHADOWS: [string, string[]][] = [
  ['uint64_t', ['unsigned long', 'unsigned long long', 'unsigned int']],
  ['int64_t', ['long', 'long long']],
  ['uint32_t', ['unsigned int', 'unsigned long', 'unsigned short']],
  ['size_t', ['unsigned long', 'unsigned int', 'unsigned long long']],
  ['uint8_t', ['unsigned char', 'unsigned short']],
  ['int16_t', ['short', 'int']],
  ['uintptr_t', ['unsigned long', 'unsigned int']],
];

const INT_LITERALS = ['0', '1', '7', '-1', '-128', '255', '0x7f', '-2147483647', '0x7fffffff', '0x80000000', '0xffffffff', '0xffffffffU', '4294967295', '2147483648', '0x7fffffffffffffffLL', '0xffffffffffffffffULL', '18446744073709551615ULL', '9223372036854775807LL', '1000000000000LL', "'a'", "'\\377'", "'\\n'", '0777', '0b1011', '12345u', '-1LL', '100000UL'];

interface Ctx {
  rng: Rng;
  p: string;
  k: number;
  risky: boolean;
  solo: boolean;
  /** Types members may use (scalars plus what the case declared). */
  types: string[];
  /** Macros with small known positive values, usable as array sizes. */
  dims: string[];
  enums: string[];
  records: string[];
}

function name(c: Ctx, what: string, tags: Tag[]): string {
  if (c.rng.chance(0.06)) {
    tags.push('utf8');
    return `${c.p}${c.rng.pick(UTF8)}${c.k++}`;
  }
  return `${c.p}${what}${c.k++}`;
}

function constExpr(c: Ctx, depth = 0): string {
  const r = c.rng;
  if (depth >= 3 || r.chance(0.35)) {
    return r.weighted<() => string>([
      [6, () => r.pick(INT_LITERALS)],
      [2, () => `sizeof(${r.pick(c.types)})`],
      [1, () => `__alignof__(${r.pick(c.types)})`],
      [1, () => `_Alignof(${r.pick(c.types)})`],
      [1, () => (c.dims.length > 0 ? r.pick(c.dims) : '3')],
      [1, () => (c.enums.length > 0 ? r.pick(c.enums) : '2')],
    ])();
  }
  const a = (): string => constExpr(c, depth + 1);
  return r.weighted<() => string>([
    [3, () => `(${a()} ${r.pick(['+', '-', '*', '&', '|', '^', '<', '>=', '==', '!=', '&&', '||'])} ${a()})`],
    [2, () => `(${r.pick(['1ULL', '1LL', '1U', '1', '3ULL', '-1LL'])} << ${r.int(0, 40)})`],
    [1, () => `(${a()} >> ${r.int(0, 31)})`],
    [1, () => `(${a()} ${r.pick(['/', '%'])} ${r.pick(['3', '-7', '2U', '1000LL'])})`],
    [1, () => `${r.pick(['-', '~', '!'])}${a()}`],
    [1, () => `(${a()} ? ${a()} : ${a()})`],
    [1, () => `((${r.pick(['unsigned char', 'short', 'unsigned short', 'int', 'unsigned', 'long', 'unsigned long long', 'signed char'])})${a()})`],
  ])();
}

function attr(c: Ctx, tags: Tag[], forRecord: boolean): string {
  const r = c.rng;
  const parts: string[] = [];
  if (r.chance(0.5)) {
    tags.push('aligned');
    const huge = r.chance(0.015);
    if (huge) {
      tags.push('aligned-huge');
      c.risky = true;
      const k = r.int(26, 32);
      parts.push(`aligned(${r.pick([`1<<${k}`, `1ULL<<${k}`, `${2 ** k}`, `(1UL<<${k})`])})`);
    } else {
      parts.push(r.weighted([[6, `aligned(${r.pick([1, 2, 4, 8, 16, 32, 64])})`], [1, 'aligned'], [1, '__aligned__(sizeof(long))'], [1, `aligned(${c.dims.length > 0 ? `1 << (${r.pick(c.dims)} % 4)` : '8'})`], [1, `aligned(1<<${r.int(0, 12)})`]]));
    }
  }
  if (r.chance(forRecord ? 0.5 : 0.3)) {
    tags.push('packed');
    parts.push(r.pick(['packed', '__packed__']));
  }
  return parts.length > 0 ? ` __attribute__((${parts.join(', ')}))` : '';
}

function dims(c: Ctx, tags: Tag[]): string {
  const r = c.rng;
  if (!r.chance(0.3)) return '';
  const one = (): string =>
    r.weighted<() => string>([
      [6, () => String(r.int(1, 5))],
      [2, () => (c.dims.length > 0 ? r.pick(c.dims) : '2')],
      [1, () => `sizeof(${r.pick(['int', 'long', 'void *', 'short'])})`],
      [1, () => (c.enums.length > 0 ? `(${r.pick(c.enums)} & 3) + 1` : '1')],
      // Constant folding gcc distinguishes: signed overflow and undefined shifts make a length
      // variably modified (rejected on most ABIs); unchosen operands, casts, unsigned wrap do not.
      [1, () => {
        tags.push('const-fold');
        c.risky = true;
        const n = r.int(0, 3);
        return r.pick([
          `((0x7fffffff + ${n + 1}) & 3) + 1`,
          `((1 << ${r.int(29, 31)}) & 3) + 1`,
          `(((-0x7fffffff - 1) ${r.pick(['/', '%'])} -1) & 3) + 1`,
          `(1 ? ${n + 1} : (0x7fffffff + 1))`,
          `(0 && (0x7fffffff + 1)) + ${n + 1}`,
          `((0xffffffffu + ${n + 1}) & 3) + 1`,
          `((int)0x10000000${n}LL & 3) + 1`,
          `(char)${r.int(120, 250)} > 0 ? 1 : 2`,
          `((-${n + 1}) >> 1 & 3) + 1`,
          `((0x7fffffffffffffffLL + ${n + 1}) & 3) + 1`,
        ]);
      }],
      [1, () => {
        tags.push('zero-array');
        return '0';
      }],
    ])();
  return `[${one()}]${r.chance(0.2) ? `[${one()}]` : ''}`;
}

/** A member, or a few when it is a nested record. */
function member(c: Ctx, depth: number): Node {
  const r = c.rng;
  const tags: Tag[] = [];
  const kind = r.weighted<string>([
    [90, 'scalar'],
    [45, 'bitfield'],
    [depth < 2 ? 27 : 0, 'nested'],
    [18, 'alignas'],
    [1, 'big'],
    [1, 'int128'],
    [9, 'complex'],
  ]);
  if (kind === 'bitfield') {
    tags.push('bitfield');
    const en = c.types.find((t) => t.startsWith('enum '));
    const onEnum = en !== undefined && r.chance(0.1);
    // An enum's width depends on its values and attributes: judged alone.
    if (onEnum) c.risky = true;
    const [t, bits] = onEnum ? [en, 32] : r.pick(BIT_TYPES);
    let w = r.int(0, bits);
    let width = String(w);
    if (r.chance(0.02)) {
      c.risky = true;
      w = bits + r.int(1, 4);
      width = String(w);
    } else if (bits === 32 && t.includes('long') && r.chance(0.3)) width = r.pick(['sizeof(long) * 8', 'sizeof(void *) * 4', '(sizeof(long) == 8 ? 40 : 20)']);
    const unnamed = w === 0 || r.chance(0.1);
    return leaf(unnamed ? `${t} : ${width};` : `${t} ${name(c, 'b', tags)} : ${width};`, tags);
  }
  if (kind === 'nested') {
    tags.push('nested');
    const anonymous = r.chance(0.5);
    if (anonymous) tags.push('anonymous');
    const inner = record(c, depth + 1, r.chance(0.4) ? 'union' : 'struct', tags, !anonymous && r.chance(0.3));
    const n = anonymous ? '' : ` ${name(c, 'n', tags)}${r.chance(0.2) ? `[${r.int(1, 3)}]` : ''}`;
    const nested: Node = { ...inner, tags, tail: `${inner.tail!.replace(/;$/, '')}${n};` };
    if (inner.plainTail !== undefined) nested.plainTail = `}${n};`;
    return nested;
  }
  const plainName = name(c, 'f', tags);
  const plain = `int ${plainName};`;
  if (kind === 'alignas') {
    tags.push('alignas');
    // _Alignas may not lower a member's alignment (an error): small values only now and then.
    const small = r.chance(0.15);
    if (small) c.risky = true;
    const a = small ? r.pick(['1', '2', '4', r.pick(c.types)]) : r.weighted([[5, String(r.pick([8, 16, 32]))], [1, '0'], [1, c.dims.length > 0 ? `1 << ${r.pick(c.dims)}` : '16']]);
    return leaf(`_Alignas(${a}) ${r.pick(c.types)} ${plainName}${dims(c, tags)};`, tags, plain);
  }
  if (kind === 'big') {
    tags.push('big');
    c.risky = true;
    const size = r.pick(['(1ULL<<53)+1', '(1ULL<<53)', '(1ULL<<53)-1', '1ULL<<62', '0x7fffffffffffffffULL', '0x7fffffff', '0x80000000U', '(1ULL<<52)', '9007199254740993ULL', '(1ULL<<50)']);
    const t = r.pick(['char', 'short', 'int', 'long', 'long long']);
    return leaf(`${t} ${plainName}[${size}];`, tags, plain);
  }
  if (kind === 'int128') {
    tags.push('int128');
    c.risky = true;
    return leaf(`${r.pick(['__int128', 'unsigned __int128', '__int128_t', '__uint128_t'])} ${plainName}${attr(c, tags, false)};`, tags, plain);
  }
  if (kind === 'complex') {
    tags.push('complex');
    return leaf(`${r.pick(['float', 'double', 'long double'])} ${r.pick(['_Complex', '__complex__'])} ${plainName};`, tags, plain);
  }
  const t = r.pick(c.types);
  return leaf(`${t} ${plainName}${dims(c, tags)}${attr(c, tags, false)};`, tags, plain);
}

/** A struct or union block; named when `tagged` (then usable later as a type). */
function record(c: Ctx, depth: number, tag: 'struct' | 'union', tags: Tag[], tagged: boolean): Node {
  const r = c.rng;
  const items: Node[] = [];
  const count = r.int(1, depth === 0 ? 6 : 3);
  for (let i = 0; i < count; i++) items.push(member(c, depth));
  // A named member so the record is valid whatever the minimiser removes around it.
  items.push(leaf(`${r.pick(['int', 'char', 'long'])} ${name(c, 'm', [])};`));
  if (r.chance(tag === 'union' ? 0.04 : 0.15)) {
    const ft: Tag[] = ['flex'];
    if (tag === 'union') {
      ft.push('flex-union');
      c.risky = true;
    }
    items.push(leaf(`${r.pick(['char', 'int', 'long', ...c.types])} ${name(c, 'x', ft)}[${r.chance(0.2) ? '0' : ''}];`, ft));
  }
  const before = depth === 0 && r.chance(0.15) ? attr(c, tags, true) : '';
  const after = r.chance(0.3) ? attr(c, tags, true) : '';
  const n = tagged ? ` ${name(c, 'r', tags)}` : '';
  if (tagged) c.records.push(`${tag}${n}`);
  const node: Node = { tags, head: `${tag}${before}${n} {`, items, tail: `}${after};`, keepOne: true };
  if (before || after) Object.assign(node, { plainHead: `${tag}${n} {`, plainTail: '};', plainTags: tags.filter((t) => !['aligned', 'aligned-huge', 'packed'].includes(t)) });
  return node;
}

function enumDecl(c: Ctx): Node {
  const r = c.rng;
  const tags: Tag[] = [];
  const lines: string[] = [];
  const count = r.int(1, 4);
  for (let i = 0; i < count; i++) {
    const e = `${c.p}E${c.k++}`;
    const v = r.weighted<string | null>([
      [3, null],
      [3, String(r.int(-5, 300))],
      [2, r.pick(['-1', '-2147483648', '-9223372036854775807LL', '-(1LL<<40)'])],
      [2, r.pick(['0xffffffff', '0x100000000ULL', '1ULL<<40', '0x7fffffffffffffffLL', '0xffffffffffffffffULL', '1ULL<<63'])],
      [1, c.enums.length > 0 ? `${r.pick(c.enums)} + 1` : '4'],
    ]);
    if (v !== null && /^-/.test(v)) tags.push('enum-negative');
    if (v !== null && /ULL|LL|0x[0-9a-f]{9,}/.test(v)) tags.push('enum64');
    lines.push(v === null ? `${e},` : `${e} = ${v},`);
    c.enums.push(e);
  }
  const en = `${c.p}e${c.k++}`;
  const packed = r.chance(0.2) ? ' __attribute__((packed))' : '';
  c.types.push(`enum ${en}`);
  // gcc rejects some mixes (a negative value with one above LLONG_MAX, an overflowing successor).
  if (tags.includes('enum64') && tags.includes('enum-negative')) c.risky = true;
  if (lines.some((l) => /(0xffffffffffffffffULL|1ULL<<63|0x7fffffffffffffffLL),$/.test(l)) && r.chance(0.5)) {
    lines.push(`${c.p}E${c.k++},`);
    c.risky = true;
  }
  return { tags, head: `enum ${en} {`, items: lines.map((l) => leaf(l)), tail: `}${packed};`, keepOne: true };
}

export function makeCase(seed: number, n: number): Case {
  const rng = new Rng((seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0);
  const c: Ctx = { rng, p: `c${n}_`, k: 0, risky: false, solo: false, types: [...SCALARS], dims: [], enums: [], records: [] };
  const nodes: Node[] = [];
  if (rng.chance(0.12)) {
    // Typedefs over names <stdint.h>/<stddef.h> declare: what the header says is what gcc uses.
    c.solo = true;
    const include = rng.chance(0.3);
    if (include) nodes.push(leaf('#include <stdint.h>\n#include <stddef.h>', ['shadow']));
    for (const [n2, ts] of SHADOWS) {
      if (!rng.chance(0.5)) continue;
      // Plain form: the same name from the built-in headers, so the minimiser keeps a shadowing
      // typedef only where the finding needs it.
      nodes.push(leaf(`typedef ${rng.pick(ts)} ${n2};`, ['shadow'], '#include <stdint.h>\n#include <stddef.h>'));
      c.types.push(n2, n2, n2);
    }
    if (include) c.types.push(...STDINT);
  } else if (rng.chance(0.15)) {
    nodes.push(leaf('#include <stdint.h>\n#include <stddef.h>'));
    c.types.push(...STDINT, 'size_t', 'ptrdiff_t');
  }
  if (rng.chance(0.4)) {
    for (let i = rng.int(1, 3); i > 0; i--) {
      const d = `${c.p}N${c.k++}`;
      nodes.push(leaf(`#define ${d} ${rng.pick(['2', '3', '(1 + 2)', '(sizeof(int) / 2)', '0x4', '5u'])}`, ['macro']));
      c.dims.push(d);
    }
    if (rng.chance(0.5)) {
      const f = `${c.p}F${c.k++}`;
      nodes.push(leaf(`#define ${f}(a, b) ((a) * (b) + 1)`, ['macro']));
      c.dims.push(`${f}(2, ${rng.int(0, 3)})`);
    }
  }
  if (rng.chance(0.35)) nodes.push(enumDecl(c));
  if (rng.chance(0.4)) {
    for (let i = rng.int(1, 3); i > 0; i--) nodes.push(leaf(`#define ${c.p}M${c.k++} ${constExpr(c)}`, ['macro']));
  }
  if (rng.chance(0.3)) {
    const tags: Tag[] = [];
    const t = `${c.p}t${c.k++}`;
    const a = attr(c, tags, false);
    if (a) tags.push('typedef-attr');
    nodes.push(leaf(`typedef ${rng.pick(SCALARS.slice(0, 12))} ${t}${a};`, tags));
    c.types.push(t);
  }
  for (let i = rng.int(1, 3); i > 0; i--) {
    const tags: Tag[] = [];
    const rec = record(c, 0, rng.chance(0.25) ? 'union' : 'struct', tags, true);
    let node: Node = rec;
    if (rng.chance(0.1)) {
      // A typedef of the record, with attributes of its own.
      const td = `${c.p}T${c.k++}`;
      const a = attr(c, tags, true);
      if (a) tags.push('typedef-attr');
      node = { ...rec, head: `typedef ${rec.head!}`, tail: `${rec.tail!.replace(/;$/, '')} ${td}${a};` };
      if (rec.plainTail !== undefined || a) {
        Object.assign(node, { plainHead: `typedef ${rec.plainHead ?? rec.head!}`, plainTail: `} ${td};`, plainTags: tags.filter((t) => !['aligned', 'aligned-huge', 'packed', 'typedef-attr'].includes(t)) });
      }
    }
    if (rng.chance(0.15)) {
      const pack = rng.pick([1, 2, 4, 8, 16]);
      const [open, close] = rng.pick<[string, string]>([[`#pragma pack(push, ${pack})`, '#pragma pack(pop)'], [`#pragma pack(${pack})`, '#pragma pack()'], [`#pragma pack(push)\n#pragma pack(${pack})`, '#pragma pack(pop)']]);
      node = { tags: ['pragma-pack'], head: open, items: [node], tail: close, keepOne: true };
    }
    nodes.push(node);
    if (c.records.length > 0 && rng.chance(0.5)) c.types.push(c.records[c.records.length - 1]!);
  }
  return { n, seed, nodes, solo: c.solo, risky: c.risky };
}

const BAD_DIRECTIVES = ['#if', '#endif', '#else', '#elif 1', '#if 1', '#define', '#define 3x 1', '#define X(', '#define Y(a,a) a', '#line -5', '#line 0x10', '#include <no/such/header.h>', '#include', '#error fuzz', '#pragma pack(push, 3)', '#pragma pack(pop)', '#undef', '#ifdef', '#bogus', '#if 1 +', '#if (1', '#if 1/0', '/* unterminated', '"unterminated', '@', '`', '\\', "'ab"];

/** A malformed variant of a valid case: truncated, a `;` or brace dropped, a bad directive or token. */
export function malform(c: Case, seed: number): Case {
  const rng = new Rng((seed ^ Math.imul(c.n + 7, 0x85ebca6b)) >>> 0);
  const text = renderNodes(c.nodes);
  const how = rng.weighted<string>([[3, 'truncate'], [3, 'drop-semicolon'], [2, 'drop-brace'], [3, 'directive'], [1, 'duplicate-member'], [1, 'unknown-type'], [1, 'tag-kind']]);
  const lines = text.split('\n');
  const positions = (re: RegExp): number[] => [...text.matchAll(re)].map((m) => m.index!);
  let out = text;
  let said = how;
  if (how === 'truncate') {
    const at = rng.int(1, Math.max(1, text.length - 1));
    out = text.slice(0, at);
    said = `truncated at byte ${at}`;
  } else if (how === 'drop-semicolon' || how === 'drop-brace') {
    const ps = positions(how === 'drop-semicolon' ? /;/g : /[{}]/g);
    if (ps.length > 0) {
      const at = rng.pick(ps);
      out = text.slice(0, at) + text.slice(at + 1);
      said = `${text[at]} at byte ${at} dropped`;
    }
  } else if (how === 'directive') {
    const at = rng.int(0, lines.length);
    const d = rng.pick(BAD_DIRECTIVES);
    lines.splice(at, 0, d);
    out = lines.join('\n');
    said = `'${d}' inserted at line ${at + 1}`;
  } else if (how === 'duplicate-member') {
    const m = /^(\s+)(int|char|long) (c\d+_\S+);$/m.exec(text);
    if (m) out = text.replace(m[0], `${m[0]}\n${m[1]}short ${m[3]};`);
  } else if (how === 'tag-kind') {
    // A tag reused as another kind (one name space for struct, union and enum tags) or defined twice.
    const m = /^(struct|union|enum) (c\d+_\S+) \{/m.exec(text);
    if (m) {
      const other = rng.pick(['struct', 'union', 'enum'].filter((k) => k !== m[1]));
      out = `${text}\n${rng.chance(0.5) ? `${other} ${m[2]} *${m[2]}_p;` : m[1] === 'enum' ? `enum ${m[2]} { ${m[2]}_X };` : `${m[1]} ${m[2]} { int ${m[2]}_x; };`}`;
      said = `tag ${m[2]} reused`;
    }
  } else {
    const m = /^(\s+)(int|char|long) (c\d+_\S+);$/m.exec(text);
    if (m) out = text.replace(m[0], `${m[1]}no_such_type_t ${m[3]};`);
  }
  return { ...c, solo: true, risky: true, malformed: { how: said, text: `${out}\n` } };
}
