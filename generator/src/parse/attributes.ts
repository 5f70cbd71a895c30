/**
 * GNU attributes (`__attribute__((...))`) as gcc reads them: which declarator or type each applies
 * to, where it is written (after a tag, after a declarator, on a type), and how several combine.
 */
import type { Attributes } from '../ir/types.js';
import { sameNode, short, type SyntaxNode } from './syntax-node.js';

/** What reading attributes needs from the walk. */
export interface AttributeContext {
  /** An attribute we reject: an error, and the record being built is unsupported. */
  report(node: SyntaxNode, message: string): void;
  /** An integer constant expression (an alignment); null when it cannot be evaluated (reported). */
  constInt(node: SyntaxNode): number | null;
  /** The same, exactly (a bigint: alignments up to 2^64 are checked before they become numbers). */
  constBig(node: SyntaxNode): bigint | null;
  /** Is this tag defined yet (a complete struct or union, a declared enum)? */
  tagDefined(tag: 'struct' | 'union' | 'enum', name: string): boolean;
}

/**
 * Attributes written inside a struct/union/enum specifier that has no body, `struct a1
 * __attribute__((aligned(16))) *p;`: gcc reads those after the tag as attributes of the
 * declaration specifiers, so they apply to the declared member or typedef (the member is aligned
 * to 16, not the struct). Between the keyword and the tag of an already defined type gcc ignores
 * them; for a tag not yet defined we do not know what gcc does, so that is an error.
 */
export function referenceAttributes(cx: AttributeContext, typeNode: SyntaxNode): Attributes[] {
  if (!['struct_specifier', 'union_specifier', 'enum_specifier'].includes(typeNode.type)) return [];
  if (typeNode.childForFieldName('body')) return []; // a definition: attributes of the type (record()/enumSpec())
  const nameNode = typeNode.childForFieldName('name');
  const kids = typeNode.children;
  const nameAt = nameNode ? kids.findIndex((k) => sameNode(k, nameNode)) : -1;
  const after: SyntaxNode[] = [];
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.type !== 'attribute_specifier') continue;
    if (i > nameAt) {
      after.push(k);
      continue;
    }
    const tag = typeNode.type === 'struct_specifier' ? 'struct' : typeNode.type === 'union_specifier' ? 'union' : 'enum';
    const key = nameNode ? `${tag} ${nameNode.text}` : undefined;
    const defined = nameNode !== null && cx.tagDefined(tag, nameNode.text);
    if (!defined) cx.report(k, `unsupported attribute before the tag of ${key ?? tag} that is not defined yet: '${short(k.text)}'`);
  }
  return attributeItems(cx, after);
}

/**
 * The attributes of a declaration with several declarators, each attribute item in source order:
 * those of the declaration specifiers (before the first declarator, or after the tag of a
 * referenced struct) apply to every declarator; one after a declarator only to that one
 * (`int e, f __attribute__((aligned(16)));` aligns f, not e).
 */
export function splitAttributes(cx: AttributeContext, node: SyntaxNode, typeNode: SyntaxNode, declarators: readonly SyntaxNode[]): { common: Attributes[]; own: Map<SyntaxNode, Attributes[]> } {
  const common: Attributes[] = [];
  const own = new Map<SyntaxNode, Attributes[]>();
  let last: SyntaxNode | undefined;
  for (const k of node.children) {
    if (sameNode(k, typeNode)) {
      common.push(...referenceAttributes(cx, typeNode));
      continue;
    }
    const d = declarators.find((x) => sameNode(x, k));
    if (d) {
      last = d;
      continue;
    }
    if (k.type !== 'attribute_specifier') continue;
    const items = attributeItems(cx, [k]);
    if (last) own.set(last, [...(own.get(last) ?? []), ...items]);
    else common.push(...items);
  }
  return { common, own };
}

