/**
 * Feature payloads of the binding model: for each feature carrier in overrides.ts (vfio_device_feature),
 * the header's feature ids with their values and the payload each carries. Ids the header does
 * not define (an older kernel's) are left out; an `idPrefix*` macro the table does not list, or a
 * payload struct without a binding, is a warning.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { inHeader, type IrModule } from '../../ir/types.js';
import type { Overrides } from '../overrides.js';
import type { ConstantModel, FeatureKindModel, RecordModel } from './types.js';

export function buildFeatures(ir: IrModule, constants: readonly ConstantModel[], records: ReadonlyMap<string, RecordModel>, overrides: Overrides): { features: FeatureKindModel[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const features: FeatureKindModel[] = [];
  const value = (name: string): bigint | undefined => constants.find((c) => c.name === name)?.value;
  for (const [carrier, table] of Object.entries(overrides.features)) {
    const mask = value(table.idMask);
    if (!records.has(carrier) || mask === undefined || !constants.some((c) => c.name === table.ioctl)) continue;
    const ids: FeatureKindModel['ids'] = [];
    for (const m of ir.macros) {
      if (!inHeader(ir, m.loc) || !m.name.startsWith(table.idPrefix) || m.name in table.notIds) continue;
      const p = table.payloads[m.name];
      const id = value(m.name);
      if (p === undefined || id === undefined) {
        diagnostics.push({ severity: 'warning', code: 'emit-feature-unlisted', message: `${m.name}: a ${carrier} feature id? list it in emit/overrides.ts features.${carrier} (payloads or notIds)`, ...m.loc });
        continue;
      }
      if ('struct' in p && !records.has(p.struct)) {
        diagnostics.push({ severity: 'warning', code: 'emit-feature-payload', message: `${m.name}: its payload struct ${p.struct} has no binding in this header`, ...m.loc });
        continue;
      }
      ids.push({ macro: m.name, id: Number(id), payload: 'struct' in p ? p.struct : null, ...('bytes' in p ? { bytes: p.bytes } : {}), line: m.loc.line });
    }
    ids.sort((a, b) => a.id - b.id);
    features.push({ carrier, ioctl: table.ioctl, idMask: Number(mask), ids });
  }
  return { features, diagnostics };
}
