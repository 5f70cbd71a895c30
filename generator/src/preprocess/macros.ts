/**
 * Macros (C11 6.10.3): definitions (object-like and function-like, variadic), and expansion with
 * `#` and `##`, hide sets against recursion, and a limit on nesting.
 */
import { HideSet, spell, tokenize, type Loc, type Token } from './tokens.js';
import type { Macro, Report } from './types.js';

/**
 * Limit on macro expansions nested inside one another (a macro whose replacement uses another
 * macro, and so on), and on macro arguments nested inside one another (`F(F(F(...)))`, expanded
 * by recursion). Past it the expansion stops with an error rather than overflowing the JS stack or
 * taking quadratic time and memory; real headers nest a few dozen levels at most.
 */
const MAX_MACRO_NESTING = 256;

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

/** Macro expansion produced more tokens than the budget allows (Limits.maxMacroTokens). */
class BudgetError extends Error {
  override name = 'BudgetError';
  constructor(
    message: string,
    readonly loc: Loc,
  ) {
    super(message);
  }
}

/** The macros defined so far (#define, #undef), and expansion of tokens against them. */
export class MacroTable {
  readonly byName = new Map<string, Macro>();
  /** Path of the file that (last) defined each macro, by macro name. */
  readonly fileOf = new Map<string, string>();
  /** Macros a header can neither redefine nor undefine (PreprocessInput.builtins). */
  private readonly locked = new Set<string>();
  /** Nesting of expand() calls (macro arguments are expanded by recursion). */
  private expandDepth = 0;
  /** Tokens expansion has produced so far, against `maxTokens`; past it nothing more is expanded. */
  private produced = 0;
  private exhausted = false;

  constructor(
    private readonly report: Report,
    /** Limits.maxMacroTokens: tokens expansion may produce in one translation unit. */
    private readonly maxTokens = Infinity,
  ) {}

  isDefined(name: string): boolean {
    return this.byName.has(name);
  }

  /** Define from `NAME body` or `NAME(a,b) body` text; `lock`: the header cannot change it. */
  defineFromText(text: string, loc: Loc, lock = false): Macro | undefined {
    const toks = tokenize(text, loc.file).lines[0]?.tokens ?? [];
    const m = this.define(toks.map((t) => ({ ...t, loc })), loc);
    if (m && lock) this.locked.add(m.name);
    return m;
  }

  /** `#undef`: a locked macro stays. */
  undef(name: string | undefined): void {
    if (name && !this.locked.has(name)) this.byName.delete(name);
  }

  /** `#define`: `toks` are the tokens after the word define. */
  define(toks: Token[], loc: Loc): Macro | undefined {
    const nameTok = toks[0];
    if (!nameTok || nameTok.kind !== 'ident') {
      this.report('pp-directive', '#define needs a macro name', nameTok?.loc ?? loc);
      return undefined;
    }
    if (this.locked.has(nameTok.text)) return undefined;
    let params: string[] | null = null;
    let variadic = false;
    let i = 1;
    if (toks[1]?.text === '(' && !toks[1].space) {
      // C11 6.10.3: `( identifier-list[opt] )`, `( ... )`, `( identifier-list , ... )` (GNU: `a...`).
      params = [];
      i = 2;
      let wantName = true;
      let closed = false;
      for (; i < toks.length; i++) {
        const t = toks[i]!;
        if (t.text === ')' && (!wantName || params.length === 0) && !(params.length > 0 && toks[i - 1]?.text === ',')) {
          closed = true;
          break;
        }
        if (!wantName && !variadic && t.text === ',') {
          wantName = true;
          continue;
        }
        if (wantName && !variadic && t.text === '...') {
          variadic = true;
          params.push('__VA_ARGS__');
          wantName = false;
          continue;
        }
        if (wantName && !variadic && t.kind === 'ident') {
          if (params.includes(t.text)) {
            this.report('pp-directive', `duplicate macro parameter "${t.text}"`, t.loc);
            return undefined;
          }
          if (toks[i + 1]?.text === '...') {
            variadic = true;
            i++;
          }
          params.push(t.text);
          wantName = false;
          continue;
        }
        this.report('pp-directive', wantName ? `expected parameter name, found "${t.text}"` : `expected ',' or ')', found "${t.text}"`, t.loc);
        return undefined;
      }
      if (!closed) {
        const last = toks[toks.length - 1] ?? nameTok;
        this.report('pp-directive', wantName ? 'expected parameter name before end of line' : "missing ')' in macro parameter list", { ...last.loc, col: last.loc.col + last.text.length });
        return undefined;
      }
      i++;
    }
    const body = toks.slice(i);
    if (body[0]) body[0] = { ...body[0], space: false };
    const m: Macro = { name: nameTok.text, params, variadic, body, loc: nameTok.loc };
    const old = this.byName.get(m.name);
    if (old && !sameDefinition(old, m)) {
      // C11 6.10.3p2 allows only an identical redefinition; gcc warns and takes the new one.
      this.report('pp-redefined', `"${m.name}" redefined`, m.loc, 'warning');
      this.report('pp-redefined', 'this is the location of the previous definition', old.loc, 'note');
    }
    this.byName.set(m.name, m);
    this.fileOf.set(m.name, loc.file);
    return m;
  }

  /** Fully macro-expand a token list (C11 6.10.3), using hide sets against recursion. */
  expand(input: readonly Token[]): Token[] {
    if (this.expandDepth > 0) return this.expand1(input);
    if (this.exhausted) return [...input];
    // Past MAX_MACRO_NESTING the whole expansion is abandoned (reported once, tokens left as
    // written): expanding the rest would only hit the limit again, once per level.
    try {
      return this.expand1(input);
    } catch (e) {
      if (e instanceof BudgetError) {
        // Reported once; the rest of the translation unit is left unexpanded.
        this.exhausted = true;
        this.report('pp-budget-macro', e.message, e.loc);
        return [...input];
      }
      if (!(e instanceof NestingError)) throw e;
      this.report('pp-macro-depth', e.message, e.loc);
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
      const m = this.byName.get(t.text);
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
        this.spend(repl.length, m, t);
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
        this.report('pp-macro-args', `unterminated invocation of macro '${m.name}'`, t.loc);
        return out;
      }
      if (m.params.length === 0 && args.length === 1 && args[0]!.length === 0) args.length = 0;
      if (args.length < m.params.length && m.variadic && args.length === m.params.length - 1) args.push([]);
      if (args.length !== m.params.length) {
        this.report('pp-macro-args', `macro '${m.name}' takes ${m.params.length} arguments, ${args.length} given`, t.loc);
        out.push(t);
        continue;
      }
      const hide = withName(t.hide, m.name);
      const repl = this.substitute(m, args, hide, t);
      this.spend(repl.length, m, t);
      for (let i = repl.length - 1; i >= 0; i--) stack.push(repl[i]!);
    }
    return out;
  }

  /** Count tokens a replacement produced; over the budget, abandon the expansion. */
  private spend(n: number, m: Macro, at: Token): void {
    this.produced += n;
    if (this.produced > this.maxTokens) {
      throw new BudgetError(`macro expansion produced more than ${this.maxTokens} tokens (at '${m.name}'); raise the budget with --max-macro-tokens`, at.loc);
    }
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
          this.report('pp-paste', `pasting '${left.text}' and '${rightToks[0]!.text}' does not give a valid token`, at.loc);
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
}

function withName(hide: HideSet | undefined, name: string): HideSet {
  return new HideSet(name, hide);
}
