/**
 * `uapi-ts diff --format html`: for each changed record, the old and the new byte map side by side
 * (one pair per group of ABIs on which both look the same), the changed cells outlined in the color
 * of their classification, and each change's kind and reason; constant changes as a table.
 * Reads the diff's documented JSON (docs/diff.md) and the two sides' layout JSON documents.
 */
import type { ChangeGroup, ChangeKind } from '../../diff/types.js';
import type { DiffJson } from '../diff-json.js';
import type { LayoutJson, RecordJson } from '../../contract/layout-json.js';
import { abiNames, hasBits, type EndianOf } from './abi-columns.js';
import { bytes, domId, esc, type MapModel, type Mark } from './model.js';
import { htmlPage } from './page.js';
import { recordMap } from './struct-map.js';
import { renderMap } from './svg.js';

const ORDER: readonly ChangeKind[] = ['breaking', 'compatible', 'padding', 'api'];
const rank = (k: ChangeKind): number => ORDER.indexOf(k);

export interface DiffPictureInput {
  readonly diff: DiffJson;
  readonly olds: readonly LayoutJson[];
  readonly news: readonly LayoutJson[];
  readonly endianOf: EndianOf;
}

interface Subject {
  readonly title: string;
  readonly changes: ChangeGroup[];
  worst: ChangeKind;
}

function subjects(changes: readonly ChangeGroup[]): Subject[] {
  const by = new Map<string, Subject>();
  for (const c of changes) {
    const title = c.record ?? `${c.subject === 'constant' ? '' : `${c.subject} `}${c.constant ?? '?'}`;
    const s = by.get(title);
    if (s) {
      s.changes.push(c);
      if (rank(c.kind) < rank(s.worst)) s.worst = c.kind;
    } else by.set(title, { title, changes: [c], worst: c.kind });
  }
  return [...by.values()].map((s, i) => ({ s, i })).sort((a, b) => rank(a.s.worst) - rank(b.s.worst) || a.i - b.i).map((x) => x.s);
}

function find(docs: readonly LayoutJson[], abi: string, title: string): { rec: RecordJson; doc: LayoutJson } | undefined {
  const doc = docs.find((d) => d.abi === abi);
  const rec = doc?.records.find((r) => `${r.kind} ${r.name}` === title);
  return doc && rec ? { rec, doc } : undefined;
}

function mark(m: MapModel | undefined, path: string | undefined, kind: Mark): void {
  if (!m || path === undefined) return;
  for (const c of m.cells) if (c.path === path && !c.marks.includes(kind)) c.marks.push(kind);
}

/** Outline what each change is about: the field on the side(s) it exists on, the bytes a new field took, the whole map for a size change. */
function markChanges(oldMap: MapModel | undefined, newMap: MapModel | undefined, changes: readonly ChangeGroup[]): void {
  for (const c of changes) {
    if (c.subject === 'record') {
      if (newMap && !newMap.marks.includes(c.kind)) newMap.marks.push(c.kind);
      for (const a of c.appended ?? []) mark(newMap, a, c.kind);
      continue;
    }
    const o = c.old as { path?: string } | undefined;
    const n = c.new as { path?: string; offset?: number; size?: number } | undefined;
    mark(oldMap, o?.path ?? (n ? undefined : c.field), c.kind);
    mark(newMap, n?.path ?? (o ? undefined : c.field), c.kind);
    if (n && !o && oldMap && n.offset !== undefined && n.size !== undefined) {
      // A new field over bytes that were a hole or padding: outline those bytes on the old side too.
      for (const cell of oldMap.cells) {
        if ((cell.kind === 'hole' || cell.kind === 'padding') && cell.offset < n.offset + n.size && n.offset < cell.offset + cell.size && !cell.marks.includes(c.kind)) cell.marks.push(c.kind);
      }
    }
  }
}

function changeList(changes: readonly ChangeGroup[]): string {
  const sorted = [...changes].sort((a, b) => rank(a.kind) - rank(b.kind));
  return `<ul class="changes">${sorted.map((c) => `<li><span class="badge ${c.kind}">${c.kind}</span> ${esc(c.why)}</li>`).join('')}</ul>`;
}

function figure(side: 'old' | 'new', label: string, found: { rec: RecordJson; doc: LayoutJson } | undefined, map: MapModel | undefined): string {
  if (!found || !map) return `<figure class="${side} absent"><figcaption><b>${esc(label)}</b>: not there</figcaption></figure>`;
  const r = renderMap(map);
  return `<figure class="${side}" data-size="${found.rec.size}"><figcaption><b>${esc(label)}</b>: ${bytes(found.rec.size)}, align ${found.rec.align}</figcaption>${r.svg}</figure>`;
}

