/**
 * The C program's view of a kernel against ours, call by call, field by field, cap by cap. The C
 * report is the truth (fields by C name through the kernel's own headers); every key it has must
 * be in ours with the same value. Ours may have more (the package's `pad` members on 6.1).
 *
 * Ours is either the TypeScript program's report from the same guest, or the C program's raw
 * bytes decoded on the host with @uapi-ts/vfio for the guest's ABI (`decodeReport`, s390x: koffi
 * has no s390x build, so nothing of ours runs in that guest).
 */
import type { Bindings } from '@uapi-ts/vfio';
import type { Call, CapRecord, Json, ProbeReport } from './guest/report.js';

export interface Mismatch {
  key: string;
  /** What differs: "missing", "ret", "errno", "request", "bytes", "fields.argsz", "caps[1].fields.nr_iovas"... */
  what: string;
  c: Json | undefined;
  ours: Json | undefined;
}

/** A cap C prints fields of and ours has only as a header: the package does not type it yet. */
export interface Untyped {
  key: string;
  offset: number;
  id: number;
  version: number;
  /** C member names not compared. */
  fields: string[];
}

export interface Comparison {
  /** C calls compared. */
  calls: number;
  /** Field values compared (leaves). */
  values: number;
  mismatches: Mismatch[];
  untyped: Untyped[];
}

const isObj = (v: unknown): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf of `c` must be in `ours` with the same value (objects by key, arrays by index and length). */
function subset(c: Json | undefined, ours: Json | undefined, path: string, key: string, out: Comparison): void {
  if (isObj(c)) {
    if (!isObj(ours)) {
      out.mismatches.push({ key, what: path, c, ours });
      return;
    }
    for (const k of Object.keys(c)) subset(c[k], ours[k], path ? `${path}.${k}` : k, key, out);
    return;
  }
  if (Array.isArray(c)) {
    if (!Array.isArray(ours) || ours.length !== c.length) {
      out.mismatches.push({ key, what: `${path}.length`, c: c.length, ours: Array.isArray(ours) ? ours.length : ours });
      return;
    }
    c.forEach((x, i) => subset(x, ours[i], `${path}[${i}]`, key, out));
    return;
  }
  out.values++;
  // The C program prints a byte array (a zPCI cap's pfip, util_str) as hex; a view reads it as numbers.
  if (typeof c === 'string' && Array.isArray(ours) && ours.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b < 256)) {
    const hex = Buffer.from(ours as number[]).toString('hex');
    if (c !== hex) out.mismatches.push({ key, what: path, c, ours: hex });
    return;
  }
  if (c !== ours) out.mismatches.push({ key, what: path, c, ours });
}

/** argsz as the kernel answered it: "fits" when it kept the caller's value, else the size it asked for. */
const askedFor = (call: Call): number | 'fits' | undefined => {
  const a = call.fields?.['argsz'];
  if (typeof a !== 'number' || call.argszIn === null) return undefined;
  return a === call.argszIn ? 'fits' : a;
};

const isHeaderOnly = (f: { [k: string]: Json }): boolean => Object.keys(f).every((k) => k === 'id' || k === 'version' || k === 'next');

function compareCaps(cCaps: CapRecord[] | undefined, oCaps: CapRecord[] | undefined, key: string, out: Comparison): void {
  const c = cCaps ?? [];
  const o = oCaps ?? [];
  if (c.length !== o.length) {
    out.mismatches.push({ key, what: 'caps.length', c: c.length, ours: o.length });
    return;
  }
  c.forEach((cc, i) => {
    const oc = o[i]!;
    for (const k of ['offset', 'id', 'version', 'next'] as const) subset(cc[k], oc[k], `caps[${i}].${k}`, key, out);
    if (isHeaderOnly(oc.fields) && !isHeaderOnly(cc.fields)) {
      // C knows this cap's struct, the package only its header: compare the header it has.
      const h = isObj(cc.fields['header']) ? cc.fields['header'] : cc.fields;
      subset({ id: h['id'] ?? null, version: h['version'] ?? null, next: h['next'] ?? null }, oc.fields, `caps[${i}].fields`, key, out);
      out.untyped.push({ key, offset: cc.offset, id: cc.id, version: cc.version, fields: Object.keys(cc.fields).filter((k) => k !== 'header') });
      return;
    }
    subset(cc.fields, oc.fields, `caps[${i}].fields`, key, out);
  });
}

