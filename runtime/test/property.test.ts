// Property tests. UAPI_FC_RUNS (default 100000) is the total number of cases, spread over the
// properties below; scripts/fuzz-runtime.mjs runs them with 1,000,000.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertInBatches, fcRuns as runs } from './support/fc.js';
import { ChainBuilder, UapiRuntimeError, capTable, negotiate, negotiateCursor, readCapabilityChain, type ChainOptions, type ParsedChain } from '../src/index.js';

const F = { argszOffset: 0, flagsOffset: 4, capOffsetOffset: 8, capsFlag: 1 << 1 };
const table = capTable([
  { id: 1, version: 1, name: 'ranges', minSize: 16, flex: { countOffset: 8, countSize: 4, elementSize: 16, arrayOffset: 16 } },
  { id: 2, version: 1, name: 'mig', minSize: 32 },
  { id: 3, version: 1, name: 'hdr', minSize: 8 },
  { id: 4, version: 1, name: 'small', minSize: 12, flex: { countOffset: 8, countSize: 2, elementSize: 1, arrayOffset: 10 } },
]);

const capArb = fc.record({
  id: fc.oneof(fc.constantFrom(1, 2, 3, 4), fc.integer({ min: 0, max: 0xffff })),
  version: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 0xffff })),
  body: fc.uint8Array({ maxLength: 72 }),
});
type Cap = { id: number; version: number; body: Uint8Array };

function buildChain(caps: Cap[], infoSize: number, legacy: boolean): Uint8Array {
  const b = new ChainBuilder({ infoSize, legacy });
  for (const c of caps) b.add(c.id, c.version, c.body);
  return b.finish(new Uint8Array(infoSize), { ...F, userArgsz: infoSize + b.capsSize }).bytes;
}

const CANARY = 0xa5;
/** Copy `bytes` into the middle of a canary-filled buffer; return the window. */
function inCanary(bytes: Uint8Array, pre: number, post: number): Uint8Array {
  const big = new Uint8Array(pre + bytes.length + post).fill(CANARY);
  big.set(bytes, pre);
  return big.subarray(pre, pre + bytes.length);
}

/** Every returned cap stays inside the window and inside min(argsz, length); copies equal the window's bytes. */
function checkContained(win: Uint8Array, r: ParsedChain): void {
  const limit = Math.min(r.argsz, win.length);
  let prev = -1;
  for (const c of r.caps) {
    expect(c.offset).toBeGreaterThan(prev);
    prev = c.offset;
    expect(c.offset + c.size).toBeLessThanOrEqual(limit);
    expect(c.bytes.length).toBe(c.size);
    if (c.bytes.buffer === win.buffer) {
      expect(c.bytes.byteOffset).toBe(win.byteOffset + c.offset);
    } else {
      expect(c.realigned).toBe(true);
      expect(Buffer.compare(c.bytes, win.subarray(c.offset, c.offset + c.size))).toBe(0);
    }
  }
}

function parseOrRuntimeError(win: Uint8Array, opts: ChainOptions): ParsedChain | null {
  try {
    const r = readCapabilityChain(win, opts);
    checkContained(win, r);
    return r;
  } catch (e) {
    if (!(e instanceof UapiRuntimeError)) throw e; // RangeError/TypeError escaping = bug
    return null;
  }
}

