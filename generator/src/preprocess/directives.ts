/**
 * Directives (C11 6.10): files and `#include`/`#include_next` with -I dirs and per-ABI multiarch
 * dirs, conditional groups, `#define`/`#undef` (handed to macros.ts), `#pragma` and `_Pragma`
 * (pragma-pack.ts), `#error`/`#warning`; text lines are collected and macro-expanded into the
 * output.
 */
import type { Diagnostic } from '../diagnostics.js';
import { BUILTIN_HEADERS, isLibcHeader } from './builtin-headers.js';
import { evaluate, ExprError, type EvalEnv } from './expr.js';
import { MacroTable } from './macros.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { outputText } from './output.js';
import { PackPragmas, packAt } from './pragma-pack.js';
import { spell, tokenize, type Comment, type Loc, type Token, type TokenizedFile } from './tokens.js';
import type { PreprocessInput, PreprocessResult, Report, SourceFile } from './types.js';

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

/** Where the file being processed was found, for "..." includes and #include_next. */
interface Here {
  dir: string;
  dirIndex: number;
  name: string;
}

/** One run of the preprocessor over an entry header and everything it includes. */
export class Preprocessor {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly comments = new Map<string, Comment[]>();
  private readonly files: SourceFile[] = [];
  /** The expanded tokens so far. */
  private readonly out: Token[] = [];
  private readonly pragmaOnce = new Set<string>();
  private readonly tokenCache = new Map<string, TokenizedFile>();
  /** Text tokens since the last directive, not yet expanded. */
  private pending: Token[] = [];
  private readonly error: Report = (code, message, loc, severity = 'error') => {
    this.diagnostics.push({ severity, code, message, file: loc.file, line: loc.line, col: loc.col });
  };
  private readonly limits: Limits;
  private readonly macros: MacroTable;
  /** Source bytes read so far, against Limits.maxInputBytes. */
  private inputBytes = 0;
  /** `#pragma pack` and scalar_storage_order, and where they changed in `out`. */
  private readonly pack = new PackPragmas(this.error, () => this.out.length);
  private entryPath: string | undefined;
  private readonly entryPaths: string[] = [];

  constructor(private readonly input: PreprocessInput) {
    this.limits = { ...DEFAULT_LIMITS, ...input.limits };
    this.macros = new MacroTable(this.error, this.limits.maxMacroTokens);
  }

  run(): PreprocessResult {
    const builtinLoc: Loc = { file: '<built-in>', line: 1, col: 1 };
    for (const [name, body] of Object.entries(this.input.predefined)) {
      this.macros.defineFromText(`${name} ${body}`, builtinLoc);
    }
    for (const [sig, body] of Object.entries(this.input.builtins)) {
      this.macros.defineFromText(`${sig} ${body}`, builtinLoc, true);
    }
    for (const name of this.input.prelude ?? []) {
      const pre = this.resolve(name, undefined, false) ?? builtinHeader(name, this.input.builtinHeaders);
      const at: Loc = { file: '<command line>', line: 1, col: 1 };
      if (!pre) this.error('pp-include-not-found', `cannot find '${name}' (included before ${this.input.entry}) in ${this.input.includeDirs.join(', ') || '(no -I dirs)'}`, at);
      else if ('unreadable' in pre) this.error('pp-include-unreadable', `${pre.path}: ${pre.unreadable}`, at);
      else this.processFile(pre, 0);
    }
    for (const [i, entry] of [this.input.entry, ...(this.input.alsoEntries ?? [])].entries()) {
      const found = this.resolve(entry, undefined, false);
      if (!found) {
        this.error('pp-include-not-found', `cannot find '${entry}' in ${this.input.includeDirs.join(', ') || '(no -I dirs)'}`, {
          file: entry,
          line: 1,
          col: 1,
        });
      } else if ('unreadable' in found) {
        this.error('pp-include-unreadable', `${found.path}: ${found.unreadable}`, { file: entry, line: 1, col: 1 });
      } else {
        if (i === 0) this.entryPath = found.path;
        this.entryPaths.push(found.path);
        // A later entry already read through an earlier one's #include is skipped by its guard.
        this.processFile(found, 0);
      }
    }
    this.flush();
    return this.finish();
  }

