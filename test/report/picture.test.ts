/**
 * The picture model without a browser: label wrapping, the cells and groups a record becomes
 * (holes and padding where pahole counts them, union lanes, bitfield runs, the flexible array's
 * link), the self-contained page, and the CLI's flags and errors.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getAbi } from '../../generator/src/layout/abi/index.js';
import { toLayoutJson } from '../../generator/src/layout/json.js';
import { layoutHtml } from '../../generator/src/report/picture/layout-page.js';
import { wrap } from '../../generator/src/report/picture/model.js';
import { recordMap } from '../../generator/src/report/picture/struct-map.js';
import { memAnalyze } from '../support/mem.js';
import { runNode } from '../support/proc.js';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator/bin/uapi-ts.js');
const PIC = join(REPO, 'test/fixtures/picture/include');

const HEADER = `
typedef unsigned char __u8; typedef unsigned short __u16; typedef unsigned int __u32; typedef unsigned long long __u64;
struct inner { __u16 a; __u8 b; };
struct outer {
  __u8 tag;
  struct inner in;
  union { __u32 w; __u8 b4[4]; };
  __u32 lo : 4, hi : 12;
  __u32 n;
  __u64 data[];
};
`;

function doc(abi = 'x86_64') {
  return toLayoutJson(memAnalyze({ 'linux/t.h': HEADER }, 'linux/t.h', getAbi(abi)!).laid);
}

describe('wrap', () => {
  it('breaks after underscores, keeps every character, squeezes what does not fit in the lines allowed', () => {
    expect(wrap('a_rather_long_member_name', 10 * 6, 4, 6)).toEqual({ lines: ['a_rather_', 'long_', 'member_', 'name'], squeezed: false });
    expect(wrap('a_rather_long_member_name', 10 * 6, 3, 6)).toEqual({ lines: ['a_rather_', 'long_', 'member_name'], squeezed: true });
    expect(wrap('flags', 100, 1, 6)).toEqual({ lines: ['flags'], squeezed: false });
    const w = wrap('abcdefghijklmnop', 5 * 6, 9, 6);
    expect(w.lines.join('')).toBe('abcdefghijklmnop');
    expect(w.lines.every((l) => l.length <= 5)).toBe(true);
  });
});

describe('recordMap', () => {
  const d = doc();
  const outer = d.records.find((r) => r.name === 'outer')!;
  const m = recordMap(outer, { endian: 'little', records: d.records });

  it('draws a tagged member with its own members, holes between members and before the union', () => {
    const kinds = m.cells.map((c) => [c.kind, c.path, c.offset, c.size]);
    expect(kinds).toEqual([
      ['member', 'tag', 0, 1],
      ['hole', 'hole@1', 1, 1],
      ['member', 'in.a', 2, 2],
      ['member', 'in.b', 4, 1],
      ['padding', 'in.padding@5', 5, 1],
      ['hole', 'hole@6', 6, 2],
      ['member', '#2.w', 8, 4],
      ['member', '#2.b4', 8, 4],
      ['bitfield', 'lo', 12, 2],
      ['bitfield', 'hi', 12, 2],
      ['hole', 'hole@14', 14, 2],
      ['member', 'n', 16, 4],
      ['padding', 'padding@20', 20, 4], // pahole too: the flexible array takes no bytes, so this is tail padding
      ['flex', 'data', 24, 0],
    ]);
  });

  it('puts union members on lanes of their own and bitfields one per line under their run', () => {
    const lane = (p: string) => m.cells.find((c) => c.path === p)!.lanes;
    expect(lane('#2.w')[1]).toBeLessThanOrEqual(lane('#2.b4')[0]);
    expect(lane('lo')[1]).toBeLessThanOrEqual(lane('hi')[0]);
    expect(m.groups.map((g) => [g.kind, g.path])).toEqual([['struct', 'in'], ['union', '#2'], ['bits', 'bits@12.0']]);
    expect(m.extent).toBe(32); // the open end of data[] fills its row
  });

  it('says where a cap_offset struct whose size is not a multiple of 8 makes the chain start', () => {
    const info = toLayoutJson(memAnalyze({ 'linux/i.h': 'struct info { unsigned int argsz, flags, cap_offset; };' }, 'linux/i.h').laid).records[0]!;
    const im = recordMap(info, { endian: 'little', abi: 'x86_64' });
    expect(im.warnings.map((w) => [w.offset, w.size])).toEqual([[12, 4]]);
    expect(im.cells.find((c) => c.name === 'cap_offset')!.marks).toEqual(['warn']);
  });
});

describe('the page', () => {
  it('is one file with no script and nothing to fetch, a stable anchor per record', () => {
    const html = layoutHtml([doc('x86_64'), doc('i386')], { endianOf: (a) => getAbi(a)!.endian });
    expect(html).not.toMatch(/<script|<link|@import|url\((?!#)|(src|href)="(?!#)/);
    expect(html).toContain('<section class="record" id="outer"');
    expect(html).toContain('<a href="#inner">inner</a>');
  });
});

describe('uapi-ts layout --format html|svg', () => {
  it('refuses --struct without a picture format and an unknown --struct', async () => {
    const r = await runNode([BIN, 'layout', 'linux/picdemo.h', '-I', PIC, '--struct', 'picdemo_bits']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--struct goes with --format html or svg/);
    const u = await runNode([BIN, 'layout', 'linux/picdemo.h', '-I', PIC, '--format', 'svg', '--struct', 'nothere']);
    expect(u.status).toBe(1);
    expect(u.stderr).toMatch(/no struct or union 'nothere' in linux\/picdemo.h \(try one of: picdemo_info/);
    const f = await runNode([BIN, 'layout', 'linux/picdemo.h', '-I', PIC, '--format', 'png']);
    expect(f.status).toBe(2);
    expect(f.stderr).toMatch(/--format must be text, json, html or svg/);
  });

  it('--struct keeps one record; the svg is an SVG document', async () => {
    const r = await runNode([BIN, 'layout', 'linux/picdemo.h', '-I', PIC, '--abi', 'x86_64', '--format', 'svg', '--struct', 'struct picdemo_holes']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(r.stdout.match(/class="maptitle"/g)).toHaveLength(1);
  });
});
