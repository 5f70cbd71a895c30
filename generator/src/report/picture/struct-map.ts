/**
 * A record of the layout JSON (docs/layout-json.md) as a picture model: members, holes and tail
 * padding as cells; anonymous, untagged and tagged nested records and bitfield runs as groups;
 * union members on lanes of their own; flexible arrays as an open end with their `__counted_by`
 * link; the cap_offset alignment warning where the capability chain would start.
 */
import type { FieldJson, RecordJson } from '../../contract/layout-json.js';
import { bytes, domId, type Cell, type Endian, type Group, type Link, type MapModel, type Mark, type Warning } from './model.js';

export interface RecordMapOptions {
  readonly endian: Endian;
  /** The ABI, for the warning text. */
  readonly abi?: string;
  /** The other records of the same document: members of a tagged struct/union type are drawn inside their member. */
  readonly records?: readonly RecordJson[];
  readonly id?: string;
  readonly caption?: string;
}

export type Node = { readonly leaf: Cell } | { readonly group: Group; readonly children: Node[]; readonly union: boolean; readonly title: boolean };

/** Bytes per row: 8, or the record's alignment when larger (up to 64). */
export function rowBytesFor(align: number): number {
  return align > 8 ? Math.min(align, 64) : 8;
}

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export function cell(c: Omit<Cell, 'marks' | 'lanes'> & { marks?: Mark[] }): Cell {
  return { ...c, marks: c.marks ?? [], lanes: [0, 1] };
}

export function group(g: Omit<Group, 'marks' | 'lanes'>, children: Node[], union: boolean, title = true): Node {
  return { group: { ...g, marks: [], lanes: [0, 1] }, children, union, title };
}

/** Lanes a node needs: one per leaf; a group its title lane, then its members side by side (struct) or stacked (union). */
export function need(n: Node): number {
  if ('leaf' in n) return 1;
  const inner = n.children.map(need);
  const body = inner.length === 0 ? 1 : n.union ? inner.reduce((a, b) => a + b, 0) : Math.max(...inner);
  return (n.title ? 1 : 0) + body;
}

/** Give every node its lane range [a, b): a leaf fills what it gets; the last union member takes the rest. */
export function assignLanes(n: Node, a: number, b: number): void {
  if ('leaf' in n) {
    n.leaf.lanes = [a, b];
    return;
  }
  n.group.lanes = [a, b];
  const inner = n.title ? a + 1 : a;
  if (!n.union) {
    for (const c of n.children) assignLanes(c, inner, b);
    return;
  }
  let at = inner;
  n.children.forEach((c, i) => {
    const end = i === n.children.length - 1 ? b : at + need(c);
    assignLanes(c, at, end);
    at = end;
  });
}

/** Every cell and titled group of a node tree, groups outermost first. */
export function flatten(n: Node, cells: Cell[], groups: Group[]): void {
  if ('leaf' in n) {
    cells.push(n.leaf);
    return;
  }
  if (n.title) groups.push(n.group);
  for (const c of n.children) flatten(c, cells, groups);
}

/** Holes between the nodes of a struct scope and its tail padding, as cells; nodes sorted by offset. */
export function withHoles(items: readonly { node: Node; offset: number; end: number }[], start: number, end: number, prefix: string): Node[] {
  const out: Node[] = [];
  let at = start;
  const sorted = [...items].sort((x, y) => x.offset - y.offset);
  for (const it of sorted) {
    if (it.offset > at) out.push({ leaf: cell({ kind: 'hole', name: '', path: `${prefix}hole@${at}`, offset: at, size: it.offset - at }) });
    out.push(it.node);
    at = Math.max(at, it.end);
  }
  if (at < end) out.push({ leaf: cell({ kind: 'padding', name: '', path: `${prefix}padding@${at}`, offset: at, size: end - at }) });
  return out;
}

interface Ctx {
  readonly endian: Endian;
  readonly records: ReadonlyMap<string, RecordJson>;
}

function shift(fields: readonly FieldJson[], by: number): FieldJson[] {
  return fields.map((f) => ({ ...f, offset: f.offset + by, ...(f.fields ? { fields: shift(f.fields, by) } : {}) }));
}

/** The record a member of a tagged struct/union type has in the same document, with offsets from the top-level record. */
function taggedMembers(f: FieldJson, ctx: Ctx): RecordJson | undefined {
  const m = /^(struct|union) (\w+)$/.exec(f.type);
  if (!m || f.fields) return undefined;
  const r = ctx.records.get(`${m[1]} ${m[2]}`);
  return r && r.size === f.size ? r : undefined;
}

