/**
 * Beyond vfio.h: the same proof over uapi headers rich in bitfields, unions, packed structs,
 * flexible arrays and ioctl tables, from the newest synced kernel, on all 8 ABIs. Prints a table
 * of what was proven per header; a header that cannot be fully supported says what and where.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { formatDiagnostic } from '../../generator/src/diagnostics.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { analyze } from '../../generator/src/pipeline.js';
import { lacking, newestTree, skipReason } from '../support/trees.js';
import { compilerAvailable, headerCompiles, prove } from './proof.js';

export const WIDE_HEADERS = [
  'linux/bpf.h', // unions, bitfields, big ioctl-less enums
  'linux/perf_event.h', // 64-bit bitfields
  'linux/kvm.h', // ioctl table, unions, per-arch asm/kvm.h
  'linux/ethtool.h', // flexible arrays, limits.h
  'linux/ip.h', // endian-dependent bitfields
  'linux/ipv6.h',
  'linux/tcp.h', // bitfields
  'linux/usb/ch9.h', // packed structs
  'linux/usb/functionfs.h', // packed
  'linux/if_link.h',
  'linux/netlink.h',
  'linux/io_uring.h', // unions, flex arrays
  'linux/fs.h', // ioctls with sizeof
  'linux/btrfs.h', // ioctl table, packed
  'linux/nvme_ioctl.h',
  'linux/fuse.h', // stdint.h
  'linux/virtio_net.h',
  'linux/virtio_ring.h',
  'linux/input.h', // ioctls with arrays, libc includes
  'linux/userfaultfd.h', // unions, ioctls
  'linux/iommufd.h', // argsz-style structs
  'linux/cdrom.h',
  'linux/videodev2.h', // huge: unions, packed, ioctls, libc struct timeval
  'linux/dma-buf.h',
  'linux/seccomp.h',
  'linux/rtnetlink.h',
  'sound/asound.h', // bitfields, ioctls
  'drm/drm.h',
  'drm/drm_mode.h',
  'scsi/scsi_bsg_ufs.h', // packed unions of bitfields
  'mtd/mtd-abi.h',
  'rdma/ib_user_verbs.h',
  'linux/rseq.h', // aligned(4 * sizeof(__u64))
  'linux/netfilter/xt_string.h', // struct ts_config __attribute__((aligned(8))) *config
  'linux/batadv_packet.h', // #pragma pack(2)
  'linux/cciss_defs.h', // #pragma pack(1)
  'asm/amd_hsmp.h', // #pragma pack(4) (x86 only)
];

const tree = newestTree();
const rows: string[] = [];

afterAll(() => {
  if (rows.length === 0) return;
  const head = `${'header'.padEnd(26)} ${'abi'.padEnd(8)} ${'records'.padStart(7)} ${'consts'.padStart(6)} ${'checks'.padStart(6)}  unsupported`;
  process.stdout.write(`\nProven against gcc (linux ${tree?.name}):\n${head}\n${rows.join('\n')}\n`);
});

describe.skipIf(lacking(tree !== undefined))(`wider uapi header set equals gcc${skipReason(tree !== undefined, 'headers/')}`, () => {
  for (const header of WIDE_HEADERS) {
    it(header, async ({ skip }) => {
      // asm/ headers live in per-triplet directories (asm/amd_hsmp.h only in the x86 ones).
      const present = existsSync(join(tree!.include, header)) || readdirSync(tree!.include).some((d) => existsSync(join(tree!.include, d, header)));
      if (!present) skip(`${header} is not in linux ${tree!.name}`);
      for (const abi of ABIS) {
        const a = analyze({ header, includeDirs: [tree!.include], read: readSource }, abi);
        const missing = a.diagnostics.find((d) => d.code === 'pp-include-not-found');
        if (missing) {
          // Not available on this ABI (kvm.h needs an asm/kvm.h that 32-bit Arm no longer has):
          // gcc must agree that the header does not compile there.
          expect(await headerCompiles(abi, header, tree!.include), `${header} on ${abi.name}`).toBe(false);
          rows.push(`${header.padEnd(26)} ${abi.name.padEnd(8)} ${'-'.padStart(7)} ${'-'.padStart(6)} ${'-'.padStart(6)}  not available: ${missing.message.slice(0, 60)} (gcc agrees)`);
          continue;
        }
        const errors = a.diagnostics.filter((d) => d.severity === 'error');
        // Unsupported declarations must be diagnosed with file:line:col, never guessed.
        for (const d of errors) expect(formatDiagnostic(d)).toMatch(/^[^:]+:\d+:\d+: error: /);
        const r = await prove(a.laid, [tree!.include]);
        expect(r.failures, `${header} on ${abi.name}`).toEqual([]);
        const unsupported = errors.map((d) => `${d.file.split('/include/').pop()}:${d.line}:${d.col} ${d.message.slice(0, 90)}`);
        rows.push(`${header.padEnd(26)} ${abi.name.padEnd(8)} ${String(r.records).padStart(7)} ${String(r.constants).padStart(6)} ${String(r.checks).padStart(6)}  ${unsupported.length === 0 ? '-' : `${unsupported.length}: ${unsupported[0]}`}`);
      }
    });
  }
});
