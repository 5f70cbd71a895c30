/**
 * tree-sitter-c over the preprocessed translation unit, interpreted by a typed walk into the IR.
 * Anything the walk does not understand becomes a diagnostic with file:line:col and marks the
 * enclosing declaration unsupported: never a silently wrong layout.
 */
import { createRequire } from 'node:module';
import type { Diagnostic } from '../diagnostics.js';
import type { Attributes, EnumDecl, Field, IntKind, IrModule, RecordDecl, SrcLoc, TypeRef, TypedefDecl } from '../ir/types.js';
import { UNNAMED_BITFIELD_PREFIX, type PreprocessResult } from '../preprocess/index.js';
import { evaluate, ExprError, type CValue, type EvalEnv } from '../preprocess/expr.js';
import { spell, tokenize } from '../preprocess/tokens.js';
import { docBefore } from './doc.js';
import { topLevelNodes, type CursorTree } from './tree.js';

// Minimal structural view of tree-sitter's SyntaxNode (the package ships CJS with loose typings).
export interface SyntaxNode {
  type: string;
  text: string;
  isMissing: boolean;
  hasError: boolean;
  startPosition: { row: number; column: number };
  namedChildren: SyntaxNode[];
  children: SyntaxNode[];
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): SyntaxNode[];
  descendantsOfType(type: string): SyntaxNode[];
}

interface TsParser {
  setLanguage(lang: unknown): void;
  parse(text: string, old?: unknown, opts?: { bufferSize?: number }): { rootNode: SyntaxNode } & CursorTree;
}

let parser: TsParser | undefined;
function getParser(): TsParser {
  if (!parser) {
    const require = createRequire(import.meta.url);
    const Parser = require('tree-sitter') as (new () => TsParser) & { SyntaxNode?: unknown };
    const C = require('tree-sitter-c') as { nodeSubclasses?: unknown };
    // setLanguage evals one SyntaxNode subclass per grammar node type (~15 ms a process) only to add
    // typed field getters; the walk copies the tree through a cursor and never reads them. Supplying
    // the table first gives every node the plain class (tree-sitter 0.22.4, pinned).
    if (Parser.SyntaxNode && !C.nodeSubclasses) {
      const plain = Parser.SyntaxNode;
      C.nodeSubclasses = new Proxy([], { get: () => plain });
    }
    parser = new Parser();
    parser.setLanguage(C);
  }
  return parser;
}

/** Parse C text with the pinned grammar (exposed for tests of the grammar pin). */
export function parseC(text: string): SyntaxNode {
  return parseTree(text).rootNode;
}

function parseTree(text: string): { rootNode: SyntaxNode } & CursorTree {
  return getParser().parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) });
}

export interface ParseResult {
  ir: IrModule;
  diagnostics: Diagnostic[];
}

export function parse(pp: PreprocessResult, header: string): ParseResult {
  return new Walker(pp, header).run();
}

const STDINT: Record<string, IntKind> = {
  int8_t: 'schar', uint8_t: 'uchar', int16_t: 'short', uint16_t: 'ushort', int32_t: 'int', uint32_t: 'uint',
  int64_t: 'llong', uint64_t: 'ullong', size_t: 'ulong', ssize_t: 'long', ptrdiff_t: 'long', intptr_t: 'long',
  uintptr_t: 'ulong', char16_t: 'ushort', char32_t: 'uint', _Bool: 'bool', bool: 'bool',
};

class Walker {
  readonly diagnostics: Diagnostic[] = [];
  readonly records: RecordDecl[] = [];
  readonly enums: EnumDecl[] = [];
  readonly typedefs = new Map<string, TypedefDecl>();
  readonly tags = new Map<string, number>();
  readonly enumTags = new Map<string, number>();
  /** Enumerator values known at parse time (for array sizes and bitfield widths). */
  readonly enumValues = new Map<string, CValue>();
  /** Record currently being built, to mark it unsupported on errors inside it. */
  current: RecordDecl[] = [];
  /** Row of the translation unit where the top-level declaration being walked starts. */
  private row = 0;

