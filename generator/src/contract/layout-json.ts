/**
 * The layout JSON artifact written by `uapi-ts layout --format json` and read by `uapi-ts diff`.
 * Documented in docs/layout-json.md; keep it compatible (add keys, never change or drop them).
 */
export interface LayoutJson {
  abi: string;
  header: string;
  records: RecordJson[];
  constants: ConstantJson[];
  /** Declarations that could not be laid out, with the reason (extension of the shape). */
  unsupported?: UnsupportedJson[];
}

export interface RecordJson {
  kind: 'struct' | 'union';
  name: string;
  size: number;
  align: number;
  fields: FieldJson[];
  /** file:line of the declaration (extension). */
  loc?: string;
}

export interface FieldJson {
  /** "" for an anonymous struct/union member. */
  name: string;
  /** Byte offset from the start of the top-level record. */
  offset: number;
  size: number;
  /** C spelling of the declared type: "__u32", "struct foo", "union", "__u8[16]", "struct x[]". */
  type: string;
  /**
   * Members of an anonymous struct/union, and (extension) of a named member whose type is an
   * untagged struct/union (`struct { ... } addrs;`, not arrays of one); offsets from the top-level record.
   */
  fields?: FieldJson[];
  flexible?: true;
  countedBy?: string;
  /** Bitfields: offset/size is the storage unit of the declared type; bitOffset is in allocation order. */
  bitOffset?: number;
  bitWidth?: number;
}

export interface ConstantJson {
  name: string;
  /** Decimal string (values may exceed 2^53). */
  value: string;
  /** "macro" (default when absent) or "enum" (extension). */
  kind?: 'macro' | 'enum';
}

export interface UnsupportedJson {
  name: string;
  file: string;
  line: number;
  col: number;
  message: string;
}