export function compareReports(c: ProbeReport, ours: ProbeReport): Comparison {
  const out: Comparison = { calls: 0, values: 0, mismatches: [], untyped: [] };
  const byKey = new Map(ours.calls.map((x) => [x.key, x]));
  for (const cc of c.calls) {
    out.calls++;
    const oc = byKey.get(cc.key);
    if (!oc) {
      out.mismatches.push({ key: cc.key, what: 'missing', c: cc.ret, ours: undefined });
      continue;
    }
    subset(cc.ret, oc.ret, 'ret', cc.key, out);
    subset(cc.errno, oc.errno, 'errno', cc.key, out);
    if (cc.request !== undefined) subset(cc.request, oc.request, 'request', cc.key, out);
    if (cc.errno !== null && oc.error !== undefined) {
      // Ours failed as C did: it must say so as an IoctlError carrying C's errno and request.
      subset('IoctlError', oc.error.name, 'error.name', cc.key, out);
      subset(cc.errno, oc.error.code ?? null, 'error.code', cc.key, out);
      if (cc.request !== null) subset(cc.request, oc.error.request ?? null, 'error.request', cc.key, out);
    }
    const sameArgsz = cc.argszIn === oc.argszIn;
    if (cc.bytes !== undefined) {
      if (oc.bytes === undefined) out.mismatches.push({ key: cc.key, what: 'bytes', c: cc.bytes, ours: undefined });
      else {
        // With another argsz passed in (the package's struct is bigger than the kernel's), the
        // argsz member differs by design and the bigger buffer has bytes the other never had.
        const from = sameArgsz ? 0 : 8;
        const n = sameArgsz ? Math.max(cc.bytes.length, oc.bytes.length) : Math.min(cc.bytes.length, oc.bytes.length);
        out.values++;
        if (cc.bytes.slice(from, n) !== oc.bytes.slice(from, n)) out.mismatches.push({ key: cc.key, what: 'bytes', c: cc.bytes, ours: oc.bytes });
      }
    }
    if (cc.fields !== undefined) {
      const { argsz, ...rest } = cc.fields;
      if (sameArgsz) subset(argsz, oc.fields?.['argsz'], 'fields.argsz', cc.key, out);
      else subset(askedFor(cc) ?? null, askedFor(oc) ?? null, 'fields.argsz (asked for)', cc.key, out);
      subset(rest, oc.fields, 'fields', cc.key, out);
    }
    compareCaps(cc.caps, oc.caps, cc.key, out);
  }
  return out;
}

/** The view class decoding each ioctl's reply. */
const REPLY_STRUCT: Record<string, keyof Bindings> = {
  VFIO_GROUP_GET_STATUS: 'VfioGroupStatus',
  VFIO_IOMMU_GET_INFO: 'VfioIommuType1Info',
  VFIO_DEVICE_GET_INFO: 'VfioDeviceInfo',
  VFIO_DEVICE_GET_REGION_INFO: 'VfioRegionInfo',
  VFIO_DEVICE_GET_IRQ_INFO: 'VfioIrqInfo',
  VFIO_DEVICE_FEATURE: 'VfioDeviceFeature',
};

interface DecodeView {
  toJSON(): { [k: string]: Json };
  caps?(opts?: { policy?: 'strict' | 'compat' }): Iterable<{ known: boolean; offset: number; id: number; version: number; next: number; bytes: Uint8Array; view?: { toJSON(): { [k: string]: Json } } }>;
}

/**
 * Our reading of the C program's replies: each reply's bytes through the package's view class for
 * `b.abi`, its chain through the generated caps() under `policy`; request numbers from the package.
 */
export function decodeReport(
  c: ProbeReport,
  b: Bindings,
  policy: 'strict' | 'compat',
): ProbeReport & { decodeErrors: { key: string; error: string }[]; extended: { key: string; from: number; to: number }[] } {
  const decodeErrors: { key: string; error: string }[] = [];
  const extended: { key: string; from: number; to: number }[] = [];
  const requestOf = (name: string): string | null => {
    const v = (b.constants as unknown as Record<string, number | bigint | undefined>)[name];
    return v === undefined ? null : `0x${v.toString(16)}`;
  };
  const calls: Call[] = c.calls.map((cc) => {
    const o: Call = { key: cc.key, ioctl: cc.ioctl, request: cc.request === null ? null : requestOf(cc.ioctl) ?? cc.request, argszIn: cc.argszIn, ret: cc.ret, errno: cc.errno };
    if (cc.ioctl === 'VFIO_BASE+99') o.request = `0x${(Number(b.constants.VFIO_GET_API_VERSION) + 99).toString(16)}`;
    const cls = REPLY_STRUCT[cc.ioctl];
    if (cc.bytes === undefined || cls === undefined) return o;
    o.bytes = cc.bytes;
    const raw = new Uint8Array(Buffer.from(cc.bytes, 'hex'));
    const View = b[cls] as unknown as { readonly SIZE: number; from(buf: Uint8Array): DecodeView };
    // A reply to an older kernel's smaller struct (6.1's 20-byte vfio_device_info; the package has
    // 6.6's `pad` and 24) is shorter than the view: from() refuses it, so it is zero-extended here.
    let bytes = raw;
    if (raw.length < View.SIZE) {
      bytes = new Uint8Array(View.SIZE);
      bytes.set(raw);
      extended.push({ key: cc.key, from: raw.length, to: View.SIZE });
    }
    try {
      const view = View.from(bytes);
      o.fields = view.toJSON();
      if (cc.ret === 0 && view.caps && typeof o.fields['cap_offset'] === 'number' && o.fields['cap_offset'] !== 0) {
        const caps: CapRecord[] = [];
        for (const cap of view.caps({ policy })) {
          const fields = cap.known && cap.view ? cap.view.toJSON() : b.VfioInfoCapHeader.from(cap.bytes).toJSON();
          caps.push({ offset: cap.offset, id: cap.id, version: cap.version, next: cap.next, fields: fields as { [k: string]: Json } });
        }
        if (caps.length > 0) o.caps = caps;
      }
    } catch (e) {
      decodeErrors.push({ key: cc.key, error: `${(e as Error).name}: ${(e as Error).message}` });
    }
    return o;
  });
  return { program: 'ts', release: c.release, machine: c.machine, sizes: {}, calls, decodeErrors, extended };
}

/** Mismatches as text, at most `limit`. */
export function formatMismatches(m: readonly Mismatch[], limit = 20): string {
  const lines = m.slice(0, limit).map((x) => `  ${x.key}: ${x.what}: C ${JSON.stringify(x.c)}, ours ${JSON.stringify(x.ours)}`);
  if (m.length > limit) lines.push(`  ... ${m.length - limit} more`);
  return lines.join('\n');
}
