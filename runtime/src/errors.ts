/**
 * Every error the runtime throws on bad input is a UapiRuntimeError subclass carrying the numbers
 * that explain it, with a message that says what to do. Callers can `instanceof UapiRuntimeError`
 * to separate "the kernel (or a fake) handed us bytes we refuse" from programming errors.
 */
export class UapiRuntimeError extends Error {
  override name = 'UapiRuntimeError';
}

/** A struct view, array or field read would go past the end of its buffer. */
export class StructOutOfBoundsError extends UapiRuntimeError {
  override name = 'StructOutOfBoundsError';
  constructor(
    readonly offset: number,
    readonly size: number,
    readonly bufferLength: number,
  ) {
    super(
      `struct/array of ${size} bytes at offset ${offset} does not fit in a ${bufferLength}-byte buffer; ` +
        `pass a buffer of at least ${offset + size} bytes (or the argsz the kernel asked for)`,
    );
  }
}

/** An element index outside [0, length) of a fixed or flexible array accessor. */
export class IndexOutOfRangeError extends UapiRuntimeError {
  override name = 'IndexOutOfRangeError';
  constructor(
    readonly index: number,
    readonly length: number,
  ) {
    super(`index ${index} is outside the array's 0..${length - 1}; check .length before indexing`);
  }
}

/** The info struct itself (through cap_offset) does not fit in the buffer or in argsz. */
export class InfoTruncatedError extends UapiRuntimeError {
  override name = 'InfoTruncatedError';
  constructor(
    readonly infoEnd: number,
    readonly bufferLength: number,
    readonly argsz: number,
  ) {
    super(
      `the info struct needs ${infoEnd} bytes (through cap_offset) but the buffer has ${bufferLength} ` +
        `and argsz is ${argsz}; issue the ioctl with argsz >= ${infoEnd}`,
    );
  }
}

/** A capability header or body reaches past min(argsz, buffer length), or starts inside the info struct. */
export class CapabilityOutOfBoundsError extends UapiRuntimeError {
  override name = 'CapabilityOutOfBoundsError';
  constructor(
    readonly offset: number,
    readonly size: number,
    readonly bufferLength: number,
    readonly argsz: number,
    readonly infoEnd = 0,
  ) {
    super(
      offset < infoEnd
        ? `capability offset ${offset} points inside the info struct (which ends at ${infoEnd}); ` +
            `the chain is corrupt or the infoEnd option does not match the kernel's struct`
        : `capability at offset ${offset} (${size} bytes) ends past min(argsz=${argsz}, buffer length=${bufferLength}); ` +
            `retry the ioctl with a buffer of argsz bytes, or the chain is corrupt`,
    );
  }
}

/** A `next` pointer that does not move forward: the chain would loop. */
export class CapabilityCycleError extends UapiRuntimeError {
  override name = 'CapabilityCycleError';
  constructor(
    readonly offset: number,
    readonly next: number,
  ) {
    super(
      `capability at offset ${offset} has next=${next}, which does not move forward; ` +
        `the chain is corrupt (next must be 0 or strictly increasing)`,
    );
  }
}

/** How the runtime's own chain API asks for the compat policy (ChainOptions.alignment). */
export const RUNTIME_COMPAT_OPTION = "alignment: 'compat' (policyForKernel('6.1'))";

/**
 * strict alignment policy: a capability offset that is not a multiple of 8. `compatOption` says
 * how the API the caller used asks for the compat policy (a view's `caps({ policy: 'compat' })`,
 * the runtime's `alignment: 'compat'`, decode's `--policy compat`).
 */
export class CapabilityMisalignedError extends UapiRuntimeError {
  override name = 'CapabilityMisalignedError';
  constructor(
    readonly offset: number,
    readonly compatOption: string = RUNTIME_COMPAT_OPTION,
  ) {
    super(
      `capability at offset ${offset} is not 8-byte aligned; kernels before 6.6 produce such chains ` +
        `(e.g. caps at 20 after a 20-byte vfio_device_info): use ${compatOption} ` +
        `to copy misaligned caps into aligned storage`,
    );
  }
}

