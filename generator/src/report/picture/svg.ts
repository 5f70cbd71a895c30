/**
 * Geometry: a picture model drawn as one SVG byte map. Rows of `rowBytes` bytes, offset on the
 * left; every cell a rectangle per row it spans (width proportional to its bytes), its name and
 * details as SVG text inside it; groups as framed lanes with a title strip; bitfields as lines
 * with a bar of the bits they occupy; links as arrows. Classes only: colors come from style.ts.
 */
import { byteWidth, bytes, esc, GEOMETRY as G, wrap, type Cell, type Group, type MapModel, type Warning } from './model.js';

export interface RenderedMap {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

export interface RenderOptions {
  /** Draw the title and caption inside the SVG (standalone documents); pages use HTML headings. */
  readonly heading?: boolean;
  /** Include the hatch patterns and arrow marker (standalone documents; a page defines them once). */
  readonly defs?: boolean;
}

interface Seg {
  readonly row: number;
  readonly from: number;
  readonly to: number;
  readonly lanes: readonly [number, number];
  need: number;
}

interface Line {
  readonly text: string;
  readonly cls: string;
  readonly squeezed: boolean;
}

const HEADING = 34;
const RULER = 16;

/** The bytes a cell is drawn over: its own, or for a flexible array up to the end of its row (the open end). */
function span(c: Cell, rowBytes: number): [number, number] {
  if (c.kind === 'flex') return [c.offset, (Math.floor(c.offset / rowBytes) + 1) * rowBytes];
  return [c.offset, c.offset + c.size];
}

function segments(from: number, to: number, lanes: readonly [number, number], rowBytes: number): Seg[] {
  const out: Seg[] = [];
  for (let r = Math.floor(from / rowBytes); r * rowBytes < to; r++) {
    out.push({ row: r, from: Math.max(from, r * rowBytes), to: Math.min(to, (r + 1) * rowBytes), lanes, need: 0 });
  }
  return out;
}

function wrapped(text: string, cls: string, width: number, maxLines: number): Line[] {
  const w = wrap(text, width, maxLines);
  return w.lines.map((t, i) => ({ text: t, cls, squeezed: w.squeezed && i === w.lines.length - 1 }));
}

/** The text lines of a cell's first segment: name first, then what it is, where and how big. */
function labelLines(c: Cell, width: number): { name: Line[]; detail: Line[] } {
  const pos = c.detail ?? `@${c.offset} · ${bytes(c.size)}`;
  switch (c.kind) {
    case 'member': {
      const detail = c.value !== undefined ? wrapped(`= ${c.value}`, 'value', width, 2) : [...wrapped(c.type ?? '', 'detail', width, 2), ...wrapped(pos, 'detail', width, 1)];
      return { name: wrapped(c.name, 'name', width, 3), detail };
    }
    case 'bitfield': {
      const b = c.bits!;
      const where = `bits ${b.bitOffset}–${b.bitOffset + b.width - 1} of ${c.type} @${b.unitOffset}`;
      const detail = c.value !== undefined ? wrapped(`= ${c.value}`, 'value', width, 1) : wrapped(where, 'detail', width, 2);
      return { name: wrapped(`${c.name}:${b.width}`, 'name', width, 3), detail };
    }
    case 'flex':
      return {
        name: wrapped(`${c.name}[]`, 'name', width, 2),
        detail: [...wrapped(`${c.type} @${c.offset}`, 'detail', width, 2), ...wrapped(c.countedBy !== undefined ? `counted by ${c.countedBy} →` : 'flexible array: open end →', 'detail', width, 2)],
      };
    case 'hole':
    case 'padding':
    case 'beyond': {
      const word = c.kind === 'beyond' ? 'past argsz' : c.name !== '' ? c.name : c.kind;
      return { name: wrapped(word, 'name', width, 2), detail: wrapped(c.detail ?? bytes(c.size), 'detail', width, 2) };
    }
  }
}

function tooltip(c: Cell): string {
  const what = c.kind === 'hole' ? `hole: ${bytes(c.size)} at ${c.offset}` : c.kind === 'padding' ? `${c.name || 'padding'}: ${bytes(c.size)} at ${c.offset}` : c.kind === 'beyond' ? `past argsz: ${bytes(c.size)} at ${c.offset}` : `${c.name}: ${c.type ?? ''}`;
  const bits = c.bits ? `, bits ${c.bits.bitOffset}..${c.bits.bitOffset + c.bits.width - 1} of the ${c.bits.unitSize}-byte unit at ${c.bits.unitOffset}` : '';
  const where = c.kind === 'member' || c.kind === 'flex' ? ` at offset ${c.offset}, ${bytes(c.size)}` : '';
  const value = c.value !== undefined ? ` = ${c.value}` : '';
  const counted = c.countedBy !== undefined ? `, counted by ${c.countedBy}` : '';
  return `${what}${where}${bits}${counted}${value}${c.marks.length > 0 ? ` (${c.marks.join(', ')})` : ''}`;
}

/** Lane heights of each row: every segment gets the height it needs, wider segments last. */
function laneHeights(rows: number, lanes: number, segs: readonly Seg[]): number[][] {
  const h = Array.from({ length: rows }, () => new Array<number>(lanes).fill(0));
  const sorted = [...segs].sort((a, b) => a.lanes[1] - a.lanes[0] - (b.lanes[1] - b.lanes[0]));
  for (const s of sorted) {
    const row = h[s.row]!;
    let have = 0;
    for (let l = s.lanes[0]; l < s.lanes[1]; l++) have += row[l]!;
    if (have < s.need) row[s.lanes[1] - 1]! += s.need - have;
  }
  return h;
}

export function renderMap(m: MapModel, opts: RenderOptions = {}): RenderedMap {
  const R = m.rowBytes;
  const BW = byteWidth(R);
  const rows = Math.max(1, Math.ceil(m.extent / R));
  const inner = (s: Seg): number => (s.to - s.from) * BW - 2 - 2 * G.pad;

  // Segments and the text each needs.
  const cellSegs = new Map<Cell, { segs: Seg[]; name: Line[]; detail: Line[] }>();
  const all: Seg[] = [];
  for (const c of m.cells) {
    const [from, to] = span(c, R);
    const segs = segments(from, to, c.lanes, R);
    const first = segs[0]!;
    const { name, detail } = labelLines(c, inner(first));
    segs.forEach((s, i) => {
      const lines = i === 0 ? name.length + detail.length : 1;
      s.need = Math.max(2, lines) * G.line + 2 * G.pad + (c.kind === 'bitfield' ? G.bitBar + 2 : 0);
    });
    cellSegs.set(c, { segs, name, detail });
    all.push(...segs);
  }
  const groupSegs = new Map<Group, Seg[]>();
  const groupTitles = new Map<Group, Line[][]>();
  for (const g of m.groups) {
    const segs = segments(g.offset, g.offset + g.size, [g.lanes[0], g.lanes[0] + 1], R);
    const titles = segs.map((s, i) => wrapped(i === 0 ? g.label : `${g.label.split(' @')[0]} (continued)`, 'gname', inner(s), i === 0 ? 2 : 1));
    segs.forEach((s, i) => {
      s.need = (titles[i]!.length - 1) * G.line + (g.kind === 'bits' ? G.bitsTitleLane : G.titleLane);
    });
    groupSegs.set(g, segs);
    groupTitles.set(g, titles);
    all.push(...segs);
  }
  const warnSegs = new Map<Warning, Seg[]>();
  for (const w of m.warnings) {
    if (w.size === 0) continue;
    const segs = segments(w.offset, w.offset + w.size, [0, m.lanes], R);
    for (const s of segs) s.need = 3 * G.line + 2 * G.pad;
    warnSegs.set(w, segs);
    all.push(...segs);
  }
  const H = laneHeights(rows, m.lanes, all);
  const hexH = m.hex ? G.hexStrip : 0;
  const top = (opts.heading ? HEADING : 0) + RULER;
  const rowTop: number[] = [];
  let y = top;
  for (let r = 0; r < rows; r++) {
    rowTop.push(y);
    y += H[r]!.reduce((a, b) => a + b, 0) + hexH + G.rowGap;
  }
  const notes = m.warnings.map((w) => wrap(`⚠ ${w.text}`, G.rowWidth, 4));
  const notesTop = y + 4;
  const height = notesTop + notes.reduce((a, n) => a + n.lines.length * G.line + 4, 0) + 4;
  const width = G.gutter + G.rowWidth + G.rightGutter;
  const x = (byte: number, row: number): number => G.gutter + (byte - row * R) * BW;
  const laneY = (row: number, lane: number): number => rowTop[row]! + H[row]!.slice(0, lane).reduce((a, b) => a + b, 0);
  const box = (s: Seg): { x: number; y: number; w: number; h: number } => {
    const y0 = laneY(s.row, s.lanes[0]);
    return { x: x(s.from, s.row) + 1, y: y0 + 1, w: (s.to - s.from) * BW - 2, h: laneY(s.row, s.lanes[1]) - y0 - 2 };
  };
  const n = num;

  const out: string[] = [];
  const titleId = `${m.id}-title`;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="bytemap${m.marks.map((k) => ` mark-${k}`).join('')}" width="${n(width)}" height="${n(height)}" viewBox="0 0 ${n(width)} ${n(height)}" role="group" aria-labelledby="${titleId}" data-row-bytes="${R}" data-byte-width="${n(BW)}">`);
  out.push(`<title id="${titleId}">${esc(`${m.title}: ${m.caption}`)}</title>`);
  if (opts.defs) out.push(svgDefs());
  if (opts.heading) {
    out.push(`<text class="maptitle" x="${G.gutter}" y="16">${esc(m.title)}</text>`);
    out.push(`<text class="mapcaption" x="${G.gutter}" y="29">${esc(m.caption)}</text>`);
  }
  // Column ruler and row offsets.
  out.push('<g class="ruler" aria-hidden="true">');
  for (let b = 0; b < R; b++) out.push(`<text x="${n(G.gutter + (b + 0.5) * BW)}" y="${top - 4}" text-anchor="middle">${b}</text>`);
  out.push('</g>');
  for (let r = 0; r < rows; r++) {
    const h = laneY(r, m.lanes) - rowTop[r]! + hexH;
    out.push(`<rect class="row" x="${G.gutter}" y="${n(rowTop[r]!)}" width="${G.rowWidth}" height="${n(h)}"/>`);
    out.push(`<text class="rowoff" x="${G.gutter - 6}" y="${n(rowTop[r]! + h / 2 + 4)}" text-anchor="end">${r * R}</text>`);
  }
  // Group frames and title strips, outermost first.
  for (const g of m.groups) {
    const cls = `group ${g.kind}${g.marks.map((k) => ` mark-${k}`).join('')}`;
    out.push(`<g class="${cls}" data-path="${esc(g.path)}" data-offset="${g.offset}" data-size="${g.size}"><title>${esc(g.title ?? g.label)}</title>`);
    for (const [i, s] of groupSegs.get(g)!.entries()) {
      const frame = box({ ...s, lanes: g.lanes });
      const t = box(s);
      out.push(`<rect class="gframe" x="${n(frame.x - 1)}" y="${n(frame.y - 1)}" width="${n(frame.w + 2)}" height="${n(frame.h + 2)}" rx="4"/>`);
      out.push(`<rect class="gtitle" x="${n(t.x)}" y="${n(t.y)}" width="${n(t.w)}" height="${n(t.h)}" rx="3"/>`);
      const title = groupTitles.get(g)![i]!;
      out.push(textBlock(title, t.x + G.pad, t.y + 12, t.w - 2 * G.pad));
      if (g.kind === 'bits') out.push(bitRuler(s, t.y + 24 + (title.length - 1) * G.line, m, BW, x));
    }
    out.push('</g>');
  }
  // Cells.
  for (const c of m.cells) {
    const { segs, name, detail } = cellSegs.get(c)!;
    const cls = `cell ${c.kind}${c.marks.map((k) => ` mark-${k}`).join('')}`;
    const attrs = `data-path="${esc(c.path)}" data-name="${esc(c.name)}" data-offset="${c.offset}" data-size="${c.size}"${c.type ? ` data-type="${esc(c.type)}"` : ''}`;
    out.push(`<g class="${cls}" ${attrs}><title>${esc(tooltip(c))}</title>`);
    segs.forEach((s, i) => {
      const b = box(s);
      out.push(`<rect class="seg${c.kind === 'flex' ? ' open' : ''}" x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" rx="3"/>`);
      if (i === 0) {
        out.push(textBlock(name, b.x + G.pad, b.y + G.pad + 9, b.w - 2 * G.pad));
        out.push(textBlock(detail, b.x + G.pad, b.y + G.pad + 9 + name.length * G.line, b.w - 2 * G.pad));
        if (c.bits) out.push(bitBar(c, s, b, m, BW, x));
      } else {
        out.push(textBlock(wrapped(`${c.name || c.kind} (continued)`, 'cont', b.w - 2 * G.pad, 1), b.x + G.pad, b.y + G.pad + 9, b.w - 2 * G.pad));
      }
    });
    if (c.kind === 'flex') {
      const b = box(segs[0]!);
      out.push(`<path class="openend" d="M${n(b.x + b.w)} ${n(b.y)} l-6 ${n(b.h / 4)} l6 ${n(b.h / 4)} l-6 ${n(b.h / 4)} l6 ${n(b.h / 4)}"/>`);
    }
    out.push('</g>');
  }
  // Warnings at the bytes where they bite.
  for (const [w, segs] of warnSegs) {
    out.push(`<g class="warning" data-offset="${w.offset}" data-size="${w.size}"><title>${esc(w.text)}</title>`);
    for (const s of segs) {
      const b = box(s);
      out.push(`<rect class="warnbox" x="${n(b.x)}" y="${n(b.y)}" width="${n(b.w)}" height="${n(b.h)}" rx="3"/>`);
      out.push(textBlock(wrapped(`⚠ ${w.label}`, 'warnlabel', b.w - 2 * G.pad, 3), b.x + G.pad, b.y + G.pad + 9, b.w - 2 * G.pad));
    }
    out.push('</g>');
  }
  // Hex strip (replies).
  if (m.hex) {
    out.push('<g class="hex">');
    for (let r = 0; r < rows; r++) {
      const yy = laneY(r, m.lanes) + 11;
      for (let b = r * R; b < Math.min((r + 1) * R, m.hex.bytes.length); b++) {
        const past = b >= m.hex.argsz ? ' beyond' : '';
        out.push(`<text class="hexbyte${past}" x="${n(x(b, r) + BW / 2)}" y="${n(yy)}" text-anchor="middle" data-offset="${b}">${m.hex.bytes[b]!.toString(16).padStart(2, '0')}</text>`);
      }
    }
    out.push('</g>');
  }
  // Links.
  m.links.forEach((l, i) => {
    const from = m.cells.find((c) => c.path === l.from);
    const fromSeg = from ? cellSegs.get(from)!.segs[0]! : undefined;
    const toCell = m.cells.find((c) => c.path === l.to);
    const toGroup = m.groups.find((g) => g.path === l.to);
    const toSeg = toCell ? cellSegs.get(toCell)!.segs[0] : toGroup ? groupSegs.get(toGroup)![0] : undefined;
    if (!fromSeg || !toSeg) return;
    const a = box(fromSeg);
    const b = box(toSeg);
    let d: string;
    if (l.kind === 'counted-by') {
      const sx = a.x + 10;
      const sy = a.y + 2;
      const tx = b.x + b.w / 2;
      const ty = b.y + b.h - 2;
      d = `M${n(sx)} ${n(sy)} C${n(sx)} ${n(sy - 30)} ${n(tx)} ${n(ty + 30)} ${n(tx)} ${n(ty)}`;
    } else {
      const gx = G.gutter + G.rowWidth + 10 + (i % 5) * 8;
      const sy = a.y + a.h / 2;
      const ty = b.y + b.h / 2;
      d = `M${n(a.x + a.w)} ${n(sy)} H${n(gx)} V${n(ty)} H${n(G.gutter + G.rowWidth + 2)}`;
    }
    out.push(`<path class="link ${l.kind}" d="${d}" marker-end="url(#uapi-arrow)" data-from="${esc(l.from)}" data-to="${esc(l.to)}"><title>${esc(l.label)}</title></path>`);
  });
  // The warnings in words, under the map.
  let ny = notesTop;
  for (const note of notes) {
    out.push(`<text class="warntext" x="${G.gutter}" y="${n(ny + 10)}">${note.lines.map((t, i) => `<tspan x="${G.gutter}"${i > 0 ? ` dy="${G.line}"` : ''}>${esc(t)}</tspan>`).join('')}</text>`);
    ny += note.lines.length * G.line + 4;
  }
  out.push('</svg>');
  return { svg: out.join('\n'), width, height };
}

