/**
 * The text view of `uapi-ts layout` against pahole: compile each header with the ABI's gcc -g,
 * read the real layout back with pahole (dwarves) and compare, struct by struct, every member's
 * offset (and for bitfields storage unit, bit position and size), every byte and bit hole in the
 * place pahole puts it, the hole totals, tail padding and bit padding. Expected values come from
 * gcc's DWARF through pahole, never from our own output. Headers chosen for bitfields (also on a
 * big-endian ABI), untagged named members, unnamed bitfields and bitfield tail padding.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { ABIS, type Abi } from '../../generator/src/layout/abi/index.js';
import { abiIncludeDirs, analyze } from '../../generator/src/pipeline.js';
import { toLayoutJson } from '../../generator/src/layout/json.js';
import type { FieldJson } from '../../generator/src/contract/layout-json.js';
import { layoutText } from '../../generator/src/report/text.js';
import { lacking, newestTree, skipReason } from '../support/trees.js';

const PAHOLE = spawnSync('pahole', ['--version'], { encoding: 'utf8' }).status === 0;
/** Skipped only where pahole is missing locally; CI installs it (scripts/setup.sh --apt: dwarves). */
const SKIP = !PAHOLE && !process.env.CI;
const tree = newestTree();

/** Header -> records that must be compared (the cases the audit found wrong); all others of the header are compared too. */
const CASES: Record<string, string[]> = {
  'linux/perf_event.h': ['perf_event_attr', 'perf_event_mmap_page', 'perf_branch_entry', 'perf_mem_data_src'],
  'linux/tcp.h': ['tcphdr', 'tcp_info'],
  'linux/cdrom.h': ['dvd_layer', 'dvd_lu_send_agid', 'dvd_lu_send_title_key', 'dvd_lu_send_asf', 'dvd_host_send_rpcstate', 'dvd_lu_send_rpcstate'],
  'linux/usb/raw_gadget.h': ['usb_raw_ep_caps', 'usb_raw_ep_info'],
  'linux/bpf.h': ['__sk_buff', 'bpf_sock', 'bpf_link_info', 'bpf_prog_info', 'bpf_sk_lookup', 'bpf_insn'],
  'linux/ip.h': ['iphdr', 'ip_auth_hdr'],
  'linux/ioam6.h': ['ioam6_hdr'],
  'linux/target_core_user.h': ['tcmu_cmd_entry'],
  // Cases no uapi header has: function pointer members, an array of an untagged struct (expanded
  // in the text, its element 0; not in the JSON), unnamed bitfields inside a hole and at the end,
  // a named member of an untagged union.
  'report/fixture.h': ['rf_fnptr', 'rf_unnamed', 'rf_named', 'rf_tailbits', 'rf_arr'],
};

const FIXTURE = `#include <linux/types.h>
struct rf_fnptr { void (*cb)(int); __u32 x; int (*get)(void *, __u32); __u8 z; };
struct rf_fnarr { void (*ops[2])(int); unsigned long (*(*pp))(const char *name, int n);
#ifdef __KERNEL__
  int kernel_only;
#endif
  /* two declarators */ long (*two)(long), (*three)(void *);
};
struct rf_unnamed { __u8 a; __u32 :24; __u64 c; __u16 d:3; __u16 :5; __u16 e:4; __u32 :0; __u8 f; __u16 :16; };
struct rf_named { __u8 a; struct { __u8 x; __u64 y; } inner; union { __u32 w; struct { __u16 lo, hi; } h; } u; __u8 z; };
struct rf_tailbits { __u64 a; __u32 b:3; __u32 c:1; };
struct rf_arr { __u8 a; struct { __u16 p; __u8 q; } xs[2]; __u8 z; };
`;

interface Event {
  kind: 'member' | 'hole';
  /** "name offset size" or "name offset:bit size"; for a hole "3 bytes", "1 bit" as printed. */
  text: string;
  /** Function pointer members: the declaration, spaces removed. */
  decl?: string;
  /** A member of an element of an array of an untagged struct/union (offsets of element 0). */
  inArray?: true;
}

interface Parsed {
  events: Event[];
  /** Summary numbers: size, padding, bit_padding, holes, sum holes, bit holes, sum bit holes. */
  summary: Record<string, number>;
}

/** Name of the member a declaration line declares (`__u64 x:3;`, `} addrs;`, `void (*cb)(int);`). */
function memberName(code: string): string {
  let c = code.replace(/__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)/g, ' ').replace(/;\s*$/, '').trim();
  const fn = /\(\s*\*\s*(\w+)/.exec(c);
  if (fn) return fn[1]!;
  c = c.replace(/:\s*\d+$/, '').replace(/(\s*\[[^\]]*\])+$/, '').trim();
  if (c === '}') return '';
  const m = /(\w+)$/.exec(c);
  return m ? m[1]! : '';
}

