/**
 * The layout JSON artifact written by `uapi-ts layout --format json` and read by `uapi-ts diff`,
 * described once: each schema below is JSON Schema (TypeBox builds plain schema objects) and its
 * `Static` type is the TypeScript type, so the types, the input validation (validate.ts) and the
 * schema printed in docs/layout-json.md cannot drift apart. Keep it compatible: add keys, never
 * change or drop them. Unknown keys are allowed, so an older reader takes a newer writer's output.
 */
import { Type, type Static } from '@sinclair/typebox';

/** Bytes (offsets, sizes) are exact: a layout reaching 2^53 bytes is reported unsupported instead. */
const Bytes = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** A C integer constant as a decimal string: values may exceed 2^53. */
export const DECIMAL = '^-?[0-9]+$';

export const FieldJsonSchema = Type.Recursive(
  (Field) =>
    Type.Object({
      /** "" for an anonymous struct/union member. */
      name: Type.String(),
      /** Byte offset from the start of the top-level record. */
      offset: Bytes,
      size: Bytes,
      /** C spelling of the declared type: "__u32", "struct foo", "union", "__u8[16]", "struct x[]". */
      type: Type.String(),
      /**
       * Members of an anonymous struct/union, and (extension) of a named member whose type is an
       * untagged struct/union (`struct { ... } addrs;`, not arrays of one); offsets from the top-level record.
       */
      fields: Type.Optional(Type.Array(Field)),
      flexible: Type.Optional(Type.Literal(true)),
      countedBy: Type.Optional(Type.String()),
      /** Bitfields: offset/size is the storage unit of the declared type; bitOffset is in allocation order. */
      bitOffset: Type.Optional(Type.Integer({ minimum: 0 })),
      bitWidth: Type.Optional(Type.Integer({ minimum: 0 })),
    }),
  { $id: 'FieldJson' },
);

export const RecordJsonSchema = Type.Object({
  kind: Type.Union([Type.Literal('struct'), Type.Literal('union')]),
  name: Type.String(),
  size: Bytes,
  align: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  fields: Type.Array(FieldJsonSchema),
  /** file:line of the declaration (extension). */
  loc: Type.Optional(Type.String()),
});

export const ConstantJsonSchema = Type.Object({
  name: Type.String(),
  /** Decimal string (values may exceed 2^53). */
  value: Type.String({ pattern: DECIMAL }),
  /** "macro" (default when absent) or "enum" (extension). */
  kind: Type.Optional(Type.Union([Type.Literal('macro'), Type.Literal('enum')])),
});

export const UnsupportedJsonSchema = Type.Object({
  name: Type.String(),
  file: Type.String(),
  line: Type.Integer({ minimum: 0 }),
  col: Type.Integer({ minimum: 0 }),
  message: Type.String(),
});

/** One ABI's document; a file holds one, or a non-empty array of them (one per ABI). */
export const LayoutJsonSchema = Type.Object({
  abi: Type.String(),
  header: Type.String(),
  records: Type.Array(RecordJsonSchema),
  constants: Type.Array(ConstantJsonSchema),
  /** Declarations that could not be laid out, with the reason (extension of the shape). */
  unsupported: Type.Optional(Type.Array(UnsupportedJsonSchema)),
  /** Laid out for 64-bit time_t (`--time64`); absent for glibc's default. */
  time64: Type.Optional(Type.Literal(true)),
});

export type FieldJson = Static<typeof FieldJsonSchema>;
export type RecordJson = Static<typeof RecordJsonSchema>;
export type ConstantJson = Static<typeof ConstantJsonSchema>;
export type UnsupportedJson = Static<typeof UnsupportedJsonSchema>;
export type LayoutJson = Static<typeof LayoutJsonSchema>;
