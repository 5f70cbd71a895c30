/**
 * The typed walk: tree-sitter's tree of the preprocessed translation unit interpreted into the IR
 * (records and their members, enums, typedefs, declarators, and the header's macro constants).
 * Anything the walk does not understand becomes a diagnostic with file:line:col and marks the
 * enclosing declaration unsupported: never a silently wrong layout.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Attributes, EnumDecl, Field, IntKind, IrModule, RecordDecl, SrcLoc, StaticAssert, TypeRef, TypedefDecl } from '../ir/types.js';
import { mergeAdjacentAttributes, moveTagAttributes, moveTypedefLeadingAttributes, moveTypedefSpecifierAttributes, takeStaticAsserts } from './adjust.js';
import { evaluate, ExprError, fitsInt, folded, notIntegerConstant, type CValue, type EvalEnv } from '../preprocess/expr.js';
import { UNNAMED_BITFIELD_PREFIX, type PreprocessResult } from '../preprocess/index.js';
import { spellType } from '../ir/spell.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { spell, tokenize } from '../preprocess/tokens.js';
import { attributeItems, foldDeclAttributes, foldTypeAttributes, splitAttributes, type AttributeContext } from './attributes.js';
import { docBefore } from './doc.js';
import { blankInitializerAttributes, placeSyntaxError, salvageRecords, syntaxErrors, type Placement, type RecordTable } from './recovery.js';
import { sameNode, short, type SyntaxNode } from './syntax-node.js';
import { parseTree } from './tree-sitter.js';
import { topLevelNodes } from './tree.js';

/**
 * Expressions whose value depends on the ABI, so layout evaluates them per ABI: sizeof/_Alignof,
 * `long` (32 or 64 bits: casts, L/UL literals) and character constants ('\377' is -1 where plain
 * char is signed, 255 where it is unsigned; found by the differential fuzzer, test/gcc/fuzz).
 */
const ABI_DEPENDENT = /\b(sizeof|_Alignof|__alignof__|__alignof|long)\b|'|\b(0[xX][0-9a-fA-F]+|[0-9]+)([uU]?[lL]|[lL][uU])\b/;
/** Words that start a type name (after `(`: a cast, or sizeof's operand). */
const TYPE_WORDS = new Set(['char', 'short', 'int', 'long', 'signed', 'unsigned', '_Bool', 'struct', 'union', 'enum', 'const', 'volatile', '__signed__', '__typeof__', 'typeof']);

export interface ParseResult {
  ir: IrModule;
  diagnostics: Diagnostic[];
}

const STDINT: Record<string, IntKind> = {
  int8_t: 'schar', uint8_t: 'uchar', int16_t: 'short', uint16_t: 'ushort', int32_t: 'int', uint32_t: 'uint',
  int64_t: 'llong', uint64_t: 'ullong', size_t: 'ulong', ssize_t: 'long', ptrdiff_t: 'long', intptr_t: 'long',
  uintptr_t: 'ulong', char16_t: 'ushort', char32_t: 'uint', _Bool: 'bool', bool: 'bool',
};

/** The walk over one translation unit's tree, building the IR module. */
export class Walker implements AttributeContext, RecordTable {
  readonly diagnostics: Diagnostic[] = [];
  readonly records: RecordDecl[] = [];
  readonly enums: EnumDecl[] = [];
  readonly typedefs = new Map<string, TypedefDecl>();
  readonly tags = new Map<string, number>();
  readonly enumTags = new Map<string, number>();
  /** Enumerator values known at parse time (for array sizes and bitfield widths). */
  readonly enumValues = new Map<string, CValue>();
  /** Enumerators whose value depends on the ABI or that parse cannot evaluate (layout does, per ABI). */
  private readonly abiEnums = new Set<string>();
  /** The kind each tag was first declared as. */
  private readonly tagKinds = new Map<string, 'struct' | 'union' | 'enum'>();
  /** Record currently being built, to mark it unsupported on errors inside it. */
  current: RecordDecl[] = [];
  /** Row of the translation unit where the top-level declaration being walked starts. */
  private row = 0;
  /**
   * Set while walking a top-level declaration that has a syntax error: every record defined in it
   * is unsupported for that reason (tree-sitter's recovery may have dropped or misread members).
   */
  private syntaxError: string | undefined;
  /** Nesting depth of type specifiers and declarators being walked (see MAX_NESTING). */
  private depth = 0;