const num = (v: number): string => String(Math.round(v * 100) / 100);

/** Lines as one <text>; a line that still does not fit is squeezed to `width` (textLength). */
function textBlock(lines: readonly Line[], x: number, y: number, width: number): string {
  if (lines.length === 0) return '';
  const n = num;
  const cls = lines[0]!.cls;
  const spans = lines.map((l, i) => {
    const len = l.squeezed ? ` textLength="${n(width)}" lengthAdjust="spacingAndGlyphs"` : '';
    return `<tspan x="${n(x)}"${i > 0 ? ` dy="${G.line}"` : ''}${len}${l.cls !== cls ? ` class="${l.cls}"` : ''}>${esc(l.text)}</tspan>`;
  });
  return `<text class="${cls}" x="${n(x)}" y="${n(y)}">${spans.join('')}</text>`;
}

/** x of physical bit `abs` (allocation order from the record start): bytes left to right, each byte's bits MSB first. */
function bitX(abs: number, endian: 'little' | 'big', BW: number, x: (byte: number, row: number) => number, R: number): number {
  const byte = Math.floor(abs / 8);
  const inByte = endian === 'little' ? 7 - (abs % 8) : abs % 8;
  return x(byte, Math.floor(byte / R)) + (inByte * BW) / 8;
}

