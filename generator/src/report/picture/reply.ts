/**
 * A decoded reply (an info struct and its capability chain, as `uapi-ts decode --caps` reads them)
 * as a picture model: the bytes as a hex strip, the info struct and every capability overlaid
 * (header, body fields with their values, the padding the kernel added), misaligned caps marked,
 * `next` links drawn, bytes past argsz greyed. Values are read with the runtime's accessors from
 * the generated tables' layouts (the public BindingLayout shape of tables.json).
 */
import { readBits, readBits64, readScalar, SCALAR_SIZE, type BindingLayout, type FieldSpec, type StructLayout } from '@uapi-ts/runtime';
import { bytes, domId, type Cell, type Link, type MapModel, type Warning } from './model.js';
import { cell, finishMap, group, withHoles, type Node } from './struct-map.js';

/** A capability the chain walk met (what `uapi-ts decode --caps --format json` lists). */
export interface ReplyCap {
  readonly offset: number;
  readonly id: number;
  readonly version: number;
  readonly next: number;
  /** The cap struct, or null for an unknown (id, version). */
  readonly name: string | null;
  readonly aligned: boolean;
}

export interface ReplyInput {
  /** The info struct's name (`vfio_iommu_type1_info`). */
  readonly struct: string;
  readonly abi: string;
  readonly bytes: Uint8Array;
  /** The ABI's layouts from the generated tables (runtime linkTables), by struct name. */
  readonly layouts: ReadonlyMap<string, BindingLayout>;
  readonly caps: readonly ReplyCap[];
  /** Why the strict policy refused the chain, when it did (the map then shows what compat reads). */
  readonly refused?: string;
  readonly notes?: readonly string[];
}

const CAP_HEADER = 'vfio_info_cap_header';

function show(v: number | bigint, kind: string): string {
  const big = typeof v === 'bigint' ? v : BigInt(v);
  if (kind.startsWith('s') || (big >= 0n && big < 10n)) return big.toString();
  return `${big} (0x${(big < 0n ? -big : big).toString(16)})`;
}

function fieldSize(f: FieldSpec): number {
  const one = f.kind === 'struct' ? f.struct!.size : f.kind === 'bytes' ? (f.size ?? 0) : SCALAR_SIZE[f.kind];
  return one * (f.count ?? 1);
}

