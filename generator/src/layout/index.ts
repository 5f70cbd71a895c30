/**
 * layout(ir, abi): sizes, offsets, holes and constants of one IR module on one ABI.
 */
import type { Diagnostic } from '../diagnostics.js';
import { inHeader, type EnumDecl, type IntKind, type IrModule, type RecordDecl, type StaticAssert, type TypeRef } from '../ir/types.js';
import { evaluate, ExprError, fitsInt, folded, intTypeName, intTypes, notIntegerConstant, type CValue, type EvalEnv, type IntType, type TypeInfo } from '../preprocess/expr.js';
import { tokenize, type Token } from '../preprocess/tokens.js';
import { resolveTypedefs } from '../ir/queries.js';
import type { Abi } from './abi/index.js';
import { LayoutContext, LayoutError, recordName, type RecordLayout } from './record.js';
import { enumFact, type EnumFact } from './scalar.js';
import { findCapAlign, type CapAlignWarning } from './cap-align.js';
import { memberOffset } from './offsetof.js';
export { CAP_ALIGN_CODE, type CapAlignWarning } from './cap-align.js';

/** The cap_offset alignment warnings of a laid-out module (also in its diagnostics, code CAP_ALIGN_CODE). */
export function capAlignWarnings(laid: LaidOutModule): CapAlignWarning[] {
  return findCapAlign(laid.ir, laid.abi, laid.records).map((w) => w.warning);
}

export type { ArrayFact, BitfieldWindow, ElementFact, FieldLayout, Gap, RecordLayout } from './record.js';
export type { EnumFact, ScalarFact, ScalarKind } from './scalar.js';
export type { PaholeHoles } from './holes.js';
export { resolveTypedefs };

export interface Constant {
  name: string;
  value: bigint;
  kind: 'macro' | 'enum';
  /** The C integer type of the value on this ABI, e.g. "unsigned int". */
  ctype: string;
}

export interface LaidOutModule {
  ir: IrModule;
  abi: Abi;
  /** Layout of every record by IR id (including anonymous and included ones). */
  records: Map<number, RecordLayout>;
  constants: Constant[];
  /** Enumerator values by name on this ABI. */
  enumerators: Map<string, CValue>;
  diagnostics: Diagnostic[];
}