/** Records in a pahole-style listing, from `struct name {` to `};` at column 0. */
function parse(text: string, absoluteBits = false): Map<string, Parsed> {
  const out = new Map<string, Parsed>();
  let cur: Parsed | undefined;
  const opened: number[] = []; // events.length at each open nested `struct {` / `union {`
  for (const line of text.split('\n')) {
    const open = /^(?:struct|union) (\w+) \{/.exec(line);
    if (open) {
      cur = { events: [], summary: {} };
      opened.length = 0;
      if (!out.has(open[1]!)) out.set(open[1]!, cur);
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('}')) {
      cur = undefined;
      continue;
    }
    const s = line.trim();
    const hole = /^\/\* XXX (\d+ (?:byte|bit)s?) hole/.exec(s);
    if (hole) {
      cur.events.push({ kind: 'hole', text: hole[1]! });
      continue;
    }
    const nums: [RegExp, string[]][] = [
      [/\/\* size: (\d+)/, ['size']],
      [/\/\* padding: (\d+)/, ['padding']],
      [/bit_padding: (\d+) bits/, ['bit_padding']],
      [/holes: (\d+), sum holes: (\d+)/, ['holes', 'sum holes']],
      [/bit holes: (\d+), sum bit holes: (\d+) bits/, ['bit holes', 'sum bit holes']],
    ];
    let summary = false;
    for (const [re, keys] of nums) {
      const m = re.exec(s);
      if (!m) continue;
      keys.forEach((k, i) => (cur!.summary[k] = Number(m[i + 1])));
      summary = true;
    }
    if (summary || s.startsWith('/*')) continue; // other comments: cacheline marks, our unnamed bitfields
    const at = s.lastIndexOf('/*');
    if (at < 0) {
      if (s.endsWith('{')) opened.push(cur.events.length);
      continue; // `__u8 :0;` pahole shows for alignment
    }
    const code = s.slice(0, at).trim();
    if (code.startsWith('}')) {
      const from = opened.pop()!;
      if (/\]\s*(__attribute__.*)?;$/.test(code)) for (const e of cur.events.slice(from)) e.inArray = true;
    }
    let pos = s.slice(at + 2, s.lastIndexOf('*/')).trim().replace(/\s+/g, ' ').replace(/: /, ':');
    const bf = /^(\d+):(\d+) (\d+)$/.exec(pos);
    if (bf && absoluteBits) pos = `bit ${Number(bf[1]) * 8 + Number(bf[2])} ${bf[3]}`;
    const decl = code.includes('(*') ? code.replace(/\s+/g, ' ').replace(/\s*([(),*])\s*/g, '$1') : undefined;
    const name = memberName(code);
    // __DECLARE_FLEX_ARRAY's wrapper (an anonymous struct of `struct {} __empty_x;` and the array)
    // is one flexible array member to us.
    if (name.startsWith('__empty_') || (name === '' && / 0$/.test(pos))) continue;
    cur.events.push({ kind: 'member', text: `${name} ${pos}`, ...(decl ? { decl } : {}) });
  }
  return out;
}

/** Layout JSON fields in pahole's order (a nested record's members, then the member itself). */
function jsonMembers(fields: readonly FieldJson[], absoluteBits: boolean, out: string[] = []): string[] {
  for (const f of fields) {
    if (f.fields) jsonMembers(f.fields, absoluteBits, out);
    if (f.bitWidth === undefined) out.push(`${f.name} ${f.offset} ${f.size}`);
    else if (absoluteBits) out.push(`${f.name} bit ${f.offset * 8 + f.bitOffset!} ${f.size}`);
    else out.push(`${f.name} ${f.offset}:${f.bitOffset} ${f.size}`);
  }
  return out;
}

