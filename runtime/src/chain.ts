/**
 * Capability chains (VFIO-style): an info struct `{ __u32 argsz; __u32 flags; ...; __u32 cap_offset; }`
 * followed by headers `{ __u16 id; __u16 version; __u32 next; }` linked by `next` (offsets from the
 * start of the info buffer, 0 ends). Generic: the generated code passes the offsets, the CAPS flag
 * and a cap table; nothing here knows VFIO's numbers.
 */
import {
  CapabilityCycleError,
  CapabilityMisalignedError,
  CapabilityOutOfBoundsError,
  CapabilityTooSmallError,
  ChainTooLongError,
  FlexibleArrayOverflowError,
  InfoTruncatedError,
  UapiRuntimeError,
} from './errors.js';
import { HOST_LITTLE_ENDIAN, readUnsigned } from './access.js';

export const CAP_HEADER_SIZE = 8;

/** A flexible array at the end of a capability struct, with its element count stored in a field. */
export interface FlexibleArraySpec {
  /** Offset (from the cap header) of the count field, and its size in bytes (1, 2, 4 or 8). */
  readonly countOffset: number;
  readonly countSize: 1 | 2 | 4 | 8;
  readonly elementSize: number;
  /** Offset (from the cap header) of the first element. */
  readonly arrayOffset: number;
}

export interface CapabilitySpec {
  readonly id: number;
  readonly version: number;
  readonly name: string;
  /** sizeof the cap struct including its header, without flexible-array elements. */
  readonly minSize: number;
  readonly flex?: FlexibleArraySpec;
}

/** (id, version) → spec. Build with capTable(); key = id * 65536 + version. */
export type CapabilityTable = ReadonlyMap<number, CapabilitySpec>;

export const capKey = (id: number, version: number): number => id * 65536 + version;

/** Build a cap table, checking each spec is self-consistent (count field inside minSize, etc.). */
export function capTable(specs: readonly CapabilitySpec[]): CapabilityTable {
  const m = new Map<number, CapabilitySpec>();
  for (const s of specs) {
    if (!(s.minSize >= CAP_HEADER_SIZE)) throw new TypeError(`cap ${s.name}: minSize ${s.minSize} < header size 8`);
    if (s.flex) {
      const f = s.flex;
      if (f.countOffset + f.countSize > s.minSize || f.arrayOffset < CAP_HEADER_SIZE || f.arrayOffset > s.minSize || !(f.elementSize > 0)) {
        throw new TypeError(`cap ${s.name}: flexible array spec does not fit its minSize ${s.minSize}`);
      }
    }
    m.set(capKey(s.id, s.version), s);
  }
  return m;
}

export type AlignmentPolicy = 'strict' | 'compat';

/** Kernels before 6.6 emit misaligned caps (info sizes like 20, unpadded cap bodies): 'compat'. 6.6+: 'strict'. */
export function policyForKernel(version: string): AlignmentPolicy {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) throw new UapiRuntimeError(`policyForKernel: cannot parse kernel version '${version}' (want e.g. '6.1' or '6.6.12')`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 6 || (major === 6 && minor >= 6) ? 'strict' : 'compat';
}

export interface ChainOptions {
  /** End of the info fields through cap_offset (offsetof(cap_offset) + 4) — not sizeof(info). */
  readonly infoEnd: number;
  readonly argszOffset: number;
  readonly flagsOffset: number;
  readonly capOffsetOffset: number;
  /** The CAPS bit in flags; the chain is only trusted when it is set. */
  readonly capsFlag: number;
  /** The argsz the kernel returned; default: read from the buffer at argszOffset. */
  readonly argsz?: number;
  readonly caps: CapabilityTable;
  /** Default 'strict'. */
  readonly alignment?: AlignmentPolicy;
  /** Default: host byte order. */
  readonly littleEndian?: boolean;
  /** Maximum number of capabilities (default 256). */
  readonly maxHops?: number;
}

/**
 * A reusable cursor over one chain: `while (c.next()) { c.id, c.offset, c.dv, c.base ... }`. In
 * strict mode on aligned input it allocates nothing per cap. `dv`/`base` locate the cap's header:
 * normally the chain's DataView and the cap's offset; for a compat-realigned cap a fresh 8-aligned
 * copy and 0 (`realigned` is then true).
 */