export function layout(ir: IrModule, abi: Abi): LaidOutModule {
  const diagnostics: Diagnostic[] = [];
  const enumerators = new Map<string, CValue>();
  const enumFacts = new Map<number, EnumFact>();
  // eslint-disable-next-line prefer-const -- used by typeName before assignment completes
  let ctx: LayoutContext;
  const env: EvalEnv = {
    model: { longBits: abi.ints.long.size === 8 ? 64 : 32, charSigned: abi.charSigned },
    preprocessor: false,
    ident: (n) => enumerators.get(n),
    typeName: (toks, pos) => typeName(toks, pos, ir, abi, ctx),
  };
  const evalConst = (expr: string, what: string): bigint => {
    try {
      const v = evaluate(tokenize(expr, `<${what}>`).lines.flatMap((l) => l.tokens), env);
      // gcc makes an array whose length is not an integer constant expression variably modified:
      // an error at file scope ("size of array exceeds maximum object size" on most ABIs).
      const why = what === 'array length' ? notIntegerConstant(v) : undefined;
      if (why !== undefined) throw new LayoutError(`array length '${expr}' is not an integer constant expression: ${why}`);
      return v.value;
    } catch (e) {
      if (e instanceof ExprError) throw new LayoutError(`cannot evaluate ${what} '${expr}': ${e.message}`);
      if (isStackOverflow(e)) throw new LayoutError(`cannot evaluate ${what} '${expr}': expression nested too deeply`);
      throw e;
    }
  };
  ctx = new LayoutContext(ir, abi, (id) => enumFacts.get(id) ?? { size: 4, signed: false }, evalConst);
  // Enumerators before records: enum sizes depend on their values (values may use sizeof).
  for (const e of ir.enums) enumFacts.set(e.id, evalEnum(e, env, enumerators, diagnostics));
  const records = new Map<number, RecordLayout>();
  for (const r of ir.records) {
    const l = ctx.record(r.id);
    records.set(r.id, l);
    if (l.unsupported && r.complete && inHeader(ir, r.loc) && !r.unsupported) {
      // At the offending member when it is in this record (gcc points there), else at the record.
      const at = l.unsupportedAt;
      diagnostics.push({ severity: 'error', code: 'layout-unsupported', message: `cannot lay out ${recordName(r)} on ${abi.name}: ${at?.why ?? l.unsupported}`, ...(at?.loc ?? r.loc) });
    }
  }
  for (const w of findCapAlign(ir, abi, records)) diagnostics.push(w.diagnostic);
  for (const a of ir.staticAsserts ?? []) checkStaticAssert(a, evalConst, abi, diagnostics);
  const constants: Constant[] = [];
  for (const m of ir.macros) {
    if (m.expansion.length === 0) continue;
    try {
      const v = evaluate(m.expansion, env);
      constants.push({ name: m.name, value: v.value, kind: 'macro', ctype: intTypeName(v.type) });
    } catch (e) {
      // A constant expression too deep for us is still a constant to gcc: not silently dropped.
      if (isStackOverflow(e) || (e instanceof ExprError && /nested too deeply/.test(e.message))) {
        diagnostics.push({ severity: 'error', code: 'layout-too-deep', message: `cannot evaluate ${m.name}: expression nested too deeply`, ...m.loc });
        continue;
      }
      if (!(e instanceof ExprError) && !(e instanceof LayoutError)) throw e;
      // A floating constant (`#define RATE 1.5`): not an integer; said, not silently dropped.
      const floating = m.expansion.find((t) => t.kind === 'number' && /^(0[xX][0-9a-fA-F.]*[pP]|[0-9]*\.|[0-9.]+[eE])/.test(t.text));
      if (floating) {
        diagnostics.push({ severity: 'warning', code: 'layout-constant-float', message: `${m.name} is a floating-point constant (${m.body}): uapi-ts binds integer and string constants only`, ...m.loc });
        continue;
      }
      // The offsetof idiom (`&((T *)0)->m`, `offsetof(T, m)`) that could not be evaluated here.
      if (m.expansion.some((t) => t.text === '__builtin_offsetof' || t.text === '->')) {
        const why = e instanceof ExprError || e instanceof LayoutError ? e.message : String(e);
        diagnostics.push({ severity: 'warning', code: 'layout-constant-offsetof', message: `${m.name} takes a member's offset (${m.body}) but cannot be evaluated on ${abi.name}: ${why}`, ...m.loc });
        continue;
      }
      // Not an integer constant expression (a string, a type, an attribute...): not a constant.
      // But a call of a macro nobody defined (`_IOW` without <linux/ioctl.h>) deserves a word.
      const call = m.expansion.findIndex((t, i) => t.kind === 'ident' && t.text !== 'sizeof' && t.text !== '_Alignof' && m.expansion[i + 1]?.text === '(');
      if (call >= 0) {
        diagnostics.push({
          severity: 'warning',
          code: 'layout-constant-undefined-macro',
          message: `${m.name} is not a constant here: it calls ${m.expansion[call]!.text}(), which neither ${ir.header} nor its includes define`,
          ...m.loc,
        });
      }
    }
  }
  // An enumerator a macro of the same name hides (`#define __TC_MQPRIO_MODE_MAX
  // (__TC_MQPRIO_MODE_MAX - 1)`, pkt_sched.h): C code that names it gets the macro's value.
  const macroNames = new Set(constants.map((c) => c.name));
  for (const e of ir.enums) {
    if (!inHeader(ir, e.loc)) continue;
    for (const en of e.enumerators) {
      const v = enumerators.get(en.name);
      if (v && !macroNames.has(en.name)) constants.push({ name: en.name, value: v.value, kind: 'enum', ctype: intTypeName(v.type) });
    }
  }
  return { ir, abi, records, constants, enumerators, diagnostics };
}

