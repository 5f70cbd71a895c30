/**
 * Record layout as GCC does it (gcc/stor-layout.cc place_field / update_alignment_for_field) on
 * targets with PCC_BITFIELD_TYPE_MATTERS, which all our ABIs are. Offsets are in bits so bitfields
 * are exact; holes and tail padding are data, not arithmetic left to consumers.
 */
import { resolveTypedefs } from '../ir/queries.js';
import type { Attributes, Field, IrModule, RecordDecl, SrcLoc, TypeRef } from '../ir/types.js';
import type { Abi } from './abi/index.js';
import { paholeHoles, type PaholeHoles } from './holes.js';
import { scalarFact, type EnumFact, type ScalarFact } from './scalar.js';
import { alignmentError } from '../parse/attributes.js';

/** uapi-ts keeps byte sizes below 2^50 so that offsets in bits (numbers) stay exact (< 2^53). */
export const MAX_EXACT_BYTES = 1n << 50n;

export interface TypeLayout {
  size: number;
  /** Alignment as a struct member (what determines offsets). */
  align: number;
  /** Set when the alignment comes from an `aligned` attribute (GCC TYPE_USER_ALIGN). */
  userAlign?: boolean;
}

export interface FieldLayout {
  /** null: anonymous struct/union member or unnamed bitfield. */
  name: string | null;
  field: Field;
  type: TypeRef;
  /** Bit offset from the start of the containing record. */
  bitOffset: number;
  /** Byte size of the field's type (bitfields: of the declared type). */
  size: number;
  align: number;
  bitWidth?: number;
  /** Bitfields: byte offset (from the containing record) of the storage unit of the declared type. */
  unitOffset?: number;
  /** Bitfields: offset of the field inside its storage unit, in allocation order. */
  unitBitOffset?: number;
  /** Layout of an anonymous member's record, offsets relative to that record. */
  nested?: RecordLayout;
  /** Flexible array member (`T x[]` or GNU `T x[0]`). */
  flexible?: boolean;
  /**
   * What the member's bytes hold: the member itself, or for an array its innermost element (after
   * typedefs): a scalar with its size, signedness and accessor kind, or a record.
   */
  element: ElementFact;
  /** Arrays (typedefs of arrays included): dimensions as declared and the innermost element count. */
  array?: ArrayFact;
  /** Bitfields: the smallest 1/2/4/8-byte window inside the containing record that holds the bits. */
  window?: BitfieldWindow;
}

export type ElementFact =
  | { kind: 'scalar'; scalar: ScalarFact; size: number }
  | { kind: 'record'; id: number; size: number }
  /** A type with no element reading (never a member type gcc accepts; kept total). */
  | { kind: 'other'; size: number };

export interface ArrayFact {
  /** Outermost first; a flexible (or `[0]`) outermost dimension is 0. */
  dims: number[];
  /** Innermost elements in all (the product of dims). */
  count: number;
  /** Bytes per innermost element. */
  elementSize: number;
}

/**
 * A bitfield's bits seen through the smallest aligned-free 1/2/4/8-byte window starting at a byte
 * boundary that holds them, moved back where it would pass the end of the containing record (a
 * reader never touches bytes past it; on i386 an 8-byte unit of a 4-aligned __u64 can).
 */
export interface BitfieldWindow {
  /** Byte offset from the start of the containing record. */
  offset: number;
  size: 1 | 2 | 4 | 8;
  /** Bit position of the field inside the window, in allocation order (from the MSB on big-endian). */
  pos: number;
}

export interface Gap {
  /** Byte offset from the start of the record. */
  offset: number;
  size: number;
  /** "hole" between members or "tail" padding at the end. */
  kind: 'hole' | 'tail';
  /** Bit-granular gaps (after bitfields) carry bit counts. */
  bits?: number;
}

export interface RecordLayout {
  id: number;
  size: number;
  align: number;
  fields: FieldLayout[];
  gaps: Gap[];
  /** Holes and padding as pahole counts them (members less unnamed bitfields; unions have none). */
  pahole: PaholeHoles;
  /** Why this record cannot be laid out (its layout is then meaningless and not reported). */
  unsupported?: string;
  /** Where the cause is (the offending member), when it is in this record; `unsupported` less that place. */
  unsupportedAt?: { loc: SrcLoc; why: string };
}

export class LayoutContext {
  private readonly records = new Map<number, RecordLayout>();
  private readonly inProgress = new Set<number>();

