/**
 * Feature-selecting ioctls: `struct vfio_device_feature { __u32 argsz; __u32 flags; __u8 data[]; }`
 * whose low flag bits (VFIO_DEVICE_FEATURE_MASK) select a feature and whose `data[]` holds that
 * feature's payload struct (`vfio_device_feature_mig_state` for VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE,
 * nothing for LOW_POWER_EXIT, 16 raw bytes for PCI_VF_TOKEN). The generated package says which payload
 * each id carries (its FEATURES table, from emit/overrides.ts); these two functions build such a
 * buffer and read its payload back, with argsz covering header and payload.
 */
import { UapiRuntimeError } from './errors.js';
import type { BindingLayout, Bytes, ViewClass } from './emit-support.js';

/** One feature id of a carrier: its number and the class of its payload (null: none, or `bytes` raw bytes). */
export interface FeatureEntry {
  /** The id macro, e.g. VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE (for messages). */
  readonly macro: string;
  readonly id: number;
  readonly payload: ViewClass<object, never> | null;
  /** Raw payload bytes of a feature with no payload struct (PCI_VF_TOKEN's 16-byte UUID). */
  readonly bytes?: number;
}

/** The carrier struct (vfio_device_feature) and the flag bits that select the feature. */
export interface FeatureCarrier<V> {
  readonly view: ViewClass<V, never> & { readonly layout: BindingLayout };
  /** VFIO_DEVICE_FEATURE_MASK: the bits of `flags` that hold the feature id. */
  readonly idMask: number;
}

/** A feature buffer read as another feature than its flags select, or too short for its payload. */
export class FeatureMismatchError extends UapiRuntimeError {
  override name = 'FeatureMismatchError';
  constructor(
    readonly expected: string,
    readonly expectedId: number,
    readonly flagsId: number,
    readonly available: number,
    readonly needed: number,
  ) {
    super(
      flagsId !== expectedId
        ? `feature buffer selects feature ${flagsId} in its flags, not ${expected} (${expectedId}); read it as the feature its flags name`
        : `feature buffer holds ${available} payload byte(s) for ${expected}, which needs ${needed}; allocate it with build() or pass the kernel's whole reply`,
    );
  }
}

function layoutOf<V>(carrier: FeatureCarrier<V>): { argsz: number; flags: number; data: number } {
  const L = carrier.view.layout;
  const argsz = L.offsets['argsz'];
  const flags = L.offsets['flags'];
  const data = L.flex?.offset;
  if (argsz === undefined || flags === undefined || data === undefined) throw new TypeError(`${L.name} is not a feature carrier (argsz, flags and a flexible data[] member)`);
  return { argsz, flags, data };
}

const dvOf = (v: object): DataView => (v as { dv: DataView }).dv;

/**
 * A carrier selecting `entry` with `flags` (the GET / SET / PROBE bits; the id is or-ed in), the
 * payload in data[]: from `payload` (the payload struct's init object, or raw bytes), zero when
 * omitted (a GET or PROBE); `extraBytes` more for a payload with a flexible array. argsz is the
 * whole buffer.
 */
export function buildFeature<V>(carrier: FeatureCarrier<V>, entry: FeatureEntry, flags: number, payload?: object | Uint8Array, extraBytes = 0): V {
  if (!(Number.isInteger(flags) && flags >= 0 && flags <= 0xffffffff)) throw new RangeError(`flags must be a u32, not ${flags}`);
  if ((flags & carrier.idMask) !== 0) throw new RangeError(`flags 0x${flags.toString(16)} has feature id bits set (mask 0x${carrier.idMask.toString(16)}); pass only the GET/SET/PROBE bits: the id comes from the feature name`);
  if (!(Number.isInteger(extraBytes) && extraBytes >= 0)) throw new RangeError(`extraBytes must be a non-negative integer, not ${extraBytes}`);
  const at = layoutOf(carrier);
  let body: Uint8Array;
  if (payload instanceof Uint8Array) body = payload;
  else if (entry.payload !== null) {
    const P = entry.payload as unknown as { alloc(init?: object, extra?: number): object };
    const v = P.alloc(payload, extraBytes);
    const dv = dvOf(v);
    body = new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength);
  } else {
    if (payload !== undefined) throw new TypeError(`${entry.macro} has no payload struct: pass its payload as a Uint8Array`);
    body = new Uint8Array((entry.bytes ?? 0) + extraBytes);
  }
  const size = at.data + body.byteLength;
  const buf = new Uint8Array(Math.max(size, carrier.view.SIZE));
  buf.set(body, at.data);
  const v = new carrier.view(buf as Bytes, 0);
  const dv = dvOf(v as object);
  const le = carrier.view.layout.littleEndian;
  dv.setUint32(at.argsz, buf.byteLength, le);
  dv.setUint32(at.flags, (flags | entry.id) >>> 0, le);
  return v;
}

