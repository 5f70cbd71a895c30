/**
 * `uapi-ts decode <struct> [--abi A] [--caps] [--format json] [--hex] [--policy strict|compat] [--tables F] [FILE|-]`
 * Decode raw bytes (e.g. a captured ioctl reply) as a struct of the generated bindings, with its
 * capability chain. Uses the generated tables.json and the runtime chain reader; never ts-morph.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import os from 'node:os';
import { BindingView, bindingToJSON, linkTables, ReplyTruncatedError, UapiRuntimeError, walkCaps, type BindingLayout, type CapEntry, type TablesJson } from '@uapi-ts/runtime';
import { TablesJsonSchema, tablesProblems, type TablesJsonFile } from '../contract/tables-json.js';
import { problemLines, schemaProblems } from '../contract/validate.js';
import { printable } from '../diagnostics.js';
import { ABIS, getAbi, hostAbi } from '../layout/abi/index.js';
import { replyHtml } from '../report/picture/reply-page.js';
import { one, parseArgs, UsageError, type ParsedArgs } from './args.js';
import { defaultTablesPath } from './paths.js';

const USAGE = 'usage: uapi-ts decode <struct> [--abi A] [--caps] [--format text|json|html] [--hex] [--policy strict|compat] [--tables tables.json] [--max-bytes N] [FILE|-]';

export const DECODE_HELP = `${USAGE}

Decodes raw bytes (a captured ioctl reply, say) as <struct> of the generated bindings, on one ABI
(default: this host's), and with --caps walks its capability chain.

  FILE|-                 the bytes (default: stdin)
  --hex                  the input is hex text: hex digits and whitespace, each token may start
                         with 0x; digits are read in pairs across tokens
  --abi <abi>            ${ABIS.map((a) => a.name).join(' ')}
  --caps                 also decode the capability chain
  --format text|json|html  default text; html: one self-contained page, the bytes as a hex grid
                         with the struct and (--caps) every capability over them, misaligned
                         caps marked; a chain strict policy refuses is drawn as compat reads it,
                         and the exit status is still 1
  --policy strict|compat strict (default) refuses a misaligned (pre-6.6 kernel) chain; compat reads it
  --tables <file>        the generated tables.json (default: the installed @uapi-ts/vfio's), checked
                         against its schema first (docs/tables-json.md)
  --max-bytes N          read at most N bytes of input (default 16777216, a u32 argsz's worth
                         of reply); more is an error [budget]

exit status: 0 ok, 1 bad input (unreadable file or tables, bad hex, unknown struct, too few bytes,
a chain strict policy refuses), 2 usage.
`;

/** Bad input data or files (exit 1), as opposed to bad usage (UsageError, exit 2); one problem per line. */
export class DecodeInputError extends Error {
  override readonly name = 'DecodeInputError';
}

/** Why a file can't be read, in a few words ("no such file", "is a directory"). */
function why(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (e as Error).message;
}

function defaultTables(): string {
  const found = defaultTablesPath();
  if (!found) throw new DecodeInputError('no default tables: @uapi-ts/vfio is not installed here (npm install @uapi-ts/vfio) or pass --tables tables.json');
  return found;
}

/** A reply is at most one argsz (a u32) of bytes; decode reads no more than this, by default (--max-bytes). */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The input, read in chunks up to `max` bytes: a larger input (`/dev/zero`, a mistaken file) is an
 * error once `max` + 1 bytes are in, never a read of the whole thing into memory.
 */