export class CapabilityCursor implements IterableIterator<CapabilityCursor> {
  id = 0;
  version = 0;
  /** Offset of the cap header from the start of the info buffer. */
  offset = 0;
  /** Bytes from the header to the next cap (or to min(argsz, buffer length) for the last). */
  size = 0;
  /** The cap's spec, or undefined for an unknown (id, version). */
  spec: CapabilitySpec | undefined = undefined;
  /** Element count of the spec's flexible array (validated to fit), else 0. */
  flexCount = 0;
  realigned = false;
  dv!: DataView;
  base = 0;
  /** Number of caps visited so far. */
  hops = 0;
  /** min(argsz, buffer length): nothing past this is read. */
  limit = 0;
  argsz = 0;
  /** True when argsz > buffer length: the kernel wants a bigger buffer (and cap_offset is then 0). */
  needsBiggerBuffer = false;

  private chainDv: DataView;
  private nextOff = 0;
  private readonly le: boolean;
  private readonly strict: boolean;
  private readonly maxHops: number;
  /** specs indexed by id, then version (a dense lookup is cheaper than Map.get per cap). */
  private readonly byId: (CapabilitySpec | undefined)[][];
  private readonly infoEnd: number;
  private readonly fieldEnd: number;
  private readonly result: { done: boolean; value: CapabilityCursor };

  constructor(buf: ArrayBufferLike | ArrayBufferView, readonly opts: ChainOptions) {
    this.le = opts.littleEndian ?? HOST_LITTLE_ENDIAN;
    this.strict = (opts.alignment ?? 'strict') === 'strict';
    this.maxHops = opts.maxHops ?? 256;
    this.byId = specsById(opts.caps);
    this.infoEnd = opts.infoEnd;
    this.fieldEnd = Math.max(opts.infoEnd, opts.argszOffset + 4, opts.flagsOffset + 4, opts.capOffsetOffset + 4);
    this.result = { done: false, value: this };
    this.chainDv = this.dv = toDataView(buf);
    this.start();
  }

  /**
   * Re-target this cursor at the start of a chain (the same buffer re-filled by another ioctl, or a
   * new one) with the same options: lets a hot loop walk many chains without allocating a cursor.
   * `argsz` overrides the value read from the buffer, as opts.argsz does.
   */
  reset(buf?: ArrayBufferLike | ArrayBufferView, argsz?: number): this {
    if (buf !== undefined) this.chainDv = toDataView(buf);
    this.start(argsz);
    return this;
  }

  private start(argszOverride?: number): void {
    const dv = this.chainDv;
    const opts = this.opts;
    const len = dv.byteLength;
    this.dv = dv;
    this.base = 0;
    this.hops = 0;
    this.id = this.version = this.offset = this.size = this.flexCount = 0;
    this.spec = undefined;
    this.realigned = false;
    this.result.done = false;
    if (this.fieldEnd > len) throw new InfoTruncatedError(this.fieldEnd, len, argszOverride ?? opts.argsz ?? -1);
    const argsz = argszOverride ?? opts.argsz ?? dv.getUint32(opts.argszOffset, this.le);
    this.argsz = argsz;
    this.limit = argsz < len ? argsz : len;
    this.needsBiggerBuffer = argsz > len;
    const flags = dv.getUint32(opts.flagsOffset, this.le);
    this.nextOff = (flags & opts.capsFlag) !== 0 ? dv.getUint32(opts.capOffsetOffset, this.le) : 0;
    if (this.nextOff !== 0 && argsz < this.infoEnd) throw new InfoTruncatedError(this.infoEnd, len, argsz);
  }

  /** Advance to the next cap; false at the end. Throws UapiRuntimeError subclasses on a bad chain. */
  next(): { done: boolean; value: CapabilityCursor } {
    const off = this.nextOff;
    if (off === 0) {
      this.result.done = true;
      return this.result;
    }
    if (++this.hops > this.maxHops) throw new ChainTooLongError(this.maxHops);
    const limit = this.limit;
    const dv = this.chainDv;
    if (off < this.infoEnd || off > limit - CAP_HEADER_SIZE) {
      throw new CapabilityOutOfBoundsError(off, CAP_HEADER_SIZE, dv.byteLength, this.argsz, off < this.infoEnd ? this.infoEnd : 0);
    }
    if (this.strict && (off & 7) !== 0) throw new CapabilityMisalignedError(off);
    const le = this.le;
    const id = dv.getUint16(off, le);
    const version = dv.getUint16(off + 2, le);
    const next = dv.getUint32(off + 4, le);
    let size: number;
    if (next !== 0) {
      if (next <= off) throw new CapabilityCycleError(off, next);
      if (next > limit - CAP_HEADER_SIZE) throw new CapabilityOutOfBoundsError(next, CAP_HEADER_SIZE, dv.byteLength, this.argsz);
      size = next - off;
    } else {
      size = limit - off;
    }
    const versions = id < this.byId.length ? this.byId[id] : undefined;
    const spec = versions !== undefined && version < versions.length ? versions[version] : undefined;
    let flexCount = 0;
    if (spec !== undefined) {
      if (size < spec.minSize) throw new CapabilityTooSmallError(id, version, spec.name, off, size, spec.minSize);
      const f = spec.flex;
      if (f !== undefined) {
        flexCount = readUnsigned(dv, off + f.countOffset, f.countSize, le);
        if (!(flexCount * f.elementSize <= size - f.arrayOffset)) {
          throw new FlexibleArrayOverflowError(off + f.arrayOffset, flexCount, f.elementSize, Math.max(0, size - f.arrayOffset));
        }
      }
    }
    this.id = id;
    this.version = version;
    this.offset = off;
    this.size = size;
    this.spec = spec;
    this.flexCount = flexCount;
    if (((dv.byteOffset + off) & 7) === 0) {
      this.dv = dv;
      this.base = off;
      this.realigned = false;
    } else {
      // compat (or a buffer that itself is not 8-aligned in memory): copy into aligned storage so
      // zero-copy BigUint64Array views over the cap work.
      const copy = new Uint8Array((size + 7) & ~7);
      copy.set(new Uint8Array(dv.buffer, dv.byteOffset + off, size));
      this.dv = new DataView(copy.buffer, 0, size);
      this.base = 0;
      this.realigned = true;
    }
    this.nextOff = next;
    return this.result;
  }

