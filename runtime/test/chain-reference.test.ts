// The cursor's fast path tests its checks together and re-derives the failure in error(); these
// tests hold it to a plain reference reader that runs every check one at a time, in order (the
// algorithm the cursor had before it was tuned): same caps, or the same error class with the same
// fields, on random and mutated chains under both policies, both byte orders and unaligned windows.
// Also: reset() on the same buffer sees new contents, and a resizable buffer's new length.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertInBatches, fcRuns as runs } from './support/fc.js';
import {
  CapabilityCycleError, CapabilityMisalignedError, CapabilityOutOfBoundsError, CapabilityTooSmallError, ChainBuilder,
  ChainTooLongError, FlexibleArrayOverflowError, InfoTruncatedError, capTable, capabilityCursor, readCapabilityChain,
  type CapabilityTable, type ChainOptions, type UapiRuntimeError,
} from '../src/index.js';

interface RefCap { id: number; version: number; offset: number; size: number; flexCount: number; realigned: boolean; bytes: number[]; name: string | null }

function readCount(dv: DataView, off: number, size: number, le: boolean): number {
  return size === 1 ? dv.getUint8(off) : size === 2 ? dv.getUint16(off, le) : size === 4 ? dv.getUint32(off, le) : Number(dv.getBigUint64(off, le));
}

/** Every check, one at a time, in the documented order. */
function referenceWalk(buf: Uint8Array, opts: ChainOptions): RefCap[] {
  const le = !!(opts.littleEndian ?? true);
  const strict = (opts.alignment ?? 'strict') === 'strict';
  const maxHops = opts.maxHops ?? 256;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = dv.byteLength;
  const fieldEnd = Math.max(opts.infoEnd, opts.argszOffset + 4, opts.flagsOffset + 4, opts.capOffsetOffset + 4);
  if (fieldEnd > len) throw new InfoTruncatedError(fieldEnd, len, opts.argsz ?? -1);
  const argsz = opts.argsz ?? dv.getUint32(opts.argszOffset, le);
  const limit = argsz < len ? argsz : len;
  let off = (dv.getUint32(opts.flagsOffset, le) & opts.capsFlag) !== 0 ? dv.getUint32(opts.capOffsetOffset, le) : 0;
  if (off !== 0 && argsz < opts.infoEnd) throw new InfoTruncatedError(opts.infoEnd, len, argsz);
  const out: RefCap[] = [];
  let hops = 0;
  while (off !== 0) {
    if (++hops > maxHops) throw new ChainTooLongError(maxHops);
    if (off < opts.infoEnd || off > limit - 8) throw new CapabilityOutOfBoundsError(off, 8, len, argsz, off < opts.infoEnd ? opts.infoEnd : 0);
    if (strict && (off & 7) !== 0) throw new CapabilityMisalignedError(off);
    const id = dv.getUint16(off, le);
    const version = dv.getUint16(off + 2, le);
    const next = dv.getUint32(off + 4, le);
    let size = limit - off;
    if (next !== 0) {
      if (next <= off) throw new CapabilityCycleError(off, next);
      if (next > limit - 8) throw new CapabilityOutOfBoundsError(next, 8, len, argsz);
      size = next - off;
    }
    const spec = [...opts.caps.values()].find((s) => s.id === id && s.version === version);
    let flexCount = 0;
    if (spec) {
      if (size < spec.minSize) throw new CapabilityTooSmallError(id, version, spec.name, off, size, spec.minSize);
      const f = spec.flex;
      if (f) {
        flexCount = readCount(dv, off + f.countOffset, f.countSize, le);
        if (!(flexCount * f.elementSize <= size - f.arrayOffset)) {
          throw new FlexibleArrayOverflowError(off + f.arrayOffset, flexCount, f.elementSize, Math.max(0, size - f.arrayOffset));
        }
      }
    }
    out.push({ id, version, offset: off, size, flexCount, realigned: ((buf.byteOffset + off) & 7) !== 0, bytes: [...buf.subarray(off, off + size)], name: spec ? spec.name : null });
    off = next;
  }
  return out;
}

