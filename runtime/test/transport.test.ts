import { describe, expect, it } from 'vitest';
import { IoctlError, O_CLOEXEC, O_NOCTTY, O_RDWR, capTable, loadTransport, negotiate } from '../src/index.js';
import { runC } from './support/gcc.js';

// Request numbers from the compiler, not from our own code.
const nums = JSON.parse(runC(`#include <stdio.h>\n#include <sys/ioctl.h>\n#include <fcntl.h>\n#include <errno.h>\n#include <linux/vfio.h>\nint main(void){printf("{\\"TIOCGWINSZ\\":%lu,\\"TIOCSWINSZ\\":%lu,\\"TIOCGPTN\\":%lu,\\"O_RDWR\\":%d,\\"O_NOCTTY\\":%d,\\"O_CLOEXEC\\":%d,\\"VFIO_GET_API_VERSION\\":%lu,\\"ws\\":%zu,\\"ENOTTY\\":%d}", (unsigned long)TIOCGWINSZ, (unsigned long)TIOCSWINSZ, (unsigned long)TIOCGPTN, O_RDWR, O_NOCTTY, O_CLOEXEC, (unsigned long)VFIO_GET_API_VERSION, sizeof(struct winsize), ENOTTY);return 0;}`)) as Record<string, number>;

describe.skipIf(process.platform !== 'linux')('koffi transport (real ioctls)', () => {
  it('open flags match the C library', () => {
    expect([O_RDWR, O_NOCTTY, O_CLOEXEC]).toEqual([nums['O_RDWR'], nums['O_NOCTTY'], nums['O_CLOEXEC']]);
  });
  it('TIOCSWINSZ then TIOCGWINSZ round-trips on a pty; TIOCGPTN answers', async () => {
    const t = await loadTransport();
    const fd = t.open('/dev/ptmx', O_RDWR | O_NOCTTY | O_CLOEXEC);
    try {
      const ws = new Uint8Array(nums['ws']!);
      const dv = new DataView(ws.buffer);
      dv.setUint16(0, 42, true); dv.setUint16(2, 137, true); dv.setUint16(4, 800, true); dv.setUint16(6, 600, true);
      expect(t.ioctl(fd, nums['TIOCSWINSZ']!, ws)).toBe(0);
      const back = new Uint8Array(nums['ws']!);
      expect(t.ioctl(fd, nums['TIOCGWINSZ']!, back)).toBe(0);
      expect([...back]).toEqual([...ws]);
      const ptn = new Uint8Array(4).fill(0xff);
      t.ioctlFn(fd)(nums['TIOCGPTN']!, ptn);
      expect(new DataView(ptn.buffer).getUint32(0, true)).toBeLessThan(1 << 20);
    } finally {
      t.close(fd);
    }
  });
  it('passes a number or bigint by value: TCFLSH takes its queue selector as the argument itself', async () => {
    const v = JSON.parse(runC(`#include <stdio.h>\n#include <sys/ioctl.h>\n#include <termios.h>\n#include <errno.h>\nint main(void){printf("{\\"TCFLSH\\":%lu,\\"TCIOFLUSH\\":%d,\\"EINVAL\\":%d}", (unsigned long)TCFLSH, TCIOFLUSH, EINVAL);return 0;}`)) as Record<string, number>;
    const t = await loadTransport();
    const fd = t.open('/dev/ptmx', O_RDWR | O_NOCTTY | O_CLOEXEC);
    try {
      // A pointer would reach the kernel as an address, which is no queue selector (EINVAL).
      expect(t.ioctl(fd, v['TCFLSH']!, v['TCIOFLUSH']!)).toBe(0);
      expect(t.ioctl(fd, v['TCFLSH']!, BigInt(v['TCIOFLUSH']!))).toBe(0);
      expect(() => t.ioctl(fd, v['TCFLSH']!, new Uint8Array(8))).toThrow(expect.objectContaining({ errno: v['EINVAL'] }));
      expect(() => t.ioctl(fd, v['TCFLSH']!, 3)).toThrow(expect.objectContaining({ errno: v['EINVAL'], code: 'EINVAL' }));
      expect(() => t.ioctl(fd, v['TCFLSH']!, 1.5)).toThrow(RangeError);
      expect(() => t.ioctl(fd, v['TCFLSH']!, 1n << 64n)).toThrow(RangeError);
    } finally {
      t.close(fd);
    }
  });
  it('a failing ioctl becomes IoctlError with errno and code', async () => {
    const t = await loadTransport();
    const fd = t.open('/dev/null', O_RDWR | O_CLOEXEC);
    try {
      let err: unknown;
      try { t.ioctl(fd, nums['VFIO_GET_API_VERSION']!, new Uint8Array(8)); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(IoctlError);
      expect(err).toMatchObject({ request: nums['VFIO_GET_API_VERSION'], errno: nums['ENOTTY'], code: 'ENOTTY' });
    } finally {
      t.close(fd);
    }
    expect(() => t.open('/nonexistent/x', O_RDWR)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => t.close(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });
});

describe.skipIf(process.platform !== 'linux')('errors that say what failed and what to try', () => {
  it('a named request (a generated ioctls.X) puts the ioctl name first: "VFIO_GET_API_VERSION failed: ENOTTY"', async () => {
    const t = await loadTransport();
    const fd = t.open('/dev/null', O_RDWR | O_CLOEXEC);
    try {
      let err: unknown;
      try { t.ioctl(fd, { name: 'VFIO_GET_API_VERSION', request: nums['VFIO_GET_API_VERSION']! }, new Uint8Array(8)); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(IoctlError);
      expect(err).toMatchObject({ request: nums['VFIO_GET_API_VERSION'], ioctl: 'VFIO_GET_API_VERSION', errno: nums['ENOTTY'], code: 'ENOTTY' });
      expect((err as Error).message).toMatch(new RegExp(`^VFIO_GET_API_VERSION failed: ENOTTY \\(errno ${nums['ENOTTY']}, request 0x${nums['VFIO_GET_API_VERSION']!.toString(16)}\\)`));
      // an IoctlFn has only the number; negotiate() names it when it is given a named request
      expect(() => negotiate(t.ioctlFn(fd), { name: 'VFIO_IOMMU_GET_INFO', request: nums['VFIO_GET_API_VERSION']! }, new Uint8Array(24), { argszOffset: 0, flagsOffset: 4, capOffsetOffset: 16, capsFlag: 2, infoEnd: 20, caps: capTable([]) }))
        .toThrow(/^VFIO_IOMMU_GET_INFO failed: ENOTTY/);
    } finally {
      t.close(fd);
    }
  });
  it('open: ENOENT says there is no such device node and asks whether the module is loaded', async () => {
    const t = await loadTransport();
    let err: unknown;
    try { t.open('/dev/vfio/987654', O_RDWR); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: 'ENOENT', request: 'open /dev/vfio/987654' });
    expect((err as Error).message).toMatch(/^open \/dev\/vfio\/987654 failed: ENOENT \(errno \d+\); no such device node: is the module loaded \(modprobe vfio-pci\) and a device of IOMMU group 987654 bound to vfio-pci/);
  });
  it('open: EACCES points at the permissions of /dev/vfio/N (the message as the transport builds it)', () => {
    // Root opens anything, so the errno is given here; the transport passes `open <path>` the same way.
    const e = new IoctlError('open /dev/vfio/7', 13, 'EACCES');
    expect(e.message).toMatch(/^open \/dev\/vfio\/7 failed: EACCES \(errno 13\); check the permissions of \/dev\/vfio\/7/);
    expect(new IoctlError('open /dev/vfio/vfio', 2, 'ENOENT').message).toContain('no such device node: is the module loaded');
    expect(new IoctlError('open /dev/vfio/3', 16, 'EBUSY').message).toContain('the group is already open');
    expect(new IoctlError(0x3b6c, 22, 'EINVAL', 'VFIO_DEVICE_GET_REGION_INFO').message).toMatch(/^VFIO_DEVICE_GET_REGION_INFO failed: EINVAL \(errno 22, request 0x3b6c\); check argsz/);
  });
});
