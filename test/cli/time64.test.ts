/**
 * `--time64` through generate and diff (layout's is in layout.test.ts): the generated package's
 * i386 and armhf tables are what gcc lays out with -D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64, and
 * say so; without the flag, glibc's default.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getAbi, withTime64 } from '../../generator/src/layout/abi/index.js';
import { compilerAvailable } from '../gcc/proof.js';
import { gccValues } from '../support/gcc-values.js';
import { runNode } from '../support/proc.js';
import { lacking, REPO, skipReason } from '../support/trees.js';

const BIN = join(REPO, 'generator/bin/uapi-ts.js');
const INC = join(REPO, 'test/fixtures/cli/include');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const armhf = getAbi('armhf')!;
const i386 = getAbi('i386')!;
const have = compilerAvailable(armhf) && compilerAvailable(i386);

describe('--time64', () => {
  it.skipIf(lacking(have))(`generate: the 32-bit ABIs' tables are gcc's with 64-bit time_t${skipReason(have, armhf.gcc)}`, async () => {
    for (const time64 of [false, true]) {
      const out = mkdtempSync(join(tmpdir(), 'uapi-ts-time64-'));
      dirs.push(out);
      const r = await runNode([BIN, 'generate', 'linux/timedemo.h', '-I', INC, '--out', out, '--quiet', ...(time64 ? ['--time64'] : [])]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
      expect(pkg.description.includes('64-bit time_t')).toBe(time64);
      const tables = JSON.parse(readFileSync(join(out, 'tables.json'), 'utf8'));
      for (const base of [i386, armhf]) {
        const abi = time64 ? withTime64(base) : base;
        const gcc = await gccValues(abi, [INC], 'linux/timedemo.h', { size: 'sizeof(struct timedemo)', align: '_Alignof(struct timedemo)', ts: 'offsetof(struct timedemo, ts)' });
        const l = tables.layouts[tables.abis[base.name].timedemo];
        expect({ size: l.size, align: l.align, ts: l.fields.find((f: { name: string }) => f.name === 'ts').offset }, `${base.name} time64=${time64}`).toEqual(gcc);
      }
      // The rerun that --check suggests keeps the flag.
      const check = await runNode([BIN, 'generate', 'linux/timedemo.h', '-I', INC, '--out', out, '--check', '--quiet', ...(time64 ? [] : ['--time64'])]);
      expect(check.status).toBe(1);
      expect(check.stderr.includes('--time64')).toBe(!time64);
    }
  });

  it('diff: takes --time64 for header trees', async () => {
    const r = await runNode([BIN, 'diff', 'linux/timedemo.h', '--from', INC, '--to', INC, '--time64', '--abi', 'armhf']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect((await runNode([BIN, 'diff', 'linux/timedemo.h', '--from', INC, '--to', INC, '--time64=yes'])).status).toBe(2);
  });
});
