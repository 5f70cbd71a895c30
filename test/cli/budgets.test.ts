/**
 * Budgets (issue 12, class 6): runaway input ends in a clear error with a code of its own and the
 * flag that raises the budget, not in a hang or an exhausted heap; raising the flag lets it through.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run, runNode } from '../support/proc.js';
import { newestTree, REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const work = mkdtempSync(join(tmpdir(), 'uapi-ts-budgets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
mkdirSync(join(work, 'linux'), { recursive: true });
const macros = (n: number): string => ['#define X0(a) a a', ...Array.from({ length: n }, (_, i) => `#define X${i + 1}(a) X${i}(X${i}(a))`)].join('\n');
// X20(1) expands to 2^(2^20) ... far more than any budget; X3(+1) to 2^8 copies of +1 (a few thousand tokens of work).
writeFileSync(join(work, 'linux', 'bomb.h'), `${macros(20)}\nstruct s { int v[X20(1)]; };\n`);
writeFileSync(join(work, 'linux', 'small-bomb.h'), `${macros(3)}\nstruct s { char v[1 X3(+1)]; };\n`);
writeFileSync(join(work, 'linux', 'wide.h'), `struct wide { ${Array.from({ length: 40 }, (_, i) => `int m${i};`).join(' ')} };\n`);

const layout = (header: string, ...flags: string[]) => runNode([BIN, 'layout', header, '-I', work, '--abi', 'x86_64', '--format', 'json', ...flags]);

describe('budgets', () => {
  it('a macro bomb stops at the token budget with pp-budget-macro and the flag to raise it', async () => {
    const r = await layout('linux/bomb.h');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bomb\.h:\d+:\d+: error: macro expansion produced more than 4000000 tokens \(at 'X\d+'\); raise the budget with --max-macro-tokens \[pp-budget-macro\]/);
  }, 60_000);

  it('--max-macro-tokens lowers and raises it', async () => {
    const low = await layout('linux/small-bomb.h', '--max-macro-tokens', '50');
    expect(low.status).toBe(1);
    expect(low.stderr).toContain('[pp-budget-macro]');
    const high = await layout('linux/small-bomb.h', '--max-macro-tokens', '100000');
    expect(high.stderr).toBe('');
    // The size gcc gives the same struct (1 + 2^8 ones).
    const size = JSON.parse(high.stdout).records[0].size as number;
    const c = join(work, 'small-bomb.c');
    writeFileSync(c, `#include <linux/small-bomb.h>\n_Static_assert(sizeof(struct s) == ${size}, "size");\n`);
    const g = await run('gcc', ['-fsyntax-only', '-I', work, c]);
    expect(g.stderr).toBe('');
    expect(size).toBeGreaterThan(100);
  });

  it('--max-members: a record over it is an error with parse-budget-members', async () => {
    const r = await layout('linux/wide.h', '--max-members', '10');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error: struct wide has more than 10 members; raise the budget with --max-members \[parse-budget-members\]/);
    expect((await layout('linux/wide.h')).status).toBe(0);
  });

  it('--max-input-bytes: a header and its includes over it are an error with pp-budget-input', async () => {
    const tree = newestTree();
    const include = tree?.include ?? work;
    const header = tree ? 'linux/vfio.h' : 'linux/wide.h';
    const r = await runNode([BIN, 'layout', header, '-I', include, '--abi', 'x86_64', '--max-input-bytes', '2000']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/exceed 2000 bytes of source; raise the budget with --max-input-bytes \[pp-budget-input\]/);
  });

  it('a budget flag must be a positive integer (usage error)', async () => {
    for (const v of ['0', '-1', 'lots', '1e9']) {
      const r = await layout('linux/wide.h', '--max-members', v);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--max-members must be a positive integer');
    }
  });

  it('decode reads at most --max-bytes of input (/dev/zero is an error, not a read forever)', async () => {
    const r = await runNode([BIN, 'decode', 'vfio_device_info', '--abi', 'x86_64', '/dev/zero', '--max-bytes', '4096']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('/dev/zero: more than 4096 bytes; decode reads one reply');
    const d = await runNode([BIN, 'decode', 'vfio_device_info', '--abi', 'x86_64', '/dev/zero']);
    expect(d.status).toBe(1);
    expect(d.stderr).toContain('more than 16777216 bytes');
  }, 60_000);

  it('help texts document the budgets and their codes', async () => {
    for (const cmd of ['layout', 'generate', 'diff']) {
      const h = await runNode([BIN, cmd, '--help']);
      for (const s of ['--max-input-bytes', '--max-macro-tokens', '--max-members', 'pp-budget-macro']) expect(h.stdout, `${cmd} --help`).toContain(s);
    }
    expect((await runNode([BIN, 'decode', '--help'])).stdout).toContain('--max-bytes');
  });
});
