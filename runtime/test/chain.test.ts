import { describe, expect, it } from 'vitest';
import {
  CapabilityCycleError, CapabilityMisalignedError, CapabilityOutOfBoundsError, CapabilityTooSmallError, ChainBuilder,
  ChainBuilderError, ChainTooLongError, FlexibleArrayOverflowError, InfoTruncatedError, UapiRuntimeError, capTable,
  capabilityCursor, policyForKernel, readCapabilityChain, type ChainOptions,
} from '../src/index.js';

// A generic info struct: argsz@0 flags@4 cap_offset@8 pad@12 → 16 bytes; CAPS flag 1<<3.
const F = { argszOffset: 0, flagsOffset: 4, capOffsetOffset: 8, capsFlag: 1 << 3 };
const table = capTable([
  { id: 1, version: 1, name: 'areas', minSize: 16, flex: { countOffset: 8, countSize: 4, elementSize: 16, arrayOffset: 16 } },
  { id: 2, version: 1, name: 'u64', minSize: 16 },
  { id: 3, version: 1, name: 'hdr', minSize: 8 },
]);
const opts = (o: Partial<ChainOptions> = {}): ChainOptions => ({ infoEnd: 12, ...F, caps: table, ...o });

function build(caps: [number, number, Uint8Array][], infoSize = 16, userArgsz = 4096): Uint8Array {
  const b = new ChainBuilder({ infoSize });
  for (const [id, v, body] of caps) b.add(id, v, body);
  return b.finish(new Uint8Array(infoSize), { ...F, userArgsz }).bytes;
}
const le = (n: number, size: number) => { const b = Buffer.alloc(size); b.writeUIntLE(n, 0, Math.min(size, 6)); return new Uint8Array(b); };

describe('ChainBuilder', () => {
  it('rounds caps to 8 with zero padding, shifts next by the info size, sets flag/cap_offset', () => {
    const out = build([[3, 1, new Uint8Array(0)], [2, 1, new Uint8Array([1, 2, 3])], [1, 1, le(0, 8)]]);
    const dv = new DataView(out.buffer);
    expect(out.length).toBe(16 + 8 + 16 + 16);
    expect(dv.getUint32(8, true)).toBe(16);
    expect(dv.getUint32(4, true) & 8).toBe(8);
    expect(dv.getUint32(0, true)).toBe(4096);
    expect(dv.getUint32(16 + 4, true)).toBe(24);
    expect(dv.getUint32(24 + 4, true)).toBe(40);
    expect(dv.getUint32(40 + 4, true)).toBe(0);
    expect([...out.subarray(32, 40)]).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
  });
  it('refuses an info size that is not a multiple of 8 (legacy mode allows it)', () => {
    expect(() => new ChainBuilder({ infoSize: 20 })).toThrow(ChainBuilderError);
    expect(() => new ChainBuilder({ infoSize: 20, legacy: true })).not.toThrow();
    expect(() => new ChainBuilder({ infoSize: 16 }).add(70000, 1, new Uint8Array(0))).toThrow(ChainBuilderError);
  });
  it('copy-out rule: argsz too small → argsz = needed, CAPS set, cap_offset 0, no caps', () => {
    const b = new ChainBuilder({ infoSize: 16 }).add(2, 1, new Uint8Array(8));
    const r = b.finish(new Uint8Array(16), { ...F, userArgsz: 16 });
    expect(r.capsCopied).toBe(false);
    expect(r.needed).toBe(32);
    expect(r.bytes.length).toBe(16);
    const dv = new DataView(r.bytes.buffer);
    expect([dv.getUint32(0, true), dv.getUint32(4, true), dv.getUint32(8, true)]).toEqual([32, 8, 0]);
    const parsed = readCapabilityChain(r.bytes, opts());
    expect(parsed.caps).toEqual([]);
    expect(parsed.needsBiggerBuffer).toBe(true);
  });
  it('no caps: flag and cap_offset untouched', () => {
    const r = new ChainBuilder({ infoSize: 16 }).finish(new Uint8Array(16), { ...F, userArgsz: 16 });
    expect(new DataView(r.bytes.buffer).getUint32(4, true)).toBe(0);
  });
});