/**
 * A file-scope `_Static_assert` on this ABI, as gcc judges it: false is an error ("static
 * assertion failed"), one we cannot evaluate a warning (never silence).
 */
function checkStaticAssert(a: StaticAssert, evalConst: (expr: string, what: string) => bigint, abi: Abi, out: Diagnostic[]): void {
  let v: bigint;
  try {
    v = evalConst(a.expr, 'static assertion');
  } catch (e) {
    if (!(e instanceof LayoutError)) throw e;
    out.push({ severity: 'warning', code: 'layout-static-assert-unevaluated', message: `${e.message} on ${abi.name}`, ...a.loc });
    return;
  }
  if (v === 0n) out.push({ severity: 'error', code: 'layout-static-assert', message: `static assertion failed on ${abi.name}${a.message === null ? '' : `: ${a.message}`}`, ...a.loc });
}

function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}


/** Enumerator values (C11 6.7.2.2) and the enum's underlying type as GCC picks it (scalar.ts enumFact). */
function evalEnum(e: EnumDecl, env: EvalEnv, out: Map<string, CValue>, diagnostics: Diagnostic[]): EnumFact {
  let prev: CValue | undefined;
  /** An enumerator could not be evaluated: the implicit values after it (previous + 1) cannot be either. */
  let failed: string | undefined;
  let min = 0n;
  let max = 0n;
  const int: IntType = { bits: 32, signed: true, rank: 1 };
  for (const en of e.enumerators) {
    let v: CValue;
    if (en.valueText === null) {
      if (failed !== undefined) {
        diagnostics.push({ severity: 'error', code: 'layout-enum', message: `cannot evaluate enumerator ${en.name}: it follows ${failed}, which has no value`, ...en.loc });
        continue;
      }
      // An overflow in the previous value sticks to this one (gcc adds 1 to the folded constant).
      v = prev ? folded(prev.value + 1n, prev.type, prev) : { value: 0n, type: int };
      // gcc (c-decl.cc build_enumerator) adds 1 in the previous enumerator's type (int when its
      // value fits, else the type of its expression) and calls a wrap "overflow in enumeration
      // values": `A = 0x7fffffff, B` and `A = 0xffffffff, B` are errors, `A = 4294967295, B` (a
      // long or long long) is not. Found by the fuzzer.
      const top = v.type.signed ? 2n ** BigInt(v.type.bits - 1) - 1n : 2n ** BigInt(v.type.bits) - 1n;
      if (v.value > top) {
        diagnostics.push({ severity: 'error', code: 'layout-enum', message: `overflow in enumeration values at ${en.name}`, ...en.loc });
        failed = en.name;
        continue;
      }
    } else {
      try {
        v = evaluate(tokenize(en.valueText, en.loc.file).lines.flatMap((l) => l.tokens), env);
      } catch (err) {
        const message = isStackOverflow(err) ? 'expression nested too deeply' : err instanceof ExprError || err instanceof LayoutError ? err.message : undefined;
        if (message === undefined) throw err;
        diagnostics.push({ severity: 'error', code: 'layout-enum', message: `cannot evaluate enumerator ${en.name}: ${message}`, ...en.loc });
        failed = en.name;
        continue;
      }
    }
    failed = undefined;
    // Enumerators have type int when the value fits (GCC extension: otherwise a wider type). An
    // enumerator is a folded constant: an undefined shift in its expression does not follow it
    // (gcc takes `A = 1 << 31` in an array length), an overflow does (gcc's TREE_OVERFLOW).
    v = folded(v.value, fitsInt(v.value) ? int : v.type, v);
    out.set(en.name, v);
    prev = v;
    if (v.value < min) min = v.value;
    if (v.value > max) max = v.value;
  }
  // Negative values beside values over LLONG_MAX: no integer type holds them all (gcc warns
  // "enumeration values exceed range of largest integer" and picks a type we cannot vouch for).
  if (min < 0n && max >= 2n ** 63n) {
    const loc = e.enumerators.find((x) => out.get(x.name)?.value === max)?.loc ?? e.loc;
    diagnostics.push({ severity: 'error', code: 'layout-enum', message: `enumeration values exceed range of largest integer${e.name ? ` in enum ${e.name}` : ''}`, ...loc });
  }
  const fact = enumFact(min, max, e.attrs.packed === true);
  // Once the enum is complete, an enumerator whose value does not fit int has the enum's own type
  // (gcc, c-decl.cc finish_enum): `A = 0x7fffffffffffffffLL` is unsigned long on LP64 (unsigned
  // long long on ILP32), so `A / -7` is 0, not -1317624576693539401. Found by the fuzzer.
  if (fact.size > 4 || !fact.signed) {
    const own: IntType = { bits: fact.size * 8, signed: fact.signed, rank: fact.size < 8 ? 1 : env.model.longBits === 64 ? 2 : 3 };
    for (const en of e.enumerators) {
      const v = out.get(en.name);
      if (v && !fitsInt(v.value)) out.set(en.name, { ...v, type: own });
    }
  }
  return fact;
}