/**
 * The reply's argsz says the kernel wanted more bytes than the buffer holds: its capabilities were
 * not copied (cap_offset is 0), so there is no chain to read. Issue the ioctl again with a buffer
 * of `argsz` bytes (negotiate() and negotiateCursor() do).
 */
export class ReplyTruncatedError extends UapiRuntimeError {
  override name = 'ReplyTruncatedError';
  constructor(
    readonly argsz: number,
    readonly bufferLength: number,
  ) {
    super(
      `truncated: kernel asked for ${argsz} bytes but the buffer holds ${bufferLength}; its capabilities were not copied: ` +
        `issue the ioctl again with argsz ${argsz} (negotiate() and negotiateCursor() retry by themselves)`,
    );
  }
}

/** A known capability's bytes (up to `next`, or to argsz for the last one) are fewer than its struct. */
export class CapabilityTooSmallError extends UapiRuntimeError {
  override name = 'CapabilityTooSmallError';
  constructor(
    readonly id: number,
    readonly version: number,
    readonly capName: string,
    readonly offset: number,
    readonly size: number,
    readonly minSize: number,
  ) {
    super(
      `capability ${capName} (id ${id} v${version}) at offset ${offset} has ${size} bytes but its struct ` +
        `needs ${minSize}; the chain is corrupt or the cap table's minSize is for a newer kernel`,
    );
  }
}

/** A flexible array's count field claims more elements than the capability's bytes hold. */
export class FlexibleArrayOverflowError extends UapiRuntimeError {
  override name = 'FlexibleArrayOverflowError';
  constructor(
    readonly offset: number,
    readonly count: number,
    readonly elementSize: number,
    readonly available: number,
  ) {
    super(
      `flexible array at offset ${offset} claims ${count} elements of ${elementSize} bytes but only ` +
        `${available} bytes are there; the count field is corrupt or the buffer was truncated (retry with argsz)`,
    );
  }
}

/** More capabilities than maxHops: refuse rather than walk an absurd chain. */
export class ChainTooLongError extends UapiRuntimeError {
  override name = 'ChainTooLongError';
  constructor(readonly maxHops: number) {
    super(`capability chain has more than ${maxHops} entries; raise opts.maxHops if this is legitimate`);
  }
}

/** ChainBuilder misuse: start offset not 8-aligned, bad id/version, oversized body. */
export class ChainBuilderError extends UapiRuntimeError {
  override name = 'ChainBuilderError';
}

/** The argsz the kernel asks for kept growing (or exceeded maxArgsz) across retries. */
export class ArgszNegotiationError extends UapiRuntimeError {
  override name = 'ArgszNegotiationError';
  constructor(
    readonly request: number | bigint,
    readonly attempts: number,
    readonly lastArgsz: number,
    readonly maxArgsz: number,
    /** The ioctl's name (VFIO_IOMMU_GET_INFO), when the caller passed a named request. */
    readonly ioctl?: string,
  ) {
    super(
      `${ioctl ?? `ioctl 0x${request.toString(16)}`} still asked for a bigger buffer (argsz=${lastArgsz}) after ${attempts} ` +
        `attempts (maxArgsz ${maxArgsz}); the device keeps adding capabilities — raise maxAttempts/maxArgsz`,
    );
  }
}

/**
 * An ioctl request with its name, as generated packages describe them (`ioctls.X` has both):
 * pass it where a request number goes and errors name the ioctl.
 */
export interface NamedRequest {
  readonly request: number | bigint;
  readonly name: string;
}

/** A request number, or one with its name. */
export type IoctlRequest = number | bigint | NamedRequest;

/** The number of a request. */
export function requestNumber(r: IoctlRequest): number | bigint {
  return typeof r === 'object' ? r.request : r;
}

