/**
 * vfio-probe (TypeScript): the VFIO container/group/device sequence on the public packages only
 * (@uapi-ts/vfio for the host ABI, @uapi-ts/runtime and its koffi transport), printing one JSON
 * document (report.ts, `ProbeReport`) with the same call keys as the C program (../c/vfio-probe.c).
 *
 *   node vfio-probe.js BDF...
 *
 * The alignment policy comes from the running kernel's version (strict on 6.6+, compat before);
 * on every kernel the IOMMU chain is also read under strict, to show what strict does with it.
 * Runs on any Linux machine with devices bound to vfio-pci (see docs/real-kernels.md).
 */
import { readlinkSync } from 'node:fs';
import { machine, release } from 'node:os';
import { pathToFileURL } from 'node:url';
import {
  type ChainOptions,
  type IoctlFn,
  type Transport,
  IoctlError,
  O_CLOEXEC,
  O_RDWR,
  loadTransport,
  negotiate,
  policyForKernel,
  requestNumber,
} from '@uapi-ts/runtime';
import {
  VFIO_CHECK_EXTENSION,
  VFIO_DEVICE_FEATURE,
  VFIO_DEVICE_FEATURE_GET,
  VFIO_DEVICE_FEATURE_PROBE,
  VFIO_DEVICE_FEATURE_SET,
  VFIO_DEVICE_GET_INFO,
  VFIO_DEVICE_GET_IRQ_INFO,
  VFIO_DEVICE_GET_REGION_INFO,
  VFIO_GET_API_VERSION,
  VFIO_GROUP_GET_DEVICE_FD,
  VFIO_GROUP_GET_STATUS,
  VFIO_GROUP_SET_CONTAINER,
  VFIO_IOMMU_GET_INFO,
  VFIO_PCI_CONFIG_REGION_INDEX,
  VFIO_SET_IOMMU,
  VFIO_TYPE1v2_IOMMU,
  VfioDeviceFeature,
  VfioDeviceInfo,
  VfioGroupStatus,
  VfioInfoCapHeader,
  VfioIommuType1Info,
  VfioIrqInfo,
  VfioRegionInfo,
} from '@uapi-ts/vfio';
import { caught } from './caught.js';
import type { Call, CapRecord, ChainRead, Json, ProbeReport } from './report.js';

type Policy = 'strict' | 'compat';

/** What the generated info classes that carry a chain have in common. */
interface ChainView {
  toJSON(): { [k: string]: Json };
  caps(opts?: { policy?: Policy; argsz?: number }): Iterable<WalkedCap>;
}
interface WalkedCap {
  known: boolean;
  id: number;
  version: number;
  offset: number;
  next: number;
  bytes: Uint8Array;
  view?: { toJSON(): { [k: string]: Json } };
}
interface ChainClass {
  readonly SIZE: number;
  from(buf: Uint8Array): ChainView;
  chainOptions(opts?: { policy?: Policy }): ChainOptions;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const LE = VfioIommuType1Info.layout.littleEndian;
const u32At = (b: Uint8Array, off: number): number => new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off, LE);

class Probe {
  readonly calls: Call[] = [];
  readonly chains: ChainRead[] = [];
  /** The transport, with every ioctl's request number noted for the call being recorded. */
  readonly t: Transport;
  private lastRequest: number | bigint | null = null;
  constructor(
    transport: Transport,
    readonly policy: Policy,
  ) {
    this.t = {
      ...transport,
      ioctl: (fd, request, arg) => {
        this.lastRequest = requestNumber(request);
        return transport.ioctl(fd, request, arg);
      },
    };
  }

  private requestHex(): string | null {
    const r = this.lastRequest;
    this.lastRequest = null;
    return r === null ? null : `0x${r.toString(16)}`;
  }

  /** One call: run `f`, record ret or errno (and the error object) under `key`. */
  record(key: string, ioctl: string, argszIn: number | null, f: () => number, extra: Partial<Call> = {}): Call {
    const call: Call = { key, ioctl, request: null, argszIn, ret: 0, errno: null, ...extra };
    this.lastRequest = null;
    try {
      call.ret = f();
    } catch (e) {
      if (!(e instanceof IoctlError)) throw e;
      call.ret = -1;
      call.errno = e.code;
      call.error = caught(e);
    }
    call.request = this.requestHex();
    this.calls.push(call);
    return call;
  }