describe('readCapabilityChain', () => {
  it('parses known caps by name and unknown ones raw', () => {
    const area = new Uint8Array(8 + 32); area[0] = 2;
    const out = build([[1, 1, area], [9, 4, new Uint8Array([7])], [3, 1, new Uint8Array(0)]], 16, 16 + 48 + 16 + 8);
    const r = readCapabilityChain(out, opts());
    expect(r.caps.map((c) => [c.name, c.id, c.version, c.offset, c.size, c.flexCount])).toEqual([
      ['areas', 1, 1, 16, 48, 2], [null, 9, 4, 64, 16, 0], ['hdr', 3, 1, 80, 8, 0],
    ]);
    expect(r.caps[1]!.bytes[8]).toBe(7);
    expect(r.realignedOffsets).toEqual([]);
  });
  it('ignores cap_offset when the CAPS flag is clear', () => {
    const out = build([[3, 1, new Uint8Array(0)]]);
    const dv = new DataView(out.buffer);
    dv.setUint32(4, 0, true);
    expect(readCapabilityChain(out, opts()).caps).toEqual([]);
  });
  const mutate = (f: (dv: DataView, out: Uint8Array) => void, caps: [number, number, Uint8Array][] = [[2, 1, new Uint8Array(8)], [3, 1, new Uint8Array(0)]]) => {
    const out = build(caps);
    f(new DataView(out.buffer), out);
    return out;
  };
  it('names every violation', () => {
    // next pointing backwards / at itself
    let e = (() => { try { readCapabilityChain(mutate((dv) => dv.setUint32(20, 16, true)), opts()); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(CapabilityCycleError);
    expect(e).toMatchObject({ offset: 16, next: 16 });
    // next past the end
    e = (() => { try { readCapabilityChain(mutate((dv) => dv.setUint32(20, 4000, true)), opts()); } catch (x) { return x; } })();
    expect(e).toBeInstanceOf(CapabilityOutOfBoundsError);
    expect(e).toMatchObject({ offset: 4000, size: 8, bufferLength: 40, argsz: 4096 });
    // cap_offset inside the info struct
    expect(() => readCapabilityChain(mutate((dv) => dv.setUint32(8, 4, true)), opts())).toThrow(CapabilityOutOfBoundsError);
    // argsz shorter than the chain: the last cap no longer fits
    expect(() => readCapabilityChain(mutate((dv) => dv.setUint32(0, 36, true)), opts())).toThrow(CapabilityOutOfBoundsError);
    // too small for its struct: id 2 needs 16, make the next cap start 8 bytes later
    expect(() => readCapabilityChain(mutate(() => {}, [[2, 1, new Uint8Array(0)], [3, 1, new Uint8Array(0)]]), opts())).toThrow(CapabilityTooSmallError);
    // flexible count too big
    expect(() => readCapabilityChain(mutate((dv) => dv.setUint32(24, 3, true), [[1, 1, new Uint8Array(8 + 32)]]), opts({ argsz: 64 }))).toThrow(FlexibleArrayOverflowError);
    // misaligned in strict mode
    expect(() => readCapabilityChain(mutate((dv) => dv.setUint32(8, 20, true), [[3, 1, new Uint8Array(16)]]), opts())).toThrow(CapabilityMisalignedError);
    // info truncated
    expect(() => readCapabilityChain(new Uint8Array(8), opts())).toThrow(InfoTruncatedError);
    // hop bound
    expect(() => readCapabilityChain(build([[3, 1, new Uint8Array(0)], [3, 1, new Uint8Array(0)], [3, 1, new Uint8Array(0)]]), opts({ maxHops: 2 }))).toThrow(ChainTooLongError);
    try { readCapabilityChain(mutate((dv) => dv.setUint32(8, 20, true), [[3, 1, new Uint8Array(16)]]), opts()); } catch (x) {
      expect(x).toBeInstanceOf(UapiRuntimeError);
      expect(String((x as Error).message)).toMatch(/compat/);
    }
  });
  it('compat copies misaligned caps into 8-aligned storage and says so per cap', () => {
    // pre-6.6 layout: 20-byte info, caps unrounded (bodies 8 and 5 bytes) → caps at 20 and 36
    const b = new ChainBuilder({ infoSize: 20, legacy: true });
    const body = new Uint8Array(8); new DataView(body.buffer).setBigUint64(0, 0x1122334455667788n, true);
    b.add(2, 1, body).add(7, 1, new Uint8Array([1, 2, 3, 4, 5])).add(3, 1, new Uint8Array(0));
    const out = b.finish(new Uint8Array(20), { ...F, userArgsz: 1000 }).bytes;
    const o = opts({ infoEnd: 12, alignment: policyForKernel('6.1') });
    expect(() => readCapabilityChain(out, opts())).toThrow(CapabilityMisalignedError);
    const r = readCapabilityChain(out, o);
    expect(r.caps.map((c) => [c.offset, c.realigned])).toEqual([[20, true], [36, true], [49, true]]);
    expect(r.realignedOffsets).toEqual([20, 36, 49]);
    const c0 = r.caps[0]!;
    expect(c0.bytes.byteOffset % 8).toBe(0);
    expect(new BigUint64Array(c0.bytes.buffer, c0.bytes.byteOffset + 8, 1)[0]).toBe(0x1122334455667788n);
    expect([...r.caps[1]!.bytes.subarray(8)]).toEqual([1, 2, 3, 4, 5]);
  });
  it('policyForKernel', () => {
    expect(policyForKernel('6.1')).toBe('compat');
    expect(policyForKernel('5.15.0-91-generic')).toBe('compat');
    expect(policyForKernel('6.6')).toBe('strict');
    expect(policyForKernel('6.12.3')).toBe('strict');
    expect(policyForKernel('7.0')).toBe('strict');
    expect(() => policyForKernel('banana')).toThrow(UapiRuntimeError);
  });
  it('cursor reuses one object per chain', () => {
    const out = build([[2, 1, new Uint8Array(8)], [3, 1, new Uint8Array(0)], [3, 1, new Uint8Array(0)]]);
    const c = capabilityCursor(out, opts());
    const seen = new Set<object>();
    const offsets: number[] = [];
    for (const cap of c) { seen.add(cap); offsets.push(cap.offset); }
    expect(offsets).toEqual([16, 32, 40]);
    expect(seen.size).toBe(1);
    // reset re-targets the same cursor (another buffer, or the same one re-filled)
    const other = build([[3, 1, new Uint8Array(0)]]);
    const again: number[] = [];
    for (const cap of c.reset(other)) again.push(cap.offset);
    expect(again).toEqual([16]);
    expect([...c.reset(out)].length).toBe(3);
  });
});

describe('argsz given by the caller', () => {
  it('must be a __u32: a fraction, a negative or NaN is refused before any bound uses it', () => {
    const info = new Uint8Array(32);
    const dv = new DataView(info.buffer);
    dv.setUint32(0, 32, true);
    for (const argsz of [20.5, -1, Number.NaN, 2 ** 32]) {
      expect(() => capabilityCursor(info, opts({ argsz })), String(argsz)).toThrow(RangeError);
    }
    expect(() => capabilityCursor(info, opts({ argsz: 32 }))).not.toThrow();
  });
});
