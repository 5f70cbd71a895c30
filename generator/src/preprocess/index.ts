/**
 * The C preprocessor subset uapi headers use (C11 6.10): #include with -I dirs and per-ABI multiarch
 * dirs, conditionals, object-like and function-like (variadic) macros with # and ##, and the kernel's
 * annotation macros mapped to attributes the parser understands.
 *
 * Pure: files come through `read`, nothing touches the file system here.
 */
import type { Diagnostic } from '../diagnostics.js';
import { BUILTIN_HEADERS, isLibcHeader } from './builtin-headers.js';
import { evaluate, ExprError, type EvalEnv } from './expr.js';
import { HideSet, spell, tokenize, type Comment, type Loc, type Token, type TokenizedFile } from './tokens.js';

export type { Comment, Loc, Token } from './tokens.js';

export interface Macro {
  name: string;
  /** null for object-like macros. */
  params: string[] | null;
  variadic: boolean;
  body: Token[];
  loc: Loc;
}

export interface PreprocessInput {
  /** Header as written in `#include <...>`, e.g. "linux/vfio.h". */
  entry: string;
  /** Directories searched in order, as `-I` does. */
  includeDirs: readonly string[];
  /** Predefined macros: name -> replacement text (object-like). */
  predefined: Readonly<Record<string, string>>;
  /**
   * Macros defined before any header and locked: a header's own #define of the same name is ignored.
   * Keys are `NAME` or `NAME(a,b)`. Used for the kernel's annotation macros.
   */
  builtins: Readonly<Record<string, string>>;
  /** Returns a file's text, or undefined when it does not exist. */
  read(path: string): string | undefined;
}

export interface SourceFile {
  /** Path as found (include dir joined with the include name). */
  path: string;
  /** Name relative to the include dir it was found in, e.g. "linux/types.h". */
  name: string;
  text: string;
}

export interface PreprocessResult {
  /** Expanded translation unit, one output line per source line that produced tokens. */
  text: string;
  /** Source position of the token starting at (row, col) of `text` (0-based row and column). */
  locate(row: number, col: number): Loc;
  /** Every output token with its output position, in order. */
  tokens: OutToken[];
  macros: ReadonlyMap<string, Macro>;
  /** Names of macros defined (last) by each file path. */
  macroFile: ReadonlyMap<string, string>;
  comments: ReadonlyMap<string, Comment[]>;
  files: SourceFile[];
  /** Path of the entry header as found. */
  entryPath: string | undefined;
  diagnostics: Diagnostic[];
  /** Macro-expand tokens against the final macro table (for evaluating constants afterwards). */
  expand(tokens: readonly Token[]): Token[];
  /** Every change of the `#pragma pack` (and layout-changing pragma) state, in output order. */
  packChanges: PackChange[];
  /** The pack state for a record whose closing brace is at output (row, col). */
  packAt(row: number, col: number): { align: number; unknown?: string; loc?: Loc };
}

/**
 * The `#pragma pack` state (gcc's maximum_field_alignment) from a point of the output on: in effect
 * for records whose closing brace comes at or after (row, col) and before the next change.
 */
export interface PackChange {
  /** Output position of the first token after the pragma (0-based). */
  row: number;
  col: number;
  /** Maximum member alignment in bytes; 0: none (natural alignment). */
  align: number;
  /** Set when we cannot tell what gcc makes of the pragmas so far: records under it are unsupported. */
  unknown?: string;
  /** The pragma that made this state. */
  loc: Loc;
}

export interface OutToken {
  token: Token;
  row: number;
  col: number;
}

interface Cond {
  /** This group is being emitted. */
  active: boolean;
  /** Some group of this #if chain has already been taken. */
  taken: boolean;
  /** The enclosing group is active. */
  parentActive: boolean;
  elseSeen: boolean;
  /** The opening #if/#ifdef/#ifndef, where an unterminated or misordered chain is reported. */
  loc: Loc;
  /** Latest directive of the chain (if, ifdef, ifndef, elif, else), named as gcc does. */
  last: string;
}

const MAX_INCLUDE_DEPTH = 200;
/**
 * Limit on macro expansions nested inside one another (a macro whose replacement uses another
 * macro, and so on), and on macro arguments nested inside one another (`F(F(F(...)))`, expanded
 * by recursion). Past it the expansion stops with an error rather than overflowing the JS stack or
 * taking quadratic time and memory; real headers nest a few dozen levels at most.
 */
const MAX_MACRO_NESTING = 256;
/** Alignments `#pragma pack(N)` accepts (gcc c-pragma.cc handle_pragma_pack); 0 means none. */
const PACK_VALUES = new Set([0, 1, 2, 4, 8, 16]);

