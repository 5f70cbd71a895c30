/**
 * The `size`-first convention of iommufd ioctls (linux/iommufd.h: every argument struct begins with
 * `__u32 size`). The kernel (drivers/iommu/iommufd/main.c, iommufd_fops_ioctl) reads `size`, refuses
 * one below the ioctl's minimum (offsetofend of its last member when the ioctl was added) with
 * EINVAL, then copies the struct with copy_struct_from_user (include/linux/uaccess.h): a shorter
 * struct (older userspace) is zero-extended to the kernel's; a longer one (newer userspace) is
 * accepted only when every byte past the kernel's struct is zero, else E2BIG. A reply is written
 * back over at most the smaller of both sizes.
 *
 * So userspace sets `size` to sizeof its struct and leaves members an older kernel does not know
 * at zero. sizedArg() does the first; kernelVerdict() says what a kernel with a given struct size
 * would do with a buffer; fitSized() cuts a buffer down to an older kernel's size (refusing when a
 * member past it is set); sizedIoctl() issues the call and explains an E2BIG.
 */
import { IoctlError, UapiRuntimeError } from './errors.js';
import type { BindingLayout, ViewClass } from './emit-support.js';
import type { IoctlFn } from './negotiate.js';

type SizedClass<V, I> = ViewClass<V, I> & { readonly layout: BindingLayout };

const dvOf = (v: object): DataView => (v as { dv: DataView }).dv;
const SCALAR_BYTES = { u8: 1, s8: 1, u16: 2, s16: 2, u32: 4, s32: 4, u64: 8, s64: 8 } as const;

function sizeOffset(layout: BindingLayout): number {
  const at = layout.offsets['size'];
  const f = layout.fields.find((x) => x.name === 'size');
  if (at !== 0 || f === undefined || f.kind !== 'u32') throw new TypeError(`${layout.name} does not begin with a __u32 size member (not an iommufd-style argument)`);
  return at;
}

/** Members (of `layout`) that overlap the non-zero bytes of `bytes` in [from, to). */
function nonZeroMembers(layout: BindingLayout, bytes: Uint8Array, from: number, to: number): string[] {
  const names: string[] = [];
  for (const f of layout.fields) {
    const start = f.offset;
    const one = f.kind === 'struct' ? (f.struct?.size ?? 0) : f.kind === 'bytes' ? (f.size ?? 0) : SCALAR_BYTES[f.kind];
    const end = f.offset + (f.bits ? f.bits.unit : one * (f.kind === 'bytes' ? 1 : (f.count ?? 1)));
    if (end <= from || start >= to) continue;
    for (let i = Math.max(start, from); i < Math.min(end, to, bytes.length); i++) {
      if (bytes[i] !== 0) {
        names.push(f.name);
        break;
      }
    }
  }
  return names;
}

/** A buffer an iommufd kernel would refuse: too short for the ioctl, or set past the kernel's struct. */
export class SizedArgError extends UapiRuntimeError {
  override name = 'SizedArgError';
  constructor(
    readonly struct: string,
    readonly errno: 'EINVAL' | 'E2BIG',
    readonly size: number,
    readonly kernelSize: number,
    /** Members past the kernel's struct that are not zero (E2BIG). */
    readonly members: readonly string[],
    context = '',
  ) {
    super(
      errno === 'EINVAL'
        ? `${context}${struct}: size ${size} is below the ${kernelSize} bytes this ioctl needs (the kernel answers EINVAL); set size to sizeof (sizedArg does)`
        : `${context}${struct}: the kernel's struct is ${kernelSize} bytes and ${members.length > 0 ? `member(s) ${members.join(', ')} past it are` : 'bytes past it are'} not zero (the kernel answers E2BIG); leave members this kernel does not know at zero`,
    );
  }
}

/** A view of `View` with `init` assigned and `size` set to sizeof the struct (or `opts.size`). */
export function sizedArg<V, I>(View: SizedClass<V, I>, init?: I, opts: { size?: number; extraBytes?: number } = {}): V {
  const at = sizeOffset(View.layout);
  const v = View.alloc(init, opts.extraBytes ?? 0);
  const size = opts.size ?? View.SIZE;
  if (!(Number.isInteger(size) && size >= 0 && size <= 0xffffffff)) throw new RangeError(`size must be a u32, not ${size}`);
  dvOf(v as object).setUint32(at, size, View.layout.littleEndian);
  return v;
}

/**
 * What a kernel whose struct is `kernelSize` bytes, and whose ioctl needs `minSize` (default: the
 * layout's minArgsz), does with `bytes`: 'ok', or the errno and why (as copy_struct_from_user).
 */
export function kernelVerdict(layout: BindingLayout, bytes: Uint8Array, kernelSize: number, minSize = layout.minArgsz): { ok: true } | { ok: false; error: SizedArgError } {
  const at = sizeOffset(layout);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = dv.getUint32(at, layout.littleEndian);
  if (size < minSize) return { ok: false, error: new SizedArgError(layout.name, 'EINVAL', size, minSize, []) };
  if (size > kernelSize) {
    const tail = bytes.subarray(kernelSize, Math.min(size, bytes.length));
    if (tail.some((b) => b !== 0)) return { ok: false, error: new SizedArgError(layout.name, 'E2BIG', size, kernelSize, nonZeroMembers(layout, bytes, kernelSize, size)) };
  }
  return { ok: true };
}

/**
 * The first `kernelSize` bytes of a sized view, `size` set to kernelSize: the struct as an older
 * kernel knows it. Throws SizedArgError (E2BIG) when a member past kernelSize is set.
 */
export function fitSized<V extends object>(View: SizedClass<V, never>, view: V, kernelSize: number): Uint8Array {
  const at = sizeOffset(View.layout);
  const dv = dvOf(view);
  const bytes = new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength);
  if (!(Number.isInteger(kernelSize) && kernelSize >= at + 4 && kernelSize <= bytes.length)) throw new RangeError(`kernelSize must be an integer in ${at + 4}..${bytes.length}, not ${kernelSize}`);
  const tail = nonZeroMembers(View.layout, bytes, kernelSize, bytes.length);
  if (bytes.subarray(kernelSize).some((b) => b !== 0)) throw new SizedArgError(View.layout.name, 'E2BIG', bytes.length, kernelSize, tail);
  const out = bytes.slice(0, kernelSize);
  new DataView(out.buffer).setUint32(at, kernelSize, View.layout.littleEndian);
  return out;
}

/**
 * Issue an iommufd ioctl with a sized view (its `size` set to sizeof when it is 0); an E2BIG from
 * the kernel comes back as a SizedArgError naming the members beyond the ioctl's minimum that are
 * set (one of them is past this kernel's struct).
 */
export function sizedIoctl<V extends object>(ioctl: IoctlFn, request: number | bigint, View: SizedClass<V, never>, view: V, name = View.layout.name): number {
  const at = sizeOffset(View.layout);
  const dv = dvOf(view);
  if (dv.getUint32(at, View.layout.littleEndian) === 0) dv.setUint32(at, View.SIZE, View.layout.littleEndian);
  const bytes = new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength);
  try {
    return ioctl(request, bytes);
  } catch (e) {
    if (e instanceof IoctlError && e.code === 'E2BIG') {
      throw new SizedArgError(View.layout.name, 'E2BIG', dv.getUint32(at, View.layout.littleEndian), View.layout.minArgsz, nonZeroMembers(View.layout, bytes, View.layout.minArgsz, bytes.length), `${name}: `);
    }
    throw e;
  }
}

