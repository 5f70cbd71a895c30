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

/** capTable() attaches the table compiled for the walk under this key (others are compiled on first use). */
const SLOTS: unique symbol = Symbol('uapi-ts.capSlots');

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
  Object.defineProperty(m, SLOTS, { value: compileSlots(m) });
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
  /**
   * How the caller's API asks for the compat policy, named by CapabilityMisalignedError (default
   * the runtime's own `alignment: 'compat'`; a view's caps() says `caps({ policy: 'compat' })`).
   */
  readonly compatOption?: string;
}

/**
 * A table entry compiled for the walk: the same shape for every cap (so the per-cap reads are
 * monomorphic whatever the caller's spec objects look like), `countSize` 0 when there is no
 * flexible array, other versions of the same id chained through `alt`.
 */
interface CapSlot {
  readonly spec: CapabilitySpec;
  readonly version: number;
  readonly alt: CapSlot | undefined;
  readonly minSize: number;
  readonly countOffset: number;
  readonly countSize: number;
  readonly elementSize: number;
  readonly arrayOffset: number;
}
type Slots = readonly (CapSlot | undefined)[];

/**
 * A reusable cursor over one chain: `while (!c.next().done) { c.id, c.offset, c.dv, c.base ... }`.
 * In strict mode on aligned input it allocates nothing per cap. `dv`/`base` locate the cap's
 * header: normally the chain's DataView and the cap's offset; for a compat-realigned cap a fresh
 * 8-aligned copy and 0 (`realigned` is then true).
 *
 * The cursor is its own iterator result: `next()` returns the cursor, whose `done` says whether
 * the walk has ended and whose `value` is the cursor.
 *
 * Performance notes (V8), kept because they decide what the checks cost:
 * - the constructor, reset() and next() are small, with rare work (errors, resizable buffers,
 *   compat copies) in separate methods: V8 inlines into a caller only while the bytecode it
 *   inlines stays under a budget (460 bytes per function, 920 in all), and a walk inlined into the
 *   caller's loop is what makes the checks cheap;
 * - fields set from the options are `declare`d and assigned in the constructor (a class field
 *   would first hold undefined, and V8 would then read a number or boolean with tag checks);
 * - next() throws instead of returning on failure and assigns the fields after its one rare call,
 *   so V8 knows `done`, `id`, `base`... when the caller reads them.
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
  declare dv: DataView;
  base = 0;
  /** Number of caps visited so far. */
  hops = 0;
  /** min(argsz, buffer length): nothing past this is read. */
  limit = 0;
  argsz = 0;
  /** True when argsz > buffer length: the kernel wants a bigger buffer (and cap_offset is then 0). */
  needsBiggerBuffer = false;
  /** True once next() has found the end of the chain. */
  done = false;
  declare readonly opts: ChainOptions;

  private declare chainDv: DataView;
  private chainLength = 0;
  /**
   * 0 when no cap of this walk can need copying (strict policy, so every cap offset is a multiple
   * of 8, over a buffer that is 8-aligned in memory); 1 otherwise: next() then asks place().
   */
  private copyMode = 0;
  /** What chainDv was made from, and whether its window can never move (then reset() keeps chainDv). */
  private declare source: ArrayBufferLike | ArrayBufferView;
  private sourceFixed = false;
  private nextOff = 0;
  private declare readonly le: boolean;
  /** 7 under the strict policy (cap offsets must be multiples of 8), 0 under compat. */
  private declare readonly alignMask: number;
  private declare readonly maxHops: number;
  /** Compiled specs indexed by id (a dense lookup is cheaper than Map.get per cap). */
  private declare readonly slots: Slots;
  private declare readonly infoEnd: number;
  private declare readonly fieldEnd: number;

  constructor(buf: ArrayBufferLike | ArrayBufferView, opts: ChainOptions) {
    this.opts = opts;
    this.le = !!(opts.littleEndian ?? HOST_LITTLE_ENDIAN);
    this.alignMask = (opts.alignment ?? 'strict') === 'strict' ? 7 : 0;
    this.maxHops = opts.maxHops ?? 256;
    this.slots = slotsFor(opts.caps);
    this.infoEnd = opts.infoEnd;
    this.fieldEnd = fieldEnd(opts);
    this.source = buf;
    this.chainDv = this.dv = this.view(buf);
    this.start(undefined);
  }

  /** The cursor itself (the iterator-result side of next()). */
  get value(): CapabilityCursor {
    return this;
  }

  /**
   * Re-target this cursor at the start of a chain (the same buffer re-filled by another ioctl, or a
   * new one) with the same options: lets a hot loop walk many chains without allocating a cursor.
   * The same buffer (or view) again keeps the DataView made over it unless its ArrayBuffer is
   * resizable. `argsz` overrides the value read from the buffer, as opts.argsz does.
   */
  reset(buf?: ArrayBufferLike | ArrayBufferView, argsz?: number): this {
    if (buf !== undefined && (buf !== this.source || !this.sourceFixed)) this.retarget(buf);
    this.dv = this.chainDv;
    this.base = this.hops = this.id = this.version = this.offset = this.size = this.flexCount = 0;
    this.spec = undefined;
    this.realigned = this.done = false;
    this.start(argsz);
    return this;
  }

  private retarget(buf: ArrayBufferLike | ArrayBufferView): void {
    if (buf === this.source && fixedLength(buf)) {
      this.sourceFixed = true;
      return;
    }
    this.source = buf;
    this.sourceFixed = false;
    this.chainDv = this.view(buf);
  }

  /** A DataView over `buf`'s bytes (a DataView passed in is used as is), noting its length and alignment. */
  private view(buf: ArrayBufferLike | ArrayBufferView): DataView {
    if (!ArrayBuffer.isView(buf) || buf instanceof DataView) return this.viewOther(buf);
    const off = buf.byteOffset;
    const len = buf.byteLength;
    this.chainLength = len;
    this.copyMode = this.alignMask === 0 || (off & 7) !== 0 ? 1 : 0;
    return new DataView(buf.buffer, off, len);
  }

  private viewOther(buf: ArrayBufferLike | DataView): DataView {
    const dv = buf instanceof DataView ? buf : new DataView(buf);
    this.chainLength = dv.byteLength;
    this.copyMode = this.alignMask === 0 || (dv.byteOffset & 7) !== 0 ? 1 : 0;
    return dv;
  }

  private start(argszOverride: number | undefined): void {
    const dv = this.chainDv;
    const opts = this.opts;
    const le = this.le === true;
    const len = this.chainLength;
    if (this.fieldEnd > len) throw this.truncated(argszOverride);
    const argsz = argszOverride ?? opts.argsz ?? dv.getUint32(opts.argszOffset, le);
    // A caller's argsz is a __u32 as the kernel returns it; anything else would skew every bound.
    if (argsz >>> 0 !== argsz) throw new RangeError(`argsz must be an integer in 0..2^32-1, not ${argsz}`);
    this.argsz = argsz;
    this.limit = argsz < len ? argsz : len;
    this.needsBiggerBuffer = argsz > len;
    const first = (dv.getUint32(opts.flagsOffset, le) & opts.capsFlag) !== 0 ? dv.getUint32(opts.capOffsetOffset, le) : 0;
    this.nextOff = first;
    if (first !== 0 && argsz < this.infoEnd) throw new InfoTruncatedError(this.infoEnd, len, argsz);
  }

  private truncated(argszOverride: number | undefined): InfoTruncatedError {
    return new InfoTruncatedError(this.fieldEnd, this.chainLength, argszOverride ?? this.opts.argsz ?? -1);
  }

  /**
   * Advance to the next cap (`done` at the end); throws UapiRuntimeError subclasses on a bad chain.
   * Every check runs on every cap. The fast path only tests whether they all pass and leaves naming
   * the failure to error(), which re-runs them one by one: that keeps next() under V8's inlining
   * size limit (460 bytes of bytecode), so it is inlined into the caller's loop; keep it there when
   * editing (node --print-bytecode --print-bytecode-filter=next prints its length).
   */
  next(): CapabilityCursor {
    const off = this.nextOff;
    if (off === 0) {
      this.done = true;
      return this;
    }
    const dv = this.chainDv;
    const limit = this.limit;
    const le = this.le === true;
    // hop bound; header after the info fields and inside min(argsz, length); strict alignment
    if (++this.hops > this.maxHops || off < this.infoEnd || off > limit - 8 || (off & this.alignMask) !== 0) throw this.error(off, 0);
    const id = dv.getUint16(off, le);
    const version = dv.getUint16(off + 2, le);
    const next = dv.getUint32(off + 4, le);
    // (>>> 0 keeps V8 in integer arithmetic; exact for every valid cap, and an invalid next is
    // refused below before size is used)
    const size = (next !== 0 ? next - off : limit - off) >>> 0;
    const slots = this.slots;
    let slot = id < slots.length ? slots[id] : undefined;
    while (slot !== undefined && slot.version !== version) slot = slot.alt;
    let flexCount = 0;
    if (
      // next strictly increasing, its header inside the limit too
      (next !== 0 && (next <= off || next > limit - 8)) ||
      // size >= the struct for (id, version); the flexible-array count fits what follows it
      (slot !== undefined &&
        (size < slot.minSize ||
          (slot.countSize !== 0 && !((flexCount = readCount(dv, off + slot.countOffset, slot.countSize, le)) * slot.elementSize <= size - slot.arrayOffset))))
    ) {
      throw this.error(off, next);
    }
    // Throwing (rather than returning) on failure, and assigning every field after the one
    // out-of-line call, lets V8 see the values the caller reads next.
    this.base = this.copyMode === 0 ? off : this.place(off, size);
    this.spec = slot === undefined ? undefined : slot.spec;
    this.id = id;
    this.version = version;
    this.offset = off;
    this.size = size;
    this.flexCount = flexCount;
    this.nextOff = next;
    this.done = false;
    return this;
  }

  /**
   * Where the cap's header is in `dv` (set here): a cap that is not 8-aligned in memory (compat,
   * or a buffer that itself is misaligned) is copied into aligned storage so zero-copy
   * BigUint64Array views over it work; an aligned one points into the chain.
   */
  private place(off: number, size: number): number {
    const dv = this.chainDv;
    if (((dv.byteOffset + off) & 7) === 0) {
      this.dv = dv;
      this.realigned = false;
      return off;
    }
    const copy = new Uint8Array((size + 7) & ~7);
    copy.set(new Uint8Array(dv.buffer, dv.byteOffset + off, size));
    this.dv = new DataView(copy.buffer, 0, size);
    this.realigned = true;
    return 0;
  }

  /** The cap at `off` failed a check in next(): the error of the first check it fails. */
  private error(off: number, next: number): UapiRuntimeError {
    const dv = this.chainDv;
    const limit = this.limit;
    if (this.hops > this.maxHops) return new ChainTooLongError(this.maxHops);
    if (off < this.infoEnd || off > limit - CAP_HEADER_SIZE) {
      return new CapabilityOutOfBoundsError(off, CAP_HEADER_SIZE, dv.byteLength, this.argsz, off < this.infoEnd ? this.infoEnd : 0);
    }
    if ((off & this.alignMask) !== 0) return new CapabilityMisalignedError(off, this.opts.compatOption);
    let size = limit - off;
    if (next !== 0) {
      if (next <= off) return new CapabilityCycleError(off, next);
      if (next > limit - CAP_HEADER_SIZE) return new CapabilityOutOfBoundsError(next, CAP_HEADER_SIZE, dv.byteLength, this.argsz);
      size = next - off;
    }
    const le = this.le;
    const id = dv.getUint16(off, le);
    const version = dv.getUint16(off + 2, le);
    const slot = findSlot(this.slots, id, version);
    if (slot !== undefined) {
      if (size < slot.minSize) return new CapabilityTooSmallError(id, version, slot.spec.name, off, size, slot.minSize);
      if (slot.countSize !== 0) {
        const count = readUnsigned(dv, off + slot.countOffset, slot.countSize, le);
        const room = size - slot.arrayOffset;
        if (!(count * slot.elementSize <= room)) return new FlexibleArrayOverflowError(off + slot.arrayOffset, count, slot.elementSize, Math.max(0, room));
      }
    }
    return new UapiRuntimeError(`capability at offset ${off}: a check failed that error() cannot name (runtime bug)`);
  }

  /** Bytes of the current cap (header included): a view into the buffer, or the realigned copy. */
  bytes(): Uint8Array {
    return new Uint8Array(this.dv.buffer, this.dv.byteOffset + this.base, this.size);
  }

  [Symbol.iterator](): CapabilityCursor {
    return this;
  }
}