/** A pack state: gcc's maximum_field_alignment in bytes (0: none), or why we cannot know it. */
interface PackState {
  align: number;
  unknown?: string;
}

/** Where the file being processed was found, for "..." includes and #include_next. */
interface Here {
  dir: string;
  dirIndex: number;
  name: string;
}

/**
 * Two definitions of a macro are the same (C11 6.10.3p2): same kind, same parameters, and
 * replacement lists with the same tokens, whitespace between the same tokens.
 */
function sameDefinition(a: Macro, b: Macro): boolean {
  if ((a.params === null) !== (b.params === null) || a.variadic !== b.variadic) return false;
  if (a.params && b.params && (a.params.length !== b.params.length || a.params.some((p, i) => p !== b.params![i]))) return false;
  if (a.body.length !== b.body.length) return false;
  return a.body.every((t, i) => {
    const u = b.body[i]!;
    return t.text === u.text && (i === 0 || t.space === u.space);
  });
}

/** Macro expansion nested past MAX_MACRO_NESTING: abandons the whole expansion, reported at `loc`. */
class NestingError extends Error {
  override name = 'NestingError';
  constructor(
    message: string,
    readonly loc: Loc,
  ) {
    super(message);
  }
}

export function preprocess(input: PreprocessInput): PreprocessResult {
  return new Preprocessor(input).run();
}

class Preprocessor {
  readonly macros = new Map<string, Macro>();
  readonly macroFile = new Map<string, string>();
  readonly locked = new Set<string>();
  readonly diagnostics: Diagnostic[] = [];
  readonly comments = new Map<string, Comment[]>();
  readonly files: SourceFile[] = [];
  readonly out: Token[] = [];
  readonly pragmaOnce = new Set<string>();
  readonly tokenCache = new Map<string, TokenizedFile>();
  pending: Token[] = [];
  /** `#pragma pack` state and its push stack (gcc's alignment_stack), and where it changed in `out`. */
  private pack: PackState = { align: 0 };
  private readonly packStack: { state: PackState; id: string | undefined }[] = [];
  private readonly packEvents: { outIndex: number; state: PackState; loc: Loc }[] = [];
  /** A scalar_storage_order other than default is in effect (we do not model byte order). */
  private storageOrder: string | undefined;
  /** Nesting of expand() calls (macro arguments are expanded by recursion). */
  private expandDepth = 0;
  entryPath: string | undefined;

  constructor(readonly input: PreprocessInput) {}

  run(): PreprocessResult {
    const builtinLoc: Loc = { file: '<built-in>', line: 1, col: 1 };
    for (const [name, body] of Object.entries(this.input.predefined)) {
      this.defineFromText(`${name} ${body}`, builtinLoc);
    }
    for (const [sig, body] of Object.entries(this.input.builtins)) {
      const m = this.defineFromText(`${sig} ${body}`, builtinLoc);
      if (m) this.locked.add(m.name);
    }
    const found = this.resolve(this.input.entry, undefined, false);
    if (!found) {
      this.error('pp-include-not-found', `cannot find '${this.input.entry}' in ${this.input.includeDirs.join(', ') || '(no -I dirs)'}`, {
        file: this.input.entry,
        line: 1,
        col: 1,
      });
    } else {
      this.entryPath = found.path;
      this.processFile(found, 0);
    }
    this.flush();
    return this.finish();
  }

  private defineFromText(text: string, loc: Loc): Macro | undefined {
    const toks = tokenize(text, loc.file).lines[0]?.tokens ?? [];
    return this.define(toks.map((t) => ({ ...t, loc })), loc);
  }

  private error(code: string, message: string, loc: Loc, severity: Diagnostic['severity'] = 'error'): void {
    this.diagnostics.push({ severity, code, message, file: loc.file, line: loc.line, col: loc.col });
  }

  private resolve(name: string, from: Here | undefined, quoted: boolean, next = false) {
    const candidates: { dir: string; index: number }[] = [];
    if (quoted && from && !next) candidates.push({ dir: from.dir, index: -1 });
    const dirs = this.input.includeDirs;
    const start = next && from ? from.dirIndex + 1 : 0;
    for (let i = start; i < dirs.length; i++) candidates.push({ dir: dirs[i]!, index: i });
    for (const c of candidates) {
      const path = joinPath(c.dir, name);
      const text = this.input.read(path);
      if (text !== undefined) {
        const dirIndex = c.index >= 0 ? c.index : (from?.dirIndex ?? 0);
        const relName = c.index >= 0 || !from ? name : joinPath(dirnameOf(from.name), name);
        return { path, text, dirIndex, name: relName };
      }
    }
    return undefined;
  }

