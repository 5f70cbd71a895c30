/**
 * Integer constant expressions (C11 6.6) over preprocessing tokens, with C's integer types:
 * literal typing (6.4.4.1), integer promotions and usual arithmetic conversions (6.3.1), wrap-around
 * of unsigned arithmetic. Used for `#if` (where every value is intmax_t/uintmax_t, 6.10.1p4) and for
 * per-ABI macro constants (where `int`, `long` and casts have the ABI's widths).
 */
import type { Token } from './tokens.js';

export interface IntType {
  bits: number;
  signed: boolean;
  /** Conversion rank: 1 int, 2 long, 3 long long (char/short promote to int first). */
  rank: number;
}

export interface CValue {
  value: bigint;
  type: IntType;
  /**
   * Signed arithmetic overflowed on the way to this value (what gcc says of it, e.g. "integer
   * overflow in expression of type 'int'"). gcc folds the wrapped value but keeps the overflow
   * (TREE_OVERFLOW): it sticks to an enumerator defined from it and to every value computed from
   * it, and an array length that holds it is not an integer constant expression.
   */
  overflow?: string;
  /**
   * A left shift C leaves undefined (of a negative value, or past the sign bit: `1 << 31`): gcc
   * folds it, but the expression is not an integer constant expression. Unlike `overflow`, an
   * enumerator defined from it is a clean constant.
   */
  badShift?: string;
}

/**
 * Why gcc would not take this value as an integer constant expression where C requires one (an
 * array length: gcc makes the array variably modified, an error at file scope on most ABIs),
 * or undefined when it would. Found by the fuzzer: `E1 = E0 + 1` with E0 = LLONG_MAX.
 */
export function notIntegerConstant(v: CValue): string | undefined {
  return v.overflow ?? v.badShift;
}

/**
 * A constant as gcc keeps it once folded (an enumerator's value, the next one counting on from
 * it): an overflow on the way to `from` stays with it, an undefined shift does not.
 */
export function folded(value: bigint, type: IntType, from: CValue): CValue {
  return from.overflow === undefined ? { value, type } : { value, type, overflow: from.overflow };
}

type Taint = Pick<CValue, 'overflow' | 'badShift'>;

/** The taint of a value computed from these operands (the first of each kind). */
function taintOf(...vs: readonly CValue[]): Taint {
  let t: Taint | undefined;
  for (const v of vs) {
    if (v.overflow === undefined && v.badShift === undefined) continue;
    t ??= {};
    if (v.overflow !== undefined) t.overflow ??= v.overflow;
    if (v.badShift !== undefined) t.badShift ??= v.badShift;
  }
  return t ?? NO_TAINT;
}
const NO_TAINT: Taint = {};

export interface IntModel {
  longBits: 32 | 64;
  /** Is plain `char` signed (the value of '\\377')? Signed when unset. */
  charSigned?: boolean;
}

export interface TypeInfo {
  size: number;
  /** `__alignof__`: gcc's preferred alignment (i386 long long and double: 8). */
  align: number;
  /** C11 `_Alignof`: the ABI alignment (i386 long long and double: 4); `align` when unset. */
  abiAlign?: number;
  /** Set when the type is an integer (or enum/pointer treated as one) so a cast can convert to it. */
  int?: IntType;
  /** Pointers: the type pointed to (for `&((T *)0)->member`). */
  pointee?(): TypeInfo;
  /**
   * Records: the byte offset of a member designator (`a.b[2].c`), as `__builtin_offsetof` gives
   * it; throws ExprError (at `at`) for a member the record does not have or a bitfield.
   */
  offsetOf?(path: readonly MemberStep[], at: Token): bigint;
}

/** One step of a member designator: `.name` or `[index]`. */
export type MemberStep = { member: string } | { index: bigint };

export interface EvalEnv {
  model: IntModel;
  /** In `#if`, every arithmetic type is intmax_t / uintmax_t. */
  preprocessor: boolean;
  /** Value of an identifier that survived macro expansion (enumerators); undefined = unknown. */
  ident(name: string): CValue | undefined;
  /**
   * Try to read a type name at tokens[pos] (for casts, sizeof, _Alignof). Returns undefined when
   * the tokens there do not start a type name.
   */
  typeName?(tokens: readonly Token[], pos: number): { end: number; type: TypeInfo } | undefined;
}