/** What to try when opening `path` failed with `code`. */
export function openHint(path: string, code: string): string {
  const group = /^\/dev\/vfio\/(\d+)$/.exec(path);
  const devices = group ? `/sys/kernel/iommu_groups/${group[1]}/devices` : '';
  switch (code) {
    case 'ENOENT':
    case 'ENXIO':
    case 'ENODEV':
      return group
        ? `no such device node: is the module loaded (modprobe vfio-pci) and a device of IOMMU group ${group[1]} bound to vfio-pci (${devices})?`
        : path.startsWith('/dev/vfio')
          ? 'no such device node: is the module loaded (modprobe vfio-pci; vfio for /dev/vfio/vfio)?'
          : path.startsWith('/dev/iommu')
            ? 'no such device node: is the module loaded (modprobe iommufd)?'
            : 'no such device node: is the module loaded?';
    case 'EACCES':
    case 'EPERM':
      return group
        ? `check the permissions of ${path} (its owner and mode, or a udev rule giving your user the group), or run as root; DMA mappings also need RLIMIT_MEMLOCK`
        : `check the permissions of ${path} (its owner and mode), or run as root`;
    case 'EBUSY':
      return group ? `the group is already open (a VFIO group has one opener: this or another process, e.g. QEMU)` : 'the device is busy (already open elsewhere?)';
    default:
      return '';
  }
}

/** A real ioctl/open/close returned -1; errno and its symbolic code are attached. */
export class IoctlError extends UapiRuntimeError {
  override name = 'IoctlError';
  /**
   * @param request the request number, or what failed (`open /dev/vfio/7`, `mmap ...`)
   * @param ioctl the ioctl's name when known (`VFIO_DEVICE_GET_REGION_INFO`): the message starts with it
   */
  constructor(
    readonly request: number | bigint | string,
    readonly errno: number,
    readonly code: string,
    readonly ioctl?: string,
  ) {
    const what = ioctl ?? (typeof request === 'string' ? request : `ioctl 0x${request.toString(16)}`);
    const detail = ioctl !== undefined && typeof request !== 'string' ? `errno ${errno}, request 0x${request.toString(16)}` : `errno ${errno}`;
    const open = typeof request === 'string' && request.startsWith('open ') ? openHint(request.slice(5), code) : '';
    super(
      `${what} failed: ${code} (${detail})` +
        (open ? `; ${open}` : '') +
        (code === 'ENOTTY' ? '; the file descriptor does not support this request (wrong device or request number)' : '') +
        (code === 'EINVAL' ? '; check argsz and the struct layout for this kernel' : ''),
    );
  }

  /** The same error naming `ioctl` (unchanged when it already names one). */
  named(ioctl: string): IoctlError {
    if (this.ioctl !== undefined || typeof this.request === 'string') return this;
    const e = new IoctlError(this.request, this.errno, this.code, ioctl);
    (e as { cause?: unknown }).cause = this;
    return e;
  }
}

/**
 * loadTransport() cannot load koffi, the FFI package the ioctl transport binds libc with: it is an
 * optional peer dependency (decoding never needs it), and it has no build for some ABIs.
 */
export class TransportUnavailableError extends UapiRuntimeError {
  override name = 'TransportUnavailableError';
  constructor(
    /** Why: 'not installed', or what loading it said. */
    readonly reason: string,
    /** The platforms koffi has builds for, as `linux-<process.arch>` (from the runtime's list). */
    readonly platforms: readonly string[] = [],
  ) {
    super(
      `loadTransport() needs the optional package koffi, which ${reason === 'not installed' ? 'is not installed' : `could not be loaded (${reason})`}: ` +
        `run \`npm install koffi\` in your app. koffi has builds for ${platforms.join(', ') || 'some platforms'} ` +
        `(not s390x or big-endian ppc64); decoding and building structs work without it`,
    );
  }
}

/** The generated package was built against a different runtime major/minor. */
export class RuntimeVersionMismatchError extends UapiRuntimeError {
  override name = 'RuntimeVersionMismatchError';
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `generated bindings expect @uapi-ts/runtime ${expected} but ${actual} is installed; ` +
        `install a matching runtime or regenerate the bindings`,
    );
  }
}