/** Bytes a bitfield's bits touch: bit b of allocation order sits in byte unitOffset + b / 8 on either byte order. */
function bitBytes(f: FieldJson): { first: number; end: number; abs: number } {
  const abs = f.offset * 8 + f.bitOffset!;
  return { first: Math.floor(abs / 8), end: Math.ceil((abs + f.bitWidth!) / 8), abs };
}

/** A run of bitfields sharing bytes: one group, one line per bitfield across the run's bytes. */
function bitRun(run: readonly { f: FieldJson; path: string }[], ctx: Ctx, prefix: string): { node: Node; offset: number; end: number } {
  const first = Math.min(...run.map((r) => bitBytes(r.f).first));
  const end = Math.max(...run.map((r) => bitBytes(r.f).end));
  const unit = run[0]!.f;
  const order = ctx.endian === 'little' ? 'from the least significant bit (little-endian)' : 'from the most significant bit (big-endian)';
  const children: Node[] = run.map(({ f, path }) => ({
    leaf: cell({
      kind: 'bitfield', name: f.name, path, type: f.type, offset: first, size: end - first,
      bits: { abs: bitBytes(f).abs, width: f.bitWidth!, unitOffset: f.offset, unitSize: f.size, bitOffset: f.bitOffset! },
    }),
  }));
  const label = `${unit.type} @${unit.offset}`;
  const title = `bitfields in the ${unit.type} unit at ${unit.offset}, allocated ${order}`;
  return { node: group({ kind: 'bits', label, title, path: `${prefix}bits@${unit.offset}.${unit.bitOffset}`, offset: first, size: end - first }, children, true), offset: first, end };
}

/** The members of a struct or union scope [start, end) as nodes, holes and padding included for a struct. */
function scope(fields: readonly FieldJson[], start: number, end: number, isUnion: boolean, prefix: string, ctx: Ctx, depth: number): Node[] {
  const items: { node: Node; offset: number; end: number }[] = [];
  const flex: Node[] = [];
  let run: { f: FieldJson; path: string }[] = [];
  let runEnd = -1;
  const flush = (): void => {
    if (run.length > 0) items.push(bitRun(run, ctx, prefix));
    run = [];
    runEnd = -1;
  };
  fields.forEach((f, i) => {
    const path = prefix + (f.name === '' ? `#${i}` : f.name);
    if (f.bitWidth !== undefined) {
      const b = bitBytes(f);
      if (isUnion || (run.length > 0 && b.first >= runEnd)) flush();
      run.push({ f, path });
      runEnd = Math.max(runEnd, b.end);
      if (isUnion) flush();
      return;
    }
    flush();
    if (f.flexible) {
      const l = cell({ kind: 'flex', name: f.name, path, type: f.type, offset: f.offset, size: 0, ...(f.countedBy !== undefined ? { countedBy: f.countedBy } : {}) });
      flex.push({ leaf: l });
      return;
    }
    if (f.size === 0) return; // a zero-size member (an empty struct) occupies no byte
    items.push({ node: member(f, path, ctx, depth), offset: f.offset, end: f.offset + f.size });
  });
  flush();
  let nodes: Node[];
  if (isUnion) {
    nodes = items.map((i) => i.node);
    const used = Math.max(start, ...items.map((i) => i.end));
    if (used < end) nodes.push({ leaf: cell({ kind: 'padding', name: '', path: `${prefix}padding@${used}`, offset: used, size: end - used }) });
  } else {
    nodes = withHoles(items, start, end, prefix);
  }
  const leafOf = (n: Node): Cell => (n as { leaf: Cell }).leaf;
  nodes.push(...flex.filter((n) => leafOf(n).offset >= end));
  const inside = flex.filter((n) => leafOf(n).offset < end);
  if (inside.length > 0) {
    // A flexible array over the record's own bytes (its tail padding): a lane of its own, below the rest.
    const rest = group({ kind: 'struct', label: '', path: `${prefix}~rest`, offset: start, size: end - start }, nodes, false, false);
    nodes = [group({ kind: 'union', label: '', path: `${prefix}~flex`, offset: start, size: end - start }, [rest, ...inside], true, false)];
  }
  return nodes;
}