type Outcome = { caps: RefCap[] } | { error: string; fields: Record<string, unknown> };
function outcome(f: () => RefCap[]): Outcome {
  try {
    return { caps: f() };
  } catch (e) {
    const { message: _m, stack: _s, ...fields } = Object.assign({}, e as UapiRuntimeError);
    return { error: (e as Error).constructor.name, fields };
  }
}
function viaCursor(buf: Uint8Array, opts: ChainOptions): RefCap[] {
  const caps: RefCap[] = [];
  for (const c of capabilityCursor(buf, opts)) {
    caps.push({ id: c.id, version: c.version, offset: c.offset, size: c.size, flexCount: c.flexCount, realigned: c.realigned, bytes: [...c.bytes()], name: c.spec ? c.spec.name : null });
  }
  return caps;
}

const table = capTable([
  { id: 1, version: 1, name: 'ranges', minSize: 16, flex: { countOffset: 8, countSize: 4, elementSize: 16, arrayOffset: 16 } },
  { id: 1, version: 2, name: 'ranges2', minSize: 24, flex: { countOffset: 8, countSize: 8, elementSize: 8, arrayOffset: 16 } },
  { id: 2, version: 1, name: 'mig', minSize: 32 },
  { id: 3, version: 1, name: 'hdr', minSize: 8 },
  { id: 4, version: 1, name: 'small', minSize: 12, flex: { countOffset: 8, countSize: 2, elementSize: 1, arrayOffset: 10 } },
  { id: 5, version: 0, name: 'tiny', minSize: 9, flex: { countOffset: 8, countSize: 1, elementSize: 3, arrayOffset: 9 } },
]);
// The same specs in a plain Map (not from capTable): compiled on first use instead.
const plainTable: CapabilityTable = new Map(table);

const capArb = fc.record({
  id: fc.oneof(fc.constantFrom(1, 2, 3, 4, 5), fc.integer({ min: 0, max: 0xffff })),
  version: fc.oneof(fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: 0xffff })),
  body: fc.uint8Array({ maxLength: 72 }),
});

function build(caps: { id: number; version: number; body: Uint8Array }[], infoSize: number, legacy: boolean, le: boolean): Uint8Array {
  const F = { argszOffset: 0, flagsOffset: 4, capOffsetOffset: 8, capsFlag: 1 << 1 };
  const b = new ChainBuilder({ infoSize, legacy, littleEndian: le });
  for (const c of caps) b.add(c.id, c.version, c.body);
  return b.finish(new Uint8Array(infoSize), { ...F, userArgsz: infoSize + b.capsSize }).bytes;
}

