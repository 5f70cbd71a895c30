/**
 * The pictures in a real browser: Debian's chromium (headless, through playwright-core) renders
 * what `uapi-ts layout|diff|decode --format html|svg` write, and the tests read the rendered
 * geometry: every member's name is visible text inside its cell, no two cells overlap, cells are
 * as wide as their bytes, holes, warnings and misaligned caps sit at the bytes gcc says; no page
 * makes a network request; the dark theme and the print rendering hold too.
 *
 * UAPI_UPDATE_SCREENSHOTS=1 also writes the screenshots the README shows (docs/pictures/).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABIS, getAbi } from '../../generator/src/layout/abi/index.js';
import { byteWidth, geometryProblems, haveChromium, kindOf, launch, mapGeometry, type Box, type Browser, type MapGeometry } from '../support/browser.js';
import { gccValues } from '../support/gcc-values.js';
import { runNode } from '../support/proc.js';
import { iommuNumbers61, iommuReply61, T61 } from '../support/replies.js';
import { HEADERS, newestTree, REPO, REQUIRE_TREES } from '../support/trees.js';
import { compilerAvailable } from '../gcc/proof.js';

const BIN = join(REPO, 'generator/bin/uapi-ts.js');
const PIC = join(REPO, 'test/fixtures/picture/include');
const T612 = join(HEADERS, '6.12/include');
const NEWEST = newestTree();
const haveTrees = NEWEST !== undefined && [T61, T612].every((t) => existsSync(join(t, 'linux/vfio.h')));
const haveGcc = ABIS.every(compilerAvailable);
const CI = process.env.CI === 'true';
// In CI everything must be there (scripts/setup.sh installs chromium, the cross gccs and the trees).
const skip = !CI && !REQUIRE_TREES && (!haveChromium || !haveTrees || !haveGcc);
const why = !haveChromium ? 'no /usr/bin/chromium (scripts/setup.sh --apt)' : !haveTrees ? 'header trees missing (npx uapi-ts headers sync)' : 'a cross gcc is missing (scripts/setup.sh --apt)';
const SHOTS = process.env.UAPI_UPDATE_SCREENSHOTS === '1' ? join(REPO, 'docs/pictures') : undefined;

const dir = mkdtempSync(join(tmpdir(), 'uapi-pictures-'));
let browser: Browser;

async function cli(name: string, args: readonly string[], expectStatus = 0): Promise<string> {
  const r = await runNode([BIN, ...args]);
  expect(r.status, `uapi-ts ${args.join(' ')}\n${r.stderr}`).toBe(expectStatus);
  const file = join(dir, name);
  writeFileSync(file, r.stdout);
  return file;
}

async function open(file: string, opts: { colorScheme?: 'light' | 'dark'; media?: 'screen' | 'print' } = {}): Promise<{ page: Page; maps: MapGeometry[] }> {
  const { page, requests } = await browser.open(file, opts);
  // Self-contained: the page itself is the only thing loaded.
  expect(requests).toEqual([`file://${file}`]);
  return { page, maps: await mapGeometry(page) };
}

/** The row a box sits in (by its vertical middle), and its column in bytes from the row's left edge. */
function place(m: MapGeometry, b: Box): { row: number; col: number } {
  const mid = b.y + b.h / 2;
  const row = m.rows.find((r) => mid >= r.box.y && mid <= r.box.y + r.box.h);
  expect(row, `a row around y=${mid}`).toBeDefined();
  return { row: Number(row!.label), col: (b.x - 1 - row!.box.x) / byteWidth(m) };
}

async function shot(page: Page, selector: string, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.locator(selector).first().screenshot({ path: join(SHOTS, name) });
}