describe('capability chain properties', () => {
  it('round trip: parse(build(caps)) gives back the caps (bodies zero-padded to 8), via negotiate too', async () => {
    await assertInBatches(
      fc.property(fc.array(capArb, { maxLength: 8 }), fc.integer({ min: 2, max: 8 }), fc.nat({ max: 7 }), (caps, info8, pre) => {
        const infoSize = info8 * 8;
        const bytes = buildChain(caps, infoSize, false);
        const win = inCanary(bytes, pre * 8, 16);
        const r = readCapabilityChain(win, { infoEnd: 12, ...F, caps: capTable([]) });
        checkContained(win, r);
        expect(r.caps.map((c) => ({ id: c.id, version: c.version, body: c.bytes.slice(8, 8 + caps[r.caps.indexOf(c)]!.body.length) })))
          .toEqual(caps.map((c) => ({ id: c.id, version: c.version, body: c.body })));
        for (let i = 0; i < caps.length; i++) {
          const c = r.caps[i]!;
          expect(c.size).toBe((8 + caps[i]!.body.length + 7) & ~7);
          expect(c.bytes.subarray(8 + caps[i]!.body.length).every((x) => x === 0)).toBe(true);
          expect(c.realigned).toBe(false);
        }
        // negotiate against a kernel-like ioctl that only copies caps when argsz suffices
        const ioctl = (_req: number | bigint, arg: Uint8Array) => {
          const b = new ChainBuilder({ infoSize });
          for (const c of caps) b.add(c.id, c.version, c.body);
          const argsz = new DataView(arg.buffer, arg.byteOffset).getUint32(0, true);
          const out = b.finish(arg.subarray(0, infoSize), { ...F, userArgsz: argsz });
          arg.set(out.bytes);
          return 0;
        };
        const nopts = { infoEnd: 12, ...F, caps: capTable([]) };
        const n = negotiate(ioctl, 1, new Uint8Array(infoSize), nopts);
        expect(n.attempts).toBe(caps.length === 0 ? 1 : 2);
        expect(n.caps.map((c) => [c.id, c.version, c.offset, c.size])).toEqual(r.caps.map((c) => [c.id, c.version, c.offset, c.size]));
        // and negotiateCursor: the same exchange, the same caps through its cursor
        const nc = negotiateCursor(ioctl, 1, new Uint8Array(infoSize), nopts);
        expect([nc.attempts, nc.argsz, [...nc.info]]).toEqual([n.attempts, n.argsz, [...n.info]]);
        const walked: number[][] = [];
        for (const c of nc.caps) walked.push([c.id, c.version, c.offset, c.size]);
        expect(walked).toEqual(r.caps.map((c) => [c.id, c.version, c.offset, c.size]));
      }),
      runs(0.15),
    );
  });

  it('legacy (pre-6.6) chains round-trip under compat, realigning exactly the misaligned caps', async () => {
    await assertInBatches(
      fc.property(fc.array(capArb, { maxLength: 6 }), fc.integer({ min: 12, max: 40 }), (caps, infoSize) => {
        const bytes = buildChain(caps, infoSize, true);
        const win = inCanary(bytes, 8, 8);
        const r = readCapabilityChain(win, { infoEnd: 12, ...F, caps: capTable([]), alignment: 'compat' });
        checkContained(win, r);
        expect(r.caps.length).toBe(caps.length);
        r.caps.forEach((c, i) => {
          expect(c.realigned).toBe(c.offset % 8 !== 0);
          expect(c.bytes.byteOffset % 8).toBe(0);
          expect([...c.bytes.subarray(8)]).toEqual([...caps[i]!.body]);
        });
      }),
      runs(0.1),
    );
  });

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('u32' as const), at: fc.nat(), v: fc.oneof(fc.nat({ max: 512 }), fc.integer({ min: 0, max: 0xffffffff })) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), v: fc.nat() }),
  );

  it('mutated valid chains: only UapiRuntimeError, never outside the window', async () => {
    await assertInBatches(
      fc.property(
        fc.array(capArb, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('strict' as const, 'compat' as const), fc.option(fc.nat({ max: 1024 }), { nil: undefined }),
        (caps, legacy, muts, alignment, argsz) => {
          let bytes = buildChain(caps, legacy ? 20 : 16, legacy);
          for (const m of muts) {
            if (bytes.length === 0) break;
            const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            if (m.kind === 'byte') bytes[m.at % bytes.length] = m.v;
            else if (m.kind === 'u32' && bytes.length >= 4) dv.setUint32(m.at % (bytes.length - 3), m.v, true);
            else if (m.kind === 'truncate') bytes = bytes.slice(0, m.at % (bytes.length + 1));
          }
          const win = inCanary(bytes, 8, 24);
          parseOrRuntimeError(win, { infoEnd: 12, ...F, caps: table, alignment, ...(argsz === undefined ? {} : { argsz }) });
        },
      ),
      runs(0.45),
    );
  });

  it('random bytes and random field offsets: only UapiRuntimeError, never outside the window', async () => {
    await assertInBatches(
      fc.property(
        fc.uint8Array({ maxLength: 160 }), fc.nat({ max: 24 }), fc.nat({ max: 24 }), fc.nat({ max: 24 }), fc.nat({ max: 40 }),
        fc.constantFrom('strict' as const, 'compat' as const), fc.integer({ min: 1, max: 64 }), fc.nat({ max: 7 }),
        (bytes, a, f, c, infoEnd, alignment, maxHops, pre) => {
          if (bytes.length >= 12) {
            // make the walk reach the chain most of the time
            const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
            if (bytes[0]! & 1) dv.setUint32(0, bytes.length, true);
            if (bytes[1]! & 1) dv.setUint32(4, 0xffffffff, true);
          }
          const win = inCanary(bytes, pre, 16);
          parseOrRuntimeError(win, { infoEnd, argszOffset: a, flagsOffset: f, capOffsetOffset: c, capsFlag: 0xffffffff, caps: table, alignment, maxHops });
        },
      ),
      runs(0.3),
    );
  });
});
