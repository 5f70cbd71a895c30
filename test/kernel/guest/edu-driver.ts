/**
 * A userspace driver for QEMU's `edu` device (docs/specs/edu.rst in QEMU) on the public packages
 * only: VFIO container/group/device setup, bus mastering through the config region, registers
 * through pread/pwrite on the device fd (and through an mmap of BAR0), a factorial computed by the
 * device, and a DMA round trip through memory mapped with VFIO_IOMMU_MAP_DMA. Prints one JSON
 * document (report.ts, `EduDriverReport`).
 *
 *   node edu-driver.js BDF
 */
import { readlinkSync } from 'node:fs';
import { release } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { type MappedMemory, type Transport, O_CLOEXEC, O_RDWR, loadTransport, negotiate, policyForKernel } from '@uapi-ts/runtime';
import {
  VFIO_CHECK_EXTENSION,
  VFIO_DEVICE_GET_REGION_INFO,
  VFIO_DMA_MAP_FLAG_READ,
  VFIO_DMA_MAP_FLAG_WRITE,
  VFIO_GROUP_FLAGS_VIABLE,
  VFIO_GROUP_GET_DEVICE_FD,
  VFIO_GROUP_GET_STATUS,
  VFIO_GROUP_SET_CONTAINER,
  VFIO_IOMMU_GET_INFO,
  VFIO_IOMMU_MAP_DMA,
  VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE,
  VFIO_IOMMU_UNMAP_DMA,
  VFIO_PCI_BAR0_REGION_INDEX,
  VFIO_PCI_CONFIG_REGION_INDEX,
  VFIO_REGION_INFO_FLAG_MMAP,
  VFIO_SET_IOMMU,
  VFIO_TYPE1v2_IOMMU,
  VfioGroupStatus,
  VfioIommuType1DmaMap,
  VfioIommuType1DmaUnmap,
  VfioIommuType1Info,
  VfioRegionInfo,
} from '@uapi-ts/vfio';
import type { EduDriverReport } from './report.js';
import { caught } from './caught.js';

/** edu's BAR0 registers (QEMU docs/specs/edu.rst). */
const EDU = {
  ID: 0x00,
  LIVENESS: 0x04,
  FACTORIAL: 0x08,
  STATUS: 0x20,
  DMA_SRC: 0x80,
  DMA_DST: 0x88,
  DMA_COUNT: 0x90,
  DMA_CMD: 0x98,
} as const;
const STATUS_COMPUTING = 0x01;
const DMA_CMD_START = 0x1;
const DMA_CMD_TO_RAM = 0x2;
/** edu's internal DMA buffer: 4096 bytes at this device address. */
const EDU_BUFFER = 0x40000n;
/** Bytes moved each way: less than the 4096-byte buffer, because older QEMUs (Debian bookworm's 7.2)
 *  abort on a transfer that ends exactly at the buffer's end (an off-by-one in edu_check_range). */
const DMA_BYTES = 2048;
/** edu masks DMA addresses to 28 bits unless started with dma_mask=... */
const EDU_DMA_MASK = (1n << 28n) - 1n;
/** PCI config space: vendor/device at 0, command at 4 (bit 2: bus master). */
const PCI_COMMAND = 4;
const PCI_COMMAND_MASTER = 0x4;

const LE = VfioIommuType1Info.layout.littleEndian;

class Device {
  constructor(
    readonly t: Transport,
    readonly fd: number,
    readonly bar0: bigint,
    readonly config: bigint,
  ) {}
  private read(base: bigint, off: number, size: 2 | 4): number {
    const b = new Uint8Array(size);
    if (this.t.pread(this.fd, b, base + BigInt(off)) !== size) throw new Error(`short read at 0x${(base + BigInt(off)).toString(16)}`);
    const dv = new DataView(b.buffer);
    return size === 2 ? dv.getUint16(0, LE) : dv.getUint32(0, LE);
  }
  private write(base: bigint, off: number, size: 2 | 4, v: number): void {
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    if (size === 2) dv.setUint16(0, v, LE);
    else dv.setUint32(0, v, LE);
    if (this.t.pwrite(this.fd, b, base + BigInt(off)) !== size) throw new Error(`short write at 0x${(base + BigInt(off)).toString(16)}`);
  }
  reg(off: number): number {
    return this.read(this.bar0, off, 4);
  }
  setReg(off: number, v: number): void {
    this.write(this.bar0, off, 4, v);
  }
  cfg16(off: number): number {
    return this.read(this.config, off, 2);
  }
  setCfg16(off: number, v: number): void {
    this.write(this.config, off, 2, v);
  }
  /** Poll until `(reg & mask) === 0`, sleeping 1 ms between reads; false on timeout. */
  async waitClear(off: number, mask: number, ms = 5000): Promise<boolean> {
    const until = Date.now() + ms;
    while (this.reg(off) & mask) {
      if (Date.now() > until) return false;
      await sleep(1);
    }
    return true;
  }
}