  private processFile(file: { path: string; text: string; dirIndex: number; name: string }, depth: number): void {
    if (this.pragmaOnce.has(file.path)) return;
    if (!this.files.some((f) => f.path === file.path)) this.files.push({ path: file.path, name: file.name, text: file.text });
    let tf = this.tokenCache.get(file.path);
    if (!tf) {
      tf = tokenizeCached(file.text, file.path);
      this.tokenCache.set(file.path, tf);
      this.comments.set(file.path, tf.comments);
      for (const e of tf.errors) this.error('pp-lex', e.message, e.loc);
    }
    const conds: Cond[] = [];
    const active = (): boolean => conds.length === 0 || conds[conds.length - 1]!.active;
    const here: Here = { dir: dirnameOf(file.path), dirIndex: file.dirIndex, name: file.name };

    for (const ln of tf.lines) {
      const toks = ln.tokens;
      if (toks.length === 0) continue;
      const first = toks[0]!;
      if (!(first.kind === 'punct' && (first.text === '#' || first.text === '%:'))) {
        if (active()) for (const t of toks) this.pending.push(t);
        continue;
      }
      // Text before a directive is expanded with the macros defined so far (#define/#undef take
      // effect in order).
      if (active()) this.flush();
      const dirTok = toks[1];
      const dir = dirTok?.kind === 'ident' ? dirTok.text : dirTok ? '' : 'null';
      const rest = toks.slice(2);
      const loc = first.loc;
      switch (dir) {
        case 'if':
        case 'ifdef':
        case 'ifndef': {
          const parentActive = active();
          let value = false;
          if (parentActive) {
            if (dir === 'if') value = this.evalIf(rest, loc);
            else {
              const name = rest[0];
              if (!name || name.kind !== 'ident') this.error('pp-directive', `#${dir} needs a macro name`, loc);
              else value = this.macros.has(name.text) === (dir === 'ifdef');
            }
          }
          conds.push({ active: parentActive && value, taken: value, parentActive, elseSeen: false, loc, last: dir });
          break;
        }
        case 'elif':
        case 'else': {
          const c = conds[conds.length - 1];
          const at = dirTok!.loc;
          if (!c) {
            this.error('pp-directive', `#${dir} without #if`, at);
            break;
          }
          c.last = dir;
          if (c.elseSeen) {
            // As gcc: an error, and the group after it is skipped (the chain had its #else).
            this.error('pp-directive', `#${dir} after #else`, at);
            this.error('pp-directive', 'the conditional began here', c.loc, 'note');
            c.active = false;
            break;
          }
          if (dir === 'else') {
            c.elseSeen = true;
            c.active = c.parentActive && !c.taken;
            c.taken = true;
          } else if (c.taken || !c.parentActive) c.active = false;
          else {
            const v = this.evalIf(rest, loc);
            c.active = v;
            c.taken = v;
          }
          break;
        }
        case 'endif':
          if (!conds.pop()) this.error('pp-directive', '#endif without #if', dirTok!.loc);
          break;
        default:
          if (!active()) break;
          this.directive(dir, rest, loc, here, depth, dirTok);
      }
    }
    // Reported at the opening directive, innermost first (as gcc does).
    for (let k = conds.length - 1; k >= 0; k--) this.error('pp-directive', `unterminated #${conds[k]!.last}`, conds[k]!.loc);
  }