  /** An ioctl on a struct buffer: its bytes and fields are recorded after the call. */
  struct(key: string, ioctl: string, fd: number, request: number | bigint, buf: Uint8Array, view: { toJSON(): { [k: string]: Json } }): Call {
    const call = this.record(key, ioctl, u32At(buf, 0), () => this.t.ioctl(fd, request, buf));
    call.bytes = hex(buf);
    call.fields = view.toJSON();
    return call;
  }

  /**
   * negotiate() for `cls` under `policy`, every attempt recorded as "<key> #n" (when `record` is
   * set), then each reply's caps walked through the generated typed views.
   */
  negotiated(key: string, ioctl: string, fd: number, request: number | bigint, cls: ChainClass, init: Uint8Array, policy: Policy, record = true): Uint8Array | undefined {
    const attempts: { call: Call; buf: Uint8Array }[] = [];
    const argszIns: number[] = [];
    const fn: IoctlFn = (req, arg) => {
      argszIns.push(u32At(arg, 0));
      const call: Call = { key: `${key} #${attempts.length + 1}`, ioctl, request: `0x${req.toString(16)}`, argszIn: u32At(arg, 0), ret: 0, errno: null };
      attempts.push({ call, buf: arg });
      if (record) this.calls.push(call);
      try {
        call.ret = this.t.ioctl(fd, req, arg);
        return call.ret;
      } catch (e) {
        if (e instanceof IoctlError) {
          call.ret = -1;
          call.errno = e.code;
          call.error = caught(e);
        }
        throw e;
      }
    };
    const chain: ChainRead = { key, policy, argszIns, attempts: 0, realigned: [] };
    this.chains.push(chain);
    let info: Uint8Array | undefined;
    try {
      const r = negotiate(fn, request, init, cls.chainOptions({ policy }));
      chain.attempts = r.attempts;
      chain.realigned = [...r.realignedOffsets];
      info = r.info;
    } catch (e) {
      chain.error = caught(e);
    }
    for (const { call, buf } of attempts) {
      call.bytes = hex(buf);
      const view = cls.from(buf);
      call.fields = view.toJSON();
      if (call.ret < 0) continue;
      const caps = this.caps(view, policy);
      if (caps) call.caps = caps;
    }
    return info;
  }

  /** The chain of a reply through the generated views (undefined when it has none). */
  caps(view: ChainView, policy: Policy): CapRecord[] | undefined {
    const f = view.toJSON();
    if (f['cap_offset'] === 0 || f['cap_offset'] === undefined) return undefined;
    const out: CapRecord[] = [];
    try {
      for (const cap of view.caps({ policy })) {
        const fields = cap.known && cap.view ? cap.view.toJSON() : VfioInfoCapHeader.from(cap.bytes).toJSON();
        out.push({ offset: cap.offset, id: cap.id, version: cap.version, next: cap.next, fields });
      }
    } catch {
      // The chain error is recorded by the negotiation (ChainRead.error).
      return undefined;
    }
    return out.length > 0 ? out : undefined;
  }
}

function groupOf(bdf: string): number {
  const link = readlinkSync(`/sys/bus/pci/devices/${bdf}/iommu_group`);
  return Number(link.slice(link.lastIndexOf('/') + 1));
}

/** An int argument passed by pointer (VFIO_GROUP_SET_CONTAINER takes an int *). */
function intArg(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, LE);
  return b;
}

/** A NUL-terminated C string (VFIO_GROUP_GET_DEVICE_FD takes a char *). */
const cString = (s: string): Uint8Array => new Uint8Array(Buffer.from(`${s}\0`, 'latin1'));

/** Feature indexes probed: numbers, as the C program (built on older headers too) probes them. */
const FEATURES_PROBED = 14;
/** An ioctl of VFIO's type that no kernel defines: VFIO_BASE + 99, derived from VFIO_GET_API_VERSION (VFIO_BASE + 0). */
const VFIO_UNKNOWN_IOCTL = Number(VFIO_GET_API_VERSION) + 99;
const UNWRITTEN = 0xa5;