  constructor(
    readonly pp: PreprocessResult,
    readonly header: string,
    /** Limits.maxMembers: members of one struct or union. */
    readonly maxMembers = DEFAULT_LIMITS.maxMembers,
  ) {}

  run(): ParseResult {
    const taken = takeStaticAsserts(blankInitializerAttributes(this.pp.text));
    // Merged last: a moved tag attribute can land beside one after the closing brace.
    const text = mergeAdjacentAttributes(moveTagAttributes(moveTypedefSpecifierAttributes(moveTypedefLeadingAttributes(taken.text))));
    const staticAsserts: StaticAssert[] = taken.asserts.map((a) => ({ expr: a.expr, message: a.message, loc: this.pp.locate(a.row, a.col) }));
    const tree = parseTree(text);
    // `unsigned long` alone at the end of input: tree-sitter makes the whole unit an ERROR whose
    // children each look fine. gcc: "expected identifier or '(' at end of input" (found by the fuzzer).
    let unitError = tree.rootNode.type === 'ERROR';
    let last: { node: SyntaxNode; row: number } | undefined;
    for (const { node, row } of topLevelNodes(tree, text)) {
      this.row = row;
      last = { node, row };
      const at: Placement | undefined = node.hasError ? { row, tokens: this.pp.tokens, loc: (n) => this.loc(n) } : undefined;
      const errors = at ? syntaxErrors(node).map((e) => placeSyntaxError(e.node, e.message, at)) : [];
      if (errors.some((e) => e.severity === 'error')) unitError = false;
      for (const e of errors) this.reportAt(e.loc, e.message, e.severity === 'error' ? 'parse-error' : 'parse-extra-semicolon', e.severity);
      if (!node.isNamed) continue;
      const first = errors.find((e) => e.severity === 'error');
      if (first) this.syntaxError = `syntax error: ${first.message} (${first.loc.file}:${first.loc.line}:${first.loc.col})`;
      try {
        this.topLevel(node);
      } catch (e) {
        // Backstop for recursion deeper than the stack that MAX_NESTING does not bound.
        if (!isStackOverflow(e)) throw e;
        this.report(node, `declaration nested too deeply`, 'parse-too-deep');
        for (const r of this.current) r.complete = true;
        this.current = [];
        this.depth = 0;
      }
      this.syntaxError = undefined;
    }
    if (unitError && last) {
      this.row = last.row;
      this.report(last.node, "expected identifier or '(' at end of input", 'parse-error');
    }
    const headerPath = this.pp.entryPath ?? this.header;
    const headerPaths = this.pp.entryPaths.length > 0 ? [...new Set(this.pp.entryPaths)] : [headerPath];
    const own = new Set(headerPaths);
    const macros = [...this.pp.macros.values()]
      .filter((m) => m.params === null && own.has(this.pp.macroFile.get(m.name) ?? ''))
      .map((m) => {
        const doc = this.doc(m.loc);
        const expansion = this.pp.expand([{ kind: 'ident', text: m.name, loc: m.loc, space: false }]);
        return { name: m.name, loc: m.loc, expansion, body: spell(m.body), ...(doc ? { doc } : {}) };
      });
    return {
      ir: {
        header: this.header,
        headerPath,
        headerPaths,
        records: this.records,
        enums: this.enums,
        typedefs: this.typedefs,
        tags: this.tags,
        macros,
        comments: headerPaths.flatMap((p) => this.pp.comments.get(p) ?? []),
        ...(staticAsserts.length > 0 ? { staticAsserts } : {}),
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

  report(node: SyntaxNode, message: string, code = 'parse-unsupported', severity: Diagnostic['severity'] = 'error'): void {
    this.reportAt(this.loc(node), message, code, severity);
  }

  private reportAt(l: SrcLoc, message: string, code = 'parse-unsupported', severity: Diagnostic['severity'] = 'error'): void {
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
      case 'function_definition': {
        // A record missing its closing `;` reads as the return type of a function definition:
        // keep the record (as unsupported, for the syntax error) rather than lose it.
        // The next record's `struct b {` then reads as `struct` ERROR(b) { ... }: salvage it too.
        if (!this.syntaxError) return;
        const t = node.childForFieldName('type');
        if (t && (t.type === 'struct_specifier' || t.type === 'union_specifier' || t.type === 'enum_specifier')) this.typeSpecifier(t);
        salvageRecords(this, node.children.filter((c) => c !== t), this.syntaxError);
        return;
      }
      case 'comment':
      case 'expression_statement':
        if (node.type === 'expression_statement' && node.namedChildren.length > 0 && !node.hasError) {
          this.report(node, `unexpected statement at file scope: '${short(node.text)}'`, 'parse-error');
        }
        return;
      case 'ERROR':
        // Reported by run(). What tree-sitter could still read inside is kept, as unsupported.
        this.inError(node);
        return;
      // MISSING nodes were reported by run().
    }
  }

  /**
   * A top-level ERROR: declarations recognisable inside it are walked (the syntax error marks their
   * records unsupported); a `struct name {` whose body was swallowed becomes an unsupported record,
   * so the struct is reported as such rather than missing from the output.
   */
  private inError(node: SyntaxNode): void {
    const rest: SyntaxNode[] = [];
    for (const k of node.children) {
      if (['struct_specifier', 'union_specifier', 'enum_specifier', 'type_definition', 'declaration'].includes(k.type)) this.topLevel(k);
      else rest.push(k);
    }
    salvageRecords(this, rest, this.syntaxError);
  }

  private typedef(node: SyntaxNode): void {
    const typeNode = node.childForFieldName('type');
    if (!typeNode) return;
    const errorsBefore = this.diagnostics.length;
    const declarators = node.childrenForFieldName('declarator');
    const { common, own } = splitAttributes(this, node, typeNode, declarators);
    const base = this.complexify(this.typeSpecifier(typeNode), common, typeNode);
    // An attribute we reject (reported) would change the type: the typedef has no layout.
    const badAttrs = this.diagnostics.length > errorsBefore;
    for (const d of declarators) {
      // gcc applies a typedef's own attributes (after its declarator) first, then those of the
      // declaration specifiers; of several aligned() on a type the last one wins (it may lower).
      const attrs = foldTypeAttributes([...(own.get(d) ?? []), ...common]);
      const { name, type } = this.declarator(d, base);
      if (!name) continue;
      const doc = this.doc(this.loc(node));
      // A typedef with a syntax error may have been misread: using it is an error, not a guess.
      const t: TypeRef = this.syntaxError
        ? { kind: 'unknown', spelling: `${name} (${this.syntaxError})` }
        : badAttrs
          ? { kind: 'unknown', spelling: `${name} (unsupported attribute)` }
          : type;
      const prev = this.typedefs.get(name);
      // C11 6.7p3: a typedef may be redefined only to the same type (gcc: "conflicting types for").
      if (prev && !sameTypedef(prev.type, prev.attrs, t, attrs)) {
        this.report(d, `conflicting types for '${name}'; have '${short(spellTypeRef(t, this))}', previously '${short(spellTypeRef(prev.type, this))}' (${prev.loc.file}:${prev.loc.line}:${prev.loc.col})`, 'parse-error');
        continue;
      }
      this.typedefs.set(name, { name, type: t, attrs, loc: this.loc(d), ...(doc ? { doc } : {}) });
    }
  }

  /** Interpret a type specifier node; registers records and enums declared inline. */
  typeSpecifier(node: SyntaxNode): TypeRef {
    if (this.depth >= MAX_NESTING) {
      this.report(node, `type nested too deeply (more than ${MAX_NESTING} levels)`, 'parse-too-deep');
      return { kind: 'unknown', spelling: short(node.text) };
    }
    this.depth++;
    try {
      return this.typeSpecifierAt(node);
    } finally {
      this.depth--;
    }
  }

  private typeSpecifierAt(node: SyntaxNode): TypeRef {
    switch (node.type) {
      case 'primitive_type': {
        const t = node.text;
        if (t === 'void') return { kind: 'void' };
        if (t === 'float' || t === 'double') return { kind: 'float', float: t };
        const k = intKind([t]);
        if (k) return { kind: 'int', int: k };
        // The grammar reads <stdint.h>/<stddef.h> names as primitive types; in C they are typedefs:
        // what the header (or the built-in model of the header it includes) declares, else unknown.
        if (this.typedefs.has(t)) return { kind: 'typedef', name: t };
        if (STDINT[t]) {
          const rec = this.current[this.current.length - 1];
          this.report(node, `unknown type name '${t}'${rec ? ` (in ${recordName(rec)})` : ''}`, 'parse-unknown-type');
          return { kind: 'unknown', spelling: t };
        }
        break;
      }
      case 'sized_type_specifier': {
        // The grammar takes `unsigned short a unsigned short b;` (a member's `;` missing) as one
        // `unsigned short <type a> unsigned short` declaring b; in C a typedef name cannot follow
        // unsigned/short/long (gcc: "expected ';' ..."), only the keyword __int128 can. Found by the fuzzer.
        const named = node.children.find((c) => c.type === 'type_identifier' && c.text !== '__int128');
        if (named) {
          const before = node.children.slice(0, node.children.indexOf(named)).map((c) => c.text).join(' ');
          this.report(named, `'${named.text}' cannot follow '${short(before)}' (a type name after unsigned/short/long; a ';' missing?)`, 'parse-error');
          return { kind: 'unknown', spelling: node.text };
        }
        const words = node.children.filter((c) => c.type !== 'type_qualifier').map((c) => c.text);
        if (words.includes('double')) return { kind: 'float', float: 'ldouble' };
        const k = intKind(words);
        if (k) return { kind: 'int', int: k };
        break;
      }
      case 'type_identifier': {
        const t = node.text;
        if (t === '_Bool') return { kind: 'int', int: 'bool' }; // a keyword the grammar reads as a name
        if (t === '__int128' || t === '__int128_t') return { kind: 'int', int: 'int128' };
        if (t === '__uint128_t') return { kind: 'int', int: 'uint128' };
        // C declares a typedef before its use; gcc: "unknown type name", at the type.
        if (!this.typedefs.has(t)) {
          const rec = this.current[this.current.length - 1];
          this.report(node, `unknown type name '${t}'${rec ? ` (in ${recordName(rec)})` : ''}`, 'parse-unknown-type');
          return { kind: 'unknown', spelling: t };
        }
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
    if (nameNode) this.tagKind(nameNode, tag);
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
      // gcc (-std=gnu11): an error, as C before C23 has it.
      if (existing !== undefined) this.report(nameNode ?? node, `redefinition of '${key}'`, 'parse-redefinition');
      decl = { id: this.records.length, tag, name, complete: false, fields: [], attrs: {}, loc: this.loc(node) };
      this.records.push(decl);
      if (key) this.tags.set(key, decl.id);
    }
    const doc = this.doc(decl.loc);
    if (doc) decl.doc = doc;
    this.current.push(decl); // before its attributes: a bad one makes the record unsupported
    // On a type, of several aligned() the last one wins (gcc): `struct s {...} __attribute__((aligned(64), aligned(4)))` is 4-aligned.
    decl.attrs = foldTypeAttributes(attributeItems(this, node.children));
    for (const child of body.namedChildren) {
      if (decl.fields.length >= this.maxMembers) {
        this.report(child, `${recordName(decl)} has more than ${this.maxMembers} members; raise the budget with --max-members`, 'parse-budget-members');
        break;
      }
      this.member(child, decl);
    }
    this.checkMembers(decl);
    this.applyPack(decl, body);
    this.current.pop();
    if (this.syntaxError) decl.unsupported ??= this.syntaxError;
    decl.complete = true;
    return decl.id;
  }

  /**
   * The `#pragma pack` state at the record's closing brace: gcc lays a record out when it is
   * complete, under the maximum field alignment in effect then (a pack changed inside the body
   * applies to the whole record; nested records each take the state at their own brace).
   */
  private applyPack(decl: RecordDecl, body: SyntaxNode): void {
    const close = body.children[body.children.length - 1];
    const at = close && !close.isMissing ? close : body;
    const state = this.pp.packAt(this.row + at.startPosition.row, at.startPosition.column);
    if (state.unknown !== undefined) decl.unsupported ??= state.unknown;
    else if (state.align > 0) decl.pack = state.align;
  }

  /** Constraints gcc checks once a record's members are known (C11 6.7.2.1). */
  private checkMembers(rec: RecordDecl): void {
    // Members of anonymous struct/union members are members of this record (C11 6.7.2.1p13).
    const seen = new Set<string>();
    const visit = (fields: readonly Field[]): void => {
      for (const f of fields) {
        if (f.name === null) {
          if (f.type.kind === 'record' && f.bitWidth === undefined) visit(this.records[f.type.id]!.fields);
          continue;
        }
        if (seen.has(f.name)) this.reportAt(f.loc, `duplicate member '${f.name}' in ${recordName(rec)}`, 'parse-error');
        seen.add(f.name);
      }
    };
    visit(rec.fields);
    // gcc: "flexible array member in union" (the kernel's __DECLARE_FLEX_ARRAY wraps one in a struct).
    if (rec.tag === 'union') {
      for (const f of rec.fields) {
        if (f.type.kind === 'array' && f.type.length === null && f.type.lengthExpr === undefined && !f.declareFlexArray) this.reportAt(f.loc, 'flexible array member in union', 'parse-error');
      }
    }
    const last = rec.fields[rec.fields.length - 1];
    if (rec.tag === 'struct' && last && last.type.kind === 'array' && last.type.length === null && last.type.lengthExpr === undefined) {
      const named = rec.fields.slice(0, -1).some((f) => f.name !== null || (f.type.kind === 'record' && f.bitWidth === undefined));
      // The kernel's __DECLARE_FLEX_ARRAY wraps the array with an empty struct member, which gcc
      // accepts; ANNOTATION_MACROS expands it to the bare array, which has the same layout.
      if (!named && !this.fromDeclareFlexArray(last.loc)) this.reportAt(last.loc, `flexible array member '${last.name}' in ${recordName(rec)}, a struct with no named members`, 'parse-error');
    }
  }

  /** Is the member declared at `loc` written `__DECLARE_FLEX_ARRAY(TYPE, NAME)` in its source? */
  private fromDeclareFlexArray(loc: SrcLoc): boolean {
    const text = this.pp.files.find((f) => f.path === loc.file)?.text;
    const line = text?.split('\n')[loc.line - 1] ?? '';
    return /\b__DECLARE_FLEX_ARRAY\s*\(/.test(line.slice(0, loc.col - 1));
  }

  private member(node: SyntaxNode, rec: RecordDecl): void {
    if (node.type === 'comment' || node.type === 'ERROR') return; // ERROR: reported by run()
    if (node.type !== 'field_declaration') {
      this.report(node, `unsupported member '${short(node.text)}'`);
      return;
    }
    const typeNode = node.childForFieldName('type');
    if (!typeNode) return;
    const declarators = node.childrenForFieldName('declarator');
    const split = splitAttributes(this, node, typeNode, declarators);
    const base = this.complexify(this.typeSpecifier(typeNode), split.common, typeNode);
    // C11 _Alignas among the specifiers applies to every declarator of the declaration.
    const alignas = this.alignas(node);
    if (alignas.length > 0) split.common.push({ alignas });
    // On a member (a FIELD_DECL), every aligned() counts and the largest wins.
    const declAttrs = foldDeclAttributes(split.common);
    const attrsOf = (d: SyntaxNode): Attributes => foldDeclAttributes([...split.common, ...(split.own.get(d) ?? [])]);
    const loc = this.loc(node);
    const doc = this.doc(loc);
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
        rec.fields.push({ name: null, type: base, ...this.bitWidth(clause, null), attrs: declAttrs, loc, ...(doc ? { doc } : {}) });
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
      // `__u8 :1, :1, x:1;`: tree-sitter reads each absent name as a MISSING identifier.
      const name = d.isMissing || declared?.startsWith(UNNAMED_BITFIELD_PREFIX) ? null : declared;
      const field: Field = { name, type, attrs: attrsOf(d), loc: this.loc(d), ...(doc ? { doc } : {}) };
      const clause = [...widths.entries()].find(([k]) => sameNode(k, d))?.[1];
      if (clause) Object.assign(field, this.bitWidth(clause, name, d));
      if (type.kind === 'array' && type.length === null && type.lengthExpr === undefined && this.fromDeclareFlexArray(field.loc)) field.declareFlexArray = true;
      rec.fields.push(field);
    }
  }

  /**
   * A bitfield's width (gcc: errors at the declarator, or the clause for an unnamed bitfield).
   * An invalid width has already marked the record unsupported; 0 stands in for it.
   */
  private bitWidth(clause: SyntaxNode, name: string | null, declarator?: SyntaxNode): { bitWidth: number; bitWidthExpr?: string } {
    const expr = clause.namedChildren[0];
    if (!expr) return { bitWidth: 0 }; // MISSING: reported by run()
    // A width with sizeof/_Alignof depends on the ABI (`sizeof(void *) * 8`): layout evaluates it.
    if (this.abiDependent(expr.text)) return { bitWidth: 0, bitWidthExpr: expr.text };
    const width = this.constBig(expr);
    if (width === null) return { bitWidth: 0 };
    const at = declarator ?? clause;
    const what = name === null ? 'unnamed bit-field' : `bit-field '${name}'`;
    if (width < 0n) {
      this.report(at, `negative width in ${what}`, 'parse-error');
      return { bitWidth: 0 };
    }
    if (width === 0n && name !== null) this.report(at, `zero width for ${what}`, 'parse-error');
    // Wider than any type: layout reports it against the declared type; keep it a safe number.
    return { bitWidth: width > 1024n ? 1025 : Number(width) };
  }

  /** `_Alignas(N)` / `_Alignas(type)` among a declaration's specifiers, as alignment expressions. */
  private alignas(node: SyntaxNode): string[] {
    const out: string[] = [];
    for (const q of node.children) {
      if (q.type !== 'type_qualifier') continue;
      const a = q.namedChildren.find((c) => c.type === 'alignas_qualifier');
      const arg = a?.namedChildren[0];
      if (!arg) continue;
      out.push(arg.type === 'type_descriptor' ? `_Alignof(${arg.text})` : arg.text);
    }
    return out;
  }

  /** The type `_Complex` / `__complex__` makes of a base type (two of it, real part first). */
  private complexify(base: TypeRef, attrs: readonly Attributes[], at: SyntaxNode): TypeRef {
    if (!attrs.some((a) => a.complex)) return base;
    if (base.kind === 'float' || base.kind === 'int') return { ...base, complex: true };
    this.report(at, `'_Complex' applied to a type that is not arithmetic: '${short(at.text)}'`, 'parse-error');
    return { kind: 'unknown', spelling: `${short(at.text)} _Complex` };
  }

  /** Interpret a declarator around a base type: pointers, arrays, function pointers, names. */
  declarator(node: SyntaxNode, base: TypeRef): { name: string | null; type: TypeRef } {
    if (this.depth >= MAX_NESTING) {
      this.report(node, `declarator nested too deeply (more than ${MAX_NESTING} levels)`, 'parse-too-deep');
      return { name: null, type: { kind: 'unknown', spelling: short(node.text) } };
    }
    this.depth++;
    try {
      return this.declaratorAt(node, base);
    } finally {
      this.depth--;
    }
  }

  private declaratorAt(node: SyntaxNode, base: TypeRef): { name: string | null; type: TypeRef } {
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
        let negative = false;
        if (sizeNode) {
          // Lengths with sizeof/_Alignof depend on the ABI: layout evaluates those.
          let abiDependent = this.abiDependent(sizeNode.text);
          const v = abiDependent ? null : this.constValue(sizeNode);
          let big = v === null ? null : v.value;
          const why = v === null ? undefined : notIntegerConstant(v);
          if (why !== undefined) {
            // gcc: "variably modified at file scope" (an error on most ABIs). Found by the fuzzer.
            this.report(sizeNode, `size of array is not an integer constant expression: ${why}`, 'parse-error');
            big = null;
          }
          // A length past 2^53 is not exact as a number: layout evaluates it exactly against the ABI's limits.
          if (big !== null && big > BigInt(Number.MAX_SAFE_INTEGER)) abiDependent = true;
          const length = abiDependent || big === null ? null : Number(big);
          negative = length !== null && length < 0;
          // An invalid length (reported) must not read as a flexible array's null length.
          t = abiDependent
            ? { kind: 'array', of: base, length: null, lengthExpr: sizeNode.text }
            : negative || length === null
              ? { kind: 'unknown', spelling: short(node.text) }
              : { kind: 'array', of: base, length };
        }
        // int a[2][3]: the outer node carries [3], so the inner declarator sees array-of-3.
        const r = inner ? this.declarator(inner, t) : { name: null, type: t };
        if (negative) this.report(node, `size of array ${r.name ? `'${r.name}'` : 'type'} is negative`, 'parse-error');
        return r;
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

  /**
   * gcc reads `#pragma pack` as a token: between enumerators it is "expected identifier before
   * '#pragma'" (in a struct body it is fine). Found by the fuzzer.
   */
  private pragmaInEnum(body: SyntaxNode): void {
    const close = body.children[body.children.length - 1];
    if (!close || close.type !== '}') return;
    const from = { row: this.row + body.startPosition.row, col: body.startPosition.column };
    const to = { row: this.row + close.startPosition.row, col: close.startPosition.column };
    const after = (p: { row: number; col: number }, q: { row: number; col: number }): boolean => p.row > q.row || (p.row === q.row && p.col > q.col);
    const inside = this.pp.packChanges.find((p) => after(p, from) && !after(p, to));
    if (inside) this.reportAt(inside.loc, "expected identifier before '#pragma'", 'parse-error');
  }

  private enumSpec(node: SyntaxNode): number {
    const nameNode = node.childForFieldName('name');
    const name = nameNode?.text ?? null;
    const body = node.childForFieldName('body');
    if (nameNode) this.tagKind(nameNode, 'enum');
    const existing = name ? this.enumTags.get(name) : undefined;
    if (!body && existing !== undefined) return existing;
    if (body && existing !== undefined && !this.enums[existing]!.incomplete) this.report(nameNode ?? node, `redefinition of 'enum ${name}'`, 'parse-redefinition');
    const decl: EnumDecl = { id: this.enums.length, name, enumerators: [], attrs: foldDeclAttributes(attributeItems(this, node.children)), loc: this.loc(node) };
    if (!body) decl.incomplete = true;
    else this.pragmaInEnum(body);
    const doc = this.doc(decl.loc);
    if (doc) decl.doc = doc;
    this.enums.push(decl);
    if (name) this.enumTags.set(name, decl.id);
    let prev: CValue | undefined;
    let prevName: string | undefined;
    const items = body?.namedChildren ?? [];
    // gcc: "empty enum is invalid" (found by the fuzzer).
    if (body && !body.hasError && !items.some((x) => x.type === 'enumerator')) this.report(body, 'empty enum is invalid', 'parse-error');
    for (let i = 0; i < items.length; i++) {
      const e = items[i]!;
      if (e.type !== 'enumerator') continue;
      // tree-sitter recovers from `B = A + ,` as `B = A` and an ERROR: an enumerator touching a
      // syntax error, and all after it (their values count on from it), are left undefined.
      if (e.hasError || items[i + 1]?.type === 'ERROR' || items.slice(0, i).some((x) => x.type === 'ERROR') || !e.childForFieldName('name')) {
        const rest = items.slice(i).filter((x) => x.type === 'enumerator').map((x) => x.childForFieldName('name')?.text ?? '?');
        this.report(e, `enumerator${rest.length > 1 ? 's' : ''} ${rest.map((r) => `'${r}'`).join(', ')} left undefined: syntax error in ${name ? `enum ${name}` : 'anonymous enum'}`, 'parse-error');
        break;
      }
      const n = e.childForFieldName('name')!.text;
      const v = e.childForFieldName('value');
      const loc = this.loc(e);
      const edoc = this.doc(loc);
      decl.enumerators.push({ name: n, valueText: v ? v.text : null, loc, ...(edoc ? { doc: edoc } : {}) });
      // Parse-time value (LP64 view) for array sizes; per-ABI values are computed in layout.
      const first = prevName === undefined;
      let value: CValue | undefined;
      if (v) {
        try {
          value = this.evalText(v.text);
        } catch {
          value = undefined;
        }
      } else if (first) value = { value: 0n, type: { bits: 32, signed: true, rank: 1 } };
      // Counting on from the previous value, whose overflow sticks (gcc adds 1 to the folded constant).
      else if (prev) value = folded(prev.value + 1n, prev.type, prev);
      // An enumerator whose value only layout knows (`A = sizeof(long)`, `B = 8L`, one parse
      // cannot evaluate, and those counting on from one): lengths naming it are evaluated per
      // ABI, as sizeof's are (they were "not a constant" before).
      if (value === undefined || (v ? this.abiDependent(v.text) : !first && this.abiEnums.has(prevName!))) this.abiEnums.add(n);
      // A folded enumerator keeps an overflow, not an undefined shift (as in layout's evalEnum).
      if (value) this.enumValues.set(n, folded(value.value, value.type, value));
      prev = value;
      prevName = n;
    }
    return decl.id;
  }

  /**
   * Does a constant expression's value depend on the ABI? sizeof and friends, `long` and L/UL
   * literals, character constants (plain char's signedness), and enumerators whose value does not
   * fit int: once their enum is complete they have its type (unsigned long on LP64, unsigned long
   * long on ILP32), which layout knows per ABI (found by the fuzzer: `ET / -7` with ET = LLONG_MAX).
   */
  private abiDependent(text: string): boolean {
    // Casts too: `(char)200` differs with plain char's signedness, and only layout evaluates casts.
    if (ABI_DEPENDENT.test(text) || this.hasCast(text)) return true;
    for (const m of text.matchAll(/[A-Za-z_]\w*/g)) {
      if (this.abiEnums.has(m[0])) return true;
      const v = this.enumValues.get(m[0]);
      if (v && !fitsInt(v.value)) return true;
    }
    return false;
  }

  /** Does a constant expression hold a cast, `(` then a type name (parse cannot evaluate those)? */
  private hasCast(text: string): boolean {
    for (const m of text.matchAll(/\(\s*([A-Za-z_]\w*)/g)) {
      const word = m[1]!;
      if (TYPE_WORDS.has(word) || this.typedefs.has(word)) return true;
    }
    return false;
  }

  private evalText(text: string): CValue {
    const toks = tokenize(text, '<expr>').lines.flatMap((l) => l.tokens);
    const env: EvalEnv = { model: { longBits: 64 }, preprocessor: false, ident: (n) => this.enumValues.get(n) };
    return evaluate(toks, env);
  }

  /** An array size, bitfield width or alignment: an integer constant expression without sizeof. */
  constInt(node: SyntaxNode): number | null {
    const v = this.constBig(node);
    return v === null ? null : Number(v);
  }

  /** The same, exact. */
  constBig(node: SyntaxNode): bigint | null {
    return this.constValue(node)?.value ?? null;
  }

  /** The same, with its type and what gcc would say of it as an integer constant expression. */
  private constValue(node: SyntaxNode): CValue | null {
    try {
      return this.evalText(node.text);
    } catch (e) {
      if (isStackOverflow(e)) {
        this.report(node, `cannot evaluate '${short(node.text)}': expression nested too deeply`, 'parse-too-deep');
        return null;
      }
      if (!(e instanceof ExprError)) throw e;
      this.report(node, `cannot evaluate '${short(node.text)}': ${e.message}`);
      return null;
    }
  }

  /**
   * Struct, union and enum tags share one name space (C11 6.2.3): a tag used as another kind than
   * it was first declared as is gcc's "'x' defined as wrong kind of tag" (found writing tests).
   */
  private tagKind(nameNode: SyntaxNode, tag: 'struct' | 'union' | 'enum'): void {
    const first = this.tagKinds.get(nameNode.text);
    if (first === undefined) this.tagKinds.set(nameNode.text, tag);
    else if (first !== tag) this.report(nameNode, `'${nameNode.text}' defined as wrong kind of tag (it is ${first === 'enum' ? 'an' : 'a'} ${first})`, 'parse-error');
  }

  /** Is this tag defined yet (a complete struct or union, a declared enum)? */
  tagDefined(tag: 'struct' | 'union' | 'enum', name: string): boolean {
    if (tag === 'enum') return this.enumTags.has(name);
    const id = this.tags.get(`${tag} ${name}`);
    return id !== undefined && this.records[id]!.complete;
  }
}

/** Canonical integer kind from the words of a type specifier (C11 6.7.2p2). */
function intKind(words: readonly string[]): IntKind | undefined {
  const has = (w: string): boolean => words.includes(w);
  const longs = words.filter((w) => w === 'long').length;
  const unsigned = has('unsigned');
  if (has('_Bool') || has('bool')) return 'bool';
  if (has('__int128')) return unsigned ? 'uint128' : 'int128';
  if (has('char')) return unsigned ? 'uchar' : has('signed') ? 'schar' : 'char';
  if (has('short')) return unsigned ? 'ushort' : 'short';
  if (longs === 2) return unsigned ? 'ullong' : 'llong';
  if (longs === 1) return unsigned ? 'ulong' : 'long';
  if (has('int') || has('signed') || unsigned) return unsigned ? 'uint' : 'int';
  return undefined;
}

/** Deeper nesting of types or declarators than this is reported, not walked (the JS stack is finite). */
const MAX_NESTING = 512;

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

function recordName(r: RecordDecl): string {
  return r.name ? `${r.tag} ${r.name}` : `anonymous ${r.tag}`;
}

/** Do two typedef declarations name the same type (C11 6.7p3 allows only that)? */
function sameTypedef(a: TypeRef, aAttrs: Attributes, b: TypeRef, bAttrs: Attributes): boolean {
  const strip = (x: Attributes): string => JSON.stringify({ packed: x.packed, aligned: x.aligned, alignedExprs: x.alignedExprs });
  return JSON.stringify(a) === JSON.stringify(b) && strip(aAttrs) === strip(bAttrs);
}

/** A type as C spells it, for messages. */
function spellTypeRef(t: TypeRef, w: Pick<IrModule, 'records' | 'enums'>): string {
  return spellType(t, w);
}