const INT_WORDS = new Set(['unsigned', 'signed', 'int', 'long', 'short', 'char', '_Bool']);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__const', '__volatile__']);

/** Read a type name (for casts, sizeof, _Alignof) from tokens; undefined if tokens[pos] does not start one. */
function typeName(toks: readonly Token[], pos: number, ir: IrModule, abi: Abi, ctx: LayoutContext): { end: number; type: TypeInfo } | undefined {
  let i = pos;
  while (toks[i] && QUALIFIERS.has(toks[i]!.text)) i++;
  const t = toks[i];
  if (!t || t.kind !== 'ident') return undefined;
  let ref: TypeRef;
  if (t.text === 'struct' || t.text === 'union' || t.text === 'enum') {
    const tag = toks[i + 1];
    if (!tag || tag.kind !== 'ident') return undefined;
    i += 2;
    if (t.text === 'enum') {
      const e = ir.enums.find((x) => x.name === tag.text);
      if (!e) throw new ExprError(`unknown enum ${tag.text}`, tag);
      ref = { kind: 'enum', id: e.id };
    } else {
      const id = ir.tags.get(`${t.text} ${tag.text}`);
      if (id === undefined) throw new ExprError(`unknown ${t.text} ${tag.text}`, tag);
      ref = { kind: 'record', id };
    }
  } else if (INT_WORDS.has(t.text) || t.text === 'float' || t.text === 'double' || t.text === 'void') {
    const words: string[] = [];
    while (toks[i] && (INT_WORDS.has(toks[i]!.text) || QUALIFIERS.has(toks[i]!.text) || ['float', 'double', 'void'].includes(toks[i]!.text))) {
      words.push(toks[i]!.text);
      i++;
    }
    if (words.includes('void')) ref = { kind: 'void' };
    else if (words.includes('float')) ref = { kind: 'float', float: 'float' };
    else if (words.includes('double')) ref = { kind: 'float', float: words.includes('long') ? 'ldouble' : 'double' };
    else ref = { kind: 'int', int: intKindOf(words) };
  } else if (ir.typedefs.has(t.text)) {
    ref = { kind: 'typedef', name: t.text };
    i++;
  } else {
    return undefined;
  }
  while (toks[i] && QUALIFIERS.has(toks[i]!.text)) i++;
  while (toks[i]?.text === '*') {
    ref = { kind: 'pointer', to: ref };
    i++;
    while (toks[i] && QUALIFIERS.has(toks[i]!.text)) i++;
  }
  const dims: number[] = [];
  while (toks[i]?.text === '[') {
    const close = toks.findIndex((x, k) => k > i && x.text === ']');
    if (close < 0) return undefined;
    // As a member's length: enumerators and sizeof known, and an integer constant expression
    // (`sizeof(char[INT_MAX + 1 & 1])` is variably modified in gcc).
    const n = ctx.evalConst(toks.slice(i + 1, close).map((x) => x.text).join(' '), 'array length');
    if (n < 0n) throw new ExprError('size of unnamed array is negative', toks[i]);
    dims.push(Number(n));
    i = close + 1;
  }
  for (let k = dims.length - 1; k >= 0; k--) ref = { kind: 'array', of: ref, length: dims[k]! };
  const info = typeInfo(ref, ir, abi, ctx);
  return { end: i, type: info };
}