/** The whole sequence on the devices `bdfs` (bound to vfio-pci); never throws for a failed call. */
export async function probe(bdfs: string[]): Promise<ProbeReport> {
  const policy = policyForKernel(release());
  const p = new Probe(await loadTransport(), policy);
  const t = p.t;
  const report: ProbeReport = {
    program: 'ts',
    release: release(),
    machine: machine(),
    sizes: {
      vfio_info_cap_header: VfioInfoCapHeader.SIZE,
      vfio_group_status: VfioGroupStatus.SIZE,
      vfio_device_info: VfioDeviceInfo.SIZE,
      vfio_region_info: VfioRegionInfo.SIZE,
      vfio_irq_info: VfioIrqInfo.SIZE,
      vfio_iommu_type1_info: VfioIommuType1Info.SIZE,
      vfio_device_feature: VfioDeviceFeature.SIZE,
    },
    calls: p.calls,
    chains: p.chains,
    policy,
  };
  let container = -1;
  const open = p.record('container open', 'open', null, () => {
    container = t.open('/dev/vfio/vfio', O_RDWR | O_CLOEXEC);
    return 0;
  });
  if (open.ret < 0) return report;
  p.record('container VFIO_GET_API_VERSION', 'VFIO_GET_API_VERSION', null, () => t.ioctl(container, VFIO_GET_API_VERSION, 0));
  for (let ext = 1; ext <= 10; ext++) {
    p.record(`container VFIO_CHECK_EXTENSION(${ext})`, 'VFIO_CHECK_EXTENSION', null, () => t.ioctl(container, VFIO_CHECK_EXTENSION, ext));
  }

  const groups: number[] = [];
  let iommuSet = false;
  for (const bdf of bdfs) {
    const g = groupOf(bdf);
    const path = `/dev/vfio/${g}`;
    let gfd = -1;
    p.record(`group ${bdf} open`, 'open', null, () => {
      gfd = t.open(path, O_RDWR | O_CLOEXEC);
      return 0;
    }, { group: g });
    groups.push(gfd);
    if (gfd < 0) continue;
    p.record(`group ${bdf} open again`, 'open', null, () => {
      t.close(t.open(path, O_RDWR | O_CLOEXEC));
      return 0;
    });
    const st = VfioGroupStatus.alloc({ argsz: VfioGroupStatus.SIZE });
    p.struct(`group ${bdf} VFIO_GROUP_GET_STATUS`, 'VFIO_GROUP_GET_STATUS', gfd, VFIO_GROUP_GET_STATUS, st.bytes(), st);
    p.record(`group ${bdf} VFIO_GROUP_GET_DEVICE_FD before SET_CONTAINER`, 'VFIO_GROUP_GET_DEVICE_FD', null, () => {
      t.close(t.ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, cString(bdf)));
      return 0;
    });
    p.record(`group ${bdf} VFIO_GROUP_SET_CONTAINER`, 'VFIO_GROUP_SET_CONTAINER', null, () => t.ioctl(gfd, VFIO_GROUP_SET_CONTAINER, intArg(container)));
    if (!iommuSet) {
      p.record('container VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)', 'VFIO_SET_IOMMU', null, () => t.ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
      iommuSet = true;
    }
    const st2 = VfioGroupStatus.alloc({ argsz: VfioGroupStatus.SIZE });
    p.struct(`group ${bdf} VFIO_GROUP_GET_STATUS after SET_CONTAINER`, 'VFIO_GROUP_GET_STATUS', gfd, VFIO_GROUP_GET_STATUS, st2.bytes(), st2);
  }

  if (iommuSet) {
    const iommu = VfioIommuType1Info as unknown as ChainClass;
    const info = p.negotiated('container VFIO_IOMMU_GET_INFO', 'VFIO_IOMMU_GET_INFO', container, VFIO_IOMMU_GET_INFO, iommu, VfioIommuType1Info.alloc().bytes(), policy);
    // The same reply under strict (on kernels before 6.6 this is where strict refuses the chain).
    p.negotiated('container VFIO_IOMMU_GET_INFO strict', 'VFIO_IOMMU_GET_INFO', container, VFIO_IOMMU_GET_INFO, iommu, VfioIommuType1Info.alloc().bytes(), 'strict', false);
    const big = VfioIommuType1Info.alloc({ argsz: 512 });
    const bigCall = p.struct('container VFIO_IOMMU_GET_INFO oversized', 'VFIO_IOMMU_GET_INFO', container, VFIO_IOMMU_GET_INFO, new Uint8Array(big.dv.buffer), big);
    bigCall.caps = p.caps(big as unknown as ChainView, policy);
    if (bigCall.caps === undefined) delete bigCall.caps;
    const tiny = VfioIommuType1Info.alloc({ argsz: 4 });
    p.record('container VFIO_IOMMU_GET_INFO argsz=4', 'VFIO_IOMMU_GET_INFO', 4, () => t.ioctl(container, VFIO_IOMMU_GET_INFO, tiny.bytes()));
    if (info) {
      // Bytes the kernel does not write come back as 0xa5.
      const pre = new Uint8Array(info.length).fill(UNWRITTEN);
      const v = VfioIommuType1Info.from(pre);
      v.argsz = info.length;
      const c = p.struct('container VFIO_IOMMU_GET_INFO prefilled', 'VFIO_IOMMU_GET_INFO', container, VFIO_IOMMU_GET_INFO, pre, v);
      const caps = p.caps(v as unknown as ChainView, policy);
      if (caps) c.caps = caps;
    }
    p.record('container unknown ioctl', 'VFIO_BASE+99', null, () => t.ioctl(container, VFIO_UNKNOWN_IOCTL, 0));
  }

  bdfs.forEach((bdf, i) => {
    const gfd = groups[i]!;
    if (gfd < 0) return;
    p.record(`group ${bdf} VFIO_GROUP_GET_DEVICE_FD(no such device)`, 'VFIO_GROUP_GET_DEVICE_FD', null, () => {
      t.close(t.ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, cString('0000:ff:1f.7')));
      return 0;
    });
    let dfd = -1;
    const got = p.record(`device ${bdf} VFIO_GROUP_GET_DEVICE_FD`, 'VFIO_GROUP_GET_DEVICE_FD', null, () => {
      dfd = t.ioctl(gfd, VFIO_GROUP_GET_DEVICE_FD, cString(bdf));
      return 0;
    });
    if (got.ret < 0) return;
    const dev = p.negotiated(`device ${bdf} VFIO_DEVICE_GET_INFO`, 'VFIO_DEVICE_GET_INFO', dfd, VFIO_DEVICE_GET_INFO, VfioDeviceInfo as unknown as ChainClass, VfioDeviceInfo.alloc().bytes(), policy);
    const di = dev ? VfioDeviceInfo.from(dev) : undefined;
    for (let r = 0; r < (di?.num_regions ?? 0); r++) {
      p.negotiated(`device ${bdf} VFIO_DEVICE_GET_REGION_INFO(${r})`, 'VFIO_DEVICE_GET_REGION_INFO', dfd, VFIO_DEVICE_GET_REGION_INFO, VfioRegionInfo as unknown as ChainClass, VfioRegionInfo.alloc({ index: r }).bytes(), policy);
    }
    for (let q = 0; q < (di?.num_irqs ?? 0); q++) {
      const ii = VfioIrqInfo.alloc({ argsz: VfioIrqInfo.SIZE, index: q });
      p.struct(`device ${bdf} VFIO_DEVICE_GET_IRQ_INFO(${q})`, 'VFIO_DEVICE_GET_IRQ_INFO', dfd, VFIO_DEVICE_GET_IRQ_INFO, ii.bytes(), ii);
    }
    for (let f = 0; f < FEATURES_PROBED; f++) {
      for (const [flag, name] of [[VFIO_DEVICE_FEATURE_GET, 'GET'], [VFIO_DEVICE_FEATURE_SET, 'SET']] as const) {
        const feat = VfioDeviceFeature.alloc({ argsz: VfioDeviceFeature.SIZE, flags: VFIO_DEVICE_FEATURE_PROBE | flag | f });
        p.struct(`device ${bdf} VFIO_DEVICE_FEATURE(${f}, PROBE|${name})`, 'VFIO_DEVICE_FEATURE', dfd, VFIO_DEVICE_FEATURE, feat.bytes(), feat);
      }
    }
    p.record(`device ${bdf} unknown ioctl`, 'VFIO_BASE+99', null, () => t.ioctl(dfd, VFIO_UNKNOWN_IOCTL, 0));
    const pre = new Uint8Array(VfioRegionInfo.SIZE).fill(UNWRITTEN);
    const ri = VfioRegionInfo.from(pre);
    ri.argsz = VfioRegionInfo.SIZE;
    ri.index = VFIO_PCI_CONFIG_REGION_INDEX;
    p.struct(`device ${bdf} VFIO_DEVICE_GET_REGION_INFO(${VFIO_PCI_CONFIG_REGION_INDEX}) prefilled`, 'VFIO_DEVICE_GET_REGION_INFO', dfd, VFIO_DEVICE_GET_REGION_INFO, pre, ri);
    t.close(dfd);
  });
  for (const g of groups) if (g >= 0) t.close(g);
  t.close(container);
  return report;
}

/** Run as a program (not imported by run.ts): print the report. */
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  probe(process.argv.slice(2)).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (e: unknown) => {
      process.stdout.write(`${JSON.stringify(failedProbe(e))}\n`);
      process.exitCode = 1;
    },
  );
}

/** The report of a probe that threw before it could report. */
export function failedProbe(e: unknown): ProbeReport {
  return { program: 'ts', release: release(), machine: machine(), sizes: {}, calls: [], fatal: caught(e) };
}
