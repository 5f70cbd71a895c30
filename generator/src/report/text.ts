/** pahole-style text view of a laid-out module, with the VFIO capability-alignment warning. */
import type { TypeRef } from '../ir/types.js';
import { CAP_ALIGN_CODE, type FieldLayout, type LaidOutModule, type PaholeHoles, type RecordLayout } from '../layout/index.js';
import type { SourceFile } from '../preprocess/index.js';
import { headerRecords, untaggedRecord } from '../ir/queries.js';
import { spellType } from '../ir/spell.js';

/** What the columns mean; printed under the title so the output explains itself. */
const LEGEND = [
  '/* Columns as pahole prints them: "offset size" in bytes; for a bitfield "offset:bit size", where',
  ' * offset and size are the storage unit of its declared type and bit counts in allocation order',
  ' * inside it (from the least significant bit on little-endian, the most significant on big-endian).',
  ' * Holes and padding are counted as pahole counts them: bit holes apart from byte holes, and an',
  ' * unnamed bitfield is padding (shown as a comment inside the hole it belongs to), not a member. */',
];

/**
 * `files`: the sources the preprocessor read (PreprocessResult.files), for declarations the IR
 * does not spell (function-pointer members); without them those are printed as `(*name)()`.
 */
export function layoutText(laid: LaidOutModule, files: readonly SourceFile[] = []): string {
  const sources = new Map(files.map((f) => [f.path, f.text]));
  const lines: string[] = [`/* ${laid.ir.header} on ${laid.abi.name} (${laid.abi.endian}-endian) */`, ...LEGEND, ''];
  for (const r of headerRecords(laid.ir)) {
    const l = laid.records.get(r.id)!;
    if (l.unsupported) {
      lines.push(`/* ${r.tag} ${r.name}: UNSUPPORTED: ${l.unsupported} */`, '');
      continue;
    }
    lines.push(`${r.tag} ${r.name} {`);
    const s = body(l, 0, 1, laid, lines, sources);
    const members = l.fields.filter((f) => !unnamedBitfield(f));
    lines.push(`\t/* size: ${l.size}, align: ${l.align}, members: ${members.length} */`);
    if (s.holes > 0) lines.push(`\t/* sum members: ${s.sumMembers}, holes: ${s.holes}, sum holes: ${s.sumHoles} */`);
    if (s.bitHoles > 0) lines.push(`\t/* sum bitfield members: ${s.sumBits} bits, bit holes: ${s.bitHoles}, sum bit holes: ${s.sumBitHoles} bits */`);
    if (s.padding > 0) lines.push(`\t/* padding: ${s.padding} */`);
    if (s.bitPadding > 0) lines.push(`\t/* bit_padding: ${s.bitPadding} bits */`);
    lines.push('};', '');
  }
  // The layout stage's cap_offset alignment warnings, under the records they are about.
  for (const d of laid.diagnostics) if (d.code === CAP_ALIGN_CODE) lines.push(`warning: ${d.message}`);
  if (laid.constants.length > 0) {
    lines.push('', `/* constants (${laid.constants.length}) */`);
    for (const c of laid.constants) lines.push(`#define ${c.name.padEnd(48)} ${c.value}`);
  }
  return lines.join('\n') + '\n';
}

function unnamedBitfield(f: FieldLayout): boolean {
  return f.name === null && f.bitWidth !== undefined;
}

function holeLines(ind: string, hole: { bytes: number; bits: number }): string[] {
  const out: string[] = [];
  if (hole.bits !== 0) out.push(`${ind}/* XXX ${hole.bits} bit${hole.bits === 1 ? '' : 's'} hole, try to pack */`);
  if (hole.bytes !== 0) out.push(`${ind}/* XXX ${hole.bytes} byte${hole.bytes === 1 ? '' : 's'} hole, try to pack */`);
  return out;
}

/** Print a record's members at `base` (byte offset of the record in the top-level one). */
function body(l: RecordLayout, base: number, depth: number, laid: LaidOutModule, lines: string[], sources: ReadonlyMap<string, string>): PaholeHoles {
  const ind = '\t'.repeat(depth);
  const h = l.pahole;
  let pending: string[] = []; // unnamed bitfields since the last member: printed inside the hole
  let i = 0;
  for (const f of l.fields) {
    if (unnamedBitfield(f)) {
      pending.push(`${ind}${column(`/* ${declaration(f, laid)} unnamed: padding */`, ind)}/* ${pos(f, base)} */`);
      continue;
    }
    lines.push(...holeLines(ind, h.before[i]!), ...pending);
    pending = [];
    i++;
    const inner = expandable(f, laid);
    if (inner) {
      const off = base + f.bitOffset / 8;
      const r = laid.ir.records[inner.id]!;
      lines.push(`${ind}${r.tag} {`);
      body(inner, off, depth + 1, laid, lines, sources);
      const close = f.name === null ? '};' : `} ${declarator(f.name, f.type, laid).slice(r.tag.length + 1)};`;
      lines.push(`${ind}${column(close, ind)}/* ${pos(f, base)} */`);
      continue;
    }
    lines.push(`${ind}${column(member(f, laid, sources), ind)}/* ${pos(f, base)} */`);
  }
  lines.push(...pending);
  return h;
}

