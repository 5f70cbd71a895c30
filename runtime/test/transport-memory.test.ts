// pread/pwrite, mmap and DMA memory of the koffi transport, on files and anonymous memory: what a
// userspace driver does on a VFIO device fd, without a device. The real device path runs under
// QEMU (test/kernel/).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IoctlError, MappingReleasedError, O_CLOEXEC, O_RDONLY, O_RDWR, PROT_READ, PROT_WRITE, loadTransport } from '../src/index.js';
import { runC } from './support/gcc.js';

const c = JSON.parse(
  runC(
    `#include <stdio.h>\n#include <unistd.h>\n#include <sys/mman.h>\n#include <errno.h>\n` +
      `int main(void){printf("{\\"page\\":%ld,\\"PROT_READ\\":%d,\\"PROT_WRITE\\":%d,\\"EBADF\\":%d,\\"EACCES\\":%d}", sysconf(_SC_PAGESIZE), PROT_READ, PROT_WRITE, EBADF, EACCES);return 0;}`,
  ),
) as Record<string, number>;

const dir = mkdtempSync(join(tmpdir(), 'uapi-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(process.platform !== 'linux')('koffi transport: pread/pwrite, mmap, DMA memory', () => {
  it('page size and PROT bits are the C library’s', async () => {
    const t = await loadTransport();
    expect(t.pageSize).toBe(c['page']);
    expect([PROT_READ, PROT_WRITE]).toEqual([c['PROT_READ'], c['PROT_WRITE']]);
  });

  it('pwrite then pread at 64-bit offsets round-trips, and a short read returns the count', async () => {
    const t = await loadTransport();
    const path = join(dir, 'rw');
    writeFileSync(path, Buffer.alloc(64));
    const fd = t.open(path, O_RDWR | O_CLOEXEC);
    try {
      expect(t.pwrite(fd, Uint8Array.of(0xde, 0xad, 0xbe, 0xef), 8n)).toBe(4);
      const back = new Uint8Array(4);
      expect(t.pread(fd, back, 8)).toBe(4);
      expect([...back]).toEqual([0xde, 0xad, 0xbe, 0xef]);
      // At the end of the file: fewer bytes than asked, not an error.
      expect(t.pread(fd, new Uint8Array(16), 60)).toBe(4);
      expect(t.pread(fd, new Uint8Array(16), 1n << 40n)).toBe(0);
    } finally {
      t.close(fd);
    }
    expect([...readFileSync(path).subarray(8, 12)]).toEqual([0xde, 0xad, 0xbe, 0xef]);
  });

  it('pread/pwrite failures are IoctlErrors naming the call, errno and code', async () => {
    const t = await loadTransport();
    let err: unknown;
    try {
      t.pread(987654, new Uint8Array(4), 0x40);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IoctlError);
    expect(err).toMatchObject({ errno: c['EBADF'], code: 'EBADF' });
    expect((err as IoctlError).message).toMatch(/^pread fd 987654 \(4 bytes at 0x40\) failed: EBADF/);
    const path = join(dir, 'ro');
    writeFileSync(path, 'x');
    const fd = t.open(path, O_RDONLY | O_CLOEXEC);
    try {
      expect(() => t.pwrite(fd, new Uint8Array(1), 0)).toThrow(expect.objectContaining({ code: 'EBADF' }));
      expect(() => t.pread(fd, new Uint8Array(1), -1)).toThrow(RangeError);
      expect(() => t.pread(fd, new Uint8Array(1), 1n << 63n)).toThrow(RangeError);
      expect(() => t.pread(fd, new Uint8Array(1), 0.5)).toThrow(RangeError);
    } finally {
      t.close(fd);
    }
  });

  it('mmap of a file is shared with pread/pwrite both ways; unmap twice throws', async () => {
    const t = await loadTransport();
    const path = join(dir, 'map');
    writeFileSync(path, Buffer.alloc(2 * t.pageSize));
    const fd = t.open(path, O_RDWR | O_CLOEXEC);
    try {
      const m = t.mmap(fd, 16, t.pageSize);
      expect(m.length).toBe(t.pageSize);
      expect(m.buffer.byteLength).toBe(t.pageSize);
      expect(m.address % BigInt(t.pageSize)).toBe(0n);
      const words = new Uint32Array(m.buffer);
      words[1] = 0x11223344;
      const back = new Uint8Array(4);
      t.pread(fd, back, t.pageSize + 4);
      expect(new DataView(back.buffer).getUint32(0, true)).toBe(0x11223344);
      t.pwrite(fd, Uint8Array.of(7, 0, 0, 0), t.pageSize + 8);
      expect(words[2]).toBe(7);
      expect(m.unmapped).toBe(false);
      m.unmap();
      expect(m.unmapped).toBe(true);
      expect(() => m.unmap()).toThrow(MappingReleasedError);
      // A read-only fd cannot be mapped writable: the kernel's errno comes back.
      const ro = t.open(path, O_RDONLY | O_CLOEXEC);
      try {
        expect(() => t.mmap(ro, t.pageSize, 0)).toThrow(expect.objectContaining({ name: 'IoctlError', code: 'EACCES', errno: c['EACCES'] }));
        const r = t.mmap(ro, t.pageSize, 0, PROT_READ);
        expect(new Uint8Array(r.buffer)[0]).toBe(0);
        r.unmap();
      } finally {
        t.close(ro);
      }
    } finally {
      t.close(fd);
    }
  });

  it('allocDma: zeroed, page-aligned, whole pages, writable, address usable as a vaddr', async () => {
    const t = await loadTransport();
    const m = t.allocDma(t.pageSize + 1);
    expect(m.length).toBe(2 * t.pageSize);
    expect(m.address % BigInt(t.pageSize)).toBe(0n);
    const bytes = new Uint8Array(m.buffer);
    expect(bytes.every((b) => b === 0)).toBe(true);
    bytes.fill(0x5a);
    expect(bytes[m.length - 1]).toBe(0x5a);
    // The address is this process's: /proc/self/maps lists a mapping that contains it.
    const maps = readFileSync('/proc/self/maps', 'utf8').split('\n');
    const hit = maps.find((l) => {
      const [a, b] = (l.split(' ')[0] ?? '').split('-').map((x) => BigInt(`0x${x || '0'}`));
      return a !== undefined && b !== undefined && a <= m.address && m.address + BigInt(m.length) <= b;
    });
    expect(hit).toMatch(/ rw-p /);
    m.unmap();
    expect(() => t.allocDma(0)).toThrow(RangeError);
  });
});
