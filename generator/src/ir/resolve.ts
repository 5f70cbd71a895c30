/** Type queries on the IR alone (no ABI): typedef resolution. */
import type { IrModule, TypeRef } from './types.js';

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