  constructor(
    readonly ir: IrModule,
    readonly abi: Abi,
    /** Underlying type of each enum (from its enumerator values on this ABI). */
    readonly enumInfo: (id: number) => EnumFact,
    /**
     * Evaluate an ABI-dependent integer constant expression (`1024 / (8 * sizeof(long))`);
     * throws LayoutError naming `what` when it cannot.
     */
    readonly evalConst: (expr: string, what: string) => bigint,
  ) {}

  /**
   * The alignment an `aligned` attribute asks for on this ABI (the largest if several), or
   * undefined without one; throws LayoutError when an argument cannot be evaluated here.
   */
  userAlign(attrs: Attributes): number | undefined {
    let a = attrs.aligned === 'max' ? this.abi.biggestAlignment : attrs.aligned;
    for (const expr of attrs.alignedExprs ?? []) {
      const n = this.evalConst(expr, 'aligned() argument');
      const why = alignmentError(n, `${expr}' is '${n}`);
      if (why !== undefined) throw new LayoutError(why);
      a = Math.max(a ?? 0, Number(n));
    }
    return a;
  }

  /**
   * The alignment C11 `_Alignas` asks for (the largest of several; `_Alignas(0)` asks nothing),
   * or undefined without one (C11 6.7.5).
   */
  alignas(attrs: Attributes): number | undefined {
    let a: number | undefined;
    for (const expr of attrs.alignas ?? []) {
      const n = this.evalConst(expr, '_Alignas argument');
      if (n === 0n) continue;
      const why = alignmentError(n, expr);
      if (why !== undefined) throw new LayoutError(why);
      a = Math.max(a ?? 0, Number(n));
    }
    return a;
  }

  /**
   * An object size on this ABI, checked: gcc refuses objects over PTRDIFF_MAX ("size of array is
   * too large", "type is too large"); uapi-ts keeps sizes and bit offsets exact in numbers, so it
   * refuses, as unsupported, objects of MAX_EXACT_BYTES or more.
   */
  checkedSize(bytes: bigint, what: string): number {
    const max = this.abi.pointer.size === 8 ? (1n << 63n) - 1n : (1n << 31n) - 1n;
    if (bytes > max) throw new LayoutError(`${what} is too large`);
    if (bytes >= MAX_EXACT_BYTES) throw new LayoutError(`${what} has ${bytes} bytes: uapi-ts lays out objects below 2^50 bytes (offsets in bits stay exact)`);
    return Number(bytes);
  }

  record(id: number): RecordLayout {
    const done = this.records.get(id);
    if (done) return done;
    const decl = this.ir.records[id]!;
    if (this.inProgress.has(id)) {
      return { id, size: 0, align: 1, fields: [], gaps: [], pahole: NO_HOLES, unsupported: `${recordName(decl)} contains itself` };
    }
    this.inProgress.add(id);
    const l = layoutRecord(decl, this);
    this.inProgress.delete(id);
    this.records.set(id, l);
    return l;
  }

  /** Size and member alignment of a type; throws LayoutError for types without a layout. */
  type(t: TypeRef): TypeLayout {
    const abi = this.abi;
    switch (t.kind) {
      case 'int': {
        const k = t.int === 'char' ? 'schar' : t.int;
        const sa = abi.ints[k];
        // gcc on 32-bit targets: "'__int128' is not supported on this target".
        if (sa.size === 0) throw new LayoutError(`'__int128' is not supported on this target (${abi.name})`);
        return t.complex ? { size: sa.size * 2, align: sa.align } : sa;
      }
      case 'float': {
        const sa = abi.floats[t.float];
        return t.complex ? { size: sa.size * 2, align: sa.align } : sa;
      }
      case 'pointer':
        return abi.pointer;
      case 'enum': {
        // gcc: "field has incomplete type" for an enum named but not defined (found by the fuzzer).
        const decl = this.ir.enums[t.id];
        if (decl?.incomplete) throw new LayoutError(`enum ${decl.name} is incomplete`);
        const { size } = this.enumInfo(t.id);
        return { size, align: size === 8 ? abi.ints.llong.align : size };
      }
      case 'array': {
        const el = this.type(t.of);
        // gcc (c-decl.cc grokdeclarator): array elements must each start aligned, so an element
        // type whose alignment (raised by a typedef's aligned()) does not divide its size is an error.
        if (el.size > 0 && el.size % el.align !== 0) {
          throw new LayoutError(el.align > el.size ? 'alignment of array elements is greater than element size' : 'size of array element is not a multiple of its alignment');
        }
        let length = BigInt(t.length ?? 0);
        if (t.lengthExpr !== undefined) {
          length = this.evalConst(t.lengthExpr, 'array length');
          if (length < 0n) throw new LayoutError(`size of array is negative: '${t.lengthExpr}' is ${length}`);
        }
        const size = this.checkedSize(BigInt(el.size) * length, 'size of array');
        return { size, align: el.align, ...(el.userAlign ? { userAlign: true } : {}) };
      }
      case 'record': {
        const r = this.record(t.id);
        const decl = this.ir.records[t.id]!;
        if (!decl.complete) throw new LayoutError(`${recordName(decl)} is incomplete`);
        if (r.unsupported) throw new LayoutError(r.unsupported);
        return { size: r.size, align: r.align, ...(decl.attrs.aligned !== undefined || decl.attrs.alignedExprs ? { userAlign: true } : {}) };
      }
      case 'typedef': {
        const td = this.ir.typedefs.get(t.name);
        if (!td) throw new LayoutError(`unknown type name '${t.name}'`);
        const inner = this.type(td.type);
        const a = this.userAlign(td.attrs);
        // GCC: on a typedef, aligned() can both raise and lower the alignment; packed on a typedef
        // is ignored ("'packed' attribute ignored": `typedef long t __attribute__((packed))` keeps
        // align 8), unless it sits between a struct's `}` and the name, where it packs the struct.
        if (a !== undefined) return { size: inner.size, align: a, userAlign: true };
        return inner;
      }
      case 'void':
        throw new LayoutError('a member cannot have type void');
      case 'function':
        throw new LayoutError('a member cannot have function type');
      case 'unknown':
        throw new LayoutError(`unsupported type '${t.spelling}'`);
    }
  }
}

