/**
 * How the built-in libc model is found (its contents are proven against gcc + glibc in
 * test/gcc/libc-model.test.ts): after every -I dir, so a tree's own libc header wins; only when
 * included, as in gcc; first with a prelude (`--include`); a libc header outside it is still skipped
 * with a warning.
 */
import { describe, expect, it } from 'vitest';
import { getAbi, withTime64 } from '../../generator/src/layout/abi/index.js';
import { analyze } from '../../generator/src/pipeline.js';

const x86_64 = getAbi('x86_64')!;

function run(files: Record<string, string>, header: string, opts: { prelude?: string[]; abi?: typeof x86_64 } = {}) {
  const read = (p: string): string | undefined => files[p.replace(/^inc\//, '')];
  return analyze({ header, includeDirs: ['inc'], read, ...(opts.prelude ? { prelude: opts.prelude } : {}) }, opts.abi ?? x86_64);
}

function record(a: ReturnType<typeof run>, name: string) {
  const r = a.ir.records.find((x) => x.name === name && x.complete)!;
  return { decl: r, layout: a.laid.records.get(r.id)! };
}

describe('libc model', () => {
  const uses = '#include <sys/time.h>\nstruct uses { struct timeval tv; time_t t; };\n';

  it('serves <sys/time.h> when no -I dir has it, with no warning', () => {
    const a = run({ 'linux/uses.h': uses }, 'linux/uses.h');
    expect(a.diagnostics).toEqual([]);
    const { decl, layout } = record(a, 'timeval');
    expect(decl.loc.file).toBe('<built-in>/bits/types/struct_timeval.h');
    expect(record(a, 'uses').layout.unsupported).toBeUndefined();
    expect(layout.fields.map((f) => f.name)).toEqual(['tv_sec', 'tv_usec']);
  });

  it("lets a tree's own sys/time.h win", () => {
    const a = run({ 'linux/uses.h': uses, 'sys/time.h': 'typedef int time_t;\nstruct timeval { int only; };\n' }, 'linux/uses.h');
    expect(a.diagnostics).toEqual([]);
    expect(record(a, 'timeval').decl.loc.file).toBe('inc/sys/time.h');
    expect(record(a, 'timeval').layout.fields.map((f) => f.name)).toEqual(['only']);
  });

  it('declares nothing a header does not include (gcc would not either)', () => {
    const a = run({ 'linux/bare.h': 'struct bare { u_short port; };\n' }, 'linux/bare.h');
    expect(a.diagnostics.map((d) => d.code)).toContain('parse-unknown-type');
    // ...unless a program includes it first: the prelude.
    const b = run({ 'linux/bare.h': 'struct bare { u_short port; };\n' }, 'linux/bare.h', { prelude: ['sys/types.h'] });
    expect(b.diagnostics).toEqual([]);
    expect(record(b, 'bare').layout.unsupported).toBeUndefined();
  });

  it('names a prelude header that is nowhere', () => {
    const a = run({ 'linux/bare.h': 'struct bare { int x; };\n' }, 'linux/bare.h', { prelude: ['sys/nothere.h'] });
    expect(a.diagnostics).toMatchObject([{ severity: 'error', code: 'pp-include-not-found', file: '<command line>' }]);
  });

  it('still skips, with a warning, a libc header it does not model', () => {
    const a = run({ 'linux/u.h': '#include <unistd.h>\nstruct u { int x; };\n' }, 'linux/u.h');
    expect(a.diagnostics).toMatchObject([{ severity: 'warning', code: 'pp-libc-include' }]);
  });

  it('selects 64-bit time only where glibc has 32-bit time by default', () => {
    for (const name of ['i386', 'armhf', 'x86_64', 'riscv64'] as const) {
      const abi = getAbi(name)!;
      const base = run({ 'linux/uses.h': uses }, 'linux/uses.h', { abi });
      const t64 = run({ 'linux/uses.h': uses }, 'linux/uses.h', { abi: withTime64(abi) });
      expect(base.pp.macros.has('__USE_TIME_BITS64'), name).toBe(false);
      expect(t64.pp.macros.has('__USE_TIME_BITS64'), name).toBe(abi.timeBits === 32);
      expect(t64.pp.macros.has('__USE_FILE_OFFSET64'), name).toBe(true);
    }
  });
});