function typeInfo(ref: TypeRef, ir: IrModule, abi: Abi, ctx: LayoutContext): TypeInfo {
  const resolved = resolveTypedefs(ref, ir);
  if (resolved.kind === 'void') return { size: 1, align: 1 }; // GNU: sizeof(void) == 1
  const l = ctx.type(ref);
  // _Alignof a complete type outside a struct: records and arrays use member alignment; scalars their own.
  let align = l.align;
  if (resolved.kind === 'int' || resolved.kind === 'float' || resolved.kind === 'enum') align = Math.max(align, l.size > 8 ? align : l.size);
  // C11 _Alignof is the ABI alignment (a member's), gcc's __alignof__ the preferred one above.
  const info: TypeInfo = { size: l.size, align, abiAlign: l.align };
  const t = intTypes({ longBits: abi.ints.long.size === 8 ? 64 : 32, charSigned: abi.charSigned });
  if (resolved.kind === 'int') {
    const k = resolved.int;
    const map: Partial<Record<IntKind, IntType>> = {
      bool: { bits: 8, signed: false, rank: 0 },
      char: { bits: 8, signed: abi.charSigned, rank: 0 },
      schar: { bits: 8, signed: true, rank: 0 },
      uchar: { bits: 8, signed: false, rank: 0 },
      short: { bits: 16, signed: true, rank: 0 },
      ushort: { bits: 16, signed: false, rank: 0 },
      int: t.int, uint: t.uint, long: t.long, ulong: t.ulong, llong: t.llong, ullong: t.ullong,
    };
    const it = map[k];
    if (it) info.int = it;
  } else if (resolved.kind === 'pointer') {
    info.int = t.ulong;
    info.pointee = () => typeInfo(resolved.to, ir, abi, ctx);
  } else if (resolved.kind === 'record') {
    info.offsetOf = (path, at) => memberOffset(ctx, resolved, path, at);
  } else if (resolved.kind === 'enum') {
    const e = ctx.enumInfo(resolved.id);
    info.int = e.size === 8 ? (e.signed ? t.llong : t.ullong) : e.size === 4 ? (e.signed ? t.int : t.uint) : { bits: e.size * 8, signed: e.signed, rank: 0 };
  }
  return info;
}

function intKindOf(words: readonly string[]): IntKind {
  const u = words.includes('unsigned');
  const longs = words.filter((w) => w === 'long').length;
  if (words.includes('_Bool')) return 'bool';
  if (words.includes('char')) return u ? 'uchar' : words.includes('signed') ? 'schar' : 'char';
  if (words.includes('short')) return u ? 'ushort' : 'short';
  if (longs >= 2) return u ? 'ullong' : 'llong';
  if (longs === 1) return u ? 'ulong' : 'long';
  return u ? 'uint' : 'int';
}

export function isHeaderRecord(ir: IrModule, r: RecordDecl): boolean {
  return inHeader(ir, r.loc);
}