/** A type or record that cannot be laid out on this ABI (becomes a diagnostic; never escapes layout()). */
export class LayoutError extends Error {
  override readonly name = 'LayoutError';
}

const NO_HOLES: PaholeHoles = { before: [], holes: 0, sumHoles: 0, bitHoles: 0, sumBitHoles: 0, sumMembers: 0, sumBits: 0, padding: 0, bitPadding: 0 };

/** A bitfield width only this ABI can evaluate (`sizeof(void *) * 8`), checked as gcc checks widths. */
function bitWidthOf(f: Field, ctx: LayoutContext): number {
  const w = ctx.evalConst(f.bitWidthExpr!, 'bit-field width');
  const what = f.name === null ? 'unnamed bit-field' : `bit-field '${f.name}'`;
  if (w < 0n) throw new LayoutError(`negative width in ${what}`);
  if (w === 0n && f.name !== null) throw new LayoutError(`zero width for ${what}`);
  return w > 1024n ? 1025 : Number(w);
}

/** Element and array facts of a member's type on this ABI (throws LayoutError as ctx.type does). */
function elementOf(t: TypeRef, ctx: LayoutContext): { element: ElementFact; array?: ArrayFact } {
  const dims: number[] = [];
  let e = resolveTypedefs(t, ctx.ir);
  while (e.kind === 'array') {
    dims.push(e.lengthExpr !== undefined ? Number(ctx.evalConst(e.lengthExpr, 'array length')) : (e.length ?? 0));
    e = resolveTypedefs(e.of, ctx.ir);
  }
  if (dims.reduce((a, b) => a * b, 1) > Number.MAX_SAFE_INTEGER) throw new LayoutError(`array of ${dims.join(' x ')} elements: uapi-ts counts elements below 2^53`);
  let element: ElementFact;
  if (e.kind === 'record') element = { kind: 'record', id: e.id, size: ctx.type(e).size };
  else {
    const size = e.kind === 'function' || e.kind === 'void' || e.kind === 'unknown' ? 0 : ctx.type(e).size;
    const sc = scalarFact(e, size, ctx.abi, ctx.enumInfo);
    element = sc ? { kind: 'scalar', scalar: sc, size: sc.size } : { kind: 'other', size };
  }
  if (dims.length === 0) return { element };
  return { element, array: { dims, count: dims.reduce((a, b) => a * b, 1), elementSize: element.size } };
}

/** The access window of a bitfield at absolute allocation-order bit `pos` (from the record start). */
function windowOf(pos: number, width: number, recordSize: number): BitfieldWindow {
  let offset = Math.floor(pos / 8);
  const need = pos - offset * 8 + width;
  const size = ([1, 2, 4, 8] as const).find((u) => u * 8 >= need) ?? 8;
  if (offset + size > recordSize && recordSize >= size) offset = recordSize - size;
  return { offset, size, pos: pos - offset * 8 };
}

export function recordName(r: RecordDecl): string {
  return r.name ? `${r.tag} ${r.name}` : `anonymous ${r.tag}`;
}