  private directive(
    dir: string,
    rest: Token[],
    loc: Loc,
    here: Here,
    depth: number,
    dirTok: Token | undefined,
  ): void {
    switch (dir) {
      case 'null':
        return;
      case 'define':
        this.define(rest, loc);
        return;
      case 'undef': {
        const name = rest[0]?.text;
        if (name && !this.locked.has(name)) this.macros.delete(name);
        return;
      }
      case 'include':
      case 'include_next': {
        this.flush();
        let toks = rest;
        if (toks[0]?.kind !== 'string' && !(toks[0]?.text === '<')) toks = this.expand(toks);
        let name: string | undefined;
        let quoted = false;
        if (toks[0]?.kind === 'string') {
          name = toks[0].text.slice(1, -1);
          quoted = true;
        } else if (toks[0]?.text === '<') {
          const end = toks.findIndex((t) => t.text === '>');
          if (end > 0) name = toks.slice(1, end).map((t) => t.text).join('');
        }
        if (!name) {
          this.error('pp-directive', `malformed #${dir}`, loc);
          return;
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
          this.error('pp-include-depth', `#include nested too deeply (${MAX_INCLUDE_DEPTH}) at '${name}'`, loc);
          return;
        }
        const found = this.resolve(name, here, quoted, dir === 'include_next') ?? builtinHeader(name);
        if (!found && isLibcHeader(name)) {
          this.error(
            'pp-libc-include',
            `'${name}' is a libc header, not part of the uapi tree: skipped (declarations that need it are reported unsupported)`,
            toks[0]!.loc,
            'warning',
          );
          return;
        }
        if (!found) {
          this.error('pp-include-not-found', `'${name}' not found (searched ${this.input.includeDirs.join(', ')})`, toks[0]!.loc);
          return;
        }
        this.processFile(found, depth + 1);
        return;
      }
      case 'pragma':
        this.pragma(rest, loc);
        return;
      case 'error':
        this.error('pp-error', `#error ${spell(rest)}`, loc);
        return;
      case 'warning':
        this.error('pp-warning', `#warning ${spell(rest)}`, loc, 'warning');
        return;
      case 'line':
      case 'ident':
      case 'sccs':
        return;
      default:
        this.error('pp-directive', `unknown directive #${dirTok?.text ?? ''}`, dirTok?.loc ?? loc);
    }
  }

  /** `#pragma` or `_Pragma("...")`: `rest` are the tokens after the word pragma. */
  private pragma(rest: Token[], loc: Loc): void {
    const name = rest[0];
    if (name?.text === 'once') this.pragmaOnce.add(loc.file);
    else if (name?.text === 'pack') this.pragmaPack(rest.slice(1), name);
    else if (name?.text === 'scalar_storage_order') {
      // Byte order of the scalars in the records that follow: not modelled, so those records are
      // unsupported until it is back to default.
      const order = rest[1]?.text;
      if (order === 'default') this.storageOrder = undefined;
      else {
        this.storageOrder = `#pragma scalar_storage_order ${spell(rest.slice(1))} is not supported (${name.loc.file}:${name.loc.line}:${name.loc.col})`;
        this.error('pp-pragma', `#pragma scalar_storage_order ${spell(rest.slice(1))} is not supported: records defined under it are unsupported`, name.loc);
      }
      this.setPack(this.pack, name.loc);
    }
  }

  /**
   * `#pragma pack` as gcc's handle_pragma_pack reads it (not macro-expanded on Linux targets):
   * `pack()`, `pack(N)`, `pack(push[, id][, N])`, `pack(pop[, id])`. A form gcc ignores (with a
   * warning) is ignored with a warning here too.
   */
  private pragmaPack(args: Token[], at: Token): void {
    const ignored = (why: string, where: Loc = at.loc): void => this.error('pp-pragma-pack', `${why} - ignored`, where, 'warning');
    const malformed = (action: string): string => `malformed '#pragma pack(${action === 'push' ? 'push[, id][, <n>]' : 'pop[, id]'})'`;
    if (args[0]?.text !== '(') return ignored(`missing '(' after '#pragma pack'`);
    let i = 1;
    const number = (t: Token | undefined): number | undefined => {
      if (t?.kind !== 'number') return undefined;
      const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$/.exec(t.text);
      if (!m) return undefined;
      return Number(m[1]!.startsWith('0x') || m[1]!.startsWith('0X') ? parseInt(m[1]!, 16) : m[1]!.length > 1 && m[1]!.startsWith('0') ? parseInt(m[1]!, 8) : parseInt(m[1]!, 10));
    };
    let action: 'set' | 'push' | 'pop';
    let align = -1;
    let id: string | undefined;
    const first = args[i];
    if (first?.text === ')') {
      action = 'set';
      align = 0;
    } else if (first?.kind === 'number') {
      const n = number(first);
      if (n === undefined) return this.packUnknown(`cannot read '#pragma pack(${spell(args.slice(1))}'`, first.loc);
      action = 'set';
      align = n;
      i++;
      if (args[i]?.text !== ')') return ignored(`malformed '#pragma pack'`);
    } else if (first?.kind === 'ident') {
      if (first.text === 'push') action = 'push';
      else if (first.text === 'pop') action = 'pop';
      else return ignored(`unknown action '${first.text}' for '#pragma pack'`, first.loc);
      i++;
      while (args[i]?.text === ',') {
        const t = args[i + 1];
        if (t?.kind === 'ident' && id === undefined) id = t.text;
        else if (t?.kind === 'number' && action === 'push' && align === -1) {
          const n = number(t);
          if (n === undefined) return this.packUnknown(`cannot read '#pragma pack(${spell(args.slice(1))}'`, t.loc);
          align = n;
        } else return ignored(malformed(action));
        i += 2;
      }
      if (args[i]?.text !== ')') return ignored(malformed(action));
    } else return ignored(`malformed '#pragma pack'`);
    // gcc applies the pragma all the same.
    if (args[i + 1]) this.error('pp-pragma-pack', `junk at end of '#pragma pack'`, args[i + 1]!.loc, 'warning');
    if (action !== 'pop' && !(PACK_VALUES.has(align) || (align === -1 && action === 'push'))) {
      return this.error('pp-pragma-pack', `alignment must be a small power of two, not ${align}`, at.loc, 'warning');
    }
    if (action === 'set') return this.setPack({ align }, at.loc);
    if (action === 'push') {
      this.packStack.push({ state: this.pack, id });
      return this.setPack(align === -1 ? this.pack : { align }, at.loc);
    }
    if (this.packStack.length === 0) return this.error('pp-pragma-pack', `'#pragma pack (pop)' encountered without matching '#pragma pack (push)'`, at.loc, 'warning');
    if (id !== undefined) {
      const k = this.packStack.map((e) => e.id).lastIndexOf(id);
      // gcc warns and pops the top entry when no entry has the id.
      if (k < 0) this.error('pp-pragma-pack', `'#pragma pack(pop, ${id})' encountered without matching '#pragma pack(push, ${id})'`, at.loc, 'warning');
      else this.packStack.length = k + 1;
    }
    this.setPack(this.packStack.pop()!.state, at.loc);
  }

