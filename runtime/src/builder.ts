/**
 * ChainBuilder: builds a capability chain the way the kernel does since 6.6 (vfio_info_cap_add +
 * vfio_info_cap_shift + the ioctl's copy-out): each cap is header + body rounded up to 8 bytes with
 * zeroed padding, `next` values are offsets from the start of the info buffer (the caps are shifted
 * by the info size), and an info size that is not a multiple of 8 is refused. `legacy: true`
 * reproduces pre-6.6 kernels (no rounding, any info size) for tests of the compat policy.
 */
import { ChainBuilderError } from './errors.js';
import { HOST_LITTLE_ENDIAN } from './access.js';
import { CAP_HEADER_SIZE } from './chain.js';

export interface CapWriter {
  /** Body size in bytes (after the 8-byte header). */
  readonly size: number;
  /** Write the body; `off` is where the body starts in `dv` (the header is already written). */
  write(dv: DataView, off: number): void;
}

export interface ChainBuilderOptions {
  /** Where the first cap goes: sizeof(info struct). Must be a multiple of 8 unless legacy. */
  readonly infoSize: number;
  readonly littleEndian?: boolean;
  /** Pre-6.6 kernel behaviour: caps are not rounded to 8 and infoSize may be misaligned. */
  readonly legacy?: boolean;
}

export interface InfoFieldOffsets {
  readonly argszOffset: number;
  readonly flagsOffset: number;
  readonly capOffsetOffset: number;
  readonly capsFlag: number;
}

export interface FinishOptions extends InfoFieldOffsets {
  /** The argsz the caller passed in (the size of the user's buffer). */
  readonly userArgsz: number;
}

export interface FinishResult {
  /** What the kernel copies back: info (with argsz/flags/cap_offset set) and, if they fit, the caps. Length min(userArgsz, needed) but at least infoSize. */
  readonly bytes: Uint8Array;
  /** infoSize + caps size: the argsz a retry needs. */
  readonly needed: number;
  /** True when the caps were copied (userArgsz >= needed). */
  readonly capsCopied: boolean;
}

interface PendingCap {
  readonly id: number;
  readonly version: number;
  readonly body: Uint8Array | CapWriter;
  readonly size: number;
}

export class ChainBuilder {
  private readonly caps: PendingCap[] = [];
  private total = 0;
  readonly infoSize: number;
  private readonly le: boolean;
  private readonly legacy: boolean;

  constructor(opts: ChainBuilderOptions) {
    this.legacy = opts.legacy === true;
    if (!Number.isInteger(opts.infoSize) || opts.infoSize < 0) throw new ChainBuilderError(`infoSize ${opts.infoSize} is not a valid size`);
    if (!this.legacy && opts.infoSize % 8 !== 0) {
      throw new ChainBuilderError(
        `infoSize ${opts.infoSize} is not a multiple of 8: caps would be misaligned (pre-6.6 kernel behaviour); ` +
          `use the padded 6.6 struct size (e.g. 24 for vfio_device_info) or legacy: true to emulate old kernels`,
      );
    }
    this.infoSize = opts.infoSize;
    this.le = opts.littleEndian ?? HOST_LITTLE_ENDIAN;
  }

  /** Append a cap; `body` excludes the 8-byte header. */
  add(id: number, version: number, body: Uint8Array | CapWriter): this {
    if (!(Number.isInteger(id) && id >= 0 && id <= 0xffff && Number.isInteger(version) && version >= 0 && version <= 0xffff)) {
      throw new ChainBuilderError(`cap id ${id} / version ${version} must be integers in 0..65535`);
    }
    const bodySize = body instanceof Uint8Array ? body.length : body.size;
    const raw = CAP_HEADER_SIZE + bodySize;
    const size = this.legacy ? raw : (raw + 7) & ~7;
    if (this.infoSize + this.total + size > 0xffffffff) throw new ChainBuilderError('chain exceeds 4 GiB (argsz is a __u32)');
    this.caps.push({ id, version, body, size });
    this.total += size;
    return this;
  }

  /** Bytes all caps take (sum of rounded sizes). */
  get capsSize(): number {
    return this.total;
  }

  get count(): number {
    return this.caps.length;
  }

  /** The caps region alone, with `next` already shifted by infoSize (what the kernel copies to infoSize). */
  buildCaps(): Uint8Array {
    const out = new Uint8Array(this.total);
    const dv = new DataView(out.buffer);
    let pos = 0;
    for (let i = 0; i < this.caps.length; i++) {
      const c = this.caps[i]!;
      const last = i === this.caps.length - 1;
      dv.setUint16(pos, c.id, this.le);
      dv.setUint16(pos + 2, c.version, this.le);
      dv.setUint32(pos + 4, last ? 0 : this.infoSize + pos + c.size, this.le);
      if (c.body instanceof Uint8Array) out.set(c.body, pos + CAP_HEADER_SIZE);
      else c.body.write(dv, pos + CAP_HEADER_SIZE);
      pos += c.size;
    }
    return out;
  }

  /**
   * The ioctl's copy-out. `info` holds the info struct (its first infoSize bytes are used). If
   * userArgsz < needed: argsz = needed, CAPS flag set, cap_offset = 0, no caps. Otherwise the caps
   * follow the info, cap_offset = infoSize and argsz stays userArgsz. No caps: flag and offset untouched.
   */
  finish(info: Uint8Array, opts: FinishOptions): FinishResult {
    const needed = this.infoSize + this.total;
    const fits = opts.userArgsz >= needed;
    const len = Math.max(this.infoSize, fits ? Math.min(opts.userArgsz, needed) : this.infoSize);
    const out = new Uint8Array(len);
    out.set(info.subarray(0, Math.min(info.length, this.infoSize)));
    const dv = new DataView(out.buffer);
    if (this.caps.length === 0) {
      dv.setUint32(opts.argszOffset, opts.userArgsz, this.le);
      return { bytes: out, needed, capsCopied: false };
    }
    dv.setUint32(opts.flagsOffset, (dv.getUint32(opts.flagsOffset, this.le) | opts.capsFlag) >>> 0, this.le);
    if (fits) {
      out.set(this.buildCaps(), this.infoSize);
      dv.setUint32(opts.capOffsetOffset, this.infoSize, this.le);
      dv.setUint32(opts.argszOffset, opts.userArgsz, this.le);
    } else {
      dv.setUint32(opts.capOffsetOffset, 0, this.le);
      dv.setUint32(opts.argszOffset, needed, this.le);
    }
    return { bytes: out, needed, capsCopied: fits };
  }
}
