/** Kernel uapi naming and typing conventions the classification relies on. */
import type { RecordJson } from '../contract/layout-json.js';

/** `reserved`, `__reserved`, `resv`, `rsvd`, `pad`, `__pad2`, `padding`, `reserved1`, `spare`, `unused`. */
const RESERVED_RE = /^_*(reserved|resv|rsvd|rsv|pad|padding|spare|unused)_?\d*$/i;

export function isReservedName(name: string): boolean {
  return RESERVED_RE.test(name);
}

/** The last segment of a field path ("#2.devid" -> "devid"). */
export function leafName(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? path : path.slice(i + 1);
}

/** argsz-versioned (VFIO, iommufd style): the first member is `argsz`; userspace says how much it passes. */
export function isArgszVersioned(r: RecordJson): boolean {
  return r.kind === 'struct' && r.fields[0]?.name === 'argsz';
}

/**
 * Types that differ only in spelling, not in meaning: `__aligned_u64` is `__u64` with 8-byte
 * alignment (an alignment change shows up as a moved field or a resized record, not here), and
 * `__le32`/`__be32` are `__u32` annotated for sparse.
 */
export function normalizeType(t: string): string {
  return t
    .replace(/\b__aligned_(u64|s64|le64|be64)\b/g, '__$1')
    .replace(/\b__(?:le|be)(16|32|64)\b/g, '__u$1')
    .replace(/\bunsigned int\b/g, '__u32')
    .replace(/\bsigned char\b/g, '__s8')
    .replace(/\bunsigned char\b/g, '__u8')
    .replace(/\bunsigned short\b/g, '__u16')
    .replace(/\bunsigned long long\b/g, '__u64')
    .replace(/\blong long\b/g, '__s64')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Capability ids: `VFIO_REGION_INFO_CAP_SPARSE_MMAP`, `KVM_CAP_IRQCHIP`, ... */
export function isCapabilityName(name: string): boolean {
  return /(^|_)CAP_/.test(name) && !/_CAP_(FLAGS?|MASK|SHIFT)$/.test(name);
}

/**
 * Counts and limits (`VFIO_PCI_NUM_REGIONS`, `..._MAX`, `__IFLA_MAX`, `VFIO_DEVICE_STATE_NR`,
 * `BPF_..._CNT`): growing is an extension (check-uapi's "*_MAX/*_CNT enumerators grow").
 */
export function isCountName(name: string): boolean {
  return /(^|_)(NUM|NR|COUNT|CNT|MAX|LAST)(_|$)/.test(name) || /^__.*_MAX$/.test(name);
}

/** Names that are never ioctl requests whatever their value (flags, masks, shifts, sizes, ids). */
export function isNonIoctlName(name: string): boolean {
  return /_(FLAGS?|MASK|SHIFT|BITS?|OFFSET|SIZE|MAX|MIN|NUM|NR|COUNT|CNT|BASE|MAGIC)$/.test(name) || /_(FLAGS?|MASK|CAP)_/.test(name);
}

/** Masks of all supported/valid flags (`RWF_SUPPORTED`, `MOVE_MOUNT__MASK`): gaining bits is an extension. */
export function isMaskName(name: string): boolean {
  return /_(MASK|SUPPORTED|ALL|VALID|FLAGS_ALL)$/.test(name);
}

/**
 * A one- or zero-element trailing array made a C99 flexible array member (`__u32 data[1]` or
 * `data[0]` -> `data[]`): the kernel's flex-array conversion, which keeps every byte userspace
 * passes (check-uapi lists it as a known false positive of abidiff).
 */
export function isFlexConversion(oldType: string, newType: string): boolean {
  const m = /^(.*)\[(0|1)\]$/.exec(oldType.trim());
  return m !== null && normalizeType(`${m[1]}[]`) === normalizeType(newType);
}