class Reader {
  readonly dv: DataView;
  constructor(readonly data: Uint8Array, readonly le: boolean) {
    this.dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  fits(off: number, size: number): boolean {
    return off + size <= this.data.length;
  }
  scalar(off: number, f: FieldSpec): string {
    if (f.kind === 'struct') return '';
    if (f.kind === 'bytes') return [...this.data.subarray(off, Math.min(off + (f.size ?? 0), this.data.length))].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const n = SCALAR_SIZE[f.kind];
    const values: string[] = [];
    for (let i = 0; i < (f.count ?? 1) && values.length < 6; i++) {
      if (!this.fits(off + i * n, n)) break;
      values.push(show(readScalar(this.dv, off + i * n, f.kind, this.le), f.kind));
    }
    if (f.count === undefined) return values[0] ?? '?';
    return `[${values.join(', ')}${f.count > values.length ? ', …' : ''}]`;
  }
}

/** Cells of a layout's fields at `base`, with holes and (to `end`) tail padding. */
function fieldNodes(l: StructLayout, base: number, end: number, prefix: string, r: Reader, nexts: Map<string, string>): Node[] {
  const items: { node: Node; offset: number; end: number }[] = [];
  for (const f of l.fields) {
    const off = base + f.offset;
    const path = `${prefix}${f.name}`;
    if (f.bits) {
      const { unit, pos, width } = f.bits;
      const abs = off * 8 + pos;
      const first = Math.floor(abs / 8);
      const last = Math.ceil((abs + width) / 8);
      const signed = f.kind.startsWith('s');
      const v = !r.fits(off, unit) ? '?' : unit === 8 ? readBits64(r.dv, off, pos, width, r.le, signed).toString() : String(readBits(r.dv, off, unit, pos, width, r.le, signed));
      const leaf = cell({ kind: 'bitfield', name: f.name, path, type: f.kind, offset: first, size: last - first, value: v, bits: { abs, width, unitOffset: off, unitSize: unit, bitOffset: pos } });
      items.push({ node: { leaf }, offset: first, end: last });
      continue;
    }
    const size = fieldSize(f);
    if (f.kind === 'struct' && f.count === undefined) {
      items.push({ node: group({ kind: 'struct', label: `${f.name}: struct ${f.struct!.name} @${off}`, path, offset: off, size }, fieldNodes(f.struct!, off, off + size, `${path}.`, r, nexts), false), offset: off, end: off + size });
      continue;
    }
    const value = f.kind === 'struct' ? `${f.count} × struct ${f.struct!.name}` : r.scalar(off, f);
    const leaf = cell({ kind: 'member', name: f.name, path, type: f.kind, offset: off, size, value });
    if (f.name === 'next') nexts.set(prefix, path);
    items.push({ node: { leaf }, offset: off, end: off + size });
  }
  return withHoles(items, base, end, prefix);
}

/** The elements of a flexible array at the end of a cap, as many as its count says and its bytes hold. */
function flexNodes(l: BindingLayout, base: number, end: number, prefix: string, r: Reader): { nodes: { node: Node; offset: number; end: number }[]; used: number } {
  const f = l.flex!;
  const nodes: { node: Node; offset: number; end: number }[] = [];
  let count = Math.floor((end - base - f.offset) / f.elementSize);
  if (f.countedBy !== undefined) {
    const cf = l.fields.find((x) => x.name === f.countedBy);
    if (cf && cf.kind !== 'struct' && cf.kind !== 'bytes') count = Math.min(count, Number(readScalar(r.dv, base + cf.offset, cf.kind, r.le)));
  }
  for (let i = 0; i < Math.max(0, count); i++) {
    const off = base + f.offset + i * f.elementSize;
    const path = `${prefix}${f.name}[${i}]`;
    const node = f.struct
      ? group({ kind: 'struct', label: `${f.name}[${i}]: struct ${f.struct.name} @${off}`, path, offset: off, size: f.elementSize }, fieldNodes(f.struct, off, off + f.elementSize, `${path}.`, r, new Map()), false)
      : { leaf: cell({ kind: 'member', name: `${f.name}[${i}]`, path, type: f.kind, offset: off, size: f.elementSize, value: show(readScalar(r.dv, off, f.kind as 'u32', r.le), f.kind) }) };
    nodes.push({ node, offset: off, end: off + f.elementSize });
  }
  return { nodes, used: f.offset + nodes.length * f.elementSize };
}

export function replyMap(input: ReplyInput): MapModel {
  const info = input.layouts.get(input.struct);
  if (!info) throw new Error(`no layout for ${input.struct}`);
  const r = new Reader(input.bytes, info.littleEndian);
  const len = input.bytes.length;
  const argsz = info.chain && r.fits(info.chain.argszOffset, 4) ? r.dv.getUint32(info.chain.argszOffset, r.le) : len;
  const end = Math.min(argsz, len);
  const nexts = new Map<string, string>();
  const items: { node: Node; offset: number; end: number }[] = [];
  const infoEnd = Math.min(info.size, len);
  items.push({ node: group({ kind: 'struct', label: `struct ${info.name} @0 · ${bytes(info.size)}`, path: 'info', offset: 0, size: infoEnd }, fieldNodes(info, 0, infoEnd, 'info.', r, nexts), false), offset: 0, end: infoEnd });
  const starts = input.caps.map((c) => c.offset).sort((a, b) => a - b);
  const links: Link[] = [];
  const warnings: Warning[] = [];
  const capGroups: Node[] = [];
  for (const c of input.caps) {
    const capEnd = Math.min(starts.find((s) => s > c.offset) ?? end, end);
    const path = `cap@${c.offset}`;
    const layout = c.name !== null ? input.layouts.get(c.name) : input.layouts.get(CAP_HEADER);
    const children: Node[] = [];
    let used = 0;
    if (layout) {
      const fixedEnd = Math.min(c.offset + layout.size, capEnd);
      children.push(...fieldNodes(layout, c.offset, fixedEnd, `${path}.`, r, nexts));
      used = layout.size;
      if (layout.flex && c.name !== null) {
        const flex = flexNodes(layout, c.offset, capEnd, `${path}.`, r);
        children.push(...flex.nodes.map((x) => x.node));
        used = Math.max(used, flex.used);
      }
    }
    const body = c.offset + used;
    if (body < capEnd) {
      // What the cap's struct does not describe: the kernel's padding to 8 (6.6+), or a body this header does not define.
      const what = c.name === null ? 'body' : 'kernel padding';
      children.push({ leaf: cell({ kind: 'padding', name: what, path: `${path}.~pad`, offset: body, size: capEnd - body, detail: `${bytes(capEnd - body)} @${body}` }) });
    }
    const what = c.name ?? `unknown cap`;
    const mis = c.aligned ? '' : ` · ⚠ misaligned (${c.offset} % 8 = ${c.offset % 8})`;
    const node = group({ kind: 'cap', label: `cap @${c.offset}: id ${c.id} v${c.version} ${what}${mis}`, path, offset: c.offset, size: capEnd - c.offset }, children, false);
    if (!c.aligned) {
      if ('group' in node) node.group.marks.push('warn');
      warnings.push({ offset: c.offset, size: 0, label: 'misaligned', text: `cap @${c.offset} (${what}) is not 8-aligned: ${c.offset} % 8 = ${c.offset % 8}; a pre-6.6 kernel's chain (strict policy refuses it, --policy compat reads it)` });
    }
    capGroups.push(node);
    items.push({ node, offset: c.offset, end: capEnd });
    if (c.next !== 0) {
      const from = nexts.get(`${path}.header.`) ?? nexts.get(`${path}.`);
      if (from) links.push({ kind: 'next', from, to: `cap@${c.next}`, label: `next: cap @${c.next}` });
    }
  }
  const capOffset = info.chain && r.fits(info.chain.capOffsetOffset, 4) ? r.dv.getUint32(info.chain.capOffsetOffset, r.le) : 0;
  const capField = info.fields.find((f) => f.offset === info.chain?.capOffsetOffset);
  if (capOffset !== 0 && capField && input.caps.some((c) => c.offset === capOffset)) links.unshift({ kind: 'next', from: `info.${capField.name}`, to: `cap@${capOffset}`, label: `cap_offset: first cap @${capOffset}` });
  if (len > end) items.push({ node: { leaf: cell({ kind: 'beyond', name: '', path: `beyond@${end}`, offset: end, size: len - end }) }, offset: end, end: len });
  const root = group({ kind: 'struct', label: '', path: '', offset: 0, size: len }, withHoles(items, 0, len, ''), false, false);
  const refused: Warning[] = input.refused ? [{ offset: 0, size: 0, label: 'refused', text: `strict policy: ${input.refused}` }] : [];
  const model = finishMap(root, {
    id: domId(`reply-${input.struct}-${input.abi}`),
    title: `struct ${info.name} reply on ${input.abi}`,
    caption: `${bytes(len)}, argsz ${argsz}, ${input.caps.length} cap${input.caps.length === 1 ? '' : 's'}`,
    endian: info.littleEndian ? 'little' : 'big',
    size: len,
    rowBytes: 8,
    warnings: [...refused, ...warnings],
    marks: [],
    links,
    hex: { bytes: [...input.bytes], argsz },
  });
  for (const c of model.cells) labelNext(c, input.caps);
  return model;
}

/** A `next` value says where it points. */
function labelNext(c: Cell, caps: readonly ReplyCap[]): void {
  if (!c.path.startsWith('cap@') || c.name !== 'next' || c.value === undefined) return;
  const to = Number(c.value.split(' ')[0]);
  (c as { value: string }).value = to === 0 ? '0 (last)' : `${to} → cap @${to}${caps.some((k) => k.offset === to) ? '' : ' (not walked)'}`;
}