  constructor(
    readonly pp: PreprocessResult,
    readonly header: string,
  ) {}

  run(): ParseResult {
    for (const { node, row } of topLevelNodes(parseTree(this.pp.text), this.pp.text)) {
      if (!node.isNamed) continue;
      this.row = row;
      this.topLevel(node);
    }
    const headerPath = this.pp.entryPath ?? this.header;
    const macros = [...this.pp.macros.values()]
      .filter((m) => m.params === null && this.pp.macroFile.get(m.name) === headerPath)
      .map((m) => {
        const doc = this.doc(m.loc);
        const expansion = this.pp.expand([{ kind: 'ident', text: m.name, loc: m.loc, space: false }]);
        return { name: m.name, loc: m.loc, expansion, body: spell(m.body), ...(doc ? { doc } : {}) };
      });
    return {
      ir: {
        header: this.header,
        headerPath,
        records: this.records,
        enums: this.enums,
        typedefs: this.typedefs,
        tags: this.tags,
        macros,
      },
      diagnostics: this.diagnostics,
    };
  }

  loc(node: SyntaxNode): SrcLoc {
    return this.pp.locate(this.row + node.startPosition.row, node.startPosition.column);
  }

  doc(loc: SrcLoc): string | undefined {
    return docBefore(this.pp.comments.get(loc.file), loc.line);
  }

  private report(node: SyntaxNode, message: string, code = 'parse-unsupported', severity: Diagnostic['severity'] = 'error'): void {
    const l = this.loc(node);
    this.diagnostics.push({ severity, code, message, file: l.file, line: l.line, col: l.col });
    for (const r of this.current) r.unsupported ??= `${message} (${l.file}:${l.line}:${l.col})`;
  }

  private topLevel(node: SyntaxNode): void {
    switch (node.type) {
      case 'struct_specifier':
      case 'union_specifier':
      case 'enum_specifier':
        this.typeSpecifier(node);
        return;
      case 'type_definition':
        this.typedef(node);
        return;
      case 'declaration': {
        const t = node.childForFieldName('type');
        if (t) this.typeSpecifier(t);
        return;
      }
      case 'function_definition':
      case 'comment':
      case 'expression_statement':
        if (node.type === 'expression_statement' && node.namedChildren.length > 0) {
          this.report(node, `unexpected statement at file scope: '${short(node.text)}'`, 'parse-error');
        }
        return;
      case 'ERROR':
        this.report(node, `cannot parse '${short(node.text)}'`, 'parse-error');
        return;
      default:
        if (node.hasError) this.report(node, `cannot parse '${short(node.text)}'`, 'parse-error');
    }
  }

  private typedef(node: SyntaxNode): void {
    const typeNode = node.childForFieldName('type');
    if (!typeNode) return;
    const base = this.typeSpecifier(typeNode);
    const attrs = this.attributes(node);
    for (const d of node.childrenForFieldName('declarator')) {
      const { name, type } = this.declarator(d, base);
      if (!name) continue;
      const doc = this.doc(this.loc(node));
      this.typedefs.set(name, { name, type, attrs, loc: this.loc(d), ...(doc ? { doc } : {}) });
    }
    if (node.hasError) this.report(node, `cannot parse typedef '${short(node.text)}'`, 'parse-error');
  }

