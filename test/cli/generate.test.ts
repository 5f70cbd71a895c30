/**
 * `uapi-ts generate` as a user runs it: the first run lists every file as new, a rerun says nothing
 * changed, and a hand-edited, missing or stray file is named with what happened to it; --check
 * exits 1 with a diff and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const INCLUDE = join(REPO, 'test', 'fixtures', 'emit', 'include');
const out = mkdtempSync(join(tmpdir(), 'uapi-ts-generate-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function generate(...extra: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'generate', 'linux/fixture.h', '-I', INCLUDE, '--out', out, ...extra], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('uapi-ts generate reports what changed', () => {
  it('lists every file as new on the first run', () => {
    const r = generate();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const count = Number(/-> (\d+) files/.exec(r.stdout)?.[1]);
    expect(count).toBeGreaterThan(3);
    expect(r.stdout).toContain(`what changed in ${out} (${count} of ${count} files):`);
    expect(r.stdout).toMatch(/^ {4}new {6}src\/meta\.ts$/m);
    // fix_mixed's __s64 array sits after 8 bytes of smaller members: 4-aligned on i386 only.
    expect(r.stdout).toMatch(/^ {2}structs whose layout differs between ABIs: \d+$/m);
    expect(r.stdout).toMatch(/^ {4}fix_mixed: .* on i386; offset of values(, \w+)* differs$/m);
    expect(existsSync(join(out, 'src', 'meta.ts'))).toBe(true);
  });

  it('says nothing changed on a rerun', () => {
    const r = generate();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`no changes: every file in ${out} was already up to date`);
    expect(r.stdout).not.toMatch(/^ {4}(new|changed|removed) /m);
  });

  it('names an edited, a deleted and a stray file, and restores them', () => {
    const meta = join(out, 'src', 'meta.ts');
    const original = readFileSync(meta, 'utf8');
    appendFileSync(meta, '// edited by hand\n// twice\n');
    rmSync(join(out, 'package.json'));
    writeFileSync(join(out, 'src', 'stray.ts'), 'export {};\n');

    const check = generate('--check');
    expect(check.status).toBe(1);
    expect(check.stdout).toContain('--- src/meta.ts (on disk)');
    expect(check.stdout).toContain('missing: package.json');
    expect(check.stdout).toContain('stale file (no longer generated): src/stray.ts');
    expect(existsSync(join(out, 'src', 'stray.ts'))).toBe(true); // --check writes nothing

    const r = generate();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(3 of ');
    expect(r.stdout).toMatch(/^ {4}changed {2}src\/meta\.ts \(\+0 -2 lines\)$/m);
    expect(r.stdout).toMatch(/^ {4}new {6}package\.json$/m);
    expect(r.stdout).toMatch(/^ {4}removed {2}src\/stray\.ts$/m);
    expect(readFileSync(meta, 'utf8')).toBe(original);
    expect(existsSync(join(out, 'src', 'stray.ts'))).toBe(false);
    expect(generate('--check').status).toBe(0);
  });
});
