/** pahole-style text view of a laid-out module, with the VFIO capability-alignment warning. */
import type { FieldLayout, LaidOutModule, RecordLayout } from '../layout/index.js';
import { headerRecords, spellType } from './json.js';

export interface CapAlignWarning {
  record: string;
  size: number;
  abi: string;
}

/**
 * Structs with a `cap_offset` member whose size is not a multiple of 8: a capability chain placed
 * right after them starts misaligned (the bug kernel 6.6's `pad` fields fixed).
 */
export function capAlignWarnings(laid: LaidOutModule): CapAlignWarning[] {
  const out: CapAlignWarning[] = [];
  for (const r of headerRecords(laid.ir)) {
    const l = laid.records.get(r.id)!;
    if (l.unsupported || l.size % 8 === 0) continue;
    if (hasMember(l, 'cap_offset')) out.push({ record: `${r.tag} ${r.name}`, size: l.size, abi: laid.abi.name });
  }
  return out;
}

function hasMember(l: RecordLayout, name: string): boolean {
  return l.fields.some((f) => f.name === name || (f.nested !== undefined && hasMember(f.nested, name)));
}

export function formatCapAlignWarning(w: CapAlignWarning): string {
  return `warning: ${w.record} has cap_offset but its size ${w.size} is not a multiple of 8 on ${w.abi}: a capability chain right after it starts misaligned (kernel 6.6 added a __u32 pad for this)`;
}

/** What the columns mean; printed under the title so the output explains itself. */
const LEGEND = [
  '/* Columns as pahole prints them: "offset size" in bytes; for a bitfield "offset:bit size", where',
  ' * offset and size are the storage unit of its declared type and bit counts in allocation order',
  ' * inside it (from the least significant bit on little-endian, the most significant on big-endian). */',
];

export function layoutText(laid: LaidOutModule): string {
  const lines: string[] = [`/* ${laid.ir.header} on ${laid.abi.name} (${laid.abi.endian}-endian) */`, ...LEGEND, ''];
  for (const r of headerRecords(laid.ir)) {
    const l = laid.records.get(r.id)!;
    if (l.unsupported) {
      lines.push(`/* ${r.tag} ${r.name}: UNSUPPORTED: ${l.unsupported} */`, '');
      continue;
    }
    lines.push(`${r.tag} ${r.name} {`);
    body(l, 0, 1, laid, lines);
    const holes = l.gaps.filter((g) => g.kind === 'hole');
    const tail = l.gaps.find((g) => g.kind === 'tail');
    lines.push(`\t/* size: ${l.size}, align: ${l.align}, members: ${l.fields.length}${holes.length ? `, holes: ${holes.length}, sum holes: ${holes.reduce((a, g) => a + g.size, 0)}` : ''} */`);
    if (tail) lines.push(`\t/* padding: ${tail.size} */`);
    lines.push('};', '');
  }
  const warnings = capAlignWarnings(laid);
  for (const w of warnings) lines.push(formatCapAlignWarning(w));
  if (laid.constants.length > 0) {
    lines.push('', `/* constants (${laid.constants.length}) */`);
    for (const c of laid.constants) lines.push(`#define ${c.name.padEnd(48)} ${c.value}`);
  }
  return lines.join('\n') + '\n';
}

function body(l: RecordLayout, base: number, depth: number, laid: LaidOutModule, lines: string[]): void {
  const ind = '\t'.repeat(depth);
  const gapsAt = new Map(l.gaps.filter((g) => g.kind === 'hole').map((g) => [g.offset, g]));
  for (const f of l.fields) {
    const gap = [...gapsAt.values()].find((g) => g.offset * 8 < f.bitOffset && (g.offset + g.size) * 8 >= f.bitOffset);
    if (gap) {
      lines.push(`${ind}/* XXX ${gap.bits !== undefined ? `${gap.bits} bits` : `${gap.size} bytes`} hole, try to pack */`);
      gapsAt.delete(gap.offset);
    }
    if (f.nested) {
      const off = base + f.bitOffset / 8;
      lines.push(`${ind}${spellType(f.type, laid.ir)} {${' '.repeat(Math.max(1, 40 - ind.length * 8))}/* ${pos(f, base)} */`);
      body(f.nested, off, depth + 1, laid, lines);
      lines.push(`${ind}};`);
      continue;
    }
    lines.push(`${ind}${member(f, laid)}${' '.repeat(Math.max(1, 48 - member(f, laid).length - ind.length * 8))}/* ${pos(f, base)} */`);
  }
}

function member(f: FieldLayout, laid: LaidOutModule): string {
  const t = spellType(f.type, laid.ir);
  const m = /^(.*?)((\[[^\]]*\])+)$/.exec(t);
  const name = f.name ?? '';
  const decl = m ? `${m[1]} ${name}${m[2]}` : `${t} ${name}`;
  return f.bitWidth !== undefined ? `${decl}:${f.bitWidth};` : `${decl};`;
}

/**
 * pahole's columns: "offset size", or "unit:bit size" for a bitfield: the storage unit of its
 * declared type (as in the layout JSON), not the byte holding its first bit, so that the bit
 * number counts from where the offset points. Offsets are from the top-level record.
 */
function pos(f: FieldLayout, base: number): string {
  if (f.bitWidth !== undefined) {
    return `${String(base + f.unitOffset!).padStart(5)}:${String(f.unitBitOffset!).padStart(2)} ${String(f.size).padStart(2)}`;
  }
  return `${String(base + f.bitOffset / 8).padStart(5)} ${String(f.size).padStart(5)}`;
}
