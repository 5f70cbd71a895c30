/**
 * Nothing from the command line or a header reaches generated source unescaped, and nothing a
 * header defines vanishes without a word (issue 12, class 4).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../support/proc.js';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const work = mkdtempSync(join(tmpdir(), 'uapi-ts-injection-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const include = join(work, 'include');
mkdirSync(join(include, 'linux'), { recursive: true });
writeFileSync(join(include, 'linux', 'inj.h'), [
  '// A line comment as doc that would close a JSDoc early: */ console.log("doc"); /* and goes on.',
  'struct inj { unsigned int a; };',
  '#define INJ_NAME "caf\\u00e9 \\x41"',
  '#define INJ_RATE 1.5',
  '#define INJ_WIDE L"wide"',
  '#define INJ_ODD "\\q"',
  '#define INJ_OK 42',
  '',
].join('\n'));

describe('generate: validated flags, escaped text, dropped constants said', () => {
  for (const [flag, value] of [['--kernel', '6.1\nconsole.log("x");//'], ['--sha256', 'abc\n'], ['--sha256', 'A'.repeat(64)], ['--package', '@evil/x\nconsole.log(1)'], ['--package', 'Bad Name']] as const) {
    it(`refuses ${flag} ${JSON.stringify(value)} (exit 2) and writes nothing`, async () => {
      const out = join(work, `refused-${flag.slice(2)}-${value.length}`);
      const r = await runNode([BIN, 'generate', 'linux/inj.h', '-I', include, '--out', out, flag, value]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${flag} must be`);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('keeps header text inside comments and strings, binds \\u escapes as UTF-8, and says what it drops', async () => {
    const out = join(work, 'pkg');
    const r = await runNode([BIN, 'generate', 'linux/inj.h', '-I', include, '--out', out, '--kernel', '6.12']);
    expect(r.status, r.stderr).toBe(0);
    // Each dropped macro is named, with why.
    expect(r.stderr).toMatch(/INJ_RATE \(1\.5\) gets no binding: a floating-point constant/);
    expect(r.stderr).toMatch(/INJ_WIDE \(L"wide"\) gets no binding: a wide/);
    expect(r.stderr).toMatch(/INJ_ODD \("\\q"\) gets no binding: a string literal with an escape/);
    const constants = readFileSync(join(out, 'src', 'constants.ts'), 'utf8');
    expect(constants).toContain('INJ_OK = 42');
    // "café A": the é as the two UTF-8 bytes gcc writes for \u00e9.
    expect(constants).toContain("INJ_NAME = 'caf\\xc3\\xa9 A'");
    for (const f of ['constants.ts', 'views.ts', 'index.ts']) expect(readFileSync(join(out, 'src', f), 'utf8')).not.toMatch(/^[^/*]*console\.log/m);
    // And the package still compiles: no comment was closed early.
    symlinkSync(join(REPO, 'node_modules'), join(out, 'node_modules'), 'dir');
    const t = await runNode([TSC, '-p', out, '--noEmit']);
    expect(t.stdout + t.stderr).toBe('');
  }, 60_000);
});
