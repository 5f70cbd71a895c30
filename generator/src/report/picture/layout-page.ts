/**
 * `uapi-ts layout --format html|svg`: a byte map per record of the layout JSON documents, one
 * column per distinct layout when there are several ABIs. HTML: one page, an index, a stable
 * anchor per record (`#vfio_region_info`). SVG: one document with the records stacked.
 */
import type { LayoutJson, RecordJson } from '../../contract/layout-json.js';
import { abiColumns, abiNames, columnMaps, type EndianOf } from './abi-columns.js';
import { bytes, domId, esc } from './model.js';
import { htmlPage, svgDocument } from './page.js';
import { renderMap } from './svg.js';

export interface LayoutPictureOptions {
  readonly endianOf: EndianOf;
  /** Only this record (a name, with or without `struct `/`union `). */
  readonly struct?: string;
  /** Title of the page (default: the header and its ABIs). */
  readonly title?: string;
  /** A line of HTML under the title (provenance). */
  readonly subtitle?: string;
  /**
   * Also an anchor for each named member of an untagged struct/union type, named as the bindings
   * name its view (`<record>_<member>`, `struct { ... } point;` in picdemo_nested: #picdemo_nested_point).
   */
  readonly memberAnchors?: boolean;
}

/** `<parent>_<member>` for every named member whose type is an untagged struct/union, at any depth. */
function untaggedAnchors(r: RecordJson): string[] {
  const out: string[] = [];
  const walk = (fields: RecordJson['fields'], parent: string): void => {
    for (const f of fields) {
      if (!f.fields) continue;
      if (f.name === '') walk(f.fields, parent);
      else {
        out.push(`${parent}_${f.name}`);
        walk(f.fields, `${parent}_${f.name}`);
      }
    }
  };
  walk(r.fields, r.name);
  return out;
}

/** Record names in the first document's order, then any only later documents have; or the one asked for. */
export function recordNames(docs: readonly LayoutJson[], struct?: string): string[] {
  const names: string[] = [];
  for (const d of docs) for (const r of d.records) if (!names.includes(r.name)) names.push(r.name);
  if (struct === undefined) return names;
  const want = struct.replace(/^(struct|union)\s+/, '');
  return names.filter((n) => n === want);
}

function kindOf(docs: readonly LayoutJson[], name: string): RecordJson['kind'] {
  for (const d of docs) for (const r of d.records) if (r.name === name) return r.kind;
  return 'struct';
}

function sizesLine(docs: readonly LayoutJson[], name: string, endianOf: EndianOf): string {
  const all = docs.map((d) => d.abi);
  const bySize = new Map<number, string[]>();
  for (const c of abiColumns(docs, name, endianOf)) bySize.set(c.record.size, [...(bySize.get(c.record.size) ?? []), ...c.abis]);
  // The size most ABIs have plain, the others with their ABIs: "32 / 28 (i386)".
  const sizes = [...bySize.entries()].sort((a, b) => b[1].length - a[1].length);
  return sizes.map(([s, abis], i) => (i === 0 ? `${s}` : `${s} (${abiNames(abis, all)})`)).join(' / ');
}

function section(docs: readonly LayoutJson[], name: string, opts: LayoutPictureOptions): string {
  const all = docs.map((d) => d.abi);
  const cols = abiColumns(docs, name, opts.endianOf);
  const maps = columnMaps(cols, all);
  const first = cols[0]!.record;
  const loc = first.loc !== undefined ? `${esc(first.loc)} · ` : '';
  const distinct = cols.length > 1 ? ` · <span class="badge differs">${cols.length} layouts</span> differences outlined` : '';
  const figures = maps.map((m, i) => {
    const c = cols[i]!;
    const r = renderMap(m);
    const warn = m.warnings.length > 0 ? ' <span class="badge warn">cap_offset alignment</span>' : '';
    return `<figure data-abis="${c.abis.join(' ')}" data-size="${c.record.size}"><figcaption><b>${bytes(c.record.size)}</b>, align ${c.record.align} · ${esc(abiNames(c.abis, all))}${warn}</figcaption>${r.svg}</figure>`;
  });
  const anchors = opts.memberAnchors ? untaggedAnchors(first).map((a) => `<a id="${domId(a)}"></a>`).join('') : '';
  return `<section class="record" id="${domId(name)}" data-kind="${first.kind}">${anchors}<h2><a href="#${domId(name)}">${esc(`${first.kind} ${name}`)}</a></h2><p class="loc">${loc}${esc(sizesLine(docs, name, opts.endianOf))} bytes${distinct}</p><div class="columns">${figures.join('')}</div></section>`;
}

export function layoutHtml(docs: readonly LayoutJson[], opts: LayoutPictureOptions): string {
  const names = recordNames(docs, opts.struct);
  const header = docs[0]?.header ?? '?';
  const abis = docs.map((d) => d.abi);
  const index = `<nav class="index" aria-label="records"><ul>${names.map((n) => `<li><a href="#${domId(n)}">${esc(n)}</a> <span class="note">${esc(sizesLine(docs, n, opts.endianOf))}</span></li>`).join('')}</ul></nav>`;
  const unsupported = [...new Map(docs.flatMap((d) => d.unsupported ?? []).map((u) => [u.name, u])).values()];
  const unsupportedHtml = unsupported.length > 0 ? `<section class="unsupported"><h2>Not laid out</h2><ul>${unsupported.map((u) => `<li><code>${esc(u.name)}</code> (${esc(`${u.file}:${u.line}`)}): ${esc(u.message)}</li>`).join('')}</ul></section>` : '';
  return htmlPage({
    title: opts.title ?? `${header} byte maps`,
    subtitle: opts.subtitle ?? `${names.length} record${names.length === 1 ? '' : 's'} on ${esc(abis.join(', '))}. Rows of 8 bytes (or the record's alignment), offsets on the left; hover a cell for its details.`,
    body: `${names.length > 1 ? index : ''}${names.map((n) => section(docs, n, opts)).join('\n')}${unsupportedHtml}`,
  });
}

export function layoutSvg(docs: readonly LayoutJson[], opts: LayoutPictureOptions): string {
  const names = recordNames(docs, opts.struct);
  const all = docs.map((d) => d.abi);
  const parts: { svg: string; x: number; y: number; width: number; height: number }[] = [];
  let y = 0;
  for (const name of names) {
    const maps = columnMaps(abiColumns(docs, name, opts.endianOf), all);
    let x = 0;
    let h = 0;
    for (const m of maps) {
      const r = renderMap({ ...m, title: `${kindOf(docs, name)} ${name}` }, { heading: true });
      parts.push({ svg: r.svg, x, y, width: r.width, height: r.height });
      x += r.width + 16;
      h = Math.max(h, r.height);
    }
    y += h + 24;
  }
  return svgDocument(opts.title ?? `${docs[0]?.header ?? '?'} byte maps`, parts);
}