/** A constant expression that cannot be evaluated; `token` is where it failed, when known. */
export class ExprError extends Error {
  override name = 'ExprError';
  constructor(
    message: string,
    readonly token: Token | undefined,
  ) {
    super(message);
  }
}

export const INT: IntType = { bits: 32, signed: true, rank: 1 };

/** Does a value fit int? (An enumerator that does has type int; gcc gives one that does not a wider type.) */
export function fitsInt(value: bigint): boolean {
  return value >= -(2n ** 31n) && value < 2n ** 31n;
}
export const UINT: IntType = { bits: 32, signed: false, rank: 1 };
const INTMAX: IntType = { bits: 64, signed: true, rank: 3 };
const UINTMAX: IntType = { bits: 64, signed: false, rank: 3 };

export function intTypes(model: IntModel) {
  return {
    int: INT,
    uint: UINT,
    long: { bits: model.longBits, signed: true, rank: 2 } as IntType,
    ulong: { bits: model.longBits, signed: false, rank: 2 } as IntType,
    llong: { bits: 64, signed: true, rank: 3 } as IntType,
    ullong: { bits: 64, signed: false, rank: 3 } as IntType,
  };
}

/** The C spelling of an integer type: `int`, `unsigned long`, `long long`... */
export function intTypeName(t: IntType): string {
  const base = t.rank <= 1 ? 'int' : t.rank === 2 ? 'long' : 'long long';
  return t.signed ? base : `unsigned ${base}`;
}

/** Reduce a value to the range of its type (two's complement wrap). */
export function wrap(value: bigint, type: IntType): bigint {
  return type.signed ? BigInt.asIntN(type.bits, value) : BigInt.asUintN(type.bits, value);
}

function fits(value: bigint, type: IntType): boolean {
  return wrap(value, type) === value;
}

/** Type and value of an integer literal (C11 6.4.4.1p5). */
export function parseIntLiteral(text: string, env: EvalEnv): CValue | undefined {
  // The same few literals (_IOC shifts and masks) recur in every ioctl number of every ABI.
  const cache = env.preprocessor ? literalCache.pp : env.model.longBits === 64 ? literalCache.lp64 : literalCache.ilp32;
  let v = cache.get(text);
  if (v === undefined && !cache.has(text)) {
    v = literal(text, env);
    cache.set(text, v);
  }
  return v;
}

const literalCache = { pp: new Map<string, CValue | undefined>(), lp64: new Map<string, CValue | undefined>(), ilp32: new Map<string, CValue | undefined>() };

function literal(text: string, env: EvalEnv): CValue | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text.replace(/'/g, ''));
  if (!m) return undefined;
  const digits = m[1]!;
  const suffix = m[2]!.toLowerCase();
  if (!/^(|u|l|ul|lu|ll|ull|llu)$/.test(suffix)) return undefined;
  let value: bigint;
  if (/^0[bB]/.test(digits)) value = BigInt(digits);
  else if (/^0[xX]/.test(digits)) value = BigInt(digits);
  else if (digits.length > 1 && digits.startsWith('0')) value = BigInt('0o' + digits.slice(1));
  else value = BigInt(digits);
  const t = intTypes(env.model);
  const decimal = !digits.startsWith('0') || digits === '0';
  const unsigned = suffix.includes('u');
  const longs = suffix.replace('u', '').length;
  let candidates: IntType[];
  if (unsigned) {
    candidates = longs === 0 ? [t.uint, t.ulong, t.ullong] : longs === 1 ? [t.ulong, t.ullong] : [t.ullong];
  } else if (decimal) {
    candidates = longs === 0 ? [t.int, t.long, t.llong] : longs === 1 ? [t.long, t.llong] : [t.llong];
  } else {
    candidates =
      longs === 0
        ? [t.int, t.uint, t.long, t.ulong, t.llong, t.ullong]
        : longs === 1
          ? [t.long, t.ulong, t.llong, t.ullong]
          : [t.llong, t.ullong];
  }
  const type = candidates.find((c) => fits(value, c)) ?? t.ullong;
  return normalize({ value, type }, env);
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63, e: 27 };

