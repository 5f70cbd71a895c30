/** Flattening a record's fields for comparison. */
import type { FieldJson, RecordJson } from '../contract/layout-json.js';
import type { FieldShape } from './types.js';

export interface FlatField extends FieldShape {
  /** How C code names it: anonymous members are transparent ("devid", not "#2.devid"). */
  key: string;
  /** Inside an anonymous union (or the record is a union): it may overlay other members. */
  inUnion: boolean;
}

/**
 * Every named field, through anonymous struct/union members (whose own entries are dropped: their
 * members carry the information). A named member of an anonymous type ("struct {...} foo") is kept
 * and its members are listed as "foo.bar".
 */
export function flattenFields(r: RecordJson): FlatField[] {
  const out: FlatField[] = [];
  const walk = (fields: readonly FieldJson[], pathPrefix: string, keyPrefix: string, inUnion: boolean): void => {
    fields.forEach((f, i) => {
      const seg = f.name === '' ? `#${i}` : f.name;
      const path = pathPrefix + seg;
      const key = f.name === '' ? keyPrefix : keyPrefix + f.name;
      if (f.name !== '') out.push(shape(f, path, key, inUnion));
      if (f.fields) walk(f.fields, `${path}.`, f.name === '' ? keyPrefix : `${key}.`, inUnion || f.type === 'union');
    });
  };
  walk(r.fields, '', '', r.kind === 'union');
  return out;
}

function shape(f: FieldJson, path: string, key: string, inUnion: boolean): FlatField {
  const s: FlatField = { path, key, inUnion, offset: f.offset, size: f.size, type: f.type };
  if (f.bitWidth !== undefined) {
    s.bitOffset = f.bitOffset;
    s.bitWidth = f.bitWidth;
  }
  return s;
}

/** The public shape (without key/inUnion) for reports. */
export function publicShape(f: FlatField): FieldShape {
  const { key: _k, inUnion: _u, ...rest } = f;
  return rest;
}

/** End of the last byte any field occupies (the record's size minus its tail padding). */
export function dataEnd(fields: readonly FlatField[]): number {
  return fields.reduce((m, f) => Math.max(m, f.offset + f.size), 0);
}

export function sameStorage(a: FieldShape, b: FieldShape): boolean {
  return a.offset === b.offset && a.size === b.size && a.bitOffset === b.bitOffset && a.bitWidth === b.bitWidth;
}

export function overlaps(a: { offset: number; size: number }, b: { offset: number; size: number }): boolean {
  return a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

/** `reserved` (4 bytes at 20) */
export function describeField(f: FieldShape): string {
  const bits = f.bitWidth !== undefined ? `, bits ${f.bitOffset}+${f.bitWidth}` : '';
  return `\`${f.type} ${f.path}\` (${f.size} byte${f.size === 1 ? '' : 's'} at ${f.offset}${bits})`;
}
