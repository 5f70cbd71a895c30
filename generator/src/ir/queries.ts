/** Queries on the IR alone (no ABI): typedef resolution, the header's own records, untagged member types. */
import type { IrModule, RecordDecl, TypeRef } from './types.js';

/** Follow typedef names to the type they stand for (a name the module does not declare stays as is). */
export function resolveTypedefs(ref: TypeRef, ir: IrModule): TypeRef {
  let r = ref;
  for (let n = 0; r.kind === 'typedef' && n < 100; n++) {
    const td = ir.typedefs.get(r.name);
    if (!td) return r;
    r = td.type;
  }
  return r;
}

/** Named, complete structs and unions the header itself declares, in source order. */
export function headerRecords(ir: IrModule): RecordDecl[] {
  return ir.records.filter((r) => r.name !== null && r.complete && r.loc.file === ir.headerPath);
}

/** The id of the untagged struct/union a member is declared with (`struct { ... } x` or `x[2]`), if it is one. */
export function untaggedRecord(t: TypeRef, ir: IrModule): number | undefined {
  let e = t;
  while (e.kind === 'array') e = e.of;
  return e.kind === 'record' && ir.records[e.id]!.name === null ? e.id : undefined;
}