function groupOf(bdf: string): number {
  const link = readlinkSync(`/sys/bus/pci/devices/${bdf}/iommu_group`);
  return Number(link.slice(link.lastIndexOf('/') + 1));
}

/** The lowest page-aligned IOVA at or above 1 MiB where `size` bytes fit in a range and under the mask. */
function pickIova(ranges: readonly { start: bigint; end: bigint }[], size: bigint, page: bigint): bigint | undefined {
  for (const r of [...ranges].sort((a, b) => (a.start < b.start ? -1 : 1))) {
    let at = r.start > 0x100000n ? r.start : 0x100000n;
    at = ((at + page - 1n) / page) * page;
    const last = at + size - 1n;
    if (last <= r.end && last <= EDU_DMA_MASK) return at;
  }
  return undefined;
}

/** Drive the edu device at `bdf` (bound to vfio-pci, its group not open elsewhere). */
export async function drive(bdf: string): Promise<EduDriverReport> {
  const t = await loadTransport();
  const policy = policyForKernel(release());
  const group = groupOf(bdf);
  const report: EduDriverReport = { program: 'ts-edu', release: release(), policy, bdf, group, iovaRanges: [], edu: {} };
  const container = t.open('/dev/vfio/vfio', O_RDWR | O_CLOEXEC);
  if (t.ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) !== 1) throw new Error('no VFIO_TYPE1v2_IOMMU');
  const gfd = t.open(`/dev/vfio/${group}`, O_RDWR | O_CLOEXEC);
  const st = VfioGroupStatus.alloc({ argsz: VfioGroupStatus.SIZE });
  t.ioctl(gfd, VFIO_GROUP_GET_STATUS, st.bytes());
  if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE)) throw new Error(`group ${group} is not viable (flags ${st.flags})`);
  const cfd = new Uint8Array(4);
  new DataView(cfd.buffer).setInt32(0, container, LE);
  t.ioctl(gfd, VFIO_GROUP_SET_CONTAINER, cfd);
  t.ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);

  // Where DMA may go: the IOVA ranges of the IOMMU info, read with the policy for this kernel.
  const info = negotiate(t.ioctlFn(container), VFIO_IOMMU_GET_INFO, VfioIommuType1Info.alloc().bytes(), VfioIommuType1Info.chainOptions({ policy }));
  const ranges: { start: bigint; end: bigint }[] = [];
  for (const cap of VfioIommuType1Info.from(info.info).caps({ policy })) {
    if (cap.known && cap.id === VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) for (const r of cap.view.iova_ranges()) ranges.push({ start: r.start, end: r.end });
  }
  report.iovaRanges = ranges.map((r) => ({ start: r.start.toString(), end: r.end.toString() }));

  const dfd = t.ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, new Uint8Array(Buffer.from(`${bdf}\0`, 'latin1')));
  const region = (index: number): InstanceType<typeof VfioRegionInfo> => {
    const r = VfioRegionInfo.alloc({ argsz: VfioRegionInfo.SIZE, index });
    t.ioctl(dfd, VFIO_DEVICE_GET_REGION_INFO, r.bytes());
    return r;
  };
  const bar0 = region(VFIO_PCI_BAR0_REGION_INDEX);
  const config = region(VFIO_PCI_CONFIG_REGION_INDEX);
  const dev = new Device(t, dfd, bar0.offset, config.offset);
  const edu = report.edu;
  edu.bar0Flags = bar0.flags;

  // Identification through the config region, then bus mastering on (vfio-pci leaves it off).
  edu.vendor = dev.cfg16(0);
  edu.device = dev.cfg16(2);
  edu.commandBefore = dev.cfg16(PCI_COMMAND);
  dev.setCfg16(PCI_COMMAND, edu.commandBefore | PCI_COMMAND_MASTER);
  edu.command = dev.cfg16(PCI_COMMAND);

  edu.id = dev.reg(EDU.ID);
  dev.setReg(EDU.LIVENESS, 0x12345678);
  edu.liveness = dev.reg(EDU.LIVENESS);
  dev.setReg(EDU.FACTORIAL, 10);
  if (!(await dev.waitClear(EDU.STATUS, STATUS_COMPUTING))) throw new Error('edu: factorial did not finish');
  edu.factorial10 = dev.reg(EDU.FACTORIAL);

  // The same registers through an mmap of BAR0: one 32-bit access per Uint32Array element.
  if (bar0.flags & VFIO_REGION_INFO_FLAG_MMAP) {
    const m = t.mmap(dfd, Number(bar0.size), bar0.offset);
    const regs = new Uint32Array(m.buffer, 0, 8);
    edu.mmapId = regs[EDU.ID / 4];
    regs[EDU.LIVENESS / 4] = 0x0badf00d;
    edu.mmapLiveness = regs[EDU.LIVENESS / 4];
    m.unmap();
  }

  // DMA: page A holds a pattern; edu copies A into its buffer, then its buffer into page B.
  const page = BigInt(t.pageSize);
  const mem: MappedMemory = t.allocDma(2 * t.pageSize);
  edu.dmaBytes = DMA_BYTES;
  edu.dmaAddressAligned = mem.address % page === 0n;
  const bytes = new Uint8Array(mem.buffer);
  for (let i = 0; i < DMA_BYTES; i++) bytes[i] = (i * 7 + 3) & 0xff;
  const iova = pickIova(ranges, BigInt(mem.length), page);
  if (iova === undefined) throw new Error(`edu: no IOVA below the 28-bit DMA mask in ${JSON.stringify(report.iovaRanges)}`);
  report.iova = iova.toString();
  const map = VfioIommuType1DmaMap.alloc({
    argsz: VfioIommuType1DmaMap.SIZE,
    flags: VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
    vaddr: mem.address,
    iova,
    size: BigInt(mem.length),
  });
  edu.dmaMapRet = t.ioctl(container, VFIO_IOMMU_MAP_DMA, map.bytes());
  const dma = async (src: bigint, dst: bigint, cmd: number): Promise<void> => {
    // Addresses below 2^32 (the mask is 28 bits): one 32-bit write sets the 64-bit register.
    dev.setReg(EDU.DMA_SRC, Number(src));
    dev.setReg(EDU.DMA_DST, Number(dst));
    dev.setReg(EDU.DMA_COUNT, DMA_BYTES);
    dev.setReg(EDU.DMA_CMD, cmd | DMA_CMD_START);
    if (!(await dev.waitClear(EDU.DMA_CMD, DMA_CMD_START))) throw new Error('edu: DMA did not finish');
  };
  await dma(iova, EDU_BUFFER, 0);
  await dma(EDU_BUFFER, iova + page, DMA_CMD_TO_RAM);
  const a = bytes.subarray(0, DMA_BYTES);
  const b = bytes.subarray(t.pageSize, t.pageSize + DMA_BYTES);
  edu.dmaRoundTrip = Buffer.compare(a, b) === 0 && b.some((x) => x !== 0) ? 1 : 0;
  const unmap = VfioIommuType1DmaUnmap.alloc({ argsz: VfioIommuType1DmaUnmap.SIZE, iova, size: BigInt(mem.length) });
  edu.dmaUnmapRet = t.ioctl(container, VFIO_IOMMU_UNMAP_DMA, unmap.bytes());
  edu.dmaUnmapSize = unmap.size.toString();
  mem.unmap();

  t.close(dfd);
  t.close(gfd);
  t.close(container);
  return report;
}

/** The report of a drive that threw (what it had done so far is lost; the error names the step). */
export function failedDrive(bdf: string, e: unknown): EduDriverReport {
  return { program: 'ts-edu', release: release(), policy: policyForKernel(release()), bdf, group: -1, iovaRanges: [], edu: {}, fatal: caught(e) };
}

/** Run as a program (not imported by run.ts): print the report. */
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bdf = process.argv[2];
  if (!bdf) {
    process.stderr.write('usage: edu-driver BDF\n');
    process.exit(2);
  }
  drive(bdf).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stdout.write(`${JSON.stringify(failedDrive(bdf, e))}\n`);
      process.exitCode = 1;
    },
  );
}