  /** Interpret a type specifier node; registers records and enums declared inline. */
  typeSpecifier(node: SyntaxNode): TypeRef {
    switch (node.type) {
      case 'primitive_type': {
        const t = node.text;
        if (t === 'void') return { kind: 'void' };
        if (t === 'float' || t === 'double') return { kind: 'float', float: t };
        const k = intKind([t]) ?? STDINT[t];
        if (k) return { kind: 'int', int: k };
        break;
      }
      case 'sized_type_specifier': {
        const words = node.children.filter((c) => c.type !== 'type_qualifier').map((c) => c.text);
        if (words.includes('double')) return { kind: 'float', float: 'ldouble' };
        const k = intKind(words);
        if (k) return { kind: 'int', int: k };
        break;
      }
      case 'type_identifier': {
        const t = node.text;
        const std = STDINT[t];
        if (std && !this.typedefs.has(t)) return { kind: 'int', int: std };
        if (t === '__int128' || t === '__int128_t') return { kind: 'int', int: 'int128' };
        if (t === '__uint128_t') return { kind: 'int', int: 'uint128' };
        return { kind: 'typedef', name: t };
      }
      case 'struct_specifier':
      case 'union_specifier':
        return { kind: 'record', id: this.record(node) };
      case 'enum_specifier':
        return { kind: 'enum', id: this.enumSpec(node) };
    }
    this.report(node, `unsupported type '${short(node.text)}'`);
    return { kind: 'unknown', spelling: node.text };
  }

  private record(node: SyntaxNode): number {
    const tag = node.type === 'struct_specifier' ? 'struct' : 'union';
    const nameNode = node.childForFieldName('name');
    const name = nameNode?.text ?? null;
    const body = node.childForFieldName('body');
    const key = name ? `${tag} ${name}` : undefined;
    const existing = key !== undefined ? this.tags.get(key) : undefined;
    if (!body) {
      if (existing !== undefined) return existing;
      const decl: RecordDecl = { id: this.records.length, tag, name, complete: false, fields: [], attrs: {}, loc: this.loc(node) };
      this.records.push(decl);
      if (key) this.tags.set(key, decl.id);
      return decl.id;
    }
    let decl: RecordDecl;
    if (existing !== undefined && !this.records[existing]!.complete) {
      decl = this.records[existing]!;
      decl.loc = this.loc(node);
    } else {
      if (existing !== undefined) this.report(node, `redefinition of '${key}'`, 'parse-redefinition', 'warning');
      decl = { id: this.records.length, tag, name, complete: false, fields: [], attrs: {}, loc: this.loc(node) };
      this.records.push(decl);
      if (key) this.tags.set(key, decl.id);
    }
    const doc = this.doc(decl.loc);
    if (doc) decl.doc = doc;
    decl.attrs = this.attributes(node);
    this.current.push(decl);
    for (const child of body.namedChildren) this.member(child, decl);
    this.current.pop();
    decl.complete = true;
    return decl.id;
  }

