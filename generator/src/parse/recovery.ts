/**
 * Where tree-sitter's reading of a translation unit goes wrong. Syntax errors (ERROR and MISSING
 * nodes) are found and worded as gcc reports them; valid GNU C that tree-sitter-c cannot read is
 * adjusted before parsing or not reported (an extra `;` in a struct, an unnamed bitfield, the body
 * of an inline function); records a syntax error swallowed are kept, as unsupported, rather than
 * lost.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { RecordDecl, SrcLoc } from '../ir/types.js';
import type { OutToken } from '../preprocess/index.js';
import { short, type SyntaxNode } from './syntax-node.js';

/** Where a top-level declaration sits in the translation unit, to place its errors. */
export interface Placement {
  /** Row of the translation unit where the declaration starts. */
  row: number;
  /** The translation unit's tokens with their positions. */
  tokens: readonly OutToken[];
  /** Source position of a node of the declaration. */
  loc(node: SyntaxNode): SrcLoc;
}

export interface PlacedSyntaxError {
  loc: SrcLoc;
  message: string;
  severity: Diagnostic['severity'];
}

/** The records and tags the walk has built so far. */
export interface RecordTable {
  readonly records: RecordDecl[];
  readonly tags: Map<string, number>;
  loc(node: SyntaxNode): SrcLoc;
}

/**
 * The ERROR and MISSING nodes of a tree, outermost first in document order, with gcc-like messages.
 * Iterative: trees may be deeper than the JS stack.
 */
export function syntaxErrors(root: SyntaxNode): { node: SyntaxNode; message: string }[] {
  const out: { node: SyntaxNode; message: string }[] = [];
  const stack: { node: SyntaxNode; parent: SyntaxNode | null }[] = [{ node: root, parent: null }];
  while (stack.length > 0) {
    const { node, parent } = stack.pop()!;
    if (!node.hasError) continue;
    if (node.type === 'ERROR') {
      out.push({ node, message: `cannot parse '${short(node.text)}'` });
      continue; // errors inside it are part of this one
    }
    if (node.isMissing) {
      // The absent name of an unnamed bitfield (`__u64 :64;`) is how tree-sitter reads valid C.
      const unnamedBitfield = node.type === 'field_identifier' && parent?.type === 'field_declaration' && parent.children.some((c) => c.type === 'bitfield_clause');
      if (!unnamedBitfield) out.push({ node, message: /^[a-z_]+$/.test(node.type) ? `expected ${node.type.replace(/_/g, ' ')}` : `expected '${node.type}'` });
      continue;
    }
    // The body of an inline function is code we neither walk nor emit, and tree-sitter cannot
    // parse all of it (`offsetof(struct x, m)`): not ours to judge. Only a real function
    // definition: `struct a {...} struct b {...};` (a missing ';') also reads as one.
    const body = node.type === 'function_definition' && isFunctionDeclarator(node.childForFieldName('declarator')) ? node.childForFieldName('body') : null;
    for (let i = node.children.length - 1; i >= 0; i--) {
      const c = node.children[i]!;
      if (c !== body) stack.push({ node: c, parent: node });
    }
  }
  return out;
}

function isFunctionDeclarator(d: SyntaxNode | null): boolean {
  for (let n = d; n; n = n.childForFieldName('declarator')) {
    if (n.type === 'function_declarator') return true;
    if (n.type !== 'pointer_declarator' && n.type !== 'parenthesized_declarator' && n.type !== 'attributed_declarator') return false;
  }
  return false;
}

/**
 * Where and how to report a syntax error node, as gcc does. A MISSING token is zero-width at the
 * end of the token before it; gcc reports "expected ';' before 'b'" at the next token, and so do we.
 */
export function placeSyntaxError(node: SyntaxNode, message: string, at: Placement): PlacedSyntaxError {
  // gcc accepts an extra `;` in a struct (a -pedantic warning); tree-sitter makes it an ERROR.
  if (node.type === 'ERROR' && node.children.length > 0 && node.children.every((c) => c.type === ';')) {
    return { loc: at.loc(node), message: 'extra semicolon in struct or union specified', severity: 'warning' };
  }
  if (!node.isMissing) return { loc: at.loc(node), message, severity: 'error' };
  const row = at.row + node.startPosition.row;
  const col = node.startPosition.column;
  const toks = at.tokens;
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const t = toks[mid]!;
    if (t.row < row || (t.row === row && t.col < col)) lo = mid + 1;
    else hi = mid;
  }
  const next = toks[lo];
  if (!next) return { loc: at.loc(node), message: `${message} at end of input`, severity: 'error' };
  return { loc: next.token.loc, message: `${message} before '${next.token.text}'`, severity: 'error' };
}

/**
 * `struct NAME {` among nodes a syntax error left: the record exists, as unsupported (for
 * `syntaxError`, the first error of its declaration, if known).
 */
export function salvageRecords(into: RecordTable, kids: readonly SyntaxNode[], syntaxError: string | undefined): void {
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    const tag = k.text;
    const name = kids[i + 1];
    if ((tag === 'struct' || tag === 'union') && name && /^[A-Za-z_]\w*$/.test(name.text) && kids[i + 2]?.text.startsWith('{')) {
      const key = `${tag} ${name.text}`;
      const existing = into.tags.get(key);
      if (existing !== undefined && into.records[existing]!.complete) continue;
      const decl: RecordDecl = existing !== undefined
        ? into.records[existing]!
        : { id: into.records.length, tag, name: name.text, complete: false, fields: [], attrs: {}, loc: into.loc(k) };
      if (existing === undefined) {
        into.records.push(decl);
        into.tags.set(key, decl.id);
      }
      decl.loc = into.loc(k);
      decl.complete = true;
      decl.unsupported ??= syntaxError ?? `cannot parse ${key}`;
    }
  }
}

/**
 * tree-sitter-c cannot parse an attribute between a declarator and its initializer
 * (`static const struct d t[] __attribute__((unused)) = {...};`, asm/amd_hsmp.h), and its error
 * recovery can swallow the records after it. Only objects have initializers, and we lay out no
 * objects: such attributes are blanked (same length, so every row and column stays put).
 */
export function blankInitializerAttributes(text: string): string {
  let out = text;
  const re = /\b__attribute(__)?\b/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let i = m.index + m[0].length;
    while (/\s/.test(text[i] ?? '')) i++;
    if (text[i] !== '(') continue;
    let depth = 0;
    for (; i < text.length; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')' && --depth === 0) break;
    }
    if (depth !== 0) continue;
    let j = i + 1;
    while (/\s/.test(text[j] ?? '')) j++;
    if (text[j] !== '=' || text[j + 1] === '=') continue;
    out = out.slice(0, m.index) + text.slice(m.index, i + 1).replace(/[^\n]/g, ' ') + out.slice(i + 1);
  }
  return out;
}
