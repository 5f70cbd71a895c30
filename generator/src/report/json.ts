/** Layout JSON (docs/layout-json.md) from a laid-out module. */
import type { IrModule, RecordDecl, TypeRef } from '../ir/types.js';
import type { FieldLayout, LaidOutModule, RecordLayout } from '../layout/index.js';
import type { FieldJson, LayoutJson, RecordJson } from './layout-json.js';

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
  return json;
}

/** Named, complete structs and unions the header itself declares, in source order. */
export function headerRecords(ir: IrModule): RecordDecl[] {
  return ir.records.filter((r) => r.name !== null && r.complete && r.loc.file === ir.headerPath);
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

/** The id of the untagged struct/union a member is declared with (`struct { ... } x` or `x[2]`), if it is one. */
export function untaggedRecord(t: TypeRef, ir: IrModule): number | undefined {
  let e = t;
  while (e.kind === 'array') e = e.of;
  return e.kind === 'record' && ir.records[e.id]!.name === null ? e.id : undefined;
}

const INT_SPELLING: Record<string, string> = {
  char: 'char', schar: 'signed char', uchar: 'unsigned char', short: 'short', ushort: 'unsigned short',
  int: 'int', uint: 'unsigned int', long: 'long', ulong: 'unsigned long', llong: 'long long',
  ullong: 'unsigned long long', int128: '__int128', uint128: 'unsigned __int128', bool: '_Bool',
};

/** C spelling of a type as it was declared: typedef names kept, anonymous records as "struct"/"union". */
export function spellType(t: TypeRef, ir: IrModule): string {
  switch (t.kind) {
    case 'int':
      return INT_SPELLING[t.int]!;
    case 'float':
      return t.float === 'ldouble' ? 'long double' : t.float;
    case 'void':
      return 'void';
    case 'pointer':
      return t.to.kind === 'function' ? 'void (*)()' : `${spellType(t.to, ir)} *`;
    case 'function':
      return 'function';
    case 'array': {
      const dims: string[] = [];
      let e: TypeRef = t;
      while (e.kind === 'array') {
        dims.push(e.lengthExpr !== undefined ? `[${e.lengthExpr}]` : e.length === null ? '[]' : `[${e.length}]`);
        e = e.of;
      }
      return `${spellType(e, ir)}${dims.join('')}`;
    }
    case 'record': {
      const r = ir.records[t.id]!;
      return r.name ? `${r.tag} ${r.name}` : r.tag;
    }
    case 'enum': {
      const e = ir.enums[t.id]!;
      return e.name ? `enum ${e.name}` : 'enum';
    }
    case 'typedef':
      return t.name;
    case 'unknown':
      return t.spelling;
  }
}