beforeAll(async () => {
  if (!skip) browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)(`byte maps in chromium${skip ? ` (skipped: ${why})` : ''}`, () => {
  it('a hole, bitfields, a union, nesting and a counted flexible array: names inside cells, no overlap, widths in bytes, the hole where gcc says', async () => {
    const file = await cli('picdemo.html', ['layout', 'linux/picdemo.h', '-I', PIC, '--abi', 'all', '--format', 'html']);
    const { page, maps } = await open(file);
    expect(geometryProblems(maps)).toEqual([]);
    for (const abiName of ['x86_64', 'i386', 's390x']) {
      const abi = getAbi(abiName)!;
      const g = await gccValues(abi, [PIC], 'linux/picdemo.h', {
        kindEnd: 'offsetof(struct picdemo_holes, kind) + sizeof(((struct picdemo_holes *)0)->kind)',
        addr: 'offsetof(struct picdemo_holes, addr)',
        size: 'sizeof(struct picdemo_holes)',
      });
      const m = maps.find((x) => x.section === 'picdemo_holes' && x.abis.split(' ').includes(abiName))!;
      const hole = m.cells.find((c) => kindOf(c) === 'hole')!;
      // Where the hole is drawn, read from the boxes: row and column, and how many bytes wide.
      const at = place(m, hole.rects[0]!);
      expect(at.row + Math.round(at.col), `hole start on ${abiName}`).toBe(g.kindEnd);
      expect(Math.round(hole.rects.reduce((a, r) => a + r.w + 2, 0) / byteWidth(m)), `hole bytes on ${abiName}`).toBe(g.addr - g.kindEnd);
      const addr = m.cells.find((c) => c.name === 'addr')!;
      const a = place(m, addr.rects[0]!);
      expect(a.row + Math.round(a.col)).toBe(g.addr);
      const last = m.rows.at(-1)!;
      const padding = m.cells.find((c) => kindOf(c) === 'padding')!;
      const p = padding.rects.at(-1)!;
      expect(Number(last.label) + Math.round((p.x + p.w + 1 - last.box.x) / byteWidth(m)), `record end on ${abiName}`).toBe(g.size);
    }
    // Bitfields: a big-endian ABI allocates from the other end of each byte, so it gets its own column.
    const bits = maps.filter((m) => m.section === 'picdemo_bits');
    expect(bits.map((m) => m.abis)).toEqual(['x86_64 i386 aarch64 armhf ppc64le riscv64', 's390x ppc64']);
    const lo = await page.locator('#picdemo_bits figure').nth(0).locator('g.cell[data-name="lo"] rect.bitset').first().boundingBox();
    const loBe = await page.locator('#picdemo_bits figure').nth(1).locator('g.cell[data-name="lo"] rect.bitset').first().boundingBox();
    const row = (i: number): Box => bits[i]!.rows[0]!.box;
    // lo:3 is bits 0-2 of byte 0: the right end of the byte (LSB) on little-endian, the left end (MSB) on big-endian.
    expect((lo!.x - row(0).x) / byteWidth(bits[0]!)).toBeGreaterThan(0.5);
    expect((loBe!.x - row(1).x) / byteWidth(bits[1]!)).toBeLessThan(0.2);
    // The counted flexible array points at its count.
    await expect(page.locator('#picdemo_nested path.link.counted-by[data-to="n"]').count()).resolves.toBeGreaterThan(0);
    await shot(page, '#picdemo_bits', 'layout-bitfields.png');
    await page.close();
  });

  it('newest vfio.h, --abi all: one map per record, and an i386 column (28 bytes) beside the 32-byte vfio_iommu_type1_info_cap_migration', async () => {
    const json = JSON.parse((await runNode([BIN, 'layout', 'linux/vfio.h', '-I', NEWEST!.include, '--abi', 'all', '--format', 'json'])).stdout) as { abi: string; records: { name: string }[] }[];
    const names = [...new Set(json.flatMap((d) => d.records.map((r) => r.name)))];
    const file = await cli('vfio-newest.html', ['layout', 'linux/vfio.h', '-I', NEWEST!.include, '--abi', 'all', '--format', 'html']);
    const { page, maps } = await open(file);
    const sections = await page.locator('section.record').evaluateAll((s) => s.map((e) => ({ id: e.id, maps: e.querySelectorAll('svg.bytemap').length })));
    expect(sections.map((s) => s.id)).toEqual(names);
    for (const s of sections) expect(s.maps, s.id).toBeGreaterThan(0);
    expect(geometryProblems(maps)).toEqual([]);

    const struct = 'struct vfio_iommu_type1_info_cap_migration';
    const gcc = Object.fromEntries(await Promise.all(ABIS.map(async (a) => [a.name, (await gccValues(a, [NEWEST!.include], 'linux/vfio.h', { size: `sizeof(${struct})` })).size] as const)));
    expect(gcc.i386).toBe(28);
    expect(Object.entries(gcc).filter(([a]) => a !== 'i386').every(([, s]) => s === 32)).toBe(true);
    const figures = await page.locator('#vfio_iommu_type1_info_cap_migration figure').evaluateAll((fs) =>
      fs.map((f) => {
        const r = f.getBoundingClientRect();
        return { abis: f.getAttribute('data-abis')!.split(' '), caption: f.querySelector('figcaption')!.textContent!, x: r.x, y: r.y, h: r.height };
      }),
    );
    expect(figures).toHaveLength(2);
    const [wide, i386] = figures as [(typeof figures)[0], (typeof figures)[0]];
    expect(i386.abis).toEqual(['i386']);
    expect(wide.abis.sort()).toEqual(ABIS.map((a) => a.name).filter((a) => a !== 'i386').sort());
    expect(i386.caption).toContain(`${gcc.i386} bytes`);
    expect(wide.caption).toContain(`${gcc.x86_64} bytes`);
    // Beside: the i386 column to the right, on the same band.
    expect(i386.x).toBeGreaterThan(wide.x);
    expect(Math.abs(i386.y - wide.y)).toBeLessThan(2);
    // The members that moved are outlined in the i386 column.
    const mig = maps.filter((m) => m.section === 'vfio_iommu_type1_info_cap_migration');
    expect(mig[1]!.cells.filter((c) => c.cls.includes('mark-differs')).map((c) => c.path)).toEqual(expect.arrayContaining(['pgsize_bitmap', 'max_dirty_bitmap_size']));
    await shot(page, '#vfio_iommu_type1_info_cap_migration', 'layout-abi-columns.png');
    await page.close();
  });

  it('6.1 vfio.h: the cap_offset warning is drawn on vfio_device_info and vfio_iommu_type1_info, at the byte where the caps would start', async () => {
    const file = await cli('vfio-6.1.html', ['layout', 'linux/vfio.h', '-I', T61, '--abi', 'all', '--format', 'html']);
    const { page, maps } = await open(file);
    expect(geometryProblems(maps)).toEqual([]);
    for (const [struct, abiName] of [['vfio_device_info', 'x86_64'], ['vfio_iommu_type1_info', 'i386']] as const) {
      const { size } = await gccValues(getAbi(abiName)!, [T61], 'linux/vfio.h', { size: `sizeof(struct ${struct})` });
      expect(size % 8, `gcc: ${struct} on ${abiName}`).not.toBe(0);
      const m = maps.find((x) => x.section === struct && x.abis.split(' ').includes(abiName))!;
      expect(m.warnings, struct).toHaveLength(1);
      const w = m.warnings[0]!;
      const at = place(m, w.boxes[0]!);
      expect(at.row + Math.round(at.col), struct).toBe(size);
      expect(w.text).toContain('not 8-aligned');
      expect(m.warnText).toContain(`has cap_offset but its size ${size} is not a multiple of 8`);
      expect(m.cells.find((c) => c.name === 'cap_offset')!.cls).toContain('mark-warn');
    }
    // On x86_64, vfio_iommu_type1_info is 24 bytes (tail padding after cap_offset): no warning there.
    const { size } = await gccValues(getAbi('x86_64')!, [T61], 'linux/vfio.h', { size: 'sizeof(struct vfio_iommu_type1_info)' });
    expect(size % 8).toBe(0);
    expect(maps.find((x) => x.section === 'vfio_iommu_type1_info' && x.abis.split(' ').includes('x86_64'))!.warnings).toEqual([]);
    await shot(page, '#vfio_iommu_type1_info', 'layout-cap-warning.png');
    await page.close();
  });

  it('decode --caps --format html on a 6.1 IOMMU reply marks the cap at offset 68 misaligned, draws next links and the hex bytes', async () => {
    const g = await iommuNumbers61();
    const reply = iommuReply61(g);
    // What the issue describes of a real 6.1 reply, from gcc's sizes.
    expect(reply.caps).toEqual([24, 56, 68]);
    expect(reply.bytes.length).toBe(116);
    const bin = join(dir, 'iommu-6.1.bin');
    writeFileSync(bin, reply.bytes);
    // Strict policy refuses the chain: exit 1, and the page still shows it as compat reads it.
    const file = await cli('reply-6.1.html', ['decode', 'vfio_iommu_type1_info', '--abi', 'x86_64', '--caps', '--format', 'html', bin], 1);
    const { page, maps } = await open(file);
    expect(geometryProblems(maps)).toEqual([]);
    const [m] = maps as [MapGeometry];
    const caps = m.groups.filter((x) => x.cls.split(' ').includes('cap'));
    expect(caps.map((c) => c.offset)).toEqual([24, 56, 68]);
    for (const c of caps) {
      const at = place(m, c.frames[0]!);
      expect(at.row + Math.round(at.col), `cap @${c.offset} drawn at its byte`).toBe(c.offset);
      expect(c.cls.includes('mark-warn'), `cap @${c.offset}`).toBe(c.offset % 8 !== 0);
    }
    expect(caps[2]!.title).toContain('misaligned (68 % 8 = 4)');
    expect(m.warnText).toContain('cap @68');
    await expect(page.locator('p.warntext[role=alert]').textContent()).resolves.toContain('offset 68');
    // next links: cap_offset -> 24, 24 -> 56, 56 -> 68.
    const links = await page.locator('path.link.next').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-to')));
    expect(links).toEqual(['cap@24', 'cap@56', 'cap@68']);
    const hex = await page.locator('text.hexbyte').allTextContents();
    expect(hex).toEqual([...reply.bytes].map((b) => b.toString(16).padStart(2, '0')));
    await shot(page, 'section.reply figure', 'decode-misaligned.png');
    await page.close();
  });

  it('bytes past argsz are greyed', async () => {
    const g = await iommuNumbers61();
    const reply = iommuReply61(g);
    const bytes = new Uint8Array(reply.bytes.length + 12);
    bytes.set(reply.bytes);
    bytes.fill(0xee, reply.bytes.length);
    const bin = join(dir, 'iommu-6.1-long.bin');
    writeFileSync(bin, bytes);
    const file = await cli('reply-6.1-long.html', ['decode', 'vfio_iommu_type1_info', '--abi', 'x86_64', '--caps', '--policy', 'compat', '--format', 'html', bin]);
    const { page, maps } = await open(file);
    expect(geometryProblems(maps)).toEqual([]);
    const beyond = maps[0]!.cells.filter((c) => kindOf(c) === 'beyond');
    expect(beyond.map((c) => [c.offset, c.size])).toEqual([[116, 12]]);
    const grey = await page.locator('text.hexbyte.beyond').evaluateAll((ts) => ts.map((t) => Number(t.getAttribute('data-offset'))));
    expect(grey).toEqual(Array.from({ length: 12 }, (_, i) => 116 + i));
    await page.close();
  });

  it('diff --format html: old and new maps side by side with the classification, sizes from gcc', async () => {
    const file = await cli('diff.html', ['diff', 'linux/vfio.h', '--from', T61, '--to', T612, '--format', 'html'], 12);
    const { page, maps } = await open(file);
    expect(geometryProblems(maps)).toEqual([]);
    const i386 = getAbi('i386')!;
    const old = await gccValues(i386, [T61], 'linux/vfio.h', { size: 'sizeof(struct vfio_iommu_type1_info)' });
    const nw = await gccValues(i386, [T612], 'linux/vfio.h', { size: 'sizeof(struct vfio_iommu_type1_info)' });
    const pair = page.locator('#vfio_iommu_type1_info .pair[data-abis="i386"]');
    await expect(pair.getAttribute('data-kind')).resolves.toBe('breaking');
    await expect(pair.locator('ul.changes').textContent()).resolves.toContain(`grew ${old.size} -> ${nw.size}`);
    const sides = await pair.locator('figure').evaluateAll((fs) => fs.map((f) => ({ cls: f.className, size: Number(f.getAttribute('data-size')), x: f.getBoundingClientRect().x, y: f.getBoundingClientRect().y })));
    expect(sides.map((s) => [s.cls, s.size])).toEqual([['old', old.size], ['new', nw.size]]);
    expect(sides[1]!.x).toBeGreaterThan(sides[0]!.x);
    await expect(pair.locator('figure.new g.cell[data-path="pad"]').getAttribute('class')).resolves.toContain('mark-breaking');
    // On x86_64 the same header change only names tail padding.
    const lp64 = page.locator('#vfio_iommu_type1_info .pair').filter({ hasText: 'x86_64' });
    await expect(lp64.getAttribute('data-kind')).resolves.toBe('padding');
    await shot(page, '#vfio_iommu_type1_info', 'diff.png');
    await page.close();
  });

  it('--format svg: one document, the records stacked, or the one --struct names', async () => {
    const all = await cli('picdemo.svg', ['layout', 'linux/picdemo.h', '-I', PIC, '--abi', 'x86_64', '--format', 'svg']);
    const one = await cli('picdemo-one.svg', ['layout', 'linux/picdemo.h', '-I', PIC, '--abi', 'x86_64', '--format', 'svg', '--struct', 'picdemo_bits']);
    const a = await open(all);
    expect(geometryProblems(a.maps)).toEqual([]);
    const titles = await a.page.locator('svg.bytemap > text.maptitle').allTextContents();
    expect(titles).toEqual(['struct picdemo_info', 'struct picdemo_holes', 'struct picdemo_bits', 'struct picdemo_nested']);
    const ys = a.maps.map((m) => m.box.y);
    expect([...ys].sort((x, y) => x - y)).toEqual(ys);
    const o = await open(one);
    await expect(o.page.locator('svg.bytemap > text.maptitle').allTextContents()).resolves.toEqual(['struct picdemo_bits']);
    await a.page.close();
    await o.page.close();
  });

  it('dark theme and print: same geometry, dark colors on screen, light ones on paper', async () => {
    const file = await cli('picdemo-themes.html', ['layout', 'linux/picdemo.h', '-I', PIC, '--abi', 'all', '--format', 'html']);
    const luminance = (rgb: string): number => {
      const [r, g, b] = rgb.match(/\d+(\.\d+)?/g)!.map(Number) as [number, number, number];
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const colors = (page: Page) =>
      page.evaluate(() => ({
        body: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.querySelector('g.cell.member text.name')!).fill,
        cell: getComputedStyle(document.querySelector('g.cell.member rect.seg')!).fill,
      }));
    const light = await open(file);
    const dark = await open(file, { colorScheme: 'dark' });
    const print = await open(file, { colorScheme: 'dark', media: 'print' });
    for (const v of [dark, print]) expect(geometryProblems(v.maps)).toEqual([]);
    const strip = (ms: MapGeometry[]) => ms.map((m) => m.cells.map((c) => [c.path, c.rects.map((r) => Math.round(r.w))]));
    expect(strip(dark.maps)).toEqual(strip(light.maps));
    const l = await colors(light.page);
    const d = await colors(dark.page);
    const p = await colors(print.page);
    expect(luminance(l.body)).toBeGreaterThan(0.9);
    expect(luminance(d.body)).toBeLessThan(0.15);
    expect(luminance(d.text)).toBeGreaterThan(0.7);
    expect(luminance(d.cell)).toBeLessThan(0.35);
    // Print is light even when the reader's screen prefers dark.
    expect(luminance(p.body)).toBeGreaterThan(0.9);
    expect(luminance(p.text)).toBeLessThan(0.3);
    const pdf = await print.page.pdf({ format: 'A4', landscape: true, printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await shot(dark.page, '#picdemo_nested', 'layout-dark.png');
    for (const v of [light, dark, print]) await v.page.close();
  });
});
