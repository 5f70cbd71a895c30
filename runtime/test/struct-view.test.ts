import { describe, expect, it } from 'vitest';
import {
  ArrayAccessor, HOST_LITTLE_ENDIAN, IndexOutOfRangeError, FlexibleArrayOverflowError, StructOutOfBoundsError, StructView,
  RUNTIME_VERSION, RuntimeVersionMismatchError, UapiRuntimeError, arrayGet, arraySet, bigintArray, checkRuntimeVersion,
  flexibleBigintArray, numberArray, readBits, readBits64, readS16be, readS32le, readU16be, readU32le, readU64be, readU64le,
  structArray, symbols, writeBits, writeBits64, writeU32le, writeU64le, type StructLayout,
} from '../src/index.js';
import * as runtime from '../src/index.js';
import { readFileSync } from 'node:fs';
import { compileData, runC } from './support/gcc.js';
import { execFileSync } from 'node:child_process';

// What generated code looks like: struct vfio_region_info (layout numbers here are only for the
// example's own consistency; the fake-VFIO tests take real ones from gcc).
class VfioRegionInfo extends StructView {
  static readonly SIZE = 32;
  static override readonly layout: StructLayout = {
    name: 'vfio_region_info', size: 32, align: 8, littleEndian: true,
    fields: [
      { name: 'argsz', offset: 0, kind: 'u32' }, { name: 'flags', offset: 4, kind: 'u32' },
      { name: 'index', offset: 8, kind: 'u32' }, { name: 'cap_offset', offset: 12, kind: 'u32' },
      { name: 'size', offset: 16, kind: 'u64' }, { name: 'offset', offset: 24, kind: 'u64' },
    ],
  };
  constructor(buf: ArrayBufferLike | ArrayBufferView, byteOffset = 0) { super(buf, byteOffset, VfioRegionInfo.SIZE); }
  get argsz(): number { return readU32le(this.dv, 0); }
  set argsz(v: number) { writeU32le(this.dv, 0, v); }
  get flags(): number { return readU32le(this.dv, 4); }
  get size(): bigint { return readU64le(this.dv, 16); }
  set size(v: bigint) { writeU64le(this.dv, 16, v); }
}

describe('StructView', () => {
  it('reads and writes through a generated-style subclass over Buffer, ArrayBuffer and an offset', () => {
    const buf = Buffer.alloc(48);
    const v = new VfioRegionInfo(buf, 8);
    v.argsz = 32;
    v.size = 0x1_0000_0000n;
    expect(buf.readUInt32LE(8)).toBe(32);
    expect(buf.readBigUInt64LE(24)).toBe(0x1_0000_0000n);
    expect(new VfioRegionInfo(buf.buffer.slice(buf.byteOffset, buf.byteOffset + 48), 8).size).toBe(0x1_0000_0000n);
    expect(v.toJSON()).toEqual({ argsz: 32, flags: 0, index: 0, cap_offset: 0, size: '4294967296', offset: '0' });
    expect(JSON.parse(JSON.stringify(v))).toEqual(v.toJSON());
    expect(v.bytes().length).toBe(32);
  });
  it('refuses a buffer too small for the struct', () => {
    expect(() => new VfioRegionInfo(Buffer.alloc(31))).toThrow(StructOutOfBoundsError);
    expect(() => new VfioRegionInfo(Buffer.alloc(40), 9)).toThrow(StructOutOfBoundsError);
  });
  it('toJSON handles bitfields, arrays and nested structs', () => {
    const inner: StructLayout = { name: 'in', size: 2, align: 2, littleEndian: false, fields: [{ name: 'x', offset: 0, kind: 's16' }] };
    const outer: StructLayout = {
      name: 'out', size: 16, align: 8, littleEndian: false,
      fields: [
        { name: 'a', offset: 0, kind: 'u8', bits: { unit: 1, pos: 0, width: 3 } },
        { name: 'b', offset: 0, kind: 's8', bits: { unit: 1, pos: 3, width: 5 } },
        { name: 'arr', offset: 2, kind: 'u16', count: 2 },
        { name: 'n', offset: 6, kind: 'struct', struct: inner },
        { name: 'raw', offset: 8, kind: 'bytes', size: 2 },
      ],
    };
    class Outer extends StructView { static override readonly layout = outer; }
    const b = Buffer.from([0b101_11111, 0, 0, 1, 0, 2, 0xff, 0xfe, 9, 8, 0, 0, 0, 0, 0, 0]);
    expect(new Outer(b).toJSON()).toEqual({ a: 5, b: -1, arr: [1, 2], n: { x: -2 }, raw: [9, 8] });
  });
});

describe('accessor grid', () => {
  it('matches Buffer for every kind and byte order', () => {
    const b = Buffer.from([0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88]);
    const dv = new DataView(b.buffer, b.byteOffset, 8);
    expect(readS16be(dv, 0)).toBe(b.readInt16BE(0));
    expect(readU16be(dv, 1)).toBe(b.readUInt16BE(1));
    expect(readS32le(dv, 2)).toBe(b.readInt32LE(2));
    expect(readU64be(dv, 0)).toBe(b.readBigUInt64BE(0));
    for (const name of Object.keys(symbols)) {
      if (/^(read|write)[US](8|16|32|64)(le|be)$/.test(name)) expect(typeof (runtime as Record<string, unknown>)[name]).toBe('function');
    }
  });
});

