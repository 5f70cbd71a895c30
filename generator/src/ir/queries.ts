/** Queries on the IR alone (no ABI): typedef resolution, the header's own records, untagged member types. */
import { inHeader, type IrModule, type RecordDecl, type TypeRef } from './types.js';

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
  return ir.records.filter((r) => r.name !== null && r.complete && inHeader(ir, r.loc));
}

/** The id of the untagged struct/union a member is declared with (`struct { ... } x` or `x[2]`), if it is one. */
export function untaggedRecord(t: TypeRef, ir: IrModule): number | undefined {
  let e = t;
  while (e.kind === 'array') e = e.of;
  return e.kind === 'record' && ir.records[e.id]!.name === null ? e.id : undefined;
}

/**
 * The base name of the module's header a declaration at `loc` comes from, when that is not the
 * first one (`vfio_zdev.h` in a module of vfio.h, vfio_zdev.h, vfio_ccw.h); undefined in the first.
 */
export function otherHeaderFile(ir: Pick<IrModule, 'headerPath'>, loc: { file: string } | undefined): string | undefined {
  if (loc === undefined || loc.file === ir.headerPath) return undefined;
  return loc.file.slice(loc.file.lastIndexOf('/') + 1);
}
