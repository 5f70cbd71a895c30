/**
 * Real ioctl transport: libc open/close/ioctl through koffi, loaded lazily (dynamic import) so that
 * importing @uapi-ts/runtime does not load a native addon. Linux only.
 */
import { IoctlError } from '../errors.js';
import type { IoctlFn } from '../negotiate.js';

/** Linux open(2) flags (asm-generic values, shared by x86, arm, arm64, riscv, s390, powerpc for these). */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_NOCTTY = 0o400;
export const O_CLOEXEC = 0o2000000;

export interface Transport {
  /** open(2); throws IoctlError('open <path>', errno, code) on failure. */
  open(path: string, flags: number): number;
  /** close(2); throws IoctlError on failure. */
  close(fd: number): void;
  /**
   * ioctl(2). A Uint8Array is passed as a pointer to its bytes (in place; the kernel's writes land in
   * it). A number or bigint is passed as the integer argument itself, for ioctls the kernel reads
   * by value (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU: `byValue` in the generated IOCTLS table).
   */
  ioctl(fd: number, request: number | bigint, arg: Uint8Array | number | bigint): number;
  /** An IoctlFn bound to `fd`, for negotiate(). */
  ioctlFn(fd: number): IoctlFn;
  /** Symbolic name of an errno value (e.g. 25 → 'ENOTTY'). */
  errnoCode(errno: number): string;
}

let cached: Promise<Transport> | undefined;

/** An ioctl's integer argument as the `unsigned long` the kernel receives (negative ints wrap, as in C). */
function byValue(arg: number | bigint): bigint {
  const v = typeof arg === 'bigint' ? arg : Number.isInteger(arg) ? BigInt(arg) : NaN;
  if (typeof v !== 'bigint' || v < -(1n << 63n) || v >= 1n << 64n) throw new RangeError(`ioctl argument ${arg} is not an integer that fits an unsigned long`);
  return BigInt.asUintN(64, v);
}

/** Load koffi and bind libc (once per process). */
export function loadTransport(): Promise<Transport> {
  cached ??= bind();
  return cached;
}

interface KoffiLike {
  load(path: string): { func(decl: string): (...args: unknown[]) => unknown };
  errno(): number;
  os: { errno: Record<string, number> };
}

async function bind(): Promise<Transport> {
  if (process.platform !== 'linux') throw new IoctlError('load libc', 0, `unsupported platform ${process.platform}: the transport binds Linux libc`);
  const mod = (await import('koffi')) as unknown as { default?: KoffiLike } & KoffiLike;
  const koffi: KoffiLike = mod.default ?? mod;
  const libc = koffi.load('libc.so.6');
  const cOpen = libc.func('int open(const char *path, int flags, ...)') as (p: string, f: number, ...rest: unknown[]) => number;
  const cClose = libc.func('int close(int fd)') as (fd: number) => number;
  // ioctl is variadic in libc; the third argument is always passed as a pointer here.
  const cIoctl = libc.func('int ioctl(int fd, unsigned long request, ...)') as (fd: number, req: number | bigint, ...rest: unknown[]) => number;

  const names = new Map<number, string>();
  for (const [k, v] of Object.entries(koffi.os.errno)) if (!names.has(v)) names.set(v, k);
  const errnoCode = (e: number): string => names.get(e) ?? `E${e}`;
  const fail = (what: number | bigint | string): never => {
    const e = koffi.errno();
    throw new IoctlError(what, e, errnoCode(e));
  };

  const t: Transport = {
    open(path, flags) {
      const fd = cOpen(path, flags, 'int', 0);
      return fd < 0 ? fail(`open ${path}`) : fd;
    },
    close(fd) {
      if (cClose(fd) < 0) fail(`close ${fd}`);
    },
    ioctl(fd, request, arg) {
      const rc = typeof arg === 'object' ? cIoctl(fd, request, 'void *', arg) : cIoctl(fd, request, 'unsigned long', byValue(arg));
      return rc < 0 ? fail(request) : rc;
    },
    ioctlFn(fd) {
      return (request, arg) => t.ioctl(fd, request, arg);
    },
    errnoCode,
  };
  return t;
}
