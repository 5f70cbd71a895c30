/**
 * The binding model's data: everything the TypeScript emitter needs about one header, on every ABI.
 * ABI-independent shape (members, docs, caps, ioctls) + per-ABI layout tables, with identical tables
 * shared across ABIs. Pure data: no ts-morph here (decode and tests reuse it).
 */
import type { FieldTableJson, LayoutTableJson } from '../../contract/tables-json.js';
import type { Diagnostic } from '../../diagnostics.js';
import type { AbiName } from '../../layout/abi/index.js';

export type ScalarKind = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'u64' | 's64';

/** JSON-serializable layout table (runtime BindingLayout with struct refs as variant names). */
/**
 * The layout tables generated packages ship (tables.json, layouts.ts): described once, by the
 * decode tables contract (contract/tables-json.ts), so what emit writes is what decode accepts.
 */
export type FieldSpecJson = FieldTableJson;
export type LayoutJsonTable = LayoutTableJson;

/** One distinct layout table of a record and the ABIs that share it (named `<cName>$<n>`). */
export interface LayoutVariant {
  table: LayoutJsonTable;
  abis: AbiName[];
}

/** ABI-independent member of a struct's view (anonymous members flattened). */
export type MemberShape =
  /** scalar null with `varies`: the kind differs between ABIs (pointers, long): read by the table's kind. */
  | { kind: 'scalar'; scalar: ScalarKind | null; varies?: boolean }
  | { kind: 'bits'; scalar: ScalarKind | null }
  | { kind: 'struct'; struct: string }
  | { kind: 'array'; scalar: ScalarKind | null }
  | { kind: 'structArray'; struct: string }
  | { kind: 'bytes' };

export interface MemberModel {
  name: string;
  /** Property name on the view: the C name, or C name + '_'s where it would shadow a view member (dv, bytes, toJSON, caps, toString...). */
  jsName: string;
  shape: MemberShape;
  ctype: string;
  doc?: string;
  line: number;
}

export interface FlexModel {
  name: string;
  /** Method name on the view (the C name unless it would shadow a view member, as for members). */
  jsName: string;
  elem: { kind: 'scalar'; scalar: ScalarKind } | { kind: 'struct'; struct: string };
  countedBy?: string;
  countedByReason?: string;
  ctype: string;
  doc?: string;
}

export interface RecordModel {
  /** C tag name (synthesized `<parent>_<member>` for anonymous types of named members). */
  cName: string;
  /** Class name: PascalCase of cName, made unique and legal (names.ts). */
  className: string;
  tag: 'struct' | 'union';
  doc?: string;
  line: number;
  /** Base name of the header it comes from, when not the model's first (`vfio_zdev.h`). */
  file?: string;
  members: MemberModel[];
  flex?: FlexModel;
  /** Per ABI: the name of its layout variant. */
  variantOf: Record<string, string>;
  chain?: { capsFlag: string };
}

export interface ConstantModel {
  name: string;
  /** Exported identifier: the C name unless reserved or taken (names.ts). */
  jsName: string;
  doc?: string;
  line: number;
  /** Base name of the header it comes from, when not the model's first (`vfio_zdev.h`). */
  file?: string;
  /** Same on every ABI: the value; else undefined and `perAbi` holds them. */
  value?: bigint;
  perAbi: Record<string, bigint>;
  enumName?: string;
}

/** A macro that expands to a plain string literal (`#define VFIO_DEVICE_API_PCI_STRING "vfio-pci"`). */
export interface StringConstantModel {
  name: string;
  /** Exported identifier: the C name unless reserved or taken (names.ts). */
  jsName: string;
  /** The literal's bytes (without the terminating NUL), one char code 0-255 per byte. */
  value: string;
  doc?: string;
  line: number;
  /** Base name of the header it comes from, when not the model's first (`vfio_zdev.h`). */
  file?: string;
}

export interface EnumModel {
  name: string;
  /** Exported identifier (a const and a type): the C tag unless reserved or taken (names.ts). */
  jsName: string;
  doc?: string;
  line: number;
  /** Base name of the header it comes from, when not the model's first (`vfio_zdev.h`). */
  file?: string;
  members: string[];
}

export interface IoctlModel {
  name: string;
  /** `_IO` / `_IOR` / `_IOW` / `_IOWR` as the doc comment spells the direction, or as defined. */
  dir: string;
  /** The argument struct the doc comment names, if any. */
  arg?: string;
  /** A scalar argument the doc names (`__u32`, `__s32`...). */
  argScalar?: string;
  /** The kernel takes the (integer) argument itself, not a pointer to it. */
  byValue?: boolean;
  doc?: string;
  line: number;
}

export interface CapModel {
  id: number;
  macro: string;
  /** The cap struct, or null for a header-only cap (the struct is vfio_info_cap_header). */
  struct: string | null;
  versions: number[];
  /** Header line of the id macro. */
  line: number;
}

export interface CapKindModel {
  info: string;
  capsFlag: string;
  caps: CapModel[];
}

/** A feature-selecting carrier (vfio_device_feature) and the payload of each of its ids. */
export interface FeatureKindModel {
  carrier: string;
  ioctl: string;
  /** The id bits of the carrier's flags. */
  idMask: number;
  /** By id. `payload`: the payload struct, or null (none, or `bytes` raw bytes). */
  ids: { macro: string; id: number; payload: string | null; bytes?: number; line: number }[];
}

export interface BindingModel {
  header: string;
  /** Base name of the (first) header file, e.g. vfio.h (for provenance lines). */
  file: string;
  /** Every header the model stands for, as included ("linux/vfio.h", "linux/vfio_zdev.h"...); the first is `header`. */
  headers: string[];
  abis: AbiName[];
  records: RecordModel[];
  /** Layout variants in dependency order. */
  variants: Map<string, LayoutVariant>;
  constants: ConstantModel[];
  /** String-valued macros (the same on every ABI), in header order. */
  strings: StringConstantModel[];
  enums: EnumModel[];
  ioctls: IoctlModel[];
  capKinds: CapKindModel[];
  /** Feature carriers and their payloads (overrides.ts features), when the header has one. */
  features: FeatureKindModel[];
  /** The capability header struct, when the header has one. */
  capHeader?: string;
  diagnostics: Diagnostic[];
}
