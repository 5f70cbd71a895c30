/**
 * Debian's chromium, headless, driven by playwright-core (which never downloads a browser of its
 * own): pages are opened from files, every request is recorded, and the byte maps' rendered
 * geometry (element boxes, not pixels) is read back for the tests to check.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.UAPI_CHROMIUM ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps', '--no-default-browser-check'];

export interface Browser {
  open(file: string, opts?: { colorScheme?: 'light' | 'dark'; media?: 'screen' | 'print' }): Promise<{ page: Page; requests: string[] }>;
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'uapi-chromium-'));
  const ctx: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1600, height: 1000 },
    offline: true,
  });
  return {
    async open(file, opts = {}) {
      const page = await ctx.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.emulateMedia({ colorScheme: opts.colorScheme ?? 'light', media: opts.media ?? 'screen' });
      await page.goto(`file://${file}`, { waitUntil: 'load' });
      return { page, requests };
    },
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface CellGeometry {
  cls: string;
  path: string;
  name: string;
  offset: number;
  size: number;
  rects: Box[];
  /** The box of the cell's name text (null when it has none). */
  nameBox: Box | null;
  nameText: string;
  /** The name is rendered: displayed, not transparent, a fill, a font size a person can read. */
  nameVisible: boolean;
}

export interface MapGeometry {
  /** The figure's ABIs (data-abis) and the section it is in. */
  abis: string;
  section: string;
  rowBytes: number;
  rows: { label: string; box: Box }[];
  cells: CellGeometry[];
  groups: { cls: string; path: string; offset: number; frames: Box[]; title: string }[];
  warnings: { offset: number; boxes: Box[]; text: string }[];
  warnText: string;
  box: Box;
}

/** Every byte map on the page with the boxes of its rows, cells, groups and warnings. */
export async function mapGeometry(page: Page): Promise<MapGeometry[]> {
  return page.evaluate(() => {
    const box = (e: Element): Box => {
      const r = e.getBoundingClientRect();
      return { x: r.x + window.scrollX, y: r.y + window.scrollY, w: r.width, h: r.height };
    };
    return [...document.querySelectorAll('svg.bytemap[data-row-bytes]')].map((svg) => ({
      abis: svg.closest('figure')?.getAttribute('data-abis') ?? '',
      section: svg.closest('section')?.id ?? '',
      rowBytes: Number(svg.getAttribute('data-row-bytes')),
      rows: [...svg.querySelectorAll(':scope > rect.row')].map((r, i) => ({ label: svg.querySelectorAll(':scope > text.rowoff')[i]?.textContent ?? '', box: box(r) })),
      cells: [...svg.querySelectorAll('g.cell')].map((g) => {
        const name = g.querySelector(':scope > text.name');
        const style = name ? getComputedStyle(name) : undefined;
        return {
          cls: g.getAttribute('class') ?? '',
          path: g.getAttribute('data-path') ?? '',
          name: g.getAttribute('data-name') ?? '',
          offset: Number(g.getAttribute('data-offset')),
          size: Number(g.getAttribute('data-size')),
          rects: [...g.querySelectorAll(':scope > rect.seg')].map(box),
          nameBox: name ? box(name) : null,
          nameText: name?.textContent ?? '',
          nameVisible: !!style && style.display !== 'none' && style.visibility !== 'hidden' && Number(style.opacity) > 0.5 && style.fill !== 'none' && parseFloat(style.fontSize) >= 9,
        };
      }),
      groups: [...svg.querySelectorAll('g.group')].map((g) => ({
        cls: g.getAttribute('class') ?? '',
        path: g.getAttribute('data-path') ?? '',
        offset: Number(g.getAttribute('data-offset')),
        frames: [...g.querySelectorAll(':scope > rect.gframe')].map(box),
        title: [...g.querySelectorAll(':scope > text')].map((t) => t.textContent).join(' '),
      })),
      warnings: [...svg.querySelectorAll('g.warning')].map((g) => ({ offset: Number(g.getAttribute('data-offset')), boxes: [...g.querySelectorAll(':scope > rect.warnbox')].map(box), text: g.textContent ?? '' })),
      warnText: [...svg.querySelectorAll('text.warntext')].map((t) => t.textContent).join('\n'),
      box: box(svg),
    }));
  });
}

const inside = (a: Box, b: Box, tol = 0.75): boolean => a.x >= b.x - tol && a.y >= b.y - tol && a.x + a.w <= b.x + b.w + tol && a.y + a.h <= b.y + b.h + tol;
const overlapArea = (a: Box, b: Box): number => Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));

/** member, bitfield, flex, hole, padding or beyond (the cell's second class). */
export const kindOf = (c: CellGeometry): string => c.cls.split(' ')[1] ?? '';

/** Bytes per pixel of a map: its row width over the bytes in a row. */
export function byteWidth(m: MapGeometry): number {
  return m.rows[0]!.box.w / m.rowBytes;
}

/**
 * What must hold on every map: each member's name is visible text inside its cell (its first
 * rectangle); no two cells overlap; each cell is as wide as its bytes (flexible arrays, size 0,
 * aside). Returns the problems found, empty when there are none.
 */
export function geometryProblems(maps: readonly MapGeometry[]): string[] {
  const problems: string[] = [];
  for (const m of maps) {
    const where = `${m.section} [${m.abis}]`;
    const bw = byteWidth(m);
    for (const c of m.cells) {
      if (c.rects.length === 0) problems.push(`${where} ${c.path}: no rectangle`);
      if (kindOf(c) === 'member' || kindOf(c) === 'bitfield' || kindOf(c) === 'flex') {
        if (!c.nameBox || !c.nameText.includes(c.name)) problems.push(`${where} ${c.path}: name '${c.name}' is not its text ('${c.nameText}')`);
        else if (!inside(c.nameBox, c.rects[0]!)) problems.push(`${where} ${c.path}: name box ${JSON.stringify(c.nameBox)} outside its cell ${JSON.stringify(c.rects[0])}`);
        if (!c.nameVisible) problems.push(`${where} ${c.path}: name not visible`);
      }
      if (kindOf(c) !== 'flex' && c.size > 0) {
        // Each rectangle is inset 1 px on either side of its bytes.
        const drawn = c.rects.reduce((a, r) => a + r.w + 2, 0);
        if (Math.abs(drawn - c.size * bw) > 0.75 * c.rects.length) problems.push(`${where} ${c.path}: ${drawn.toFixed(1)} px wide for ${c.size} bytes at ${bw.toFixed(2)} px/byte`);
      }
    }
    const rects = m.cells.flatMap((c) => c.rects.map((r) => ({ r, c })));
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) {
        if (rects[i]!.c === rects[j]!.c) continue;
        if (overlapArea(rects[i]!.r, rects[j]!.r) > 0.5) problems.push(`${where}: ${rects[i]!.c.path} overlaps ${rects[j]!.c.path}`);
      }
    }
  }
  return problems;
}