function recordSection(s: Subject, input: DiffPictureInput): string {
  const { diff } = input;
  // ABIs whose old and new layouts and whose changes are the same share one pair of maps.
  const pairs = new Map<string, { abis: string[]; changes: ChangeGroup[] }>();
  for (const abi of diff.abis) {
    const changes = s.changes.filter((c) => c.abis.includes(abi));
    if (changes.length === 0) continue;
    const o = find(input.olds, abi, s.title);
    const n = find(input.news, abi, s.title);
    const bits = (o !== undefined && hasBits(o.rec)) || (n !== undefined && hasBits(n.rec));
    const key = JSON.stringify([o?.rec.fields, o?.rec.size, o?.rec.align, n?.rec.fields, n?.rec.size, n?.rec.align, bits ? input.endianOf(abi) : '', changes.map((c) => s.changes.indexOf(c))]);
    const p = pairs.get(key);
    if (p) p.abis.push(abi);
    else pairs.set(key, { abis: [abi], changes });
  }
  const id = domId(s.title.replace(/^(struct|union) /, ''));
  const body = [...pairs.values()].map((p) => {
    const abi = p.abis[0]!;
    const o = find(input.olds, abi, s.title);
    const n = find(input.news, abi, s.title);
    const opts = (f: { doc: LayoutJson }, side: string) => ({ endian: input.endianOf(abi), abi: abiNames(p.abis, diff.abis), records: f.doc.records, id: domId(`${side}-${id}--${abi}`) });
    const oldMap = o ? recordMap(o.rec, opts(o, 'old')) : undefined;
    const newMap = n ? recordMap(n.rec, opts(n, 'new')) : undefined;
    markChanges(oldMap, newMap, p.changes);
    const worst = p.changes.reduce((w, c) => (rank(c.kind) < rank(w) ? c.kind : w), p.changes[0]!.kind);
    return `<div class="pair" data-abis="${p.abis.join(' ')}" data-kind="${worst}"><h3>on ${esc(abiNames(p.abis, diff.abis))}</h3>${changeList(p.changes)}<div class="pairs">${figure('old', diff.from, o, oldMap)}<span class="arrow" aria-hidden="true">→</span>${figure('new', diff.to, n, newMap)}</div></div>`;
  });
  return `<section class="record" id="${id}" data-kind="${s.worst}"><h2><a href="#${id}">${esc(s.title)}</a> <span class="badge ${s.worst}">${s.worst}</span></h2>${body.join('')}</section>`;
}

function constantsTable(list: readonly Subject[], all: readonly string[]): string {
  if (list.length === 0) return '';
  const rows = list.flatMap((s) => s.changes.map((c) => `<tr><td><span class="badge ${c.kind}">${c.kind}</span></td><td><code>${esc(s.title)}</code></td><td>${esc(abiNames(c.abis, all))}</td><td>${esc(c.why)}</td></tr>`));
  return `<section class="record" id="constants"><h2>Constants, ioctls and capability ids</h2><table class="constants"><thead><tr><th>kind</th><th>name</th><th>ABIs</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

export function diffHtml(input: DiffPictureInput): string {
  const { diff } = input;
  const all = subjects(diff.changes);
  const records = all.filter((s) => s.changes[0]!.record !== undefined);
  const consts = all.filter((s) => s.changes[0]!.record === undefined);
  const summary = ORDER.map((k) => `<span class="badge ${k}">${diff.summary[k]} ${k}</span>`).join(' ');
  const index = records.length > 1 ? `<nav class="index" aria-label="changed records"><ul>${records.map((s) => `<li><span class="badge ${s.worst}">${s.worst}</span> <a href="#${domId(s.title.replace(/^(struct|union) /, ''))}">${esc(s.title)}</a></li>`).join('')}</ul></nav>` : '';
  const notes = diff.notes.length > 0 ? `<ul class="note">${diff.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '';
  const none = all.length === 0 ? '<p>No changes.</p>' : '';
  return htmlPage({
    title: `${diff.header}: ${diff.from} → ${diff.to}`,
    subtitle: `${summary} (per-ABI changes over ${diff.abis.length} ABI${diff.abis.length === 1 ? '' : 's'}: ${esc(diff.abis.join(', '))}). Old on the left, new on the right; changed members outlined in the color of their kind.`,
    legend: ['member', 'bitfield', 'flex', 'hole', 'padding'],
    body: `${notes}${none}${index}${records.map((s) => recordSection(s, input)).join('\n')}${constantsTable(consts, diff.abis)}`,
  });
}
