/**
 * Real ioctl transport: libc open/close/ioctl (and what a userspace driver needs beside them:
 * pread/pwrite on a device fd, mmap of a region, page-aligned DMA memory) through koffi, loaded
 * lazily (dynamic import) so that importing @uapi-ts/runtime does not load a native addon. Linux only.
 * koffi is an optional peer dependency: without it loadTransport() rejects with TransportUnavailableError.
 */
import { IoctlError, TransportUnavailableError, requestNumber, type IoctlRequest } from '../errors.js';
import type { IoctlFn } from '../negotiate.js';
import { type MappedMemory, MappingReleasedError, PROT_READ, PROT_WRITE, fileOffset, pageRound } from './memory.js';

/** Linux open(2) flags (asm-generic values, shared by x86, arm, arm64, riscv, s390, powerpc for these). */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_NOCTTY = 0o400;
export const O_CLOEXEC = 0o2000000;

export interface Transport {
  /**
   * open(2); throws IoctlError('open <path>', errno, code) on failure, with a hint for the usual
   * causes (ENOENT: no such device node, is the module loaded; EACCES: the node's permissions).
   */
  open(path: string, flags: number): number;
  /** close(2); throws IoctlError on failure. */
  close(fd: number): void;
  /**
   * ioctl(2). `request` is the number, or a generated `ioctls.X` (number and name: an IoctlError
   * then says `VFIO_DEVICE_GET_REGION_INFO failed: EINVAL ...`). A Uint8Array is passed as a pointer to its bytes (in place; the kernel's writes land in
   * it). A number or bigint is passed as the integer argument itself, for ioctls the kernel reads
   * by value (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU: `byValue` in the generated IOCTLS table).
   */
  ioctl(fd: number, request: IoctlRequest, arg: Uint8Array | number | bigint): number;
  /** An IoctlFn bound to `fd`, for negotiate(). */
  ioctlFn(fd: number): IoctlFn;
  /** Symbolic name of an errno value (e.g. 25 → 'ENOTTY'). */
  errnoCode(errno: number): string;
  /**
   * pread(2) of `buf.length` bytes at `offset` (a VFIO device fd: region offset + register) into
   * `buf`; returns the bytes read, which may be fewer. Throws IoctlError('pread ...') on failure.
   */
  pread(fd: number, buf: Uint8Array, offset: number | bigint): number;
  /** pwrite(2) of `buf` at `offset`; returns the bytes written. Throws IoctlError('pwrite ...'). */
  pwrite(fd: number, buf: Uint8Array, offset: number | bigint): number;
  /**
   * mmap(2) MAP_SHARED of `length` bytes (rounded up to pages) of `fd` at `offset`: a region of a
   * VFIO device that has VFIO_REGION_INFO_FLAG_MMAP (offset = the region's offset + an mmap-able
   * area). `prot` defaults to PROT_READ | PROT_WRITE. Throws IoctlError('mmap ...').
   */
  mmap(fd: number, length: number, offset: number | bigint, prot?: number): MappedMemory;
  /**
   * Anonymous, zeroed, page-aligned memory of `length` bytes (rounded up to pages) for DMA: its
   * `address` is the `vaddr` of VFIO_IOMMU_MAP_DMA. Throws IoctlError('mmap ...').
   */
  allocDma(length: number): MappedMemory;
  /** The system page size (getpagesize(3)). */
  readonly pageSize: number;
}

/**
 * Where koffi 3.3 has a prebuilt binary on Linux (its @koromix/koffi-linux-* packages; its ppc64 one
 * is little-endian, as Node.js on Linux ppc64 is): every uapi-ts ABI but s390x and big-endian ppc64.
 */
export const KOFFI_PLATFORMS: readonly string[] = ['linux-x64 (x86_64)', 'linux-ia32 (i386)', 'linux-arm64 (aarch64)', 'linux-arm (armhf)', 'linux-riscv64', 'linux-ppc64 (ppc64le)'];

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
  /** An ArrayBuffer over `len` bytes at a pointer (koffi returns `void *` as a bigint address). */
  view(ptr: unknown, len: number): ArrayBuffer;
  address(ptr: unknown): bigint;
}

/** mmap(2) flags of every Linux architecture the project targets (x86, arm, arm64, s390, powerpc, riscv). */
const MAP_SHARED = 0x01;
const MAP_PRIVATE = 0x02;
const MAP_ANONYMOUS = 0x20;
const MAP_FAILED = (1n << 64n) - 1n;

