/**
 * The HTML page around the maps: one self-contained file (inline CSS and SVG, no script, no
 * request), a legend, and the SVG definitions the maps share.
 */
import { esc } from './model.js';
import { pageCss, svgDocumentCss } from './style.js';
import { svgDefs } from './svg.js';

export interface PageParts {
  readonly title: string;
  /** HTML of the header's subtitle line. */
  readonly subtitle: string;
  /** HTML of the body after the header. */
  readonly body: string;
  /** Legend entries to show (default: the layout ones). */
  readonly legend?: readonly LegendKey[];
}

export type LegendKey = 'member' | 'bitfield' | 'flex' | 'hole' | 'padding' | 'warn' | 'differs' | 'beyond' | 'cap';

const LEGEND: Record<LegendKey, { cls: string; text: string }> = {
  member: { cls: 'cell member', text: 'member: name, C type, @offset · size' },
  bitfield: { cls: 'cell bitfield', text: 'bitfield: its bits in the bar (each byte most significant bit first)' },
  flex: { cls: 'cell flex', text: 'flexible array: open end, → its __counted_by member' },
  hole: { cls: 'cell hole', text: 'hole between members' },
  padding: { cls: 'cell padding', text: 'tail padding' },
  warn: { cls: 'cell mark-warn member', text: 'alignment warning' },
  differs: { cls: 'cell mark-differs member', text: 'not the same on every ABI' },
  beyond: { cls: 'cell beyond', text: 'bytes past argsz' },
  cap: { cls: 'group cap', text: 'capability (header + body)' },
};

function legend(keys: readonly LegendKey[]): string {
  const items = keys.map((k) => {
    const l = LEGEND[k];
    const shape = k === 'cap' ? '<rect class="gframe" x="1" y="1" width="26" height="14" rx="3"/><rect class="gtitle" x="2" y="2" width="24" height="5"/>' : '<rect class="seg" x="1" y="1" width="26" height="14" rx="3"/>';
    return `<span><svg class="bytemap" width="28" height="16" aria-hidden="true"><g class="${l.cls}">${shape}</g></svg>${esc(l.text)}</span>`;
  });
  return `<div class="legend" role="list" aria-label="legend">${items.map((i) => i.replace('<span>', '<span role="listitem">')).join('')}</div>`;
}

export function htmlPage(p: PageParts): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${esc(p.title)}</title>`,
    `<style>${pageCss()}</style>`,
    '</head>',
    '<body>',
    `<svg width="0" height="0" style="position:absolute" aria-hidden="true">${svgDefs()}</svg>`,
    `<header><h1>${esc(p.title)}</h1><p class="sub">${p.subtitle}</p>${legend(p.legend ?? ['member', 'bitfield', 'flex', 'hole', 'padding', 'warn', 'differs'])}</header>`,
    '<main>',
    p.body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A standalone SVG document of maps placed at (x, y). */
export function svgDocument(title: string, parts: readonly { svg: string; x: number; y: number; width: number; height: number }[]): string {
  const width = Math.max(1, ...parts.map((p) => p.x + p.width));
  const height = Math.max(1, ...parts.map((p) => p.y + p.height));
  const placed = parts.map((p) => p.svg.replace(/^<svg /, `<svg x="${p.x}" y="${p.y}" `));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" class="document" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="group" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<style>${svgDocumentCss()}</style>`,
    svgDefs(),
    `<rect class="docbg" width="100%" height="100%" style="fill:var(--bg)"/>`,
    ...placed,
    '</svg>',
    '',
  ].join('\n');
}
