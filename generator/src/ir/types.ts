/**
 * The IR: the contract between parsing and everything after it (layout, emit, diff).
 * ABI-independent: sizes and offsets are computed later, per ABI, by layout/.
 * Frozen after parse: no stage mutates it.
 */

import type { Comment, Token } from './tokens.js';

export interface SrcLoc {
  file: string;
  line: number;
  col: number;
}

/** C arithmetic base types, named by the C spelling's canonical form. */
export type IntKind =
  | 'char' | 'schar' | 'uchar'
  | 'short' | 'ushort'
  | 'int' | 'uint'
  | 'long' | 'ulong'
  | 'llong' | 'ullong'
  | 'int128' | 'uint128'
  | 'bool';

export type FloatKind = 'float' | 'double' | 'ldouble';

export type TypeRef =
  /** complex: GNU `_Complex int` / C11 `float _Complex`: two of the type, real part first. */
  | { kind: 'int'; int: IntKind; complex?: true }
  | { kind: 'float'; float: FloatKind; complex?: true }
  | { kind: 'void' }
  | { kind: 'pointer'; to: TypeRef }
  | { kind: 'function' }
  /** length null: flexible array member (lengthExpr unset) or a length only an ABI can evaluate (lengthExpr set, e.g. sizeof). */
/** length null without lengthExpr: flexible array member (C11 6.7.2.1p18) or `[0]` (GNU zero-length, length 0). */
  | { kind: 'array'; of: TypeRef; length: number | null; lengthExpr?: string }
  | { kind: 'record'; id: number }
  | { kind: 'enum'; id: number }
  /** A typedef name, kept so reports and bindings spell `__u32`, not `unsigned int`. */
  | { kind: 'typedef'; name: string }
  /** A type the parser could not understand; the declaration using it is unsupported. */
  | { kind: 'unknown'; spelling: string };

export interface Attributes {
  packed?: boolean;
  /** aligned(N) in bytes; `aligned` without argument is the target's biggest alignment. */
  aligned?: number | 'max';
  /**
   * aligned(EXPR) arguments that depend on the ABI (`aligned(4 * sizeof(__u64))`), as written;
   * layout evaluates them per ABI and the largest of these and `aligned` applies.
   */
  alignedExprs?: string[];
  /** `__counted_by(member)` */
  countedBy?: string;
  /**
   * C11 `_Alignas(N)` / `_Alignas(type)` on a member, as written (`8`, `_Alignof(long long)`):
   * evaluated per ABI by layout; unlike aligned() it may not lower the member's alignment.
   */
  alignas?: string[];
  /** `_Complex` / `__complex__` among the specifiers (read by parse into the type, never left here). */
  complex?: true;
}

export interface Field {
  /** null for an anonymous struct/union member or an unnamed bitfield. */
  name: string | null;
  type: TypeRef;
  bitWidth?: number;
  /** A bitfield width only an ABI can evaluate (`sizeof(void *) * 8`): layout evaluates it; bitWidth is then 0. */
  bitWidthExpr?: string;
  /** Written `__DECLARE_FLEX_ARRAY(TYPE, NAME)`: a flexible array that may sit in a union (include/uapi/linux/stddef.h). */
  declareFlexArray?: true;
  attrs: Attributes;
  loc: SrcLoc;
  doc?: string;
}

export interface RecordDecl {
  id: number;
  tag: 'struct' | 'union';
  /** null for anonymous records. */
  name: string | null;
  /** false for a forward declaration never completed (`struct foo;`). */
  complete: boolean;
  fields: Field[];
  attrs: Attributes;
  loc: SrcLoc;
  doc?: string;
  /** Set when the parser met something it does not support inside this record. */
  unsupported?: string;
  /**
   * `#pragma pack(N)` in effect at the record's closing brace (gcc lays a record out when it is
   * complete): no member is aligned to more than N bytes. Unset without one.
   */
  pack?: number;
}

export interface Enumerator {
  name: string;
  /** Source tokens of the value expression, evaluated per ABI; null = previous + 1. */
  valueText: string | null;
  loc: SrcLoc;
  doc?: string;
}

export interface EnumDecl {
  id: number;
  name: string | null;
  enumerators: Enumerator[];
  attrs: Attributes;
  loc: SrcLoc;
  doc?: string;
}

export interface TypedefDecl {
  name: string;
  type: TypeRef;
  attrs: Attributes;
  loc: SrcLoc;
  doc?: string;
}

export interface MacroConstant {
  name: string;
  loc: SrcLoc;
  doc?: string;
  /** The macro's body, fully macro-expanded (evaluated per ABI by layout/constants). */
  expansion: readonly Token[];
  /** The body as written, for reports. */
  body: string;
}

export interface IrModule {
  /** Header as included, e.g. "linux/vfio.h". */
  header: string;
  /** Path of the header file that was read (the first, when the module has several). */
  headerPath: string;
  /**
   * Paths of every header the module stands for, the first being headerPath: one header, or the
   * headers of a package read as one translation unit (vfio.h, vfio_zdev.h, vfio_ccw.h). Their
   * declarations are the module's own; what they include is not.
   */
  headerPaths: readonly string[];
  records: RecordDecl[];
  enums: EnumDecl[];
  typedefs: Map<string, TypedefDecl>;
  /** Named records by tag name: "struct foo" / "union bar" -> record id (the complete one if any). */
  tags: Map<string, number>;
  /** Object-like macros the header itself defines, in definition order (candidates for constants). */
  macros: MacroConstant[];
  /**
   * Every comment of the header itself, in source order: the kernel documents an ioctl in a block
   * (`NAME - _IOWR(type, nr, struct s)`) that need not sit above any declaration.
   */
  comments: readonly Comment[];
  /** File-scope `_Static_assert`s of the translation unit (the header's and its includes'), for layout to evaluate per ABI. */
  staticAsserts?: readonly StaticAssert[];
}

/** `_Static_assert(expr, message);` at file scope (C11 6.7.10). */
export interface StaticAssert {
  /** The condition, macro-expanded, as C text. */
  expr: string;
  /** The message's string literal(s) as written; null when there is none (C23). */
  message: string | null;
  loc: SrcLoc;
}

/** Is this location inside the header itself, or one of the module's headers (not one of their includes)? */
export function inHeader(m: Pick<IrModule, 'headerPaths'>, loc: { file: string }): boolean {
  return m.headerPaths.includes(loc.file);
}