/** The record to print in place: anonymous members and named members of an untagged struct/union type (or array of one). */
function expandable(f: FieldLayout, laid: LaidOutModule): RecordLayout | undefined {
  if (f.nested) return f.nested;
  if (f.bitWidth !== undefined) return undefined;
  const rec = untaggedRecord(f.type, laid.ir);
  return rec === undefined ? undefined : laid.records.get(rec);
}

function column(text: string, ind: string): string {
  return text + ' '.repeat(Math.max(1, 48 - text.length - ind.length * 8));
}

function member(f: FieldLayout, laid: LaidOutModule, sources: ReadonlyMap<string, string>): string {
  const decl = hasFunction(f.type) ? functionDeclarator(f, sources) : declarator(f.name ?? '', f.type, laid);
  return f.bitWidth !== undefined ? `${decl}:${f.bitWidth};` : `${decl};`;
}

function declaration(f: FieldLayout, laid: LaidOutModule): string {
  return `${spellType(f.type, laid.ir)} :${f.bitWidth};`;
}

/** `T name`, `T name[2][3]` (array dimensions after the name, as C writes them). */
function declarator(name: string, type: TypeRef, laid: LaidOutModule): string {
  const t = spellType(type, laid.ir);
  const m = /^(.*?)((\[[^\]]*\])+)$/.exec(t);
  return m ? `${m[1]} ${name}${m[2]}` : `${t} ${name}`;
}

function hasFunction(t: TypeRef): boolean {
  if (t.kind === 'function') return true;
  if (t.kind === 'pointer') return hasFunction(t.to);
  if (t.kind === 'array') return hasFunction(t.of);
  return false;
}

/**
 * A member whose declarator involves a function type (`void (*cb)(int)`): the IR keeps no
 * parameter or return types, so the declaration is taken from the source, where the member's
 * location points at its declarator. Falls back to a spelling that says what is not known.
 */
function functionDeclarator(f: FieldLayout, sources: ReadonlyMap<string, string>): string {
  const name = f.name ?? '';
  try {
    const text0 = sources.get(f.field.loc.file);
    if (text0 === undefined) return `/* function */ (*${name})()`;
    const src = text0.split('\n');
    const text = src.join('\n');
    let at = 0;
    for (let l = 1; l < f.field.loc.line; l++) at += src[l - 1]!.length + 1;
    at += f.field.loc.col - 1;
    // The declarator: up to the ';' or ',' that ends it at parenthesis depth 0.
    let depth = 0;
    let end = at;
    for (; end < text.length; end++) {
      const c = text[end]!;
      if (c === '(' || c === '[') depth++;
      else if (c === ')' || c === ']') depth--;
      else if ((c === ';' || c === ',' || c === ':') && depth === 0) break;
    }
    const decl = squash(text.slice(at, end));
    // The specifiers: back to the '{' or ';' before the declaration, less any earlier declarators.
    let start = at;
    while (start > 0 && !'{;}'.includes(text[start - 1]!)) start--;
    let spec = squash(text.slice(start, at));
    // `T (*a)(int), (*b)(long)`: the specifiers are what comes before the first declarator.
    if (spec.endsWith(',')) spec = squash(spec.slice(0, spec.search(/[(*]/)));
    if (decl.includes(name) && spec !== '') return `${spec} ${decl}`;
  } catch {
    // fall through
  }
  return `/* function */ (*${name})()`;
}

function squash(s: string): string {
  return s
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/^[ \t]*#.*$/gm, ' ') // preprocessor lines between the '{' and the member
    .replace(/\s+/g, ' ')
    .trim();
}

/** pahole's columns: "offset size", or "unit:bit size" for a bitfield (offsets from the top-level record). */
function pos(f: FieldLayout, base: number): string {
  if (f.bitWidth !== undefined) {
    return `${String(base + f.unitOffset!).padStart(5)}:${String(f.unitBitOffset!).padStart(2)} ${String(f.size).padStart(2)}`;
  }
  return `${String(base + f.bitOffset / 8).padStart(5)} ${String(f.size).padStart(5)}`;
}
