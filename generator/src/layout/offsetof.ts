/**
 * `__builtin_offsetof(T, a.b[2].c)` and the offsetof idiom `&((T *)0)->a.b` in constant
 * expressions: the byte offset of a member designator on this ABI (C11 7.19p3; gcc folds both
 * to constants), from the same record layouts everything else reads.
 */
import { resolveTypedefs } from '../ir/queries.js';
import type { TypeRef } from '../ir/types.js';
import { ExprError, type MemberStep } from '../preprocess/expr.js';
import type { Token } from '../preprocess/tokens.js';
import { recordName, type FieldLayout, type LayoutContext, type RecordLayout } from './record.js';

export function memberOffset(ctx: LayoutContext, ref: TypeRef, path: readonly MemberStep[], at: Token): bigint {
  let t = resolveTypedefs(ref, ctx.ir);
  let offset = 0n;
  for (const step of path) {
    if ('member' in step) {
      if (t.kind !== 'record') throw new ExprError(`request for member '${step.member}' in something not a structure or union`, at);
      const decl = ctx.ir.records[t.id]!;
      const rl = ctx.record(t.id);
      if (rl.unsupported) throw new ExprError(`offset in ${recordName(decl)}, which has no layout: ${rl.unsupported}`, at);
      const found = findMember(rl, step.member);
      if (!found) throw new ExprError(`${recordName(decl)} has no member named '${step.member}'`, at);
      // gcc: "attempt to take address of bit-field structure member".
      if (found.field.bitWidth !== undefined) throw new ExprError(`offset of bit-field '${step.member}'`, at);
      offset += BigInt(found.bitOffset / 8);
      t = resolveTypedefs(found.field.type, ctx.ir);
    } else {
      if (t.kind !== 'array') throw new ExprError('subscripted value is neither array nor pointer', at);
      offset += step.index * BigInt(ctx.type(t.of).size);
      t = resolveTypedefs(t.of, ctx.ir);
    }
  }
  return offset;
}

/** A member by name, looking into anonymous struct and union members (C11 6.7.2.1p13). */
function findMember(rl: RecordLayout, name: string): { field: FieldLayout; bitOffset: number } | undefined {
  for (const f of rl.fields) {
    if (f.name === name) return { field: f, bitOffset: f.bitOffset };
    if (f.name === null && f.nested) {
      const r = findMember(f.nested, name);
      if (r) return { field: r.field, bitOffset: f.bitOffset + r.bitOffset };
    }
  }
  return undefined;
}
