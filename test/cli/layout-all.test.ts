/**
 * `uapi-ts layout --all -I <dir>`: every header of a tree in one process, through the bin as a user
 * runs it, on a small fixture tree (test/fixtures/tree) and on the synced 6.1 and newest trees.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { globToRegExp } from '../../generator/src/cli/tree.js';
import { Progress } from '../../generator/src/cli/progress.js';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { runNode } from '../support/proc.js';
import { HEADERS, lacking, newestTree, REPO, skipReason } from '../support/trees.js';

const BIN = join(REPO, 'generator/bin/uapi-ts.js');
const TREE = join(REPO, 'test/fixtures/tree/include');
const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-layout-all-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]) {
  const r = await runNode([BIN, ...args]);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Index {
  include: string;
  abis: string[];
  totals: Record<string, { headers: number; clean: number; warnings: number; errors: number }>;
  headers: { header: string; abis: { abi: string; status: string; errors: number; warnings: number; first?: string; file?: string }[] }[];
}

/** Every *.h under dir, relative, as the test sees the tree (independent of the CLI's walk). */
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

describe('layout --all on a fixture tree', () => {
  it('lays out every header on every ABI and prints the table, the errors with their first diagnostic, exit 1', async () => {
    const r = await run('layout', '--all', '-I', TREE);
    expect(r.code).toBe(1);
    // asm/only.h lives in the x86_64 multiarch dir: a header on x86_64 only.
    expect(r.out).toMatch(/^x86_64\s+6\s+4\s+1\s+1$/m);
    for (const abi of ABIS.filter((a) => a.name !== 'x86_64')) expect(r.out).toMatch(new RegExp(`^${abi.name}\\s+5\\s+3\\s+1\\s+1$`, 'm'));
    expect(r.out).toMatch(/headers with errors \(1\)/);
    expect(r.out).toMatch(/^ {2}linux\/broken\.h \[all ABIs\]: \S*linux\/broken\.h:7:2: error: expected ';' before '__u32' \[parse-error\]$/m);
    // Not a terminal: plain progress lines on stderr, the last one at 100%.
    expect(r.err).toMatch(/^6\/6 headers \(100%\), 1 with errors/m);
    expect(r.err).not.toContain('\r');
  });

  it('--include/--exclude pick headers by glob; --abi narrows; exit 0 when none has errors', async () => {
    const r = await run('layout', '--all', '-I', TREE, '--abi', 'x86_64,s390x', '--include', 'linux/**', '--exclude', 'broken.h', '--jobs', '1');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/4 headers x 2 ABIs .*\(1 worker\)/);
    expect(r.out).toMatch(/^x86_64\s+4\s+3\s+1\s+0$/m);
    expect(r.out).toMatch(/^s390x\s+4\s+3\s+1\s+0$/m);
    expect(r.out).not.toMatch(/^i386/m);
    const none = await run('layout', '--all', '-I', TREE, '--include', 'nothing/*.h');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/no headers under .* match --include\/--exclude/);
  });

  it('--format json --out DIR writes each layout JSON (the same as the one-header command) and an index', async () => {
    const out = join(tmp, 'json');
    const r = await run('layout', '--all', '-I', TREE, '--format', 'json', '--out', out, '--jobs', '2');
    expect(r.code).toBe(1);
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as Index;
    expect(index.abis).toEqual(ABIS.map((a) => a.name));
    expect(index.headers.map((h) => h.header)).toEqual(['asm/only.h', 'linux/broken.h', 'linux/clean.h', 'linux/sub/deep.h', 'linux/types.h', 'linux/warn.h']);
    expect(index.headers[0]!.abis.map((a) => a.abi)).toEqual(['x86_64']);
    expect(index.totals.i386).toEqual({ headers: 5, clean: 3, warnings: 1, errors: 1 });
    const warn = index.headers.find((h) => h.header === 'linux/warn.h')!;
    expect(warn.abis.every((a) => a.status === 'warnings' && /cap_offset/.test(a.first ?? ''))).toBe(true);
    // Every file the index names exists and equals what `layout <header> --format json` prints.
    for (const [header, abi] of [['linux/clean.h', 'armhf'], ['asm/only.h', 'x86_64'], ['linux/sub/deep.h', 'ppc64']] as const) {
      const entry = index.headers.find((h) => h.header === header)!.abis.find((a) => a.abi === abi)!;
      expect(entry.file).toBe(`${abi}/${header}.json`);
      const one = await run('layout', header, '-I', TREE, '--abi', abi, '--format', 'json');
      expect(readFileSync(join(out, entry.file!), 'utf8')).toBe(one.out);
    }
    expect(readdirSync(join(out, 'x86_64', 'linux')).sort()).toEqual(['broken.h.json', 'clean.h.json', 'sub', 'types.h.json', 'warn.h.json']);
    // Atomic writes leave no temporaries behind.
    expect(readdirSync(out, { recursive: true }).filter((f) => String(f).includes('.tmp-'))).toEqual([]);
  });

  it('usage errors: a header argument, --format json without --out, --out without json, bad --jobs', async () => {
    expect((await run('layout', '--all', 'linux/clean.h', '-I', TREE)).code).toBe(2);
    expect((await run('layout', '--all')).err).toMatch(/needs the tree as -I/);
    expect((await run('layout', '--all', '-I', TREE, '--format', 'json')).err).toMatch(/give --out DIR/);
    expect((await run('layout', '--all', '-I', TREE, '--out', tmp)).code).toBe(2);
    expect((await run('layout', '--all', '-I', TREE, '--jobs', '0')).err).toMatch(/--jobs must be a positive integer/);
    expect((await run('layout', '--all', '-I', TREE, '--format', 'html')).code).toBe(2);
    const help = await run('layout', '--all', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--max-worker-memory MB/);
  });

  it('a header over the memory ceiling is an error of that header, and the run goes on', async () => {
    // A 4 MB heap cannot hold a worker that has loaded the pipeline: each task fails with "out of
    // memory", is counted as an error on its ABIs, and a fresh worker takes the next one.
    const r = await run('layout', '--all', '-I', TREE, '--abi', 'x86_64', '--include', 'linux/clean.h', '--include', 'linux/warn.h', '--max-worker-memory', '4', '--jobs', '1');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^x86_64\s+2\s+0\s+0\s+2$/m);
    expect(r.out).toMatch(/^ {2}linux\/clean\.h \[x86_64\]: linux\/clean\.h: error: out of memory \(over the 4 MB heap ceiling of a worker\)$/m);
    expect(r.out).toMatch(/^ {2}linux\/warn\.h \[x86_64\]: .*out of memory/m);
  });
});