function readInput(path: string | undefined, max: number): Buffer {
  const stdin = path === undefined || path === '-';
  let fd: number;
  try {
    fd = stdin ? 0 : openSync(path, 'r');
  } catch (e) {
    throw new DecodeInputError(`cannot read ${path}: ${why(e)}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, max + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw new DecodeInputError(`cannot read ${stdin ? 'stdin' : path}: ${why(e)}`);
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > max) throw new DecodeInputError(`${stdin ? 'stdin' : path}: more than ${max} bytes; decode reads one reply (a struct and its argsz), raise the limit with --max-bytes`);
    }
  } finally {
    if (!stdin) closeSync(fd);
  }
  return Buffer.concat(chunks, total);
}

/**
 * The generated tables, checked against the tables.json schema and for names and bytes that lie
 * outside their struct (contract/tables-json.ts), so that decoding them cannot read outside a buffer
 * or fail with a TypeError: each problem is a line `<file>: <JSON Pointer>: <what is wrong>`.
 */
function readTables(path: string): TablesJson {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new DecodeInputError(`no generated tables at ${path} (run \`npm run generate\`, or pass --tables)`);
    throw new DecodeInputError(`cannot read tables ${path}: ${why(e)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DecodeInputError(`${path}: not JSON (${(e as Error).message})`);
  }
  const problems = schemaProblems(TablesJsonSchema, data);
  const valid = data as TablesJsonFile;
  if (problems.length === 0) problems.push(...tablesProblems(valid));
  if (problems.length > 0) throw new DecodeInputError(problemLines(problems, `${path}: `).join('\n'));
  return valid;
}

/**
 * Hex text -> bytes: hex digits and whitespace only; a whitespace-separated token may start with
 * 0x. Digits pair up across tokens (a hex dump broken into lines), so the total must be even.
 */
export function parseHex(text: string): Uint8Array {
  const digits: string[] = [];
  const re = /\S+/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const token = m[0];
    const skip = /^0[xX]/.test(token) ? 2 : 0;
    for (let i = skip; i < token.length; i++) {
      const c = token[i]!;
      if (/[0-9a-fA-F]/.test(c)) {
        digits.push(c);
        continue;
      }
      const at = m.index + i;
      const before = text.slice(0, at);
      const line = before.split('\n').length;
      const col = at - before.lastIndexOf('\n');
      throw new DecodeInputError(`--hex input: ${JSON.stringify(c)} at line ${line}, column ${col} is not a hex digit`);
    }
  }
  if (digits.length % 2 !== 0) throw new DecodeInputError(`--hex input has an odd number of hex digits (${digits.length})`);
  const clean = digits.join('');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

type Json = ReturnType<typeof bindingToJSON>;

interface DecodeResult {
  struct: string;
  abi: string;
  fields: Json;
  caps?: { offset: number; id: number; version: number; next: number; name: string | null; aligned: boolean; fields: Json | null }[];
  diagnostics: string[];
}

/** Decode `bytes` as `struct` on `abi` from linked tables (exported for tests). */
export function decode(tables: TablesJson, struct: string, abi: string, bytes: Uint8Array, opts: { caps: boolean; policy: 'strict' | 'compat' }): DecodeResult {
  let linked: ReturnType<typeof linkTables>;
  try {
    linked = linkTables(tables);
  } catch (e) {
    throw new DecodeInputError(`the tables for ${tables.header} are malformed: ${(e as Error).message}`);
  }
  const byStruct = linked.get(abi);
  if (!byStruct) throw new DecodeInputError(`no tables for ABI '${abi}' (have: ${[...linked.keys()].join(', ')})`);
  const layout = byStruct.get(struct.replace(/^(struct|union)\s+/, ''));
  if (!layout) throw new DecodeInputError(`unknown struct '${struct}' in ${tables.header} (try one of: ${[...byStruct.keys()].slice(0, 8).join(', ')}, ...)`);
  const diagnostics: string[] = [];
  if (bytes.length < layout.size) {
    throw new UapiRuntimeError(`input has ${bytes.length} bytes but ${layout.name} is ${layout.size} bytes on ${abi}`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const result: DecodeResult = { struct: layout.name, abi, fields: bindingToJSON(dv, 0, layout), diagnostics };
  const ordered = (): DecodeResult => (result.caps ? { struct: result.struct, abi, fields: result.fields, caps: result.caps, diagnostics } : result);
  if (opts.caps) {
    if (!layout.chain) {
      diagnostics.push(`${layout.name} carries no capability chain; --caps ignored`);
    } else {
      const entries: CapEntry[] = (tables.caps[layout.name] ?? []).map((c) => ({ ...c, view: viewFor(byStruct.get(c.struct)!) }));
      const flags = dv.getUint32(layout.chain.flagsOffset, layout.littleEndian);
      const capOff = dv.getUint32(layout.chain.capOffsetOffset, layout.littleEndian);
      const caps: NonNullable<DecodeResult['caps']> = [];
      result.caps = caps;
      let walk: Iterable<unknown> = [];
      try {
        walk = walkCaps(dv, layout, entries, { policy: opts.policy, compatOption: '--policy compat' });
      } catch (e) {
        // A reply the kernel could not fit its caps into: said, with the fields it did copy.
        if (!(e instanceof ReplyTruncatedError)) throw e;
        diagnostics.push(
          `truncated: kernel asked for ${e.argsz} bytes, the input holds ${e.bufferLength}; ` +
            `${(flags & layout.chain.capsFlag) !== 0 && capOff === 0 ? 'its capabilities were not copied (cap_offset is 0)' : 'nothing past the input is read'}: issue the ioctl again with argsz ${e.argsz}`,
        );
      }
      for (const c of walk as Iterable<{ known: boolean; offset: number; id: number; version: number; next: number; aligned: boolean; realigned: boolean; name?: string; view?: BindingView }>) {
        if (!c.aligned) diagnostics.push(`cap at offset ${c.offset} is not 8-aligned (pre-6.6 kernel layout); read with --policy compat`);
        if (!c.known) diagnostics.push(`cap at offset ${c.offset}: unknown id ${c.id} version ${c.version}`);
        caps.push({ offset: c.offset, id: c.id, version: c.version, next: c.next, name: c.known ? c.name! : null, aligned: c.aligned, fields: c.known ? c.view!.toJSON() : null });
      }
    }
  }
  return ordered();
}

const views = new WeakMap<BindingLayout, CapEntry['view']>();
function viewFor(l: BindingLayout): CapEntry['view'] {
  let v = views.get(l);
  if (!v) {
    const C = class extends BindingView {
      static override readonly layout = l;
      static readonly SIZE = l.size;
      static readonly ALIGN = l.align;
      constructor(buf: ArrayBufferLike | ArrayBufferView, off = 0) {
        super(buf, off, l.size);
      }
      static alloc(): never {
        throw new Error('decode views are read-only');
      }
      static from(buf: ArrayBufferLike | ArrayBufferView, off = 0): BindingView {
        return new C(buf, off);
      }
    };
    v = C as unknown as CapEntry['view'];
    views.set(l, v);
  }
  return v;
}

function text(r: DecodeResult): string {
  const lines = [`struct ${r.struct} (${r.abi})`];
  const walk = (o: unknown, indent: string): void => {
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        lines.push(`${indent}${k}:`);
        walk(v, indent + '  ');
      } else lines.push(`${indent}${k} = ${Array.isArray(v) ? JSON.stringify(v) : String(v)}`);
    }
  };
  walk(r.fields, '  ');
  for (const c of r.caps ?? []) {
    lines.push(`  cap @${c.offset}: id ${c.id} v${c.version} next ${c.next} ${c.name ?? '(unknown)'}${c.aligned ? '' : ' (misaligned)'}`);
    if (c.fields) walk(c.fields, '    ');
  }
  for (const d of r.diagnostics) lines.push(`note: ${d}`);
  return lines.join('\n') + '\n';
}

export function decodeCommand(argv: readonly string[]): number {
  const args = parseArgs(argv, { values: ['abi', 'format', 'policy', 'tables', 'max-bytes'], booleans: ['caps', 'hex', 'help'] });
  if (args.flags.has('help')) {
    process.stdout.write(DECODE_HELP);
    return 0;
  }
  const struct = args.positional[0];
  if (!struct || args.positional.length > 2) throw new UsageError(USAGE);
  const format = one(args, 'format') ?? 'text';
  if (!['text', 'json', 'html'].includes(format)) throw new UsageError(`--format must be text, json or html, not '${format}'`);
  const policy = one(args, 'policy') ?? 'strict';
  if (policy !== 'strict' && policy !== 'compat') throw new UsageError(`--policy must be strict or compat, not '${policy}'`);
  const abiFlag = one(args, 'abi');
  if (abiFlag !== undefined && abiFlag.trim() === '') throw new UsageError(`--abi is empty: name one of ${ABIS.map((a) => a.name).join(', ')}`);
  const abi = abiFlag ?? hostAbi(process.arch, os.endianness())?.name;
  if (!abi) throw new UsageError(`this host (${process.arch}) is not one of the supported ABIs: pass --abi`);
  if (!getAbi(abi)) throw new UsageError(`unknown ABI '${printable(abi)}' (known: ${ABIS.map((a) => a.name).join(', ')})`);
  const tablesPath = one(args, 'tables');
  let r: DecodeResult;
  try {
    const tables = readTables(tablesPath ?? defaultTables());
    const raw = readInput(args.positional[1], maxBytesFrom(args));
    const bytes = args.flags.has('hex') ? parseHex(raw.toString('utf8')) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    if (format === 'html') return decodeHtml(tables, struct, abi, bytes, { caps: args.flags.has('caps'), policy });
    r = decode(tables, struct, abi, bytes, { caps: args.flags.has('caps'), policy });
  } catch (e) {
    if (e instanceof DecodeInputError) {
      for (const line of e.message.split('\n')) process.stderr.write(`uapi-ts decode: ${printable(line)}\n`);
      return 1;
    }
    if (!(e instanceof UapiRuntimeError)) throw e;
    const off = (e as { offset?: number }).offset;
    const hint = e.name === 'CapabilityMisalignedError' ? `; this is a pre-6.6 kernel's chain` : '';
    const at = off !== undefined && !e.message.includes(`offset ${off}`) ? ` (offset ${off})` : '';
    process.stderr.write(`uapi-ts decode: ${printable(e.message)}${at}${hint}\n`);
    return 1;
  }
  // Names come from the tables file: shown, never acted on by the terminal.
  process.stdout.write(format === 'json' ? JSON.stringify(r) + '\n' : printable(text(r), '\n'));
  return 0;
}

/**
 * The html picture of a reply. A chain the strict policy refuses (a pre-6.6 kernel's misaligned
 * caps) is still drawn, as the compat policy reads it, with the refusal on the page; the exit
 * status stays what strict decoding gives (1).
 */
function decodeHtml(tables: TablesJson, struct: string, abi: string, bytes: Uint8Array, opts: { caps: boolean; policy: 'strict' | 'compat' }): number {
  let refused: string | undefined;
  let r: DecodeResult;
  try {
    r = decode(tables, struct, abi, bytes, opts);
  } catch (e) {
    if (!(e instanceof UapiRuntimeError) || e.name !== 'CapabilityMisalignedError') throw e;
    refused = e.message;
    r = decode(tables, struct, abi, bytes, { ...opts, policy: 'compat' });
  }
  const layouts = linkTables(tables).get(abi)!;
  process.stdout.write(replyHtml({ struct: r.struct, abi, bytes, layouts, caps: r.caps ?? [], notes: r.diagnostics, ...(refused !== undefined ? { refused } : {}) }));
  if (refused === undefined) return 0;
  process.stderr.write(`uapi-ts decode: ${refused}; this is a pre-6.6 kernel's chain (the page shows it as compat reads it)\n`);
  return 1;
}

/** `--max-bytes N` (a positive integer), else DEFAULT_MAX_BYTES. */
function maxBytesFrom(args: ParsedArgs): number {
  const v = one(args, 'max-bytes');
  if (v === undefined) return DEFAULT_MAX_BYTES;
  if (!/^[1-9][0-9]{0,12}$/.test(v)) throw new UsageError(`--max-bytes must be a positive integer, not ${JSON.stringify(v)}`);
  return Number(v);
}
