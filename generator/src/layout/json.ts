/** The layout stage's output as the layout JSON contract (contract/layout-json.ts, docs/layout-json.md). */
import type { FieldJson, LayoutJson, RecordJson } from '../contract/layout-json.js';
import { headerRecords, untaggedRecord } from '../ir/queries.js';
import { spellType } from '../ir/spell.js';
import type { FieldLayout, LaidOutModule, RecordLayout } from './index.js';

export function toLayoutJson(laid: LaidOutModule): LayoutJson {
  const { ir } = laid;
  const records: RecordJson[] = [];
  const unsupported: NonNullable<LayoutJson['unsupported']> = [];
  for (const r of headerRecords(ir)) {
    const l = laid.records.get(r.id)!;
    if (l.unsupported) {
      unsupported.push({ name: `${r.tag} ${r.name}`, file: r.loc.file, line: r.loc.line, col: r.loc.col, message: l.unsupported });
      continue;
    }
    records.push({
      kind: r.tag,
      name: r.name!,
      size: l.size,
      align: l.align,
      fields: fieldsJson(l, 0, laid),
      loc: `${ir.header}:${r.loc.line}`,
    });
  }
  const json: LayoutJson = {
    abi: laid.abi.name,
    header: ir.header,
    records,
    constants: laid.constants.map((c) => (c.kind === 'enum' ? { name: c.name, value: c.value.toString(), kind: 'enum' as const } : { name: c.name, value: c.value.toString() })),
  };
  if (unsupported.length > 0) json.unsupported = unsupported;
  if (laid.abi.time64) json.time64 = true;
  return json;
}

export function fieldsJson(l: RecordLayout, base: number, laid: LaidOutModule): FieldJson[] {
  const out: FieldJson[] = [];
  for (const f of l.fields) {
    if (f.name === null && f.bitWidth !== undefined) continue; // unnamed bitfield: padding, shown as a hole
    out.push(fieldJson(f, base, laid));
  }
  return out;
}

function fieldJson(f: FieldLayout, base: number, laid: LaidOutModule): FieldJson {
  const type = spellType(f.type, laid.ir);
  if (f.bitWidth !== undefined) {
    return { name: f.name ?? '', offset: base + f.unitOffset!, size: f.size, type, bitOffset: f.unitBitOffset!, bitWidth: f.bitWidth };
  }
  const offset = base + f.bitOffset / 8;
  const j: FieldJson = { name: f.name ?? '', offset, size: f.size, type };
  if (f.nested) j.fields = fieldsJson(f.nested, offset, laid);
  else if (f.type.kind === 'record' && untaggedRecord(f.type, laid.ir) !== undefined) {
    // A named member of an untagged struct/union type (`struct { ... } addrs;`): its members are
    // only reachable here (extension; offsets from the top-level record, as for anonymous members).
    const inner = laid.records.get(f.type.id);
    if (inner && !inner.unsupported) j.fields = fieldsJson(inner, offset, laid);
  }
  if (f.flexible) j.flexible = true;
  if (f.field.attrs.countedBy) j.countedBy = f.field.attrs.countedBy;
  return j;
}
