/**
 * @uapi-ts/iommufd (generated/iommufd from linux/iommufd.h): every ioctl has its argument struct
 * (from the `struct s - ioctl(NAME)` kernel-doc convention, two from overrides.ts), each of them
 * begins with `__u32 size`, and the runtime's size helpers follow the kernel's rules
 * (iommufd_fops_ioctl + copy_struct_from_user): size = sizeof, a shorter struct below the ioctl's
 * minimum is EINVAL, a longer one is E2BIG when a member past the kernel's struct is set. Sizes and
 * offsets are gcc's (the shipped-table proof covers every struct on every ABI).
 */
import { describe, expect, it } from 'vitest';
import * as x86 from '@uapi-ts/iommufd/abi/x86_64';
import * as s390x from '@uapi-ts/iommufd/abi/s390x';
import { fitSized, IoctlError, kernelVerdict, SizedArgError, sizedArg, sizedIoctl, type BindingLayout } from '@uapi-ts/runtime';
import { getAbi } from '../../generator/src/layout/abi/index.js';
import { gccValues } from '../support/gcc-values.js';
import { lacking, newestTree, skipReason } from '../support/trees.js';
import { compilerAvailable } from '../gcc/proof.js';

const tree = newestTree();
const abi = getAbi('x86_64')!;
const have = tree !== undefined && compilerAvailable(abi);

describe('@uapi-ts/iommufd ioctls', () => {
  it('every ioctl of iommufd.h has its argument struct, and every one begins with __u32 size', () => {
    const names = Object.keys(x86.IOCTLS) as (keyof typeof x86.IOCTLS)[];
    expect(names.length).toBeGreaterThanOrEqual(21);
    for (const n of names) {
      const io = x86.ioctls[n];
      expect(io.arg, n).not.toBeNull();
      const L = (io.arg as unknown as { layout: BindingLayout }).layout;
      expect(L.offsets['size'], n).toBe(0);
      expect(L.fields.find((f) => f.name === 'size')?.kind, n).toBe('u32');
    }
    expect(x86.IOCTLS.IOMMU_IOAS_ALLOC.arg).toBe('iommu_ioas_alloc');
    expect(x86.IOCTLS.IOMMU_OPTION.arg).toBe('iommu_option');
    expect(x86.IOCTLS.IOMMU_IOAS_CHANGE_PROCESS.arg).toBe('iommu_ioas_change_process');
    // Request numbers are numbers (iommufd's _IO(';', 0x80 + n) fits everywhere) and equal across ABIs.
    expect(x86.IOMMU_IOAS_MAP).toBe(s390x.IOMMU_IOAS_MAP);
  });
});

describe.skipIf(lacking(have))(`the size convention against gcc's sizes${skipReason(have, 'the newest header tree or gcc')}`, () => {
  it('sizedArg sets size to sizeof, on little- and big-endian ABIs', async () => {
    const g = await gccValues(abi, [tree!.include], 'linux/iommufd.h', {
      alloc: 'sizeof(struct iommu_ioas_alloc)',
      map: 'sizeof(struct iommu_ioas_map)',
      hw: 'sizeof(struct iommu_hw_info)',
      pasid: 'offsetof(struct iommu_hw_info, out_max_pasid_log2)',
    });
    const a = sizedArg(x86.IommuIoasAlloc);
    expect([a.size, a.dv.byteLength]).toEqual([g.alloc, g.alloc]);
    const m = sizedArg(s390x.IommuIoasMap, { ioas_id: 5, length: 4096n, flags: s390x.iommufd_ioas_map_flags.IOMMU_IOAS_MAP_READABLE });
    expect(m.size).toBe(g.map);
    expect(m.dv.getUint32(0, false)).toBe(g.map); // big-endian
    expect(x86.IommuHwInfo.OFFSETS.out_max_pasid_log2).toBe(g.pasid);
    expect(x86.IommuHwInfo.SIZE).toBe(g.hw);
  });

  it('what a kernel whose struct is shorter does: zero-extends (ok) unless a member past it is set (E2BIG), and refuses below the minimum (EINVAL)', async () => {
    const g = await gccValues(abi, [tree!.include], 'linux/iommufd.h', { pasid: 'offsetof(struct iommu_hw_info, out_max_pasid_log2)', dtype: 'offsetof(struct iommu_hw_info, in_data_type)' });
    const L = x86.IommuHwInfo.layout;
    // An older kernel's iommu_hw_info ends before out_max_pasid_log2.
    const older = g.pasid;
    const info = sizedArg(x86.IommuHwInfo, { dev_id: 3, data_len: 64 });
    expect(kernelVerdict(L, info.bytes(), older)).toEqual({ ok: true });
    expect(kernelVerdict(L, info.bytes(), x86.IommuHwInfo.SIZE)).toEqual({ ok: true });
    info.out_capabilities = 1n;
    const v = kernelVerdict(L, info.bytes(), older);
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.error.errno).toBe('E2BIG');
      expect(v.error.members).toEqual(['out_capabilities']);
      expect(v.error.message).toMatch(/member\(s\) out_capabilities past it are not zero/);
    }
    expect(() => fitSized(x86.IommuHwInfo as never, info, older)).toThrow(SizedArgError);
    info.out_capabilities = 0n;
    const cut = fitSized(x86.IommuHwInfo as never, info, older);
    expect(cut.length).toBe(older);
    expect(new DataView(cut.buffer).getUint32(0, true)).toBe(older);
    // Below the ioctl's minimum (here: before in_data_type) the kernel answers EINVAL.
    const tiny = sizedArg(x86.IommuHwInfo, {}, { size: g.dtype - 4 });
    const t = kernelVerdict(L, tiny.bytes(), x86.IommuHwInfo.SIZE, g.dtype);
    expect(t.ok ? 'ok' : t.error.errno).toBe('EINVAL');
  });
});

describe('sizedIoctl', () => {
  it('fills in size, passes the buffer, and turns an E2BIG into the members that are set past the minimum', () => {
    const seen: number[] = [];
    const ok = sizedIoctl((req, arg) => {
      seen.push(Number(req), new DataView(arg.buffer, arg.byteOffset).getUint32(0, true), arg.length);
      return 0;
    }, x86.IOMMU_IOAS_ALLOC, x86.IommuIoasAlloc as never, x86.IommuIoasAlloc.alloc());
    expect(ok).toBe(0);
    expect(seen).toEqual([x86.IOMMU_IOAS_ALLOC, x86.IommuIoasAlloc.SIZE, x86.IommuIoasAlloc.SIZE]);
    const v = sizedArg(x86.IommuIoasMap, { ioas_id: 1, iova: 0x1000n });
    const e2big = (): number => { throw new IoctlError('IOMMU_IOAS_MAP', 7, 'E2BIG'); };
    expect(() => sizedIoctl(e2big, x86.IOMMU_IOAS_MAP, x86.IommuIoasMap as never, v, 'IOMMU_IOAS_MAP')).toThrow(/^IOMMU_IOAS_MAP: iommu_ioas_map: .*not zero/);
    const other = (): number => { throw new IoctlError('IOMMU_IOAS_MAP', 22, 'EINVAL'); };
    expect(() => sizedIoctl(other, x86.IOMMU_IOAS_MAP, x86.IommuIoasMap as never, v)).toThrow(IoctlError);
  });

  it('refuses a struct that does not begin with __u32 size', () => {
    expect(() => sizedArg(x86.IommuIovaRange as never)).toThrow(/does not begin with a __u32 size member/);
  });
});