function compile(abi: Abi, src: string, includes: string[], dir: string): string {
  const c = join(dir, `${abi.name}.c`);
  const o = join(dir, `${abi.name}.o`);
  writeFileSync(c, src);
  const args = ['-g', '-fno-eliminate-unused-debug-types', '-w', '-c', '-o', o, ...abiIncludeDirs(includes, abi).flatMap((d) => ['-I', d]), c];
  const r = spawnSync(abi.gcc, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${abi.gcc} failed: ${r.stderr}`);
  return o;
}

/**
 * i386 too, but its bitfield positions are compared as absolute bit offsets: our storage unit of a
 * `__u64` bitfield starts at a multiple of the type's alignment on the ABI (4 on i386, as in the
 * layout JSON), pahole's at a multiple of its size, so `44:8` and pahole's `40:40` are the same bit.
 */
const TEST_ABIS = ['x86_64', 's390x', 'ppc64', 'i386'];
const dir = mkdtempSync(join(tmpdir(), 'uapi-pahole-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(SKIP || lacking(tree !== undefined))(`layout text equals pahole${SKIP ? ' (skipped: pahole is missing; `npm test` installs dwarves)' : skipReason(tree !== undefined, 'headers/')}`, () => {
  it('has pahole', () => expect(PAHOLE, 'pahole (Debian package dwarves, scripts/setup.sh --apt)').toBe(true));
  mkdirSync(join(dir, 'inc', 'report'), { recursive: true });
  writeFileSync(join(dir, 'inc', 'report', 'fixture.h'), FIXTURE);
  const includes = [join(dir, 'inc'), tree!.include];
  for (const name of TEST_ABIS) {
    const abi = ABIS.find((a) => a.name === name)!;
    const available = spawnSync(abi.gcc, ['--version'], { stdio: 'ignore' }).status === 0;
    it.skipIf(lacking(available))(`${name}: offsets, bit positions, holes, bit holes and padding${skipReason(available, abi.gcc)}`, () => {
      const obj = compile(abi, Object.keys(CASES).map((h) => `#include <${h}>\n`).join(''), includes, dir);
      const ph = spawnSync('pahole', [obj], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(ph.status, ph.stderr).toBe(0);
      const real = parse(ph.stdout, name === 'i386');
      let compared = 0;
      for (const [header, structs] of Object.entries(CASES)) {
        const a = analyze({ header, includeDirs: includes, read: readSource }, abi);
        const ours = parse(layoutText(a.laid, a.pp.files), name === 'i386');
        const json = toLayoutJson(a.laid);
        // The named ones must be there; every other record of the header pahole shows is compared too.
        const rest = json.records.map((r) => r.name).filter((n) => real.has(n) && !structs.includes(n) && n !== 'rf_fnarr');
        for (const s of [...structs, ...rest]) {
          const want = real.get(s);
          expect(want, `pahole shows struct ${s}`).toBeDefined();
          const got = ours.get(s);
          expect(got, `${header}: struct ${s} on ${name}`).toBeDefined();
          expect(got!.events, `struct ${s} on ${name}`).toEqual(want!.events);
          // pahole prints no summary for a union
          if (want!.summary.size !== undefined) for (const k of ['size', 'padding', 'bit_padding', 'holes', 'sum holes', 'bit holes', 'sum bit holes']) {
            expect(got!.summary[k] ?? 0, `struct ${s} on ${name}: ${k}`).toBe(want!.summary[k] ?? 0);
          }
          // The JSON: same members and offsets, members of untagged named members included.
          const rec = json.records.find((r) => r.name === s)!;
          const wantMembers = want!.events.filter((e) => e.kind === 'member' && !e.inArray).map((e) => e.text);
          expect(jsonMembers(rec.fields, name === 'i386'), `JSON ${s} on ${name}`).toEqual(wantMembers);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(Object.values(CASES).flat().length);
    });

    // pahole 1.24 misprints arrays of function pointers (`void (*ops)(int)[2]`) and spells types
    // its own way (`long int`): check instead that each function-pointer declaration we print
    // declares the type gcc gave the member.
    it.skipIf(lacking(available))(`${name}: function pointer members are printed as C declares them${skipReason(available, abi.gcc)}`, () => {
      const a = analyze({ header: 'report/fixture.h', includeDirs: includes, read: readSource }, abi);
      const text = layoutText(a.laid, a.pp.files);
      const checks: string[] = [];
      for (const s of ['rf_fnptr', 'rf_fnarr']) {
        const block = new RegExp(`^struct ${s} \\{\\n([^]*?)^\\};`, 'm').exec(text)![1]!;
        for (const line of block.split('\n')) {
          const code = line.split('/*')[0]!.trim();
          if (!code.includes('(*')) continue; // other members and the (commented) unnamed bitfields
          const m = memberName(code);
          checks.push(`struct ${s}_${m} { ${code} };`);
          checks.push(`_Static_assert(__builtin_types_compatible_p(__typeof__(((struct ${s}_${m} *)0)->${m}), __typeof__(((struct ${s} *)0)->${m})), "${s}.${m}: ${code}");`);
        }
      }
      expect(checks.length).toBe(2 * 6);
      compile(abi, `#include <report/fixture.h>\n${checks.join('\n')}\n`, includes, dir);
    });
  }
});