/** Where the info fields the walk reads (argsz, flags, cap_offset) end. */
function fieldEnd(o: ChainOptions): number {
  return Math.max(o.infoEnd, o.argszOffset + 4, o.flagsOffset + 4, o.capOffsetOffset + 4);
}

function findSlot(slots: Slots, id: number, version: number): CapSlot | undefined {
  let slot = id < slots.length ? slots[id] : undefined;
  while (slot !== undefined && slot.version !== version) slot = slot.alt;
  return slot;
}

/** A flexible-array count field: u32 inline (every VFIO count is one), other sizes out of line. */
function readCount(dv: DataView, off: number, size: number, le: boolean): number {
  return size === 4 ? dv.getUint32(off, le) : readUnsigned(dv, off, size, le);
}

const slotCache = new WeakMap<CapabilityTable, Slots>();
function slotsFor(t: CapabilityTable): Slots {
  const own = (t as { [SLOTS]?: Slots })[SLOTS];
  if (own !== undefined) return own;
  let r = slotCache.get(t);
  if (r === undefined) {
    r = compileSlots(t);
    slotCache.set(t, r);
  }
  return r;
}
function compileSlots(t: CapabilityTable): Slots {
  const out: (CapSlot | undefined)[] = [];
  for (const s of t.values()) {
    while (out.length <= s.id) out.push(undefined);
    const f = s.flex;
    out[s.id] = {
      spec: s,
      version: s.version,
      alt: out[s.id],
      minSize: s.minSize,
      countOffset: f ? f.countOffset : 0,
      countSize: f ? f.countSize : 0,
      elementSize: f ? f.elementSize : 0,
      arrayOffset: f ? f.arrayOffset : 0,
    };
  }
  return out;
}

/** Whether a buffer's (or view's) window can never change: false for resizable/growable buffers. */
function fixedLength(buf: ArrayBufferLike | ArrayBufferView): boolean {
  const ab = (ArrayBuffer.isView(buf) ? buf.buffer : buf) as { resizable?: boolean; growable?: boolean };
  return ab.resizable !== true && ab.growable !== true;
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
