/**
 * What `uapi-ts diff` reports: one Change per difference, per ABI. Pure data; the JSON form is
 * documented in docs/diff.md (keep it compatible: add keys, never change or drop them).
 */

/**
 * - breaking: bytes exchanged with the kernel mean something else now (a field moved, resized or
 *   retyped; a struct, field or constant removed; an ioctl number or capability id changed; a struct
 *   passed without argsz changed size).
 * - compatible: an extension old userspace cannot notice (new struct, constant, ioctl, capability,
 *   union member; a field appended to an argsz-versioned struct).
 * - padding: padding made explicit or put to use (tail padding or a hole named, a `reserved`/`pad`
 *   field renamed or carved into real fields at the same bytes).
 * - api: source-level only (a rename at the same offset and size; an alignment change that moves
 *   nothing).
 */
export type ChangeKind = 'breaking' | 'compatible' | 'padding' | 'api';

export const KIND_ORDER: readonly ChangeKind[] = ['breaking', 'compatible', 'padding', 'api'];

/** What the change is about. */
export type Subject = 'record' | 'field' | 'constant' | 'ioctl' | 'capability';

export type Action =
  | 'added'
  | 'removed'
  | 'renamed'
  | 'moved' // offset changed
  | 'resized' // size changed
  | 'retyped'
  | 'value' // constant value changed
  | 'grew' // record size grew
  | 'shrank'
  | 'aligned' // record alignment changed, size unchanged
  | 'named-padding' // padding or reserved bytes given a (real) name
  | 'union-member' // new member overlaying existing bytes in a union
  | 'relocated'; // gone from the header itself, still declared by a header it includes

/** A field as a diff sees it (a FieldJson flattened through anonymous members). */
export interface FieldShape {
  /** Display path: named members by name, anonymous members by position ("#2.devid"). */
  path: string;
  offset: number;
  size: number;
  type: string;
  bitOffset?: number;
  bitWidth?: number;
}

export interface Change {
  kind: ChangeKind;
  subject: Subject;
  action: Action;
  abi: string;
  /** "struct vfio_device_info" / "union x" for record and field changes. */
  record?: string;
  /** Constant, ioctl or capability name. */
  constant?: string;
  /** Field path inside the record (see FieldShape.path). */
  field?: string;
  /** Old and new values: a field's shape, a record's {size, align}, a constant's {value}. */
  old?: Record<string, unknown>;
  new?: Record<string, unknown>;
  /** Fields appended when a record grew. */
  appended?: string[];
  /** One sentence for a kernel or VMM developer; never names the ABI (reports add that). */
  why: string;
}

/** Identical changes across ABIs, for reports. */
export interface ChangeGroup extends Omit<Change, 'abi'> {
  abis: string[];
}

export interface DiffOptions {
  /**
   * Declarations the new side still provides through the header's includes ("struct x", "union x"
   * or a constant's name -> the header that declares it now). A removal of one of these is a move
   * (api), not a break. Only the CLI's header mode knows this; layout JSON files do not carry it.
   */
  relocated?: ReadonlyMap<string, string>;
}