function member(f: FieldJson, path: string, ctx: Ctx, depth: number): Node {
  const union = f.type === 'union' || f.type.startsWith('union ');
  const what = f.name === '' ? `(anonymous ${f.type})` : `${f.name}: ${f.type}`;
  const label = `${what} @${f.offset} · ${bytes(f.size)}`;
  if (f.fields) return group({ kind: union ? 'union' : 'struct', label, path, offset: f.offset, size: f.size }, scope(f.fields, f.offset, f.offset + f.size, union, `${path}.`, ctx, depth + 1), union);
  const tagged = depth < 8 ? taggedMembers(f, ctx) : undefined;
  if (tagged) {
    const u = tagged.kind === 'union';
    return group({ kind: u ? 'union' : 'struct', label, path, offset: f.offset, size: f.size }, scope(shift(tagged.fields, f.offset), f.offset, f.offset + f.size, u, `${path}.`, ctx, depth + 1), u);
  }
  return { leaf: cell({ kind: 'member', name: f.name, path, type: f.type, offset: f.offset, size: f.size }) };
}

function hasMember(fields: readonly FieldJson[], name: string): boolean {
  return fields.some((f) => f.name === name || (f.fields !== undefined && hasMember(f.fields, name)));
}

/**
 * The capability-alignment warning of a record (as `uapi-ts layout` prints it): a `cap_offset`
 * member and a size that is not a multiple of 8.
 */
export function capAlignWarning(rec: RecordJson, abi: string | undefined): Warning | undefined {
  if (rec.size % 8 === 0 || !hasMember(rec.fields, 'cap_offset')) return undefined;
  const on = abi ? ` on ${abi}` : '';
  return {
    offset: rec.size,
    size: roundUp(rec.size, 8) - rec.size,
    label: `caps start @${rec.size}: not 8-aligned`,
    text: `${rec.kind} ${rec.name} has cap_offset but its size ${rec.size} is not a multiple of 8${on}: a capability chain right after it starts misaligned (kernel 6.6 added a __u32 pad for this)`,
  };
}

/** A finished map from a top-level node: lanes assigned, cells and groups listed, links resolved. */
export function finishMap(root: Node, m: Omit<MapModel, 'lanes' | 'cells' | 'groups' | 'links' | 'extent'> & { extent?: number; links?: Link[] }): MapModel {
  const lanes = need(root);
  assignLanes(root, 0, lanes);
  const cells: Cell[] = [];
  const groups: Group[] = [];
  flatten(root, cells, groups);
  const links: Link[] = [...(m.links ?? [])];
  for (const c of cells) {
    if (c.kind !== 'flex' || c.countedBy === undefined) continue;
    const target = cells.find((t) => t.name === c.countedBy && t.kind !== 'flex');
    if (target) links.push({ kind: 'counted-by', from: c.path, to: target.path, label: `counted by ${c.countedBy}` });
  }
  let extent = Math.max(m.size, m.extent ?? 0);
  for (const c of cells) if (c.kind === 'flex') extent = Math.max(extent, roundUp(c.offset + 1, m.rowBytes));
  for (const w of m.warnings) extent = Math.max(extent, w.offset + w.size);
  return { ...m, lanes, cells, groups, links, extent };
}

export function recordMap(rec: RecordJson, opts: RecordMapOptions): MapModel {
  const records = new Map((opts.records ?? []).map((r) => [`${r.kind} ${r.name}`, r]));
  const ctx: Ctx = { endian: opts.endian, records };
  const union = rec.kind === 'union';
  const root = group({ kind: rec.kind, label: '', path: '', offset: 0, size: rec.size }, scope(rec.fields, 0, rec.size, union, '', ctx, 0), union, false);
  const warnings: Warning[] = [];
  const w = capAlignWarning(rec, opts.abi);
  const rowBytes = rowBytesFor(rec.align);
  const cellsBeyond = hasFlexAtEnd(rec);
  if (w) warnings.push(cellsBeyond ? { ...w, size: 0 } : w);
  const model = finishMap(root, {
    id: opts.id ?? domId(rec.name),
    title: `${rec.kind} ${rec.name}`,
    caption: opts.caption ?? `${bytes(rec.size)}, align ${rec.align}`,
    endian: opts.endian,
    size: rec.size,
    rowBytes,
    warnings,
    marks: [],
  });
  if (w) for (const c of model.cells) if (c.name === 'cap_offset') c.marks.push('warn');
  return model;
}

function hasFlexAtEnd(rec: RecordJson): boolean {
  const walk = (fs: readonly FieldJson[]): boolean => fs.some((f) => (f.flexible === true && f.offset >= rec.size) || (f.fields !== undefined && walk(f.fields)));
  return walk(rec.fields);
}