  /** A pack pragma we cannot read: what gcc makes of it is unknown, so are the records after it. */
  private packUnknown(why: string, loc: Loc): void {
    this.error('pp-pragma-pack', `${why}: records defined after it are unsupported`, loc);
    this.setPack({ align: 0, unknown: `${why} (${loc.file}:${loc.line}:${loc.col})` }, loc);
  }

  private setPack(state: PackState, loc: Loc): void {
    this.pack = state;
    const effective: PackState = this.storageOrder !== undefined && state.unknown === undefined ? { align: state.align, unknown: this.storageOrder } : state;
    this.packEvents.push({ outIndex: this.out.length, state: effective, loc });
  }

  private define(toks: Token[], loc: Loc): Macro | undefined {
    const nameTok = toks[0];
    if (!nameTok || nameTok.kind !== 'ident') {
      this.error('pp-directive', '#define needs a macro name', nameTok?.loc ?? loc);
      return undefined;
    }
    if (this.locked.has(nameTok.text)) return undefined;
    let params: string[] | null = null;
    let variadic = false;
    let i = 1;
    if (toks[1]?.text === '(' && !toks[1].space) {
      params = [];
      i = 2;
      for (; i < toks.length; i++) {
        const t = toks[i]!;
        if (t.text === ')') break;
        if (t.text === ',') continue;
        if (t.text === '...') {
          variadic = true;
          params.push('__VA_ARGS__');
        } else if (t.kind === 'ident') {
          if (toks[i + 1]?.text === '...') {
            variadic = true;
            i++;
          }
          params.push(t.text);
        } else {
          this.error('pp-directive', `unexpected '${t.text}' in macro parameters`, t.loc);
          return undefined;
        }
      }
      i++;
    }
    const body = toks.slice(i);
    if (body[0]) body[0] = { ...body[0], space: false };
    const m: Macro = { name: nameTok.text, params, variadic, body, loc: nameTok.loc };
    const old = this.macros.get(m.name);
    if (old && !sameDefinition(old, m)) {
      // C11 6.10.3p2 allows only an identical redefinition; gcc warns and takes the new one.
      this.error('pp-redefined', `"${m.name}" redefined`, m.loc, 'warning');
      this.error('pp-redefined', 'this is the location of the previous definition', old.loc, 'note');
    }
    this.macros.set(m.name, m);
    this.macroFile.set(m.name, loc.file);
    return m;
  }