/** The GNU attributes among nodes, one Attributes per attribute item, in source order. */
export function attributeItems(cx: AttributeContext, nodes: readonly SyntaxNode[]): Attributes[] {
  const out: Attributes[] = [];
  for (const a of nodes) {
    if (a.type !== 'attribute_specifier') continue;
    for (const item of a.namedChildren[0]?.namedChildren ?? []) {
      const attrs: Attributes = {};
      out.push(attrs);
      const fn = item.type === 'call_expression' ? item.childForFieldName('function')?.text : item.text;
      const args = item.type === 'call_expression' ? (item.childForFieldName('arguments')?.namedChildren ?? []) : [];
      const name = (fn ?? '').replace(/^__(.*)__$/, '$1');
      switch (name) {
        case 'packed':
          // gcc: "wrong number of arguments specified for 'packed' attribute", an error.
          if (args.length > 0) cx.report(item, `wrong number of arguments specified for 'packed' attribute`);
          else attrs.packed = true;
          break;
        case 'aligned':
          if (args.length > 1) cx.report(item, `wrong number of arguments specified for 'aligned' attribute`);
          else if (args.length === 0) attrs.aligned = 'max';
          else if (/\b(sizeof|_Alignof|__alignof__|__alignof)\b/.test(args[0]!.text)) {
            // Depends on the ABI: layout evaluates it (and reports it if it cannot).
            attrs.alignedExprs = [args[0]!.text];
          } else {
            const n = cx.constBig(args[0]!); // null: reported, the record is unsupported
            const why = n === null ? undefined : alignmentError(n, args[0]!.text);
            if (n !== null && why === undefined) attrs.aligned = Number(n);
            else if (why !== undefined) cx.report(item, why);
          }
          break;
        case 'counted_by':
          if (args[0]) attrs.countedBy = args[0].text;
          break;
        case 'uapi_ts_complex':
          // `_Complex` / `__complex__` (ANNOTATION_MACROS spells them so): the walk makes the type complex.
          attrs.complex = true;
          break;
        case 'deprecated':
        case 'unused':
        case 'used':
        case 'may_alias':
        case 'nonstring':
        case 'designated_init':
        case 'randomize_layout':
        case 'no_randomize_layout':
        case 'const':
        case 'pure':
        case 'noreturn':
        case 'always_inline':
          break;
        default:
          cx.report(item, `unsupported attribute '${short(item.text)}'`);
      }
    }
  }
  return out;
}

/**
 * Attribute items of a declaration (a member), in any order: packed if any says so; every aligned()
 * counts and the largest wins (gcc never lowers a FIELD_DECL's alignment). A bare `aligned` and a
 * number: which is larger depends on the ABI, so both go to layout.
 */
export function foldDeclAttributes(items: readonly Attributes[]): Attributes {
  const out: Attributes = {};
  for (const b of items) {
    if (b.packed) out.packed = true;
    if (b.complex) out.complex = true;
    if (b.countedBy !== undefined) out.countedBy ??= b.countedBy;
    if (b.alignas) out.alignas = [...(out.alignas ?? []), ...b.alignas];
    if (b.alignedExprs) out.alignedExprs = [...(out.alignedExprs ?? []), ...b.alignedExprs];
    if (b.aligned === undefined) continue;
    if (out.aligned === undefined || out.aligned === b.aligned) out.aligned = b.aligned;
    else if (typeof out.aligned === 'number' && typeof b.aligned === 'number') out.aligned = Math.max(out.aligned, b.aligned);
    else {
      (out.alignedExprs ??= []).push(String(out.aligned === 'max' ? b.aligned : out.aligned));
      out.aligned = 'max';
    }
  }
  return out;
}

/** Attribute items of a type (a record, a typedef), in the order gcc applies them: the last aligned() wins. */
export function foldTypeAttributes(items: readonly Attributes[]): Attributes {
  const out: Attributes = {};
  for (const b of items) {
    if (b.packed) out.packed = true;
    if (b.complex) out.complex = true;
    if (b.countedBy !== undefined) out.countedBy ??= b.countedBy;
    if (b.aligned !== undefined || b.alignedExprs) {
      delete out.aligned;
      delete out.alignedExprs;
      if (b.aligned !== undefined) out.aligned = b.aligned;
      if (b.alignedExprs) out.alignedExprs = b.alignedExprs;
    }
  }
  return out;
}

/**
 * The largest alignment gcc accepts on ELF targets (MAX_OFILE_ALIGNMENT, 2^28 bytes): "requested
 * alignment 'N' exceeds maximum 268435456".
 */
export const MAX_ALIGNMENT = 1n << 28n;

/** Why an alignment value is refused, as gcc words it, or undefined when it is a valid one. */
export function alignmentError(n: bigint, text: string): string | undefined {
  if (n <= 0n || (n & (n - 1n)) !== 0n) return `requested alignment '${text}' is not a positive power of 2`;
  if (n > MAX_ALIGNMENT) return `requested alignment '${n}' exceeds maximum ${MAX_ALIGNMENT}`;
  return undefined;
}