/**
 * Value of a character constant: an `int` holding the char value (C11 6.4.4.4p10), which for one
 * byte past 0x7f is implementation-defined: gcc sign-extends it where plain char is signed
 * (x86: '\\377' == -1) and not where it is unsigned (arm, ppc, s390x, riscv: 255), in `#if` too.
 */
export function parseCharLiteral(text: string, charSigned = true): bigint | undefined {
  const m = /^'(.*)'$/s.exec(text);
  if (!m) return undefined;
  const bytes = literalBytes(m[1]!);
  if (bytes === undefined || bytes.length === 0) return undefined;
  // GCC: multi-char constants are big-endian packed into int; a single char is sign-extended
  // only where plain char is signed.
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes.length === 1) return charSigned ? BigInt.asIntN(8, v) : v;
  return BigInt.asIntN(32, v);
}

const utf8 = new TextEncoder();

/**
 * The bytes the body of a character or string literal stands for (between its quotes): escapes
 * decoded as C11 6.4.4.4 does (octal up to three digits, hex as many as follow, each kept to a
 * byte), other characters as their UTF-8 bytes (the execution character set gcc uses).
 * undefined for an escape C does not define.
 */
function literalBytes(body: string): number[] | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < body.length; ) {
    const c = body[i]!;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      if (cp < 0x80) bytes.push(cp);
      else bytes.push(...utf8.encode(ch));
      i += ch.length;
      continue;
    }
    const e = body[i + 1] ?? '';
    if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      bytes.push(parseInt(oct, 8) & 0xff);
      i += 1 + oct.length;
    } else if (e === 'x') {
      const hex = /^[0-9a-fA-F]+/.exec(body.slice(i + 2))?.[0];
      if (hex === undefined) return undefined;
      bytes.push(parseInt(hex.slice(-2), 16));
      i += 2 + hex.length;
    } else if (e === 'u' || e === 'U') {
      // A universal character name (C11 6.4.3): gcc writes it in the execution charset, UTF-8.
      const digits = e === 'u' ? 4 : 8;
      const hex = new RegExp(`^[0-9a-fA-F]{${digits}}`).exec(body.slice(i + 2))?.[0];
      const cp = hex === undefined ? NaN : parseInt(hex, 16);
      if (!(cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
      bytes.push(...utf8.encode(String.fromCodePoint(cp)));
      i += 2 + digits;
    } else {
      const v = ESCAPES[e];
      if (v === undefined) return undefined;
      bytes.push(v);
      i += 2;
    }
  }
  return bytes;
}

/**
 * The bytes of a string-valued macro's expansion: one or more plain (unprefixed) string literals,
 * concatenated as translation phase 6 does, without the terminating NUL. undefined for anything
 * else (an integer, an expression, a wide or UTF-16/32 literal, an escape C does not define).
 */
export function stringLiteralBytes(tokens: readonly Token[]): number[] | undefined {
  if (tokens.length === 0) return undefined;
  const out: number[] = [];
  for (const t of tokens) {
    if (t.kind !== 'string' || !t.text.startsWith('"') || !t.text.endsWith('"') || t.text.length < 2) return undefined;
    const b = literalBytes(t.text.slice(1, -1));
    if (b === undefined) return undefined;
    out.push(...b);
  }
  return out;
}

function normalize(v: CValue, env: EvalEnv): CValue {
  if (!env.preprocessor) return v;
  const type = v.type.signed ? INTMAX : UINTMAX;
  return { value: wrap(v.value, type), type };
}

function promote(t: IntType): IntType {
  if (t.rank >= 1) return t;
  return INT; // every narrower type fits in int on every ABI we support
}

/** Usual arithmetic conversions (C11 6.3.1.8) for two integer operands. */
export function common(a: IntType, b: IntType): IntType {
  a = promote(a);
  b = promote(b);
  if (a.signed === b.signed) return a.rank >= b.rank ? a : b;
  const [u, s] = a.signed ? [b, a] : [a, b];
  if (u.rank >= s.rank) return u;
  if (s.bits > u.bits) return s;
  return { bits: s.bits, signed: false, rank: s.rank };
}