describe('cursor vs reference reader', () => {
  it('mutated chains: same caps or the same error with the same fields', async () => {
    await assertInBatches(
      fc.property(
        fc.array(capArb, { maxLength: 6 }), fc.boolean(), fc.boolean(),
        fc.array(fc.record({ at: fc.nat(), v: fc.oneof(fc.nat({ max: 300 }), fc.integer({ min: 0, max: 0xffffffff })), wide: fc.boolean() }), { maxLength: 3 }),
        fc.constantFrom('strict' as const, 'compat' as const), fc.option(fc.nat({ max: 600 }), { nil: undefined }),
        fc.integer({ min: 1, max: 8 }), fc.nat({ max: 7 }), fc.boolean(),
        (caps, legacy, le, muts, alignment, argsz, maxHops, pre, plain) => {
          const bytes = build(caps, legacy ? 20 : 16, legacy, le);
          for (const m of muts) {
            if (bytes.length < 4) break;
            const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            if (m.wide) dv.setUint32(m.at % (bytes.length - 3), m.v, le);
            else bytes[m.at % bytes.length] = m.v & 0xff;
          }
          const big = new Uint8Array(pre + bytes.length + 8).fill(0xa5);
          big.set(bytes, pre);
          const win = big.subarray(pre, pre + bytes.length);
          const opts: ChainOptions = {
            infoEnd: 12, argszOffset: 0, flagsOffset: 4, capOffsetOffset: 8, capsFlag: 1 << 1, caps: plain ? plainTable : table,
            alignment, littleEndian: le, maxHops, ...(argsz === undefined ? {} : { argsz }),
          };
          expect(outcome(() => viaCursor(win, opts))).toEqual(outcome(() => referenceWalk(win, opts)));
        },
      ),
      runs(0.1),
    );
  });

  it('random bytes and field offsets: same caps or the same error', async () => {
    await assertInBatches(
      fc.property(
        fc.uint8Array({ maxLength: 160 }), fc.nat({ max: 24 }), fc.nat({ max: 24 }), fc.nat({ max: 24 }), fc.nat({ max: 40 }),
        fc.constantFrom('strict' as const, 'compat' as const), fc.integer({ min: 1, max: 64 }), fc.boolean(),
        (bytes, a, f, c, infoEnd, alignment, maxHops, le) => {
          if (bytes.length >= 12) {
            const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            if (bytes[0]! & 1) dv.setUint32(0, bytes.length, le);
            if (bytes[1]! & 1) dv.setUint32(4, 0xffffffff, le);
          }
          const opts: ChainOptions = { infoEnd, argszOffset: a, flagsOffset: f, capOffsetOffset: c, capsFlag: 0xffffffff, caps: table, alignment, maxHops, littleEndian: le };
          expect(outcome(() => viaCursor(bytes, opts))).toEqual(outcome(() => referenceWalk(bytes, opts)));
        },
      ),
      runs(0.05),
    );
  });
});

describe('cursor buffers', () => {
  const F = { infoEnd: 12, argszOffset: 0, flagsOffset: 4, capOffsetOffset: 8, capsFlag: 1 << 1, caps: table };
  const chain = (ids: number[]) => build(ids.map((id) => ({ id, version: 1, body: new Uint8Array(24) })), 16, false, true);

  // (the cursor is its own iterator result: collect inside the loop)
  const ids = (c: Iterable<{ id: number }>) => { const out: number[] = []; for (const x of c) out.push(x.id); return out; };

  it('reset(sameBuffer) walks what the buffer holds now', () => {
    const buf = new Uint8Array(200);
    buf.set(chain([3, 3]));
    const c = capabilityCursor(buf, F);
    expect(ids(c)).toEqual([3, 3]);
    buf.fill(0);
    buf.set(chain([2, 3, 2]));
    expect(ids(c.reset(buf))).toEqual([2, 3, 2]);
    expect(ids(c.reset(buf))).toEqual([2, 3, 2]);
  });

  it('reset(sameBuffer) over a resizable ArrayBuffer sees its new length', () => {
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };
    const ab = new Resizable(200, { maxByteLength: 400 });
    const bytes = chain([3, 3]);
    const view = new Uint8Array(ab);
    view.set(bytes);
    const opts = { ...F, argsz: 1000 };
    const c = capabilityCursor(view, opts);
    expect(ids(c)).toEqual([3, 3]);
    expect(c.limit).toBe(200);
    expect(ids(c.reset(view))).toEqual([3, 3]);
    ab.resize(52); // the second cap's header (at 48) no longer fits
    expect(() => ids(c.reset(view))).toThrow(CapabilityOutOfBoundsError);
    ab.resize(300);
    expect(ids(c.reset(view))).toEqual([3, 3]);
    expect(c.limit).toBe(300);
  });

  it('a DataView, an ArrayBuffer and a byte window over the same chain read alike', () => {
    const bytes = chain([1, 2, 4]);
    const big = new Uint8Array(bytes.length + 16);
    big.set(bytes, 8);
    const win = big.subarray(8, 8 + bytes.length);
    const caps = (src: ArrayBufferLike | ArrayBufferView) => readCapabilityChain(src, F).caps.map((x) => [x.id, x.offset, x.size, x.flexCount]);
    const want = caps(bytes);
    expect(want.length).toBe(3);
    expect(caps(bytes.buffer)).toEqual(want);
    expect(caps(win)).toEqual(want);
    expect(caps(new DataView(big.buffer, 8, bytes.length))).toEqual(want);
  });
});
