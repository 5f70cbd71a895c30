/**
 * ABIs side by side: one column per distinct layout of a record (identical ABIs share a column and
 * say which they are), with the cells that are not the same in every column marked `differs`.
 */
import type { LayoutJson, RecordJson } from '../../contract/layout-json.js';
import { bytes, domId, type Cell, type Endian, type MapModel } from './model.js';
import { recordMap } from './struct-map.js';

export type EndianOf = (abi: string) => Endian;

export interface AbiColumn {
  readonly abis: string[];
  readonly record: RecordJson;
  readonly doc: LayoutJson;
  readonly endian: Endian;
}

export function hasBits(r: RecordJson): boolean {
  const walk = (fs: RecordJson['fields']): boolean => fs.some((f) => f.bitWidth !== undefined || (f.fields !== undefined && walk(f.fields)));
  return walk(r.fields);
}

/**
 * The distinct layouts of record `name` over the documents, in document order. Bitfields sit in
 * different bits on big- and little-endian ABIs even when their allocation-order numbers agree, so
 * a record with bitfields also differs by byte order.
 */
export function abiColumns(docs: readonly LayoutJson[], name: string, endianOf: EndianOf): AbiColumn[] {
  const cols = new Map<string, AbiColumn>();
  for (const doc of docs) {
    const record = doc.records.find((r) => r.name === name);
    if (!record) continue;
    const endian = endianOf(doc.abi);
    const key = JSON.stringify([record.kind, record.size, record.align, record.fields, hasBits(record) ? endian : '']);
    const col = cols.get(key);
    if (col) col.abis.push(doc.abi);
    else cols.set(key, { abis: [doc.abi], record, doc, endian });
  }
  return [...cols.values()];
}

/** "all 8 ABIs" or "x86_64, aarch64". */
export function abiNames(abis: readonly string[], all: readonly string[]): string {
  return all.length > 1 && abis.length === all.length ? `all ${all.length} ABIs` : abis.join(', ');
}

const signature = (c: Cell): string => JSON.stringify([c.kind, c.path, c.type, c.offset, c.size, c.bits?.abs, c.bits?.width]);

/**
 * One map per column; with several columns, every cell whose kind, member, type, bytes or bits are
 * not the same in all of them is marked `differs`, and a column whose size differs says so.
 */
export function columnMaps(cols: readonly AbiColumn[], allAbis: readonly string[], idPrefix = ''): MapModel[] {
  const maps = cols.map((c) =>
    recordMap(c.record, {
      endian: c.endian,
      abi: c.abis.join(', '),
      records: c.doc.records,
      id: domId(`${idPrefix}${c.record.name}--${c.abis[0]}`),
      caption: `${bytes(c.record.size)}, align ${c.record.align} · ${abiNames(c.abis, allAbis)}`,
    }),
  );
  if (maps.length < 2) return maps;
  const counts = new Map<string, number>();
  for (const m of maps) for (const s of new Set(m.cells.map(signature))) counts.set(s, (counts.get(s) ?? 0) + 1);
  const sizes = new Set(cols.map((c) => c.record.size));
  maps.forEach((m, i) => {
    for (const cell of m.cells) if (counts.get(signature(cell))! < maps.length) cell.marks.push('differs');
    if (sizes.size > 1 && cols.filter((c) => c.record.size === cols[i]!.record.size).length < cols.length) m.marks.push('differs');
  });
  return maps;
}