function isBool(t: TypeRef, ir: IrModule): boolean {
  let r = t;
  for (let n = 0; r.kind === 'typedef' && n < 100; n++) {
    const td = ir.typedefs.get(r.name);
    if (!td) return false;
    r = td.type;
  }
  return r.kind === 'int' && r.int === 'bool';
}

function roundUp(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

/**
 * GCC excess_unit_span: would a bitfield of `width` bits at `bitpos` span more units of the type's
 * alignment than the type itself has?
 */
function excessUnitSpan(bitpos: number, width: number, alignBits: number, sizeBits: number): boolean {
  const off = bitpos % alignBits;
  return Math.floor((off + width + alignBits - 1) / alignBits) > Math.floor(sizeBits / alignBits);
}

function layoutRecord(decl: RecordDecl, ctx: LayoutContext): RecordLayout {
  const fail = (why: string, at?: Field): RecordLayout => ({
    id: decl.id,
    size: 0,
    align: 1,
    fields: [],
    gaps: [],
    pahole: NO_HOLES,
    unsupported: at ? `${why} (${at.loc.file}:${at.loc.line}:${at.loc.col})` : why,
    ...(at ? { unsupportedAt: { loc: at.loc, why } } : {}),
  });
  if (decl.unsupported) return fail(decl.unsupported);
  if (!decl.complete) return fail(`${recordName(decl)} is declared but never defined`);
  const union = decl.tag === 'union';
  const recPacked = decl.attrs.packed === true;
  /** `#pragma pack(N)`: gcc's maximum_field_alignment caps every member's alignment, `aligned` ones too. */
  const maxAlign = decl.pack;
  const cap = (a: number): number => (maxAlign !== undefined ? Math.min(a, maxAlign) : a);
  let bitpos = 0; // next free bit (struct)
  let sizeBits = 0; // union: max member size
  let recordAlign = 1;
  const fields: FieldLayout[] = [];
  for (let i = 0; i < decl.fields.length; i++) {
    const f = decl.fields[i]!;
    let tl: TypeLayout;
    let userAlign: number | undefined;
    let facts: { element: ElementFact; array?: ArrayFact };
    let width = f.bitWidth;
    try {
      tl = ctx.type(f.type);
      userAlign = ctx.userAlign(f.attrs);
      // C11 6.7.5p4: _Alignas may not ask for less than the type's own alignment (gcc: an error).
      const alignas = ctx.alignas(f.attrs);
      if (alignas !== undefined && alignas < tl.align) throw new LayoutError(`'_Alignas' specifiers cannot reduce alignment of '${f.name ?? '(anonymous)'}'`);
      if (alignas !== undefined) userAlign = Math.max(userAlign ?? 0, alignas);
      facts = elementOf(f.type, ctx);
      if (f.bitWidthExpr !== undefined) width = bitWidthOf(f, ctx);
    } catch (e) {
      if (!(e instanceof LayoutError)) throw e;
      return fail(`${recordName(decl)}: member '${f.name ?? '(anonymous)'}': ${e.message}`, f);
    }
    const packed = recPacked || f.attrs.packed === true;
    const flexible = f.type.kind === 'array' && f.type.lengthExpr === undefined && (f.type.length === null || f.type.length === 0);
    if (f.type.kind === 'array' && f.type.length === null && f.type.lengthExpr === undefined && i !== decl.fields.length - 1 && !union) {
      return fail(`${recordName(decl)}: flexible array member '${f.name}' is not last`, f);
    }

    if (width !== undefined) {
      if (f.type.kind !== 'int' && f.type.kind !== 'enum' && f.type.kind !== 'typedef') {
        return fail(`${recordName(decl)}: bitfield '${f.name}' has a non-integer type`, f);
      }
      // gcc: a _Bool bitfield holds at most one bit (its precision), not the 8 of its size.
      const typeBits = isBool(f.type, ctx.ir) ? 1 : tl.size * 8;
      if (width > typeBits) return fail(`${recordName(decl)}: width of bitfield '${f.name ?? '(unnamed)'}' (${width}) exceeds its type (${typeBits} bit${typeBits === 1 ? '' : 's'})`, f);
      const typeAlignBits = tl.align * 8;
      let pos = union ? 0 : bitpos;
      if (width === 0) {
        // A zero-width bitfield aligns the next member to its type (not affected by packed).
        pos = roundUp(pos, Math.max(typeAlignBits, (userAlign ?? 1) * 8));
        if (ctx.abi.alignAnonBitfields) recordAlign = Math.max(recordAlign, tl.align);
        if (!union) bitpos = pos;
        continue;
      }
      if (userAlign !== undefined) pos = roundUp(pos, cap(userAlign) * 8);
      // GCC place_field: packed bitfields are never moved to avoid spanning units (it only warns
      // "offset of packed bit-field has changed in GCC 4.4"); nor are any under #pragma pack.
      if (!packed && maxAlign === undefined && excessUnitSpan(pos, width, typeAlignBits, tl.size * 8)) pos = roundUp(pos, typeAlignBits);
      // Named bitfields give the record their type's alignment; unnamed ones only where the ABI
      // says so. GCC update_alignment_for_field: under #pragma pack the cap replaces packed's 1.
      if (f.name !== null || ctx.abi.alignAnonBitfields) recordAlign = Math.max(recordAlign, maxAlign !== undefined ? cap(tl.align) : packed ? 1 : tl.align);
      if (userAlign !== undefined) recordAlign = Math.max(recordAlign, cap(userAlign));
      // Storage unit: the type-sized unit at the type's alignment holding the field (or, packed, its first byte).
      let unitStart = Math.floor(pos / typeAlignBits) * typeAlignBits;
      if (pos + width > unitStart + tl.size * 8) unitStart = Math.floor(pos / 8) * 8;
      fields.push({
        name: f.name,
        field: f,
        type: f.type,
        bitOffset: pos,
        size: tl.size,
        align: tl.align,
        bitWidth: width,
        unitOffset: unitStart / 8,
        unitBitOffset: pos - unitStart,
        ...facts,
      });
      if (union) sizeBits = Math.max(sizeBits, width);
      else bitpos = pos + width;
      continue;
    }

    let align = packed ? 1 : tl.align;
    if (userAlign !== undefined) align = Math.max(align, userAlign);
    align = cap(align);
    recordAlign = Math.max(recordAlign, align);
    const pos = union ? 0 : roundUp(bitpos, align * 8);
    const fl: FieldLayout = { name: f.name, field: f, type: f.type, bitOffset: pos, size: tl.size, align, ...facts };
    if (flexible) fl.flexible = true;
    if (f.name === null && f.type.kind === 'record') fl.nested = ctx.record(f.type.id);
    fields.push(fl);
    if (union) sizeBits = Math.max(sizeBits, tl.size * 8);
    else bitpos = pos + tl.size * 8;
  }
  let recUserAlign: number | undefined;
  try {
    recUserAlign = ctx.userAlign(decl.attrs);
  } catch (e) {
    if (!(e instanceof LayoutError)) throw e;
    return fail(`${recordName(decl)}: ${e.message}`);
  }
  if (recUserAlign !== undefined) recordAlign = Math.max(recordAlign, recUserAlign);
  const endBits = union ? sizeBits : bitpos;
  // Members are each below 2^50 bytes; their sum may not be (and past 2^53 bits sums are inexact).
  try {
    // Tail padding counts: gcc refuses a record whose rounded size passes PTRDIFF_MAX (a union of
    // char[0x7fffffff] and an int on i386: "type is too large"; found by the fuzzer).
    const a = BigInt(recordAlign);
    ctx.checkedSize(((BigInt(Math.ceil(endBits / 8)) + a - 1n) / a) * a, `type '${recordName(decl)}'`);
  } catch (e) {
    if (!(e instanceof LayoutError)) throw e;
    return fail(e.message);
  }
  const size = roundUp(Math.ceil(endBits / 8), recordAlign);
  for (const fl of fields) if (fl.bitWidth !== undefined) fl.window = windowOf(fl.unitOffset! * 8 + fl.unitBitOffset!, fl.bitWidth, size);
  const named = fields.filter((fl) => !(fl.name === null && fl.bitWidth !== undefined));
  return { id: decl.id, size, align: recordAlign, fields, gaps: union ? [] : gapsOf(fields, size), pahole: paholeHoles(named, size, !union) };
}

function gapsOf(fields: readonly FieldLayout[], size: number): Gap[] {
  const gaps: Gap[] = [];
  let end = 0; // bits
  for (const f of fields) {
    const start = f.bitOffset;
    if (start > end) gaps.push(gap(end, start, 'hole'));
    const len = f.bitWidth ?? f.size * 8;
    end = Math.max(end, start + len);
  }
  if (size * 8 > end) gaps.push(gap(end, size * 8, 'tail'));
  return gaps;
}

function gap(fromBits: number, toBits: number, kind: Gap['kind']): Gap {
  const bits = toBits - fromBits;
  const g: Gap = { offset: Math.floor(fromBits / 8), size: Math.ceil(toBits / 8) - Math.floor(fromBits / 8), kind };
  if (fromBits % 8 !== 0 || toBits % 8 !== 0) g.bits = bits;
  return g;
}