  private evalIf(toks: Token[], loc: Loc): boolean {
    // `defined X` / `defined(X)` are resolved before macro expansion (C11 6.10.1p4).
    const resolved: Token[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.kind === 'ident' && t.text === 'defined') {
        // Where gcc points when the line ends early: just past the last token.
        const after = (u: Token): Loc => ({ ...u.loc, col: u.loc.col + u.text.length });
        const paren = toks[i + 1]?.text === '(';
        const j = paren ? i + 2 : i + 1;
        const name = toks[j];
        if (!name || name.kind !== 'ident') {
          this.error('pp-if', 'operator "defined" requires an identifier', name?.loc ?? after(toks[j - 1]!));
          return false;
        }
        if (paren && toks[j + 1]?.text !== ')') {
          this.error('pp-if', `missing ')' after "defined"`, toks[j + 1]?.loc ?? after(name));
          return false;
        }
        i = paren ? j + 1 : j;
        resolved.push({ ...t, kind: 'number', text: this.macros.has(name.text) ? '1' : '0' });
        continue;
      }
      if (t.kind === 'ident' && (t.text === '__has_include' || t.text === '__has_include_next' || t.text === '__has_attribute' || t.text === '__has_builtin')) {
        // Skip the operand; treat as absent.
        let depth = 0;
        let j = i + 1;
        for (; j < toks.length; j++) {
          if (toks[j]!.text === '(') depth++;
          else if (toks[j]!.text === ')' && --depth === 0) break;
        }
        i = j;
        resolved.push({ ...t, kind: 'number', text: '0' });
        continue;
      }
      resolved.push(t);
    }
    const expanded = this.expand(resolved);
    const env: EvalEnv = { model: { longBits: 64 }, preprocessor: true, ident: () => undefined };
    try {
      return evaluate(expanded, env).value !== 0n;
    } catch (e) {
      if (!(e instanceof ExprError)) throw e;
      this.error('pp-if', `cannot evaluate #if: ${e.message}`, e.token?.loc ?? loc);
      return false;
    }
  }

  /** Expand the tokens collected since the last directive into the output. */
  private flush(): void {
    if (this.pending.length === 0) return;
    const toks = this.expand(this.pending);
    this.pending = [];
    for (let k = 0; k < toks.length; k++) {
      const t = toks[k]!;
      if (t.kind === 'ident' && t.text === '_Pragma' && !t.hide?.has('_Pragma')) {
        // The _Pragma operator (C11 6.10.9), often from a macro: the same as #pragma with the
        // string's contents.
        const str = toks[k + 2];
        if (toks[k + 1]?.text !== '(' || str?.kind !== 'string' || toks[k + 3]?.text !== ')') {
          this.error('pp-pragma', '_Pragma takes a parenthesized string literal', (toks[k + 1]?.text === '(' ? str : toks[k + 1])?.loc ?? t.loc);
          continue;
        }
        const text = str.text.replace(/^(L|u8|u|U)?"/, '').replace(/"$/, '').replace(/\\(["\\])/g, '$1');
        const ptoks = (tokenize(text, str.loc.file).lines[0]?.tokens ?? []).map((p) => ({ ...p, loc: str.loc }));
        this.pragma(ptoks, t.loc);
        k += 3;
        continue;
      }
      this.out.push(t);
    }
  }

  /** Fully macro-expand a token list (C11 6.10.3), using hide sets against recursion. */
  expand(input: readonly Token[]): Token[] {
    if (this.expandDepth > 0) return this.expand1(input);
    // Past MAX_MACRO_NESTING the whole expansion is abandoned (reported once, tokens left as
    // written): expanding the rest would only hit the limit again, once per level.
    try {
      return this.expand1(input);
    } catch (e) {
      if (!(e instanceof NestingError)) throw e;
      this.error('pp-macro-depth', e.message, e.loc);
      return [...input];
    } finally {
      this.expandDepth = 0;
    }
  }

  private expand1(input: readonly Token[]): Token[] {
    if (this.expandDepth >= MAX_MACRO_NESTING) {
      throw new NestingError(`macro arguments nested too deeply (more than ${MAX_MACRO_NESTING} levels)`, input[0]!.loc);
    }
    this.expandDepth++;
    try {
      return this.expandTokens(input);
    } finally {
      this.expandDepth--;
    }
  }

  private expandTokens(input: readonly Token[]): Token[] {
    const out: Token[] = [];
    // A stack of tokens still to scan, top = next token (reversed order).
    const stack: Token[] = [];
    for (let i = input.length - 1; i >= 0; i--) stack.push(input[i]!);
    while (stack.length > 0) {
      const t = stack.pop()!;
      if (t.kind !== 'ident') {
        out.push(t);
        continue;
      }
      const m = this.macros.get(t.text);
      if (!m || t.hide?.has(m.name)) {
        out.push(t);
        continue;
      }
      if (t.hide && t.hide.size >= MAX_MACRO_NESTING) {
        throw new NestingError(`macro expansion nested too deeply (more than ${MAX_MACRO_NESTING} levels) at '${m.name}'`, t.loc);
      }
      if (m.params === null) {
        const hide = withName(t.hide, m.name);
        const repl = this.substitute(m, [], hide, t);
        for (let i = repl.length - 1; i >= 0; i--) stack.push(repl[i]!);
        continue;
      }
      // Function-like: only an invocation when '(' follows.
      const next = stack[stack.length - 1];
      if (!next || next.text !== '(') {
        out.push(t);
        continue;
      }
      stack.pop();
      const args: Token[][] = [[]];
      let depth = 0;
      let closed = false;
      while (stack.length > 0) {
        const a = stack.pop()!;
        if (a.text === '(' && a.kind === 'punct') depth++;
        else if (a.text === ')' && a.kind === 'punct') {
          if (depth === 0) {
            closed = true;
            break;
          }
          depth--;
        } else if (a.text === ',' && a.kind === 'punct' && depth === 0) {
          if (!(m.variadic && args.length === m.params.length)) {
            args.push([]);
            continue;
          }
        }
        args[args.length - 1]!.push(a);
      }
      if (!closed) {
        this.error('pp-macro-args', `unterminated invocation of macro '${m.name}'`, t.loc);
        return out;
      }
      if (m.params.length === 0 && args.length === 1 && args[0]!.length === 0) args.length = 0;
      if (args.length < m.params.length && m.variadic && args.length === m.params.length - 1) args.push([]);
      if (args.length !== m.params.length) {
        this.error('pp-macro-args', `macro '${m.name}' takes ${m.params.length} arguments, ${args.length} given`, t.loc);
        out.push(t);
        continue;
      }
      const hide = withName(t.hide, m.name);
      const repl = this.substitute(m, args, hide, t);
      for (let i = repl.length - 1; i >= 0; i--) stack.push(repl[i]!);
    }
    return out;
  }

  /** Replace parameters in a macro body, apply # and ##, and mark the result's hide set. */
  private substitute(m: Macro, args: Token[][], hide: HideSet, at: Token): Token[] {
    const params = m.params ?? [];
    const argIndex = (t: Token | undefined): number => (t && t.kind === 'ident' ? params.indexOf(t.text) : -1);
    const expandedCache = new Map<number, Token[]>();
    const expandedArg = (i: number): Token[] => {
      let e = expandedCache.get(i);
      if (!e) {
        e = this.expand(args[i]!);
        expandedCache.set(i, e);
      }
      return e;
    };
    const body = m.body;
    const result: Token[] = [];
    // Tokens from the body take the invocation's location; argument tokens keep their own.
    const fromBody = (t: Token, space: boolean): Token => ({ kind: t.kind, text: t.text, loc: at.loc, space, hide });
    for (let i = 0; i < body.length; i++) {
      const t = body[i]!;
      const space = i === 0 ? at.space : t.space;
      if (t.text === '#' && t.kind === 'punct' && m.params !== null) {
        const ai = argIndex(body[i + 1]);
        if (ai >= 0) {
          const s = spell(args[ai]!).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
          result.push({ kind: 'string', text: `"${s}"`, loc: at.loc, space, hide });
          i++;
          continue;
        }
      }
      if (t.text === '##' && t.kind === 'punct') {
        const rhs = body[i + 1];
        i++;
        if (!rhs) break;
        const ai = argIndex(rhs);
        const rightToks = ai >= 0 ? args[ai]! : [fromBody(rhs, false)];
        // GNU: `, ## __VA_ARGS__` drops the comma when the variable arguments are empty.
        if (m.variadic && ai === params.length - 1 && result[result.length - 1]?.text === ',') {
          if (rightToks.length === 0) result.pop();
          else result.push(...rightToks);
          continue;
        }
        const left = result.pop();
        if (!left) {
          result.push(...rightToks);
          continue;
        }
        if (rightToks.length === 0) {
          result.push(left);
          continue;
        }
        const pasted = left.text + rightToks[0]!.text;
        const relexed = tokenize(pasted, at.loc.file).lines[0]?.tokens ?? [];
        if (relexed.length !== 1) {
          this.error('pp-paste', `pasting '${left.text}' and '${rightToks[0]!.text}' does not give a valid token`, at.loc);
        }
        for (const r of relexed) result.push({ ...r, loc: left.loc, space: left.space, hide });
        for (const r of rightToks.slice(1)) result.push(r);
        continue;
      }
      const ai = argIndex(t);
      if (ai >= 0) {
        const nextIsPaste = body[i + 1]?.text === '##';
        const toks = nextIsPaste ? args[ai]! : expandedArg(ai);
        toks.forEach((a, k) => result.push(k === 0 ? { ...a, space } : a));
        continue;
      }
      result.push(fromBody(t, space));
    }
    return result;
  }

  private finish(): PreprocessResult {
    // Lay tokens out as text: a new line whenever the source line changes.
    const outTokens: OutToken[] = [];
    let text = '';
    let row = 0;
    let col = 0;
    let prev: Token | undefined;
    const named = withUnnamedBitfieldNames(this.out);
    /** Output position of each token of `out` (inserted names excluded). */
    const outPos: { row: number; col: number }[] = [];
    for (let j = 0; j < named.tokens.length; j++) {
      const t = named.tokens[j]!;
      if (prev && (prev.loc.file !== t.loc.file || prev.loc.line !== t.loc.line)) {
        text += '\n';
        row++;
        col = 0;
      } else if (prev) {
        text += ' ';
        col++;
      }
      outTokens.push({ token: t, row, col });
      if (named.from[j]! >= 0) outPos[named.from[j]!] = { row, col };
      text += t.text;
      col += t.text.length;
      prev = t;
    }
    text += '\n';
    const byRow: OutToken[][] = [];
    for (const o of outTokens) (byRow[o.row] ??= []).push(o);
    const locate = (r: number, c: number): Loc => {
      const rowToks = byRow[r] ?? byRow[byRow.length - 1] ?? [];
      let best = rowToks[0];
      for (const o of rowToks) {
        if (o.col <= c) best = o;
        else break;
      }
      if (!best) return { file: this.entryPath ?? this.input.entry, line: 1, col: 1 };
      return best.token.loc;
    };
    const packChanges: PackChange[] = this.packEvents.map((e) => {
      const at = outPos[e.outIndex] ?? { row: row + 1, col: 0 };
      return { row: at.row, col: at.col, align: e.state.align, ...(e.state.unknown !== undefined ? { unknown: e.state.unknown } : {}), loc: e.loc };
    });
    const packAt = (r: number, c: number): { align: number; unknown?: string; loc?: Loc } => {
      let state: { align: number; unknown?: string; loc?: Loc } = { align: 0 };
      for (const ch of packChanges) {
        if (ch.row > r || (ch.row === r && ch.col > c)) break;
        state = ch;
      }
      return state;
    };
    return {
      text,
      locate,
      packChanges,
      packAt,
      tokens: outTokens,
      macros: this.macros,
      macroFile: this.macroFile,
      comments: this.comments,
      files: this.files,
      entryPath: this.entryPath,
      diagnostics: this.diagnostics,
      expand: (toks) => this.expand(toks),
    };
  }
}

/** Prefix of the names given to unnamed bitfields so the C grammar can parse them. */
export const UNNAMED_BITFIELD_PREFIX = '__uapi_ts_unnamed_';
const TYPE_KEYWORDS = new Set(['int', 'long', 'short', 'char', 'signed', 'unsigned', '_Bool']);

/**
 * tree-sitter-c cannot parse an unnamed bitfield whose type ends in a keyword (`unsigned long : 3;`):
 * give each one a reserved name, which the parser turns back into an unnamed member.
 */
function withUnnamedBitfieldNames(tokens: readonly Token[]): { tokens: Token[]; from: number[] } {
  const out: Token[] = [];
  /** Index in `tokens` of each token of `out`; -1 for an inserted name. */
  const from: number[] = [];
  let n = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (t.kind === 'punct' && t.text === ':' && prev && prev.kind === 'ident' && TYPE_KEYWORDS.has(prev.text)) {
      out.push({ kind: 'ident', text: `${UNNAMED_BITFIELD_PREFIX}${n++}`, loc: t.loc, space: true });
      from.push(-1);
    }
    out.push(t);
    from.push(i);
  }
  return { tokens: out, from };
}

function builtinHeader(name: string): { path: string; text: string; dirIndex: number; name: string } | undefined {
  const text = BUILTIN_HEADERS[name];
  return text === undefined ? undefined : { path: `<built-in>/${name}`, text, dirIndex: Number.MAX_SAFE_INTEGER - 1, name };
}

function withName(hide: HideSet | undefined, name: string): HideSet {
  return new HideSet(name, hide);
}

/**
 * Tokenizing is pure, and the same headers are read once per ABI: keep the result per file text.
 * Tokens are never mutated after tokenizing.
 */
const tokenized = new Map<string, { text: string; tf: TokenizedFile }>();
function tokenizeCached(text: string, path: string): TokenizedFile {
  const hit = tokenized.get(path);
  if (hit && hit.text === text) return hit.tf;
  const tf = tokenize(text, path);
  tokenized.set(path, { text, tf });
  return tf;
}

export function joinPath(dir: string, name: string): string {
  if (dir === '' || dir === '.') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

function dirnameOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : p.slice(0, i);
}