  private member(node: SyntaxNode, rec: RecordDecl): void {
    if (node.type === 'comment') return;
    if (node.type !== 'field_declaration') {
      this.report(node, `unsupported member '${short(node.text)}'`, node.type === 'ERROR' ? 'parse-error' : 'parse-unsupported');
      return;
    }
    // tree-sitter marks the absent name of an unnamed bitfield (`__u64 :64;`) as MISSING: not an error.
    const unnamedBitfield = node.childrenForFieldName('declarator').every((d) => d.isMissing) && node.children.some((c) => c.type === 'bitfield_clause');
    const ownMissing = node.children.some((c) => c.isMissing) && !unnamedBitfield;
    if (node.hasError && (ownMissing || node.children.some((c) => c.type === 'ERROR' || (c.type !== 'struct_specifier' && c.type !== 'union_specifier' && c.descendantsOfType('ERROR').length > 0)))) {
      this.report(node, `cannot parse member '${short(node.text)}'`, 'parse-error');
    }
    const typeNode = node.childForFieldName('type');
    if (!typeNode) return;
    const base = this.typeSpecifier(typeNode);
    const declAttrs = this.attributes(node);
    const loc = this.loc(node);
    const doc = this.doc(loc);
    const declarators = node.childrenForFieldName('declarator');
    // Bitfield clauses follow their declarator among the children.
    const widths = new Map<SyntaxNode, SyntaxNode>();
    const kids = node.children;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.type === 'bitfield_clause') {
        const prev = [...kids.slice(0, i)].reverse().find((c) => declarators.some((d) => sameNode(d, c)));
        if (prev) widths.set(prev, k);
        else widths.set(k, k); // unnamed bitfield: no declarator (or a MISSING one)
      }
    }
    if (declarators.length === 0 || declarators.every((d) => d.isMissing)) {
      const clause = [...widths.values()][0];
      if (clause) {
        const width = this.constInt(clause.namedChildren[0]!) ?? 0; // unevaluable: record already marked unsupported
        rec.fields.push({ name: null, type: base, bitWidth: width, attrs: declAttrs, loc, ...(doc ? { doc } : {}) });
        return;
      }
      if (base.kind === 'record' && this.records[base.id]!.name === null) {
        rec.fields.push({ name: null, type: base, attrs: declAttrs, loc, ...(doc ? { doc } : {}) });
      }
      // Otherwise a nested tag declaration (`struct foo { ... };` inside a record): not a member.
      return;
    }
    for (const d of declarators) {
      const { name: declared, type } = this.declarator(d, base);
      const name = declared?.startsWith(UNNAMED_BITFIELD_PREFIX) ? null : declared;
      const field: Field = { name, type, attrs: declAttrs, loc: this.loc(d), ...(doc ? { doc } : {}) };
      const clause = [...widths.entries()].find(([k]) => sameNode(k, d))?.[1];
      if (clause) field.bitWidth = this.constInt(clause.namedChildren[0]!) ?? 0;
      rec.fields.push(field);
    }
  }

  /** Interpret a declarator around a base type: pointers, arrays, function pointers, names. */
  declarator(node: SyntaxNode, base: TypeRef): { name: string | null; type: TypeRef } {
    switch (node.type) {
      case 'field_identifier':
      case 'identifier':
      case 'type_identifier':
      case 'primitive_type': // the grammar knows stdint names: `typedef int int32_t;`
        return { name: node.text, type: base };
      case 'pointer_declarator': {
        const inner = node.childForFieldName('declarator');
        const t: TypeRef = { kind: 'pointer', to: base };
        return inner ? this.declarator(inner, t) : { name: null, type: t };
      }
      case 'array_declarator': {
        const inner = node.childForFieldName('declarator');
        const sizeNode = node.childForFieldName('size');
        let t: TypeRef = { kind: 'array', of: base, length: null };
        if (sizeNode) {
          // Lengths with sizeof/_Alignof depend on the ABI: layout evaluates those.
          const abiDependent = /\b(sizeof|_Alignof|__alignof__)\b/.test(sizeNode.text);
          t = abiDependent
            ? { kind: 'array', of: base, length: null, lengthExpr: sizeNode.text }
            : { kind: 'array', of: base, length: this.constInt(sizeNode) };
        }
        // int a[2][3]: the outer node carries [3], so the inner declarator sees array-of-3.
        return inner ? this.declarator(inner, t) : { name: null, type: t };
      }
      case 'function_declarator': {
        const inner = node.childForFieldName('declarator');
        const t: TypeRef = { kind: 'function' };
        return inner ? this.declarator(inner, t) : { name: null, type: t };
      }
      case 'parenthesized_declarator': {
        const inner = node.namedChildren.find((c) => c.type !== 'attribute_specifier');
        return inner ? this.declarator(inner, base) : { name: null, type: base };
      }
      case 'attributed_declarator': {
        const inner = node.namedChildren.find((c) => c.type !== 'attribute_specifier');
        return inner ? this.declarator(inner, base) : { name: null, type: base };
      }
    }
    this.report(node, `unsupported declarator '${short(node.text)}'`);
    return { name: null, type: { kind: 'unknown', spelling: node.text } };
  }

  private enumSpec(node: SyntaxNode): number {
    const nameNode = node.childForFieldName('name');
    const name = nameNode?.text ?? null;
    const body = node.childForFieldName('body');
    const existing = name ? this.enumTags.get(name) : undefined;
    if (!body && existing !== undefined) return existing;
    const decl: EnumDecl = { id: this.enums.length, name, enumerators: [], attrs: this.attributes(node), loc: this.loc(node) };
    const doc = this.doc(decl.loc);
    if (doc) decl.doc = doc;
    this.enums.push(decl);
    if (name) this.enumTags.set(name, decl.id);
    let prev: CValue | undefined;
    for (const e of body?.namedChildren ?? []) {
      if (e.type !== 'enumerator') continue;
      const n = e.childForFieldName('name')!.text;
      const v = e.childForFieldName('value');
      const loc = this.loc(e);
      const edoc = this.doc(loc);
      decl.enumerators.push({ name: n, valueText: v ? v.text : null, loc, ...(edoc ? { doc: edoc } : {}) });
      // Parse-time value (LP64 view) for array sizes; per-ABI values are computed in layout.
      let value: CValue | undefined;
      try {
        value = v ? this.evalText(v.text) : prev ? { value: prev.value + 1n, type: prev.type } : { value: 0n, type: { bits: 32, signed: true, rank: 1 } };
      } catch {
        value = undefined;
      }
      if (value) this.enumValues.set(n, value);
      prev = value;
    }
    return decl.id;
  }

  private evalText(text: string): CValue {
    const toks = tokenize(text, '<expr>').lines.flatMap((l) => l.tokens);
    const env: EvalEnv = { model: { longBits: 64 }, preprocessor: false, ident: (n) => this.enumValues.get(n) };
    return evaluate(toks, env);
  }

  /** An array size or bitfield width: an integer constant expression without sizeof. */
  private constInt(node: SyntaxNode): number | null {
    try {
      const v = this.evalText(node.text);
      return Number(v.value);
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      this.report(node, `cannot evaluate '${short(node.text)}': ${e.message}`);
      return null;
    }
  }

  /** Collect GNU attributes that are direct children of a node. */
  attributes(node: SyntaxNode): Attributes {
    const attrs: Attributes = {};
    for (const a of node.children) {
      if (a.type !== 'attribute_specifier') continue;
      for (const item of a.namedChildren[0]?.namedChildren ?? []) {
        const fn = item.type === 'call_expression' ? item.childForFieldName('function')?.text : item.text;
        const args = item.type === 'call_expression' ? (item.childForFieldName('arguments')?.namedChildren ?? []) : [];
        const name = (fn ?? '').replace(/^__(.*)__$/, '$1');
        switch (name) {
          case 'packed':
            attrs.packed = true;
            break;
          case 'aligned':
            if (args.length === 0) attrs.aligned = 'max';
            else {
              const n = this.constInt(args[0]!);
              if (n !== null && n > 0 && (n & (n - 1)) === 0) attrs.aligned = Math.max(typeof attrs.aligned === 'number' ? attrs.aligned : 0, n);
              else this.report(item, `aligned(${args[0]!.text}) is not a power of two`);
            }
            break;
          case 'counted_by':
            if (args[0]) attrs.countedBy = args[0].text;
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
            this.report(item, `unsupported attribute '${short(item.text)}'`);
        }
      }
    }
    return attrs;
  }
}

/** Canonical integer kind from the words of a type specifier (C11 6.7.2p2). */
function intKind(words: readonly string[]): IntKind | undefined {
  const has = (w: string): boolean => words.includes(w);
  const longs = words.filter((w) => w === 'long').length;
  const unsigned = has('unsigned');
  if (has('_Bool') || has('bool')) return 'bool';
  if (has('char')) return unsigned ? 'uchar' : has('signed') ? 'schar' : 'char';
  if (has('short')) return unsigned ? 'ushort' : 'short';
  if (longs === 2) return unsigned ? 'ullong' : 'llong';
  if (longs === 1) return unsigned ? 'ulong' : 'long';
  if (has('int') || has('signed') || unsigned) return unsigned ? 'uint' : 'int';
  return undefined;
}

function sameNode(a: SyntaxNode, b: SyntaxNode): boolean {
  return a.startPosition.row === b.startPosition.row && a.startPosition.column === b.startPosition.column && a.type === b.type;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