describe('bitfields', () => {
  const decl = 'struct bf { unsigned a:3; signed b:7; unsigned c:22; unsigned long long d:40; signed long long e:20; };';
  const init = 'struct bf out = { 5, -37, 4097, 0x12345678ABull, -300000 };';
  // a,b,c fill the first 32 bits exactly, so d (40 bits) cannot share a unit with them: d and e
  // share the 8-byte unit at offset 8. The expected bytes come from gcc.
  const check = (bytes: Buffer, le: boolean) => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(readBits(dv, 0, 4, 0, 3, le, false)).toBe(5);
    expect(readBits(dv, 0, 4, 3, 7, le, true)).toBe(-37);
    expect(readBits(dv, 0, 4, 10, 22, le, false)).toBe(4097);
    expect(readBits64(dv, 8, 0, 40, le, false)).toBe(0x12345678abn);
    expect(readBits64(dv, 8, 40, 20, le, true)).toBe(-300000n);
    // writing back the same values reproduces gcc's bytes exactly
    const copy = Buffer.alloc(bytes.length);
    const cdv = new DataView(copy.buffer, copy.byteOffset, copy.length);
    writeBits(cdv, 0, 4, 0, 3, le, 5);
    writeBits(cdv, 0, 4, 3, 7, le, -37);
    writeBits(cdv, 0, 4, 10, 22, le, 4097);
    writeBits64(cdv, 8, 0, 40, le, 0x12345678abn);
    writeBits64(cdv, 8, 40, 20, le, -300000n);
    expect(copy).toEqual(bytes);
  };
  it('little-endian layout equals host gcc', () => {
    const hex = runC(`#include <stdio.h>\n${decl}\n${init}\nint main(void){const unsigned char*p=(const unsigned char*)&out;for(unsigned i=0;i<sizeof out;i++)printf("%02x",p[i]);return 0;}`);
    expect(HOST_LITTLE_ENDIAN).toBe(true);
    check(Buffer.from(hex.trim(), 'hex'), true);
  });
  const hasS390 = (() => { try { execFileSync('s390x-linux-gnu-gcc', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();
  it.skipIf(!hasS390 && process.env.CI !== 'true')(`big-endian layout (MSB-first allocation) equals s390x gcc${hasS390 ? '' : ' (skipped: s390x-linux-gnu-gcc is missing; `npm test` installs it)'}`, () => {
    check(compileData('s390x-linux-gnu-gcc', 's390x-linux-gnu-objcopy', `${decl}\n${init}\n`), false);
  });
});

describe('arrays', () => {
  it('typed array when aligned and host-endian, accessor otherwise', () => {
    const ab = new ArrayBuffer(40);
    const dv = new DataView(ab);
    const t = bigintArray(dv, 8, 'u64', 2, HOST_LITTLE_ENDIAN);
    expect(t).toBeInstanceOf(BigUint64Array);
    const mis = bigintArray(dv, 4, 'u64', 2, HOST_LITTLE_ENDIAN);
    expect(mis).toBeInstanceOf(ArrayAccessor);
    const be = numberArray(dv, 0, 'u32', 2, !HOST_LITTLE_ENDIAN);
    expect(be).toBeInstanceOf(ArrayAccessor);
    arraySet(be, 1, 0x01020304);
    expect([...new Uint8Array(ab, 4, 4)]).toEqual(HOST_LITTLE_ENDIAN ? [1, 2, 3, 4] : [4, 3, 2, 1]);
    expect(arrayGet(be, 1)).toBe(0x01020304);
    expect(() => arrayGet(be, 2)).toThrow(IndexOutOfRangeError);
    expect(() => arrayGet(t, -1)).toThrow(IndexOutOfRangeError);
    expect(be.at(-1)).toBe(0x01020304);
    expect(() => numberArray(dv, 36, 'u32', 2, true)).toThrow(StructOutOfBoundsError);
  });
  it('flexible arrays are bounds-checked', () => {
    const dv = new DataView(new ArrayBuffer(40));
    expect(flexibleBigintArray(dv, 8, 'u64', 4, true).length).toBe(4);
    expect(() => flexibleBigintArray(dv, 8, 'u64', 5, true)).toThrow(FlexibleArrayOverflowError);
    expect(() => flexibleBigintArray(dv, 8, 'u64', 2, true, 16)).toThrow(FlexibleArrayOverflowError);
    const sa = structArray(dv, 8, 2, 16, (d, o) => new VfioRegionInfo(d, o - 8));
    expect(sa.length).toBe(2);
    expect(() => structArray(dv, 8, 3, 16, (d, o) => o)).toThrow(UapiRuntimeError);
  });
});

describe('version', () => {
  it('RUNTIME_VERSION matches package.json and checkRuntimeVersion checks the codegen version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(RUNTIME_VERSION).toBe(pkg.version);
    expect(() => checkRuntimeVersion(1)).not.toThrow();
    expect(() => checkRuntimeVersion(2)).toThrow(RuntimeVersionMismatchError);
    expect(() => checkRuntimeVersion(0)).toThrow(/codegen-v0 but 0\.\d+\.\d+ \(serving codegen-v1\)/);
    // A package generated before codegen versions passed the runtime version it wanted.
    expect(() => checkRuntimeVersion(RUNTIME_VERSION as unknown as number)).toThrow(RuntimeVersionMismatchError);
  });
  it('every symbols entry names a real export of its module', async () => {
    const testing = await import('../src/testing/index.js');
    const codegen = await import('../src/codegen-v1.js');
    for (const [k, s] of Object.entries(symbols)) {
      expect(s.name).toBe(k);
      // Types are checked at compile time (symbols.ts ExportedTypes); values exist at run time.
      if (s.typeOnly) continue;
      const mod = (s.from === '@uapi-ts/runtime/codegen-v1' ? codegen : testing) as Record<string, unknown>;
      expect(mod[k], k).toBeDefined();
    }
  });
});