describe('glob', () => {
  it('* and ? stay in a segment, ** spans them, a glob without / matches the base name', () => {
    expect(globToRegExp('linux/*.h').test('linux/vfio.h')).toBe(true);
    expect(globToRegExp('linux/*.h').test('linux/usb/ch9.h')).toBe(false);
    expect(globToRegExp('linux/**').test('linux/usb/ch9.h')).toBe(true);
    expect(globToRegExp('linux/**/ch?.h').test('linux/usb/ch9.h')).toBe(true);
    expect(globToRegExp('linux/**/ch?.h').test('linux/ch9.h')).toBe(true);
    expect(globToRegExp('vfio*.h').test('linux/vfio_zdev.h')).toBe(true);
    expect(globToRegExp('[a-c]*.h').test('asm/bpf.h')).toBe(true);
    expect(globToRegExp('linux/v+.h').test('linux/vv.h')).toBe(false);
  });
});

describe('progress on a terminal', () => {
  it('redraws one line in place and clears it at the end', () => {
    let written = '';
    const stream = { isTTY: true, columns: 80, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const p = new Progress(2, 'headers', stream);
    p.step('linux/a.h', false);
    p.step('linux/b.h', true);
    p.done();
    expect(written).toMatch(/^\r\[#{15}-{15}\] 1\/2 headers [\d.]+s, 0 with errors {2}linux\/a\.h\x1b\[K/);
    expect(written).toMatch(/\r\[#{30}\] 2\/2 headers [\d.]+s, 1 with errors {2}linux\/b\.h\x1b\[K\r\x1b\[K$/);
    expect(written).not.toContain('\n');
  });
});

// The synced trees: every header the tree has is laid out (the count comes from the file system,
// not from the CLI), and vfio.h with its family is clean on every ABI.
const trees = [
  { name: '6.1', include: join(HEADERS, '6.1', 'include') },
  { name: 'newest', include: newestTree()?.include ?? join(HEADERS, 'latest', 'include') },
];
for (const t of trees) {
  const present = existsSync(join(t.include, 'linux', 'vfio.h'));
  describe.skipIf(lacking(present))(`layout --all on the ${t.name} tree${skipReason(present, `headers/${t.name}`)}`, () => {
    it('every header on x86_64; vfio headers clean on all 8 ABIs', { timeout: 600_000 }, async () => {
      const all = filesUnder(t.include);
      const triplets = new Set(ABIS.map((a) => a.triplet));
      const common = all.filter((f) => !triplets.has(f.split('/')[0]!));
      const x86 = all.filter((f) => f.startsWith('x86_64-linux-gnu/')).map((f) => f.slice('x86_64-linux-gnu/'.length));
      const expected = new Set([...common, ...x86]).size;
      const r = await run('layout', '--all', '-I', t.include, '--abi', 'x86_64');
      expect(r.out).toMatch(new RegExp(`^x86_64\\s+${expected}\\s+\\d+`, 'm'));
      const [, headers, clean, warnings, errors] = r.out.match(/^x86_64\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/m)!.map(Number);
      expect(clean! + warnings! + errors!).toBe(headers);
      // Most of a real tree lays out cleanly (what does not is listed with its first diagnostic).
      expect(clean! / headers!).toBeGreaterThan(0.7);
      expect(r.out.match(/^ {2}\S+ \[x86_64\]: /gm)?.length ?? 0).toBe(errors);

      const out = join(tmp, `tree-${t.name}`);
      const v = await run('layout', '--all', '-I', t.include, '--include', 'linux/vfio*.h', '--format', 'json', '--out', out);
      const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as Index;
      expect(index.headers.map((h) => h.header)).toContain('linux/vfio.h');
      for (const h of index.headers) {
        expect(h.abis.map((a) => a.abi)).toEqual(ABIS.map((a) => a.name));
        for (const a of h.abis) expect(a.status, `${h.header} on ${a.abi}: ${a.first}`).not.toBe('errors');
      }
      expect(v.code).toBe(0);
      const vfio = JSON.parse(readFileSync(join(out, 'i386/linux/vfio.h.json'), 'utf8'));
      expect(vfio.abi).toBe('i386');
      expect(vfio.records.some((r: { name: string }) => r.name === 'vfio_device_info')).toBe(true);
    });
  });
}
