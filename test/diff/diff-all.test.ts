/**
 * `uapi-ts diff --all --from <dir> --to <dir>`: every header of two trees, through the bin, on a
 * fixture pair of trees (test/fixtures/tree-diff) and on the synced 6.1 and newest trees. Each
 * header's entry must be exactly what the one-header `uapi-ts diff <header> --format json` prints.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { runNode } from '../support/proc.js';
import { HEADERS, lacking, newestTree, REPO, skipReason } from '../support/trees.js';

const BIN = join(REPO, 'generator/bin/uapi-ts.js');
const OLD = join(REPO, 'test/fixtures/tree-diff/old/include');
const NEW = join(REPO, 'test/fixtures/tree-diff/new/include');

async function run(...args: string[]) {
  const r = await runNode([BIN, ...args]);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Group { kind: string; action: string; subject: string; record?: string; constant?: string; field?: string; abis: string[] }
interface HeaderDoc { header: string; abis: string[]; summary: Record<string, number>; exit: number; notes: string[]; changes: Group[]; errors: string[] }
interface AllDoc { from: string; to: string; abis: string[]; totals: { headers: number; changed: number; breaking: number; errors: number; summary: Record<string, number> }; exit: number; headers: HeaderDoc[] }

describe('diff --all on fixture trees', () => {
  it('JSON: one document per header under an index with totals; the exit bits OR-ed', async () => {
    const r = await run('diff', '--all', '--from', OLD, '--to', NEW, '--format', 'json');
    expect(r.code).toBe(12);
    const doc = JSON.parse(r.out) as AllDoc;
    expect(doc.exit).toBe(12);
    expect(doc.abis).toEqual(ABIS.map((a) => a.name));
    expect(doc.headers.map((h) => h.header)).toEqual(['asm/arch.h', 'linux/fresh.h', 'linux/gone.h', 'linux/known.h', 'linux/moved.h', 'linux/same.h', 'linux/types.h']);
    expect(doc.totals).toMatchObject({ headers: 7, changed: 5, breaking: 3, errors: 0 });
    const by = new Map(doc.headers.map((h) => [h.header, h]));
    expect(by.get('linux/same.h')).toMatchObject({ exit: 0, changes: [] });
    // An asm header of the x86_64 multiarch dir: compared on x86_64 only.
    expect(by.get('asm/arch.h')!.abis).toEqual(['x86_64']);
    expect(by.get('linux/gone.h')!.notes).toEqual([`linux/gone.h is not in ${NEW}: every declaration is removed`]);
    expect(by.get('linux/fresh.h')!.exit).toBe(4);
    // Totals are the sums of the headers'.
    for (const k of ['breaking', 'compatible', 'padding', 'api']) expect(doc.totals.summary[k]).toBe(doc.headers.reduce((n, h) => n + h.summary[k]!, 0));
    // Each entry is the one-header document, plus its errors.
    for (const h of ['linux/known.h', 'linux/gone.h', 'asm/arch.h']) {
      const one = await run('diff', h, '--from', OLD, '--to', NEW, '--format', 'json', ...(h === 'asm/arch.h' ? ['--abi', 'x86_64'] : []));
      const { errors, ...entry } = by.get(h)!;
      expect(errors).toEqual([]);
      const single = JSON.parse(one.out);
      // The one-header command words a missing header for all its ABIs at once; so does --all.
      expect(entry).toEqual(single);
    }
  });

  it("check-uapi's known false positives are not breaking: reserved bytes put to use, *_MAX/*_CNT growing, [1]/[0] -> [], renames", async () => {
    const doc = JSON.parse((await run('diff', '--all', '--from', OLD, '--to', NEW, '--format', 'json', '--include', 'known.h')).out) as AllDoc;
    expect(doc.headers.map((h) => h.header)).toEqual(['linux/known.h']);
    const known = doc.headers[0]!;
    expect(known.summary.breaking).toBe(0);
    expect(known.exit).toBe(4);
    const kindOf = (pred: (g: Group) => boolean): string[] => [...new Set(known.changes.filter(pred).map((g) => `${g.kind} ${g.action}`))];
    expect(kindOf((g) => g.record === 'struct known_reserved')).toEqual(['padding named-padding']);
    expect(kindOf((g) => g.constant === 'KNOWN_STAT_CNT')).toEqual(['compatible value']);
    expect(kindOf((g) => g.constant === '__KNOWN_ATTR_MAX')).toEqual(['compatible value']);
    expect(kindOf((g) => g.record === 'struct known_one')).toEqual(['api retyped', 'api shrank']);
    expect(kindOf((g) => g.record === 'struct known_zero')).toEqual(['api retyped']);
    expect(kindOf((g) => g.record === 'struct known_rename')).toEqual(['api renamed']);
  });

  it('text and markdown: each changed header as the one-header report, then the totals', async () => {
    const t = await run('diff', '--all', '--from', OLD, '--to', NEW, '--color', 'never', '--from-label', 'A', '--to-label', 'B');
    expect(t.code).toBe(12);
    expect(t.out).toMatch(/^linux\/moved\.h: A -> B \[x86_64 i386 aarch64 armhf s390x ppc64 ppc64le riscv64\]$/m);
    expect(t.out).not.toMatch(/^linux\/same\.h: /m);
    expect(t.out).toMatch(/^A -> B \[.*\]: 7 headers, 5 changed, 3 with breaking changes, 0 with errors$/m);
    expect(t.out).toMatch(/^linux\/moved\.h\s+12\s+16\s+0\s+0\s+0\s*$/m);
    expect(t.out.trimEnd().split('\n').at(-1)).toBe('exit 12');
    const m = await run('diff', '--all', '--from', OLD, '--to', NEW, '--format', 'markdown');
    expect(m.out).toMatch(/^## uapi layout diff: .* every header$/m);
    expect(m.out).toMatch(/^### uapi layout diff: `linux\/moved\.h`/m);
    expect(m.out).toMatch(/^\| `linux\/moved\.h` \| 16 \| 0 \| 0 \| 0 \| {2}\|$/m);
  });

  it('usage and input errors', async () => {
    expect((await run('diff', '--all', '--from', OLD)).code).toBe(2);
    expect((await run('diff', '--all', 'linux/same.h', '--from', OLD, '--to', NEW)).code).toBe(2);
    expect((await run('diff', '--all', '--from', OLD, '--to', NEW, '--format', 'html')).code).toBe(2);
    expect((await run('diff', '--all', '--from', join(OLD, 'nope'), '--to', NEW)).code).toBe(1);
    expect((await run('diff', '--all', '--from', join(OLD, 'linux'), '--to', NEW)).err).toMatch(/not a uapi include tree/);
    const help = await run('diff', '--all', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: uapi-ts diff --all /);
  });
});

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.h')) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

const from = join(HEADERS, '6.1', 'include');
const to = newestTree()?.include ?? join(HEADERS, 'latest', 'include');
const present = existsSync(join(from, 'linux/vfio.h')) && existsSync(join(to, 'linux/vfio.h'));
describe.skipIf(lacking(present))(`diff --all on the 6.1 and newest trees${skipReason(present, 'headers/6.1 or headers/latest')}`, () => {
  it('every header on x86_64; the vfio.h entry is the one-header document', { timeout: 900_000 }, async () => {
    const r = await run('diff', '--all', '--from', from, '--to', to, '--abi', 'x86_64', '--format', 'json');
    const doc = JSON.parse(r.out) as AllDoc;
    const names = (dir: string): string[] => {
      const all = filesUnder(dir);
      const triplets = new Set(ABIS.map((a) => a.triplet));
      return [...all.filter((f) => !triplets.has(f.split('/')[0]!)), ...all.filter((f) => f.startsWith('x86_64-linux-gnu/')).map((f) => f.slice('x86_64-linux-gnu/'.length))];
    };
    expect(doc.totals.headers).toBe(new Set([...names(from), ...names(to)]).size);
    // Between 6.1 and a newer kernel, headers were added and structs changed: changes, with the bits.
    expect(doc.exit & 4).toBe(4);
    expect(r.code).toBe(doc.exit);
    expect(doc.totals.changed).toBeGreaterThan(50);
    const vfio = doc.headers.find((h) => h.header === 'linux/vfio.h')!;
    const one = JSON.parse((await run('diff', 'linux/vfio.h', '--from', from, '--to', to, '--abi', 'x86_64', '--format', 'json')).out);
    const { errors, ...entry } = vfio;
    expect(errors).toEqual([]);
    expect(entry).toEqual(one);
  });
});