function bitBar(c: Cell, s: Seg, b: { x: number; y: number; w: number; h: number }, m: MapModel, BW: number, x: (byte: number, row: number) => number): string {
  const n = num;
  const by = b.y + b.h - G.bitBar - 3;
  const parts = [`<rect class="bitbar" x="${n(b.x + 2)}" y="${n(by)}" width="${n(b.w - 4)}" height="${G.bitBar}"/>`];
  const bits = c.bits!;
  for (let i = 0; i < bits.width; i++) {
    const abs = bits.abs + i;
    const byte = Math.floor(abs / 8);
    if (byte < s.from || byte >= s.to) continue;
    parts.push(`<rect class="bitset" x="${n(bitX(abs, m.endian, BW, x, m.rowBytes) + 0.5)}" y="${n(by)}" width="${n(BW / 8 - 1)}" height="${G.bitBar}"/>`);
  }
  return parts.join('');
}

/** Bit numbers of each byte, most significant first, under a bitfield run's title. */
function bitRuler(s: Seg, y: number, m: MapModel, BW: number, x: (byte: number, row: number) => number): string {
  const n = num;
  const parts: string[] = ['<g class="bitnums" aria-hidden="true">'];
  for (let byte = s.from; byte < s.to; byte++) {
    for (let k = 0; k < 8; k++) parts.push(`<text x="${n(x(byte, s.row) + ((k + 0.5) * BW) / 8)}" y="${n(y)}" text-anchor="middle">${7 - k}</text>`);
  }
  parts.push('</g>');
  return parts.join('');
}

/** Hatch patterns for holes and padding, and the arrowhead of links (once per document). */
export function svgDefs(): string {
  return [
    '<defs>',
    '<pattern id="uapi-hatch-hole" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect class="hatchbg hole" width="8" height="8"/><line class="hatch hole" x1="0" y1="0" x2="0" y2="8"/></pattern>',
    '<pattern id="uapi-hatch-pad" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect class="hatchbg pad" width="6" height="6"/><line class="hatch pad" x1="0" y1="0" x2="0" y2="6"/></pattern>',
    '<marker id="uapi-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrowhead" d="M0 0 L10 5 L0 10 z"/></marker>',
    '</defs>',
  ].join('');
}
