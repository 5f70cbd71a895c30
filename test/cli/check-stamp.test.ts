/**
 * `generate --check` answers from a stamp (no parse, no ts-morph) only when every input, the
 * generator's code and every owned output file are as they were at the last full check; any
 * difference runs the full check (cli/check-stamp.ts).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../support/proc.js';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator/bin/uapi-ts.js');
const dir = mkdtempSync(join(tmpdir(), 'uapi-ts-stamp-'));
const include = join(dir, 'include');
const out = join(dir, 'out');
const cache = join(dir, 'cache');
cpSync(join(REPO, 'test/fixtures/emit/include'), include, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// NODE_DEBUG=module makes Node's CommonJS loader log each module it loads: ts-morph (CommonJS)
// shows up there when it is loaded.
async function check(...extra: string[]) {
  const r = await runNode([BIN, 'generate', 'linux/fixture.h', '-I', include, '--out', out, '--check', ...extra], { env: { ...process.env, UAPI_TS_CACHE: cache, NODE_DEBUG: 'module' } });
  return { code: r.status, out: r.stdout, tsMorph: /^MODULE \d+: load .*ts-morph\/dist\//m.test(r.stderr) };
}

const FROM_STAMP = /up to date \(stamp: nothing changed since the last full check\)/;
const FULL = /up to date \(\d+ files\)/;

describe('generate --check with a stamp', () => {
  it('the first check is full and stamps; the next answers from the stamp without loading ts-morph', async () => {
    const gen = await runNode([BIN, 'generate', 'linux/fixture.h', '-I', include, '--out', out, '--quiet']);
    expect(gen.status).toBe(0);
    const first = await check();
    expect(first.code).toBe(0);
    expect(first.out).toMatch(FULL);
    expect(first.tsMorph).toBe(true);
    const second = await check();
    expect(second.code).toBe(0);
    expect(second.out).toMatch(FROM_STAMP);
    expect(second.tsMorph).toBe(false);
  });

  it('an owned file changed: the full check runs and fails; restored, it passes again', async () => {
    const pkg = join(out, 'package.json');
    const text = readFileSync(pkg, 'utf8');
    writeFileSync(pkg, text + ' ');
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.tsMorph).toBe(true);
    writeFileSync(pkg, text);
    expect((await check()).out).toMatch(FROM_STAMP);
  });

  it('the header changed: full check, stale', async () => {
    const h = join(include, 'linux/fixture.h');
    const text = readFileSync(h, 'utf8');
    writeFileSync(h, text + '\n#define FIXTURE_STAMP_TEST 7\n');
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.out).not.toMatch(FROM_STAMP);
    // Back as it was when stamped: the stamp proves it again.
    writeFileSync(h, text);
    expect((await check()).out).toMatch(FROM_STAMP);
  });

  it('a header appearing where the include search looked first (a multiarch dir): full check', async () => {
    expect((await check()).out).toMatch(FROM_STAMP);
    // The first -I dir's x86_64 multiarch dir is searched before the dir itself.
    mkdirSync(join(include, 'x86_64-linux-gnu', 'linux'), { recursive: true });
    writeFileSync(join(include, 'x86_64-linux-gnu', 'linux', 'fixture.h'), readFileSync(join(include, 'linux/fixture.h'), 'utf8'));
    const r = await check();
    expect(r.out).not.toMatch(FROM_STAMP);
    rmSync(join(include, 'x86_64-linux-gnu'), { recursive: true });
  });

  it('another command (a different --package) does not use the stamp', async () => {
    expect((await check()).out).not.toMatch(/error/);
    const r = await check('--package', '@x/other');
    expect(r.out).not.toMatch(FROM_STAMP);
    expect(r.code).toBe(1);
  });
});