/**
 * The payload of a carrier that selects `entry`: its payload view over data[] (not a copy), or
 * the raw bytes of a feature without a payload struct. Throws FeatureMismatchError when the
 * flags select another feature or the buffer is shorter than the payload.
 */
export function readFeature<V>(carrier: FeatureCarrier<V>, feature: V, entry: FeatureEntry): object | Uint8Array {
  const at = layoutOf(carrier);
  const dv = dvOf(feature as object);
  const flagsId = dv.getUint32(at.flags, carrier.view.layout.littleEndian) & carrier.idMask;
  const available = dv.byteLength - at.data;
  const needed = entry.payload !== null ? entry.payload.SIZE : (entry.bytes ?? 0);
  if (flagsId !== entry.id || available < needed) throw new FeatureMismatchError(entry.macro, entry.id, flagsId, available, needed);
  const bytes = new Uint8Array(dv.buffer, dv.byteOffset + at.data, available);
  return entry.payload === null ? bytes.subarray(0, entry.bytes ?? available) : entry.payload.from(bytes as Bytes, 0);
}

/** What build() takes as a feature's payload: its struct's init object, or raw bytes. */
export type FeaturePayloadInit<C> = C extends ViewClass<unknown, infer I> ? I | Uint8Array : Uint8Array;
/** What read() returns for a feature: its payload view, or the raw bytes of one without a struct. */
export type FeaturePayloadView<C> = C extends ViewClass<infer W, unknown> ? W : Uint8Array;

/**
 * The typed helpers of one carrier: `P` maps each id macro to its payload class (null: none, or
 * raw bytes), so `build('VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE', SET, { device_state: 2 })` checks
 * the init object and `read(f, 'VFIO_DEVICE_FEATURE_MIGRATION').flags` is typed.
 */
export interface FeatureHelpers<V, P> {
  /** Feature ids by macro, with their payload class (as the package's FEATURES table). */
  readonly entries: { readonly [K in keyof P]: FeatureEntry };
  /**
   * A carrier selecting `name` with `flags` (GET / SET / PROBE bits; the id is added), its payload
   * in data[] (from `payload`, else zero), `extraBytes` more for a flexible array; argsz = the buffer.
   */
  build<K extends keyof P & string>(name: K, flags: number, payload?: FeaturePayloadInit<P[K]>, extraBytes?: number): V;
  /** The payload of a carrier that selects `name` (FeatureMismatchError when its flags select another). */
  read<K extends keyof P & string>(feature: V, name: K): FeaturePayloadView<P[K]>;
}

/**
 * The helpers of one carrier from a generated FEATURES table entry and the package's struct
 * classes by C name (what generated bind() calls).
 */
export function featureHelpers<V, P>(
  carrier: FeatureCarrier<V>,
  ids: Readonly<Record<string, { readonly id: number; readonly payload: string | null; readonly bytes?: number }>>,
  classes: Readonly<Record<string, unknown>>,
): FeatureHelpers<V, P> {
  const entries: Record<string, FeatureEntry> = Object.create(null) as Record<string, FeatureEntry>;
  for (const [macro, e] of Object.entries(ids)) {
    const payload = e.payload === null ? null : (classes[e.payload] as ViewClass<object, never> | undefined);
    if (payload === undefined) throw new TypeError(`${macro}: payload struct ${e.payload} is not among the package's classes`);
    entries[macro] = { macro, id: e.id, payload, ...(e.bytes !== undefined ? { bytes: e.bytes } : {}) };
  }
  const entry = (name: string): FeatureEntry => {
    const e = Object.hasOwn(entries, name) ? entries[name] : undefined;
    if (e === undefined) throw new RangeError(`unknown feature ${JSON.stringify(name)} (known: ${Object.keys(entries).join(', ')})`);
    return e;
  };
  return {
    entries: entries as FeatureHelpers<V, P>['entries'],
    build: (name, flags, payload, extraBytes) => buildFeature(carrier, entry(name), flags, payload as object | Uint8Array | undefined, extraBytes),
    read: (feature, name) => readFeature(carrier, feature, entry(name)) as never,
  };
}
