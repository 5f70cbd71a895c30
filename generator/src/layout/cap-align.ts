/**
 * The VFIO capability-alignment check: a struct with a `cap_offset` member whose size is not a
 * multiple of 8 puts the capability chain that follows it at a misaligned offset, so every __u64
 * in the caps is misaligned (the bug kernel 6.6 fixed by adding `__u32 pad` to vfio_device_info
 * and vfio_iommu_type1_info, commit "vfio: align capability structures"). A layout fact, reported
 * by layout() as a warning diagnostic at the struct.
 */
import type { Diagnostic } from '../diagnostics.js';
import { inHeader, type IrModule } from '../ir/types.js';
import type { Abi } from './abi/index.js';
import type { RecordLayout } from './record.js';

export const CAP_ALIGN_CODE = 'layout-cap-align';

export interface CapAlignWarning {
  record: string;
  size: number;
  abi: string;
}

function hasMember(l: RecordLayout, name: string): boolean {
  return l.fields.some((f) => f.name === name || (f.nested !== undefined && hasMember(f.nested, name)));
}

/** Named structs of the header with a cap_offset member and a size that is not a multiple of 8. */
export function findCapAlign(ir: IrModule, abi: Abi, records: ReadonlyMap<number, RecordLayout>): { warning: CapAlignWarning; diagnostic: Diagnostic }[] {
  const out: { warning: CapAlignWarning; diagnostic: Diagnostic }[] = [];
  for (const r of ir.records) {
    if (r.name === null || !r.complete || !inHeader(ir, r.loc)) continue;
    const l = records.get(r.id);
    if (!l || l.unsupported || l.size % 8 === 0 || !hasMember(l, 'cap_offset')) continue;
    const record = `${r.tag} ${r.name}`;
    out.push({
      warning: { record, size: l.size, abi: abi.name },
      diagnostic: {
        severity: 'warning',
        code: CAP_ALIGN_CODE,
        message: `${record} has cap_offset but its size ${l.size} is not a multiple of 8 on ${abi.name}: a capability chain right after it starts misaligned (kernel 6.6 added a __u32 pad for this)`,
        ...r.loc,
      },
    });
  }
  return out;
}
