/**
 * argsz negotiation: issue the ioctl with argsz = sizeof(info); if the kernel answers with a bigger
 * argsz (the copy-out rule: caps did not fit, cap_offset = 0), grow the buffer to that argsz and
 * retry, a bounded number of times. Then validate and parse the capability chain (negotiate), or
 * hand back a cursor over it that allocates nothing per cap (negotiateCursor).
 */
import { ArgszNegotiationError, IoctlError, requestNumber, type IoctlRequest } from './errors.js';
import { HOST_LITTLE_ENDIAN } from './access.js';
import { CapabilityCursor, readCapabilityChain, type ChainOptions, type ParsedChain } from './chain.js';

/** Issues one ioctl on `arg` in place; throws (e.g. IoctlError) on failure. Return value is passed through. */
export type IoctlFn = (request: number | bigint, arg: Uint8Array) => number;

export interface NegotiateOptions extends Omit<ChainOptions, 'argsz'> {
  /** sizeof(info) for the first attempt (default: initialInfo.length). */
  readonly infoSize?: number;
  /** Attempts before ArgszNegotiationError (default 4). */
  readonly maxAttempts?: number;
  /** Largest buffer we agree to allocate (default 16 MiB). */
  readonly maxArgsz?: number;
}

export interface NegotiateResult extends ParsedChain {
  /** The whole buffer the last ioctl filled (info followed by caps). */
  readonly info: Uint8Array;
  readonly attempts: number;
  readonly ioctlResult: number;
}

/** What negotiateCursor returns: the reply and a cursor over its chain. */
export interface NegotiatedCursor {
  /** The whole buffer the last ioctl filled (info followed by caps). */
  readonly info: Uint8Array;
  /** The argsz of the last reply (at most info.length). */
  readonly argsz: number;
  readonly attempts: number;
  readonly ioctlResult: number;
  /**
   * A cursor over the reply's chain, not yet started: every check runs as it walks, so a bad
   * chain throws from `caps.next()` (an info too short for its own fields throws at once, from
   * negotiateCursor). Allocates nothing per cap on an aligned chain under the strict policy.
   */
  readonly caps: CapabilityCursor;
}

/**
 * `request`: the number, or a generated `ioctls.X` (number and name), which errors then name.
 * `initialInfo` carries the input fields (e.g. vfio_region_info.index); it is copied into every
 * attempt's fresh buffer, with argsz set to that buffer's length.
 */
export function negotiate(ioctl: IoctlFn, request: IoctlRequest, initialInfo: Uint8Array, opts: NegotiateOptions): NegotiateResult {
  const r = exchange(ioctl, request, initialInfo, opts);
  const chain = readCapabilityChain(r.info, { ...opts, argsz: r.argsz });
  return { ...chain, info: r.info, attempts: r.attempts, ioctlResult: r.ioctlResult };
}

/**
 * negotiate() for hot paths: the same exchange, then a cursor over the chain instead of an array
 * of parsed caps (an object and a view per cap).
 */
export function negotiateCursor(ioctl: IoctlFn, request: IoctlRequest, initialInfo: Uint8Array, opts: NegotiateOptions): NegotiatedCursor {
  const r = exchange(ioctl, request, initialInfo, opts);
  return { ...r, caps: new CapabilityCursor(r.info, { ...opts, argsz: r.argsz }) };
}

interface Exchanged {
  readonly info: Uint8Array;
  readonly argsz: number;
  readonly attempts: number;
  readonly ioctlResult: number;
}

function exchange(ioctl: IoctlFn, named: IoctlRequest, initialInfo: Uint8Array, opts: NegotiateOptions): Exchanged {
  const request = requestNumber(named);
  const name = typeof named === 'object' ? named.name : undefined;
  const le = opts.littleEndian ?? HOST_LITTLE_ENDIAN;
  const maxAttempts = opts.maxAttempts ?? 4;
  const maxArgsz = opts.maxArgsz ?? 16 << 20;
  let size = Math.max(opts.infoSize ?? initialInfo.length, opts.argszOffset + 4);
  let lastArgsz = size;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // Keep the buffer 8-aligned in memory: a fresh ArrayBuffer always is.
    const buf = new Uint8Array(size);
    buf.set(initialInfo.subarray(0, Math.min(initialInfo.length, size)));
    const dv = new DataView(buf.buffer);
    dv.setUint32(opts.argszOffset, size, le);
    let rc: number;
    try {
      rc = ioctl(request, buf);
    } catch (e) {
      throw name !== undefined && e instanceof IoctlError ? e.named(name) : e;
    }
    const argsz = dv.getUint32(opts.argszOffset, le);
    lastArgsz = argsz;
    if (argsz <= size) return { info: buf, argsz, attempts: attempt, ioctlResult: rc };
    if (argsz > maxArgsz) break;
    size = argsz;
  }
  throw new ArgszNegotiationError(request, maxAttempts, lastArgsz, maxArgsz, name);
}