  /** Bytes of the current cap (header included): a view into the buffer, or the realigned copy. */
  bytes(): Uint8Array {
    return new Uint8Array(this.dv.buffer, this.dv.byteOffset + this.base, this.size);
  }

  [Symbol.iterator](): CapabilityCursor {
    return this;
  }
}

const byIdCache = new WeakMap<CapabilityTable, (CapabilitySpec | undefined)[][]>();
function specsById(t: CapabilityTable): (CapabilitySpec | undefined)[][] {
  let r = byIdCache.get(t);
  if (r === undefined) {
    r = [];
    for (const s of t.values()) {
      while (r.length <= s.id) r.push(EMPTY);
      if (r[s.id] === EMPTY) r[s.id] = [];
      const v = r[s.id]!;
      while (v.length <= s.version) v.push(undefined);
      v[s.version] = s;
    }
    byIdCache.set(t, r);
  }
  return r;
}
const EMPTY: (CapabilitySpec | undefined)[] = [];

function toDataView(buf: ArrayBufferLike | ArrayBufferView): DataView {
  return ArrayBuffer.isView(buf) ? new DataView(buf.buffer, buf.byteOffset, buf.byteLength) : new DataView(buf);
}

/** Open a cursor over the chain in `buf` (the whole info buffer the ioctl filled). */
export function capabilityCursor(buf: ArrayBufferLike | ArrayBufferView, opts: ChainOptions): CapabilityCursor {
  return new CapabilityCursor(buf, opts);
}

/** One parsed capability (an allocation per cap: use capabilityCursor on hot paths). */
export interface ParsedCapability {
  readonly id: number;
  readonly version: number;
  /** Spec name, or null for an unknown (id, version) returned raw. */
  readonly name: string | null;
  readonly offset: number;
  readonly size: number;
  /** Header + body; a view into the buffer, or an 8-aligned copy when `realigned`. */
  readonly bytes: Uint8Array;
  readonly realigned: boolean;
  /** Flexible-array element count (0 if the spec has none or the cap is unknown). */
  readonly flexCount: number;
  readonly spec: CapabilitySpec | undefined;
}

export interface ParsedChain {
  readonly caps: ParsedCapability[];
  readonly argsz: number;
  /** argsz > buffer length: retry with argsz bytes (see negotiate). */
  readonly needsBiggerBuffer: boolean;
  /** Offsets of the caps that were copied into aligned storage (compat policy). */
  readonly realignedOffsets: number[];
}

/** Walk and validate the whole chain, returning every cap (known ones by name, unknown ones raw). */
export function readCapabilityChain(buf: ArrayBufferLike | ArrayBufferView, opts: ChainOptions): ParsedChain {
  const c = new CapabilityCursor(buf, opts);
  const caps: ParsedCapability[] = [];
  const realignedOffsets: number[] = [];
  while (!c.next().done) {
    caps.push({
      id: c.id,
      version: c.version,
      name: c.spec ? c.spec.name : null,
      offset: c.offset,
      size: c.size,
      bytes: c.bytes(),
      realigned: c.realigned,
      flexCount: c.flexCount,
      spec: c.spec,
    });
    if (c.realigned) realignedOffsets.push(c.offset);
  }
  return { caps, argsz: c.argsz, needsBiggerBuffer: c.needsBiggerBuffer, realignedOffsets };
}
