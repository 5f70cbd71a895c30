/** `uapi-ts layout` end to end, through the installed bin, as a user runs it. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getAbi, withTime64 } from '../../generator/src/layout/abi/index.js';
import { compilerAvailable } from '../gcc/proof.js';
import { gccValues } from '../support/gcc-values.js';
import { runNode } from '../support/proc.js';
import { lacking, newestTree, REPO, skipReason } from '../support/trees.js';

const BIN = join(REPO, 'generator/bin/uapi-ts.js');
const INC = join(REPO, 'test/fixtures/cli/include');

async function run(...args: string[]) {
  const r = await runNode([BIN, ...args]);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('uapi-ts layout', () => {
  it('prints the layout JSON contract', async () => {
    const r = await run('layout', 'linux/capdemo.h', '-I', INC, '--abi', 'x86_64', '--format', 'json');
    // A layout diagnostic: file:line:col of the struct, then the warning.
    expect(r.err).toMatch(/^\S*linux\/capdemo.h:\d+:\d+: warning: struct capdemo_info has cap_offset but its size 20 .*\[layout-cap-align\]$/m);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['abi', 'header', 'records', 'constants']);
    expect(j.abi).toBe('x86_64');
    expect(j.header).toBe('linux/capdemo.h');
    expect(j.records.map((x: { name: string }) => x.name)).toEqual(['capdemo_info', 'capdemo_area', 'capdemo_sparse']);
    const sparse = j.records[2];
    expect(Object.keys(sparse)).toEqual(['kind', 'name', 'size', 'align', 'fields', 'loc']);
    const anon = sparse.fields[2];
    expect(anon).toMatchObject({ name: '', type: 'union' });
    // Members of anonymous records count their offsets from the top-level record.
    expect(anon.fields[0]).toMatchObject({ name: 'word', offset: anon.offset, size: 4, type: '__u32' });
    expect(anon.fields[1].fields[1]).toEqual({ name: 'hi', offset: anon.offset, size: 4, type: '__u32', bitOffset: 3, bitWidth: 5 });
    expect(sparse.fields[3]).toMatchObject({ name: 'areas', size: 0, type: 'struct capdemo_area[]', flexible: true, countedBy: 'nr_areas' });
    const consts = Object.fromEntries(j.constants.map((c: { name: string; value: string }) => [c.name, c.value]));
    expect(typeof consts.CAPDEMO_IOC).toBe('string');
    expect(consts.CAPDEMO_FLAG_CAPS).toBe('128');
  });

  it('lays out every ABI in one process, as an array', async () => {
    const r = await run('layout', 'linux/capdemo.h', '-I', INC, '--abi', 'all', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).map((j: { abi: string }) => j.abi)).toEqual(['x86_64', 'i386', 'aarch64', 'armhf', 's390x', 'ppc64', 'ppc64le', 'riscv64']);
  });

  it('prints a pahole-style view and warns about a cap_offset struct whose size is not a multiple of 8', async () => {
    const r = await run('layout', 'linux/capdemo.h', '-I', INC, '--abi', 'i386');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/struct capdemo_info \{\n\t__u32 argsz;\s+\/\*\s+0\s+4 \*\//);
    expect(r.out).toMatch(/\/\* size: 20, align: 4/);
    expect(r.out).toMatch(/warning: struct capdemo_info has cap_offset but its size 20 is not a multiple of 8 on i386/);
  });

  it('fails with file:line:col diagnostics and exit 1 on bad input, 2 on bad usage', async () => {
    const missing = await run('layout', 'linux/nothere.h', '-I', INC);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/linux\/nothere.h:1:1: error: cannot find/);
    expect((await run('layout')).code).toBe(2);
    expect((await run('layout', 'linux/capdemo.h', '--abi', 'vax')).err).toMatch(/unknown ABI 'vax'/);
    expect((await run('frobnicate')).code).toBe(2);
  });

  const i386 = getAbi('i386')!;
  it.skipIf(lacking(compilerAvailable(i386)))(`--time64 lays out libc's time types as gcc does with -D_TIME_BITS=64${skipReason(compilerAvailable(i386), i386.gcc)}`, async () => {
    const exprs = {
      size: 'sizeof(struct timedemo)',
      tv: 'offsetof(struct timedemo, tv)',
      ts: 'offsetof(struct timedemo, ts)',
      when: 'offsetof(struct timedemo, when)',
      usec: 'offsetof(struct timedemo, usec)',
      whenSize: 'sizeof(time_t)',
    };
    for (const time64 of [false, true]) {
      const abi = time64 ? withTime64(i386) : i386;
      const gcc = await gccValues(abi, [INC], 'linux/timedemo.h', exprs);
      const r = await run('layout', 'linux/timedemo.h', '-I', INC, '--abi', 'i386', '--format', 'json', ...(time64 ? ['--time64'] : []));
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.time64).toBe(time64 ? true : undefined);
      const rec = j.records.find((x: { name: string }) => x.name === 'timedemo');
      const at = (n: string): number => rec.fields.find((f: { name: string }) => f.name === n).offset;
      expect({ size: rec.size, tv: at('tv'), ts: at('ts'), when: at('when'), usec: at('usec'), whenSize: rec.fields.find((f: { name: string }) => f.name === 'when').size }).toEqual(gcc);
      expect(j.constants.find((c: { name: string }) => c.name === 'TIMEDEMO_SIZE').value).toBe(String(gcc.size));
    }
  });

  const ppc64 = getAbi('ppc64')!;
  const armhf = getAbi('armhf')!;
  const tree = newestTree();
  const have = tree !== undefined && compilerAvailable(ppc64) && compilerAvailable(armhf);
  it.skipIf(lacking(have))(`--include puts <sys/ioctl.h> before sound/asound.h, so its ioctl numbers are constants, as gcc has them${skipReason(have, 'headers/ or ' + ppc64.gcc)}`, async () => {
    const names = ['SNDRV_PCM_IOCTL_INFO', 'SNDRV_PCM_IOCTL_STATUS', 'SNDRV_TIMER_IOCTL_TREAD', 'SNDRV_CTL_IOCTL_ELEM_READ'] as const;
    const without = JSON.parse((await run('layout', 'sound/asound.h', '-I', tree!.include, '--abi', 'ppc64', '--format', 'json')).out);
    expect(without.constants.map((c: { name: string }) => c.name)).not.toContain('SNDRV_PCM_IOCTL_INFO');
    // ppc64: powerpc's own ioctl encoding; armhf: 64-bit time changes the numbers (sizes in them).
    const seen = new Set<number>();
    for (const [base, time64] of [[ppc64, false], [armhf, false], [armhf, true]] as const) {
      const abi = time64 ? withTime64(base) : base;
      const r = await run('layout', 'sound/asound.h', '-I', tree!.include, '--abi', base.name, '--format', 'json', '--include', 'sys/ioctl.h', '--include=time.h', ...(time64 ? ['--time64'] : []));
      expect(r.code).toBe(0);
      const got = Object.fromEntries(JSON.parse(r.out).constants.map((c: { name: string; value: string }) => [c.name, Number(c.value)]));
      // In two halves: an array of (number + 1) bytes is too large for a 32-bit ABI's gcc.
      const exprs: Record<string, string> = {};
      for (const n of names) Object.assign(exprs, { [`${n}_hi`]: `(${n}) >> 16`, [`${n}_lo`]: `(${n}) & 0xffff` });
      const halves = await gccValues(abi, [tree!.include], 'sound/asound.h', exprs, ['sys/ioctl.h', 'time.h']);
      const gcc = Object.fromEntries(names.map((n) => [n, halves[`${n}_hi`]! * 65536 + halves[`${n}_lo`]!]));
      expect(Object.fromEntries(names.map((n) => [n, got[n]]))).toEqual(gcc);
      seen.add(gcc.SNDRV_PCM_IOCTL_STATUS!);
    }
    expect(seen.size).toBe(3);
    expect((await run('layout', 'sound/asound.h', '-I', tree!.include, '--include', '')).code).toBe(2);
    const missing = await run('layout', 'sound/asound.h', '-I', tree!.include, '--abi', 'x86_64', '--include', 'no/such.h');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/<command line>:1:1: error: cannot find 'no\/such.h' \(included before sound\/asound.h\)/);
  });
});