async function bind(): Promise<Transport> {
  if (process.platform !== 'linux') throw new IoctlError('load libc', 0, `unsupported platform ${process.platform}: the transport binds Linux libc`);
  let mod: { default?: KoffiLike } & KoffiLike;
  try {
    // A variable specifier: TypeScript need not resolve the optional peer to compile the runtime.
    const specifier = 'koffi';
    mod = (await import(specifier)) as { default?: KoffiLike } & KoffiLike;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing = err.code === 'ERR_MODULE_NOT_FOUND' && /['"]koffi['"]/.test(err.message);
    throw new TransportUnavailableError(missing ? 'not installed' : (err.message ?? String(e)).split('\n')[0]!, KOFFI_PLATFORMS);
  }
  const koffi: KoffiLike = mod.default ?? mod;
  const libc = koffi.load('libc.so.6');
  const cOpen = libc.func('int open(const char *path, int flags, ...)') as (p: string, f: number, ...rest: unknown[]) => number;
  const cClose = libc.func('int close(int fd)') as (fd: number) => number;
  // ioctl is variadic in libc; the third argument is always passed as a pointer here.
  const cIoctl = libc.func('int ioctl(int fd, unsigned long request, ...)') as (fd: number, req: number | bigint, ...rest: unknown[]) => number;

  // The 64-bit-offset entry points exist on every glibc ABI (on 64-bit ones they are the plain calls).
  const cPread = libc.func('intptr_t pread64(int fd, void *buf, size_t count, int64_t offset)') as (fd: number, b: Uint8Array, n: number, o: bigint) => number | bigint;
  const cPwrite = libc.func('intptr_t pwrite64(int fd, const void *buf, size_t count, int64_t offset)') as (fd: number, b: Uint8Array, n: number, o: bigint) => number | bigint;
  const cMmap = libc.func('void *mmap64(void *addr, size_t length, int prot, int flags, int fd, int64_t offset)') as (a: null, n: number, p: number, f: number, fd: number, o: bigint) => unknown;
  const cMunmap = libc.func('int munmap(void *addr, size_t length)') as (a: unknown, n: number) => number;
  const pageSize = (libc.func('int getpagesize(void)') as () => number)();

  const names = new Map<number, string>();
  for (const [k, v] of Object.entries(koffi.os.errno)) if (!names.has(v)) names.set(v, k);
  const errnoCode = (e: number): string => names.get(e) ?? `E${e}`;
  const fail = (what: number | bigint | string, ioctl?: string): never => {
    const e = koffi.errno();
    throw new IoctlError(what, e, errnoCode(e), ioctl);
  };

  const map = (what: string, length: number, prot: number, flags: number, fd: number, offset: bigint): MappedMemory => {
    const len = pageRound(length, pageSize);
    const ptr = cMmap(null, len, prot, flags, fd, offset);
    const address = ptr === null ? MAP_FAILED : koffi.address(ptr);
    if (address === MAP_FAILED) fail(what);
    const buffer = koffi.view(ptr, len);
    let unmapped = false;
    return {
      address,
      length: len,
      buffer,
      get unmapped() {
        return unmapped;
      },
      unmap() {
        if (unmapped) throw new MappingReleasedError(address, len);
        if (cMunmap(ptr, len) < 0) fail(`munmap 0x${address.toString(16)}`);
        unmapped = true;
      },
    };
  };
  const count = (n: number | bigint): number => Number(n);

  const t: Transport = {
    open(path, flags) {
      const fd = cOpen(path, flags, 'int', 0);
      return fd < 0 ? fail(`open ${path}`) : fd;
    },
    close(fd) {
      if (cClose(fd) < 0) fail(`close ${fd}`);
    },
    ioctl(fd, named, arg) {
      const request = requestNumber(named);
      const rc = typeof arg === 'object' ? cIoctl(fd, request, 'void *', arg) : cIoctl(fd, request, 'unsigned long', byValue(arg));
      return rc < 0 ? fail(request, typeof named === 'object' ? named.name : undefined) : rc;
    },
    ioctlFn(fd) {
      return (request, arg) => t.ioctl(fd, request, arg);
    },
    errnoCode,
    pread(fd, buf, offset) {
      const o = fileOffset(offset);
      const n = count(cPread(fd, buf, buf.length, o));
      return n < 0 ? fail(`pread fd ${fd} (${buf.length} bytes at 0x${o.toString(16)})`) : n;
    },
    pwrite(fd, buf, offset) {
      const o = fileOffset(offset);
      const n = count(cPwrite(fd, buf, buf.length, o));
      return n < 0 ? fail(`pwrite fd ${fd} (${buf.length} bytes at 0x${o.toString(16)})`) : n;
    },
    mmap(fd, length, offset, prot = PROT_READ | PROT_WRITE) {
      const o = fileOffset(offset);
      return map(`mmap fd ${fd} (${length} bytes at 0x${o.toString(16)})`, length, prot, MAP_SHARED, fd, o);
    },
    allocDma(length) {
      return map(`mmap anonymous (${length} bytes for DMA)`, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0n);
    },
    pageSize,
  };
  return t;
}