  private resolve(name: string, from: Here | undefined, quoted: boolean, next = false) {
    const candidates: { dir: string; index: number }[] = [];
    if (quoted && from && !next) candidates.push({ dir: from.dir, index: -1 });
    const dirs = this.input.includeDirs;
    const start = next && from ? from.dirIndex + 1 : 0;
    for (let i = start; i < dirs.length; i++) candidates.push({ dir: dirs[i]!, index: i });
    // An absolute name is opened as it is, without the search path (gcc: `#include "/abs/x.h"`).
    if (name.startsWith('/')) candidates.splice(0, candidates.length, { dir: '', index: -1 });
    for (const c of candidates) {
      const path = joinPath(c.dir, name);
      const text = this.input.read(path);
      // A file that is there but unreadable ends the search, as in gcc ("x.h: Permission denied").
      if (typeof text === 'object') return { path, unreadable: text.unreadable };
      if (text !== undefined) {
        const dirIndex = c.index >= 0 ? c.index : (from?.dirIndex ?? 0);
        const relName = c.index >= 0 || !from || name.startsWith('/') ? name : joinPath(dirnameOf(from.name), name);
        return { path, text, dirIndex, name: relName };
      }
    }
    return undefined;
  }

  private processFile(file: { path: string; text: string; dirIndex: number; name: string }, depth: number): void {
    if (this.pragmaOnce.has(file.path)) return;
    if (!this.files.some((f) => f.path === file.path)) {
      this.inputBytes += file.text.length;
      if (this.inputBytes > this.limits.maxInputBytes) {
        this.error('pp-budget-input', `${file.name}: the header and its includes exceed ${this.limits.maxInputBytes} bytes of source; raise the budget with --max-input-bytes`, { file: file.path, line: 1, col: 1 });
        return;
      }
      this.files.push({ path: file.path, name: file.name, text: file.text });
    }
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
              else value = this.macros.isDefined(name.text) === (dir === 'ifdef');
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
        this.macros.define(rest, loc);
        return;
      case 'undef':
        this.macros.undef(rest[0]?.text);
        return;
      case 'include':
      case 'include_next': {
        this.flush();
        let toks = rest;
        if (toks[0]?.kind !== 'string' && !(toks[0]?.text === '<')) toks = this.macros.expand(toks);
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
        const found = this.resolve(name, here, quoted, dir === 'include_next') ?? builtinHeader(name, this.input.builtinHeaders);
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
        if ('unreadable' in found) {
          this.error('pp-include-unreadable', `${found.path}: ${found.unreadable}`, toks[0]!.loc);
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
      case 'line': {
        // C11 6.10.4: `#line digit-sequence ["file"]` (after macro expansion). Locations here stay
        // those of the real file (a presumed line would only move diagnostics); the form is checked.
        const toks = this.macros.expand(rest);
        const n = toks[0];
        if (!n) this.error('pp-directive', 'unexpected end of file after #line', loc);
        else if (!/^\d+$/.test(n.text)) this.error('pp-directive', `"${n.text}" after #line is not a positive integer`, n.loc);
        else if (toks[1] && toks[1].kind !== 'string') this.error('pp-directive', `invalid filename "${toks[1].text}"`, toks[1].loc);
        return;
      }
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
    else if (name?.text === 'pack') this.pack.pack(rest.slice(1), name);
    else if (name?.text === 'scalar_storage_order') this.pack.scalarStorageOrder(rest.slice(1), name);
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
        resolved.push({ ...t, kind: 'number', text: this.macros.isDefined(name.text) ? '1' : '0' });
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
    const expanded = this.macros.expand(resolved);
    // gcc's cpp gives a character constant the target's char signedness (__CHAR_UNSIGNED__).
    const env: EvalEnv = { model: { longBits: 64, charSigned: !('__CHAR_UNSIGNED__' in this.input.predefined) }, preprocessor: true, ident: () => undefined };
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
    const toks = this.macros.expand(this.pending);
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

  private finish(): PreprocessResult {
    const output = outputText(this.out, this.entryPath ?? this.input.entry);
    for (const w of output.warnings) this.error('pp-no-semicolon', w.message, w.loc, 'warning');
    const packChanges = this.pack.changes(output.outPos, output.end);
    return {
      text: output.text,
      locate: output.locate,
      packChanges,
      packAt: (r, c) => packAt(packChanges, r, c),
      tokens: output.tokens,
      macros: this.macros.byName,
      macroFile: this.macros.fileOf,
      comments: this.comments,
      files: this.files,
      entryPath: this.entryPath,
      entryPaths: this.entryPaths,
      diagnostics: this.diagnostics,
      expand: (toks) => this.macros.expand(toks),
    };
  }
}

function builtinHeader(name: string, more: Readonly<Record<string, string>> = {}): { path: string; text: string; dirIndex: number; name: string } | undefined {
  const text = BUILTIN_HEADERS[name] ?? (Object.hasOwn(more, name) ? more[name] : undefined);
  return text === undefined ? undefined : { path: `<built-in>/${name}`, text, dirIndex: Number.MAX_SAFE_INTEGER - 1, name };
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
