/**
 * Writes refuse what a member cannot hold instead of letting the DataView wrap it (2**32 into a
 * __u32 used to store 0: an ioctl on region 0 instead of an error). A value that fits the width as
 * signed or unsigned is taken, as C converts it (-1 into a __u32 is 0xffffffff).
 */
import { describe, expect, it } from 'vitest';
import * as a from '../src/access.js';

const dv = (): DataView => new DataView(new ArrayBuffer(8));

describe('scalar writes', () => {
  const cases = [
    { bits: 8, w: [a.writeU8le, a.writeS8le], r: a.readU8le },
    { bits: 16, w: [a.writeU16le, a.writeU16be, a.writeS16le, a.writeS16be], r: a.readU16le },
    { bits: 32, w: [a.writeU32le, a.writeU32be, a.writeS32le, a.writeS32be], r: a.readU32le },
  ] as const;
  for (const { bits, w, r } of cases) {
    it(`${bits}-bit: -2^${bits - 1} .. 2^${bits}-1 are stored, anything else is a RangeError`, () => {
      for (const write of w) {
        const d = dv();
        write(d, 0, 2 ** bits - 1);
        write(d, 0, -(2 ** (bits - 1)));
        write(d, 0, -1);
        expect(write === w[0] ? r(d, 0) : undefined).toBe(write === w[0] ? 2 ** bits - 1 : undefined);
        for (const bad of [2 ** bits, -(2 ** (bits - 1)) - 1, 1.5, Number.NaN, Infinity]) {
          expect(() => write(d, 0, bad), `${write.name}(${bad})`).toThrow(RangeError);
        }
      }
    });
  }
  it('64-bit: bigints from -2^63 to 2^64-1', () => {
    for (const write of [a.writeU64le, a.writeU64be, a.writeS64le, a.writeS64be]) {
      const d = dv();
      write(d, 0, (1n << 64n) - 1n);
      write(d, 0, -(1n << 63n));
      expect(() => write(d, 0, 1n << 64n)).toThrow(RangeError);
      expect(() => write(d, 0, -(1n << 63n) - 1n)).toThrow(RangeError);
    }
    const d = dv();
    a.writeU64le(d, 0, -1n);
    expect(a.readU64le(d, 0)).toBe((1n << 64n) - 1n);
  });
});

describe('bitfield writes', () => {
  it('take -2^(w-1) .. 2^w-1 and keep the neighbouring bits', () => {
    const d = dv();
    d.setUint32(0, 0xffffffff, true);
    a.writeBits(d, 0, 4, 4, 3, true, 0);
    expect(d.getUint32(0, true)).toBe(0xffffff8f);
    a.writeBits(d, 0, 4, 4, 3, true, -4);
    expect(a.readBits(d, 0, 4, 4, 3, true, false)).toBe(4);
    for (const bad of [8, -5, 0.5]) expect(() => a.writeBits(d, 0, 4, 4, 3, true, bad)).toThrow(RangeError);
    expect(d.getUint32(0, true)).toBe(0xffffffcf);
    a.writeBits64(d, 0, 60, 4, true, 15n);
    expect(() => a.writeBits64(d, 0, 60, 4, true, 16n)).toThrow(RangeError);
    expect(() => a.writeBits64(d, 0, 60, 4, true, -9n)).toThrow(RangeError);
  });
});