/**
 * Evaluate tokens[pos..end) as an integer constant expression.
 * Throws ExprError for anything that is not one (the caller turns that into a diagnostic or skips).
 */
export function evaluate(tokens: readonly Token[], env: EvalEnv): CValue {
  const p = new Parser(tokens, env);
  const v = p.conditional();
  if (p.pos < tokens.length) throw new ExprError(`unexpected '${tokens[p.pos]!.text}' in constant expression`, tokens[p.pos]);
  return v;
}

const BINARY: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

/**
 * Parentheses, unary operators, casts and `?:` nest by recursion (binary operators only as deep
 * as there are precedence levels): past this many levels an expression is refused with a
 * diagnostic instead of overflowing the JS stack. C11 5.2.4.1 asks for 63.
 */
export const MAX_EXPR_DEPTH = 256;

class Parser {
  pos = 0;
  private depth = 0;
  constructor(
    readonly tokens: readonly Token[],
    readonly env: EvalEnv,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private is(text: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }
  private expect(text: string): void {
    if (!this.is(text)) throw new ExprError(`expected '${text}'`, this.peek());
    this.pos++;
  }
  private int(value: bigint, type: IntType, taint: Taint = NO_TAINT): CValue {
    const v = normalize({ value: wrap(value, type), type }, this.env);
    return taint === NO_TAINT ? v : { ...v, ...taint };
  }
  private bool(b: boolean, taint: Taint = NO_TAINT): CValue {
    return this.int(b ? 1n : 0n, INT, taint);
  }
  /**
   * Signed arithmetic: the exact result, wrapped, and marked when it does not fit `type` (in
   * `#if` every signed value is intmax_t). Unsigned arithmetic wraps without a mark (C11 6.2.5p9).
   */
  private arith(exact: bigint, type: IntType, taint: Taint): CValue {
    const t = this.env.preprocessor && type.signed ? INTMAX : type;
    if (t.signed && wrap(exact, t) !== exact && taint.overflow === undefined) {
      taint = { ...taint, overflow: `integer overflow in expression of type '${intTypeName(t)}'` };
    }
    return this.int(exact, type, taint);
  }

  /** Parse one level deeper, below the token `at` that opens it, refusing to pass MAX_EXPR_DEPTH. */
  private nested<T>(at: Token, parse: () => T): T {
    if (this.depth >= MAX_EXPR_DEPTH) throw new ExprError('expression nested too deeply', at);
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  conditional(): CValue {
    const cond = this.binary(1);
    if (!this.is('?')) return cond;
    const q = this.tokens[this.pos++]!;
    const a = this.nested(q, () => this.conditional());
    const colon = this.peek();
    this.expect(':');
    const b = this.nested(colon!, () => this.conditional());
    const type = common(a.type, b.type);
    // gcc: only the chosen operand's overflow counts (`X ? 1 : 2` and `0 ? X : 1` stay constant).
    const chosen = cond.value !== 0n ? a : b;
    return this.int(chosen.value, type, taintOf(chosen));
  }

  private binary(minPrec: number): CValue {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t && t.kind === 'punct' ? BINARY[t.text] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      this.pos++;
      const right = this.binary(prec + 1);
      left = this.apply(t!, left, right);
    }
  }

  private apply(op: Token, a: CValue, b: CValue): CValue {
    switch (op.text) {
      // gcc keeps an operand's overflow in the result, except behind `0 &&` (as gcc 12-14 do).
      case '||':
        return this.bool(a.value !== 0n || b.value !== 0n, taintOf(a, b));
      case '&&':
        return this.bool(a.value !== 0n && b.value !== 0n, a.value !== 0n ? taintOf(a, b) : taintOf(a));
      case '<<':
      case '>>': {
        const type = promote(a.type);
        if (b.value < 0n || b.value >= BigInt(type.bits)) throw new ExprError(`shift count ${b.value} out of range`, op);
        let taint = taintOf(a, b);
        if (op.text === '>>') return this.int(wrap(a.value, type) >> b.value, type, taint);
        // C11 6.5.7p4: a signed left shift of a negative value, or one whose result the type
        // cannot hold, is undefined; gcc folds it but not as an integer constant expression.
        const x = wrap(a.value, type);
        const t = this.env.preprocessor && type.signed ? INTMAX : type;
        if (t.signed && (x < 0n || wrap(x << b.value, t) !== x << b.value) && taint.badShift === undefined) {
          taint = { ...taint, badShift: x < 0n ? `left shift of negative value` : `result of '${x} << ${b.value}' does not fit '${intTypeName(t)}'` };
        }
        return this.int(x << b.value, type, taint);
      }
    }
    const type = common(a.type, b.type);
    const x = wrap(a.value, type);
    const y = wrap(b.value, type);
    const taint = taintOf(a, b);
    switch (op.text) {
      case '|': return this.int(x | y, type, taint);
      case '^': return this.int(x ^ y, type, taint);
      case '&': return this.int(x & y, type, taint);
      case '==': return this.bool(x === y, taint);
      case '!=': return this.bool(x !== y, taint);
      case '<': return this.bool(x < y, taint);
      case '>': return this.bool(x > y, taint);
      case '<=': return this.bool(x <= y, taint);
      case '>=': return this.bool(x >= y, taint);
      case '+': return this.arith(x + y, type, taint);
      case '-': return this.arith(x - y, type, taint);
      case '*': return this.arith(x * y, type, taint);
      case '/':
      case '%':
        if (y === 0n) throw new ExprError('division by zero in constant expression', op);
        if (op.text === '/') return this.arith(x / y, type, taint);
        // INT_MIN % -1 is 0, but gcc counts it as the overflow INT_MIN / -1 is.
        return y === -1n ? this.arith(x % y, type, this.arith(x / y, type, taint)) : this.int(x % y, type, taint);
    }
    throw new ExprError(`unsupported operator '${op.text}'`, op);
  }

  private unary(): CValue {
    const t = this.peek();
    if (!t) throw new ExprError('unexpected end of constant expression', this.tokens[this.tokens.length - 1]);
    if (t.kind === 'punct') {
      switch (t.text) {
        case '+': case '-': case '~': case '!': {
          this.pos++;
          const v = this.nested(t, () => this.unary());
          const type = promote(v.type);
          const taint = taintOf(v);
          if (t.text === '+') return this.int(v.value, type, taint);
          if (t.text === '-') return this.arith(-wrap(v.value, type), type, taint);
          if (t.text === '~') return this.int(~v.value, type, taint);
          return this.bool(v.value === 0n, taint);
        }
        case '&': {
          // The offsetof idiom: `&((T *)0)->member` is the member's offset as a pointer value.
          this.pos++;
          const offset = this.nested(t, () => this.memberAddress());
          return this.int(offset, intTypes(this.env.model).ulong);
        }
        case '(': {
          const cast = this.env.typeName?.(this.tokens, this.pos + 1);
          if (cast && this.tokens[cast.end]?.text === ')') {
            this.pos = cast.end + 1;
            const v = this.nested(t, () => this.unary());
            const to = cast.type.int;
            if (!to) throw new ExprError('cast to a non-integer type in constant expression', t);
            // A conversion is implementation-defined, not an overflow; an operand's overflow stays.
            return this.int(v.value, to, taintOf(v));
          }
          this.pos++;
          const v = this.nested(t, () => this.conditional());
          this.expect(')');
          return v;
        }
      }
    }
    if (t.kind === 'ident' && t.text === '__builtin_offsetof') {
      this.pos++;
      this.expect('(');
      const ty = this.env.typeName?.(this.tokens, this.pos);
      if (!ty || this.tokens[ty.end]?.text !== ',') throw new ExprError('__builtin_offsetof of an unknown type', t);
      this.pos = ty.end + 1;
      const path = this.designator(true);
      this.expect(')');
      if (!ty.type.offsetOf) throw new ExprError('__builtin_offsetof of a type that is not a struct or union', t);
      return this.int(ty.type.offsetOf(path, t), intTypes(this.env.model).ulong);
    }
    if (t.kind === 'ident' && (t.text === 'sizeof' || t.text === '_Alignof' || t.text === '__alignof__' || t.text === '__alignof')) {
      this.pos++;
      const sizeT = intTypes(this.env.model).ulong;
      if (this.is('(')) {
        const ty = this.env.typeName?.(this.tokens, this.pos + 1);
        if (ty && this.tokens[ty.end]?.text === ')') {
          this.pos = ty.end + 1;
          const v = t.text === 'sizeof' ? ty.type.size : t.text === '_Alignof' ? (ty.type.abiAlign ?? ty.type.align) : ty.type.align;
          return this.int(BigInt(v), sizeT);
        }
      }
      throw new ExprError(`'${t.text}' of an expression or unknown type`, t);
    }
    this.pos++;
    if (t.kind === 'number') {
      const v = parseIntLiteral(t.text, this.env);
      if (!v) throw new ExprError(`'${t.text}' is not an integer constant`, t);
      return v;
    }
    if (t.kind === 'char') {
      const v = t.text.startsWith("'") ? parseCharLiteral(t.text, this.env.model.charSigned ?? true) : undefined;
      if (v === undefined) throw new ExprError(`unsupported character constant ${t.text}`, t);
      return this.int(v, INT);
    }
    if (t.kind === 'ident') {
      const v = this.env.ident(t.text);
      if (v) return { ...normalize(v, this.env), ...taintOf(v) };
      if (this.env.preprocessor) return this.int(0n, INT); // C11 6.10.1p4: remaining identifiers are 0
      throw new ExprError(`'${t.text}' is not a constant`, t);
    }
    throw new ExprError(`unexpected '${t.text}' in constant expression`, t);
  }

  /**
   * A member designator: `name` (when `first`), then `.name`, `->name` only as the first step
   * after a null pointer, and `[constant]`.
   */
  private designator(first: boolean): MemberStep[] {
    const path: MemberStep[] = [];
    for (;;) {
      const t = this.peek();
      if (first && path.length === 0) {
        if (!t || t.kind !== 'ident') throw new ExprError('expected a member name', t);
        this.pos++;
        path.push({ member: t.text });
        continue;
      }
      if (this.is('.')) {
        this.pos++;
        const n = this.peek();
        if (!n || n.kind !== 'ident') throw new ExprError('expected a member name', n);
        this.pos++;
        path.push({ member: n.text });
      } else if (this.is('[')) {
        const open = this.tokens[this.pos++]!;
        const i = this.nested(open, () => this.conditional());
        this.expect(']');
        path.push({ index: i.value });
      } else {
        return path;
      }
    }
  }

  /**
   * After `&`: `((T *)0)->designator`, parenthesized any number of times, or a parenthesized
   * whole (`&(((T *)0)->m)`). The value is the member's offset: gcc folds it to a constant.
   */
  private memberAddress(): bigint {
    const open = this.peek();
    if (!open || !this.is('(')) throw new ExprError(`unexpected '${open?.text ?? '&'}' after '&' in constant expression`, open);
    const save = this.pos;
    const base = this.nullPointer();
    if (base) {
      const arrow = this.peek();
      if (!this.is('->')) throw new ExprError("expected '->' after a null pointer in constant expression", arrow);
      this.pos++;
      const path = this.designator(true);
      const record = base.pointee?.();
      if (!record?.offsetOf) throw new ExprError('member of a pointer to a type that is not a struct or union', arrow);
      return record.offsetOf(path, arrow!);
    }
    this.pos = save + 1;
    const v = this.nested(open, () => this.memberAddress());
    this.expect(')');
    return v;
  }

  /** `(T *)0` or `((T *)0)`: a null pointer of a pointer type, or undefined (position unchanged). */
  private nullPointer(): TypeInfo | undefined {
    const save = this.pos;
    if (!this.is('(')) return undefined;
    const cast = this.env.typeName?.(this.tokens, this.pos + 1);
    if (cast && this.tokens[cast.end]?.text === ')' && cast.type.pointee) {
      const zero = this.tokens[cast.end + 1];
      if (zero?.kind === 'number' && parseIntLiteral(zero.text, this.env)?.value === 0n) {
        this.pos = cast.end + 2;
        return cast.type;
      }
      return undefined;
    }
    this.pos++;
    const inner = this.nullPointer();
    if (inner && this.is(')')) {
      this.pos++;
      return inner;
    }
    this.pos = save;
    return undefined;
  }
}
