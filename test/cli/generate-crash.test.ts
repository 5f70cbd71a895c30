/**
 * `uapi-ts generate --out DIR` changes the files it owns as one step, whatever kills it.
 *
 * A package generated from fixture.h (the old set, plus a stale generated file that the next run
 * removes, next to files of the user's) is updated from an edited fixture.h (the new set: every
 * owned file changes, one goes away). The process is SIGKILLed at every step of the swap through
 * the test-only hook UAPI_TS_TEST_CRASH_AT (cli/output-swap.ts names the steps), and each time
 * DIR is hash-compared with the old and the new set: before the journal it is exactly the old set;
 * with the journal, every file is exactly its old or its new version (`--check` fails and says so)
 * and the next generate completes it to exactly the new set; after the journal, the new set.
 * A journal whose staged files are gone is rolled back to exactly the old set. Files that are not
 * the package's are never touched, leftovers are removed, and one generate at a time writes DIR.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode, type Ran } from '../support/proc.js';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const FIXTURE = join(REPO, 'test', 'fixtures', 'emit', 'include', 'linux', 'fixture.h');
const work = mkdtempSync(join(tmpdir(), 'uapi-ts-generate-crash-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const OLD_INC = join(work, 'old-include');
const NEW_INC = join(work, 'new-include');
const OLD_PKG = join(work, 'old-pkg');
const NEW_PKG = join(work, 'new-pkg');

/** Files of the user's in the package dir, which no run may touch. */
const FOREIGN: Record<string, string> = {
  'NOTES.md': '# my notes\n',
  'dist/index.js': 'export {};\n',
  'src/extra.ts': 'export const extra = 1;\n',
  'node_modules/dep/package.json': '{ "name": "dep" }\n',
};
/** A generated file an older run wrote and the new one no longer does (it is removed). */
const LEGACY = 'src/legacy.ts';

const BASE_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('UAPI_TS_TEST_')));

type Which = 'old' | 'new';
function generate(which: Which, out: string, opts: { extra?: string[]; crashAt?: string; stopAt?: string } = {}): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...BASE_ENV };
  if (opts.crashAt) env.UAPI_TS_TEST_CRASH_AT = opts.crashAt;
  if (opts.stopAt) env.UAPI_TS_TEST_STOP_AT = opts.stopAt;
  // A fixed --sha256 keeps the header's hash out of the files the edit does not change.
  const inc = which === 'old' ? OLD_INC : NEW_INC;
  return runNode([BIN, 'generate', 'linux/fixture.h', '-I', inc, '--kernel', '6.1', '--sha256', 'ab'.repeat(32), '--out', out, ...(opts.extra ?? [])], { env });
}

/** Path -> sha256 of every file in dir except the swap's bookkeeping (`.uapi-ts-*`). */
function snapshot(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    if (rel === '' && e.name.startsWith('.uapi-ts-')) continue;
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(out, snapshot(dir, p));
    else out[p] = createHash('sha256').update(readFileSync(join(dir, p))).digest('hex');
  }
  return out;
}

function bookkeeping(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.startsWith('.uapi-ts-')).sort();
}
const hasJournal = (dir: string): boolean => existsSync(join(dir, '.uapi-ts-journal.json'));
const staging = (dir: string): string[] => bookkeeping(dir).filter((n) => n.startsWith('.uapi-ts-staging-'));

let oldSet: Record<string, string>;
let newSet: Record<string, string>;
/** Paths whose content (or presence) differs between the two sets: what a swap changes. */
let changed: string[];
/** How many files the update writes (all changed paths but the removed one), and a step half-way through them. */
let writes: number;
let mid: number;

beforeAll(async () => {
  mkdirSync(join(OLD_INC, 'linux'), { recursive: true });
  mkdirSync(join(NEW_INC, 'linux'), { recursive: true });
  const text = readFileSync(FIXTURE, 'utf8');
  writeFileSync(join(OLD_INC, 'linux', 'fixture.h'), text);
  // A new constant value and a member appended to fix_mixed.
  const edited = text.replace('#define FIX_INFO_CAP_MARKER 2', '#define FIX_INFO_CAP_MARKER 3').replace('\tchar name[6];\n', '\tchar name[6];\n\t__u32 extra;\n');
  expect(edited.match(/extra;|MARKER 3/g)).toHaveLength(2);
  writeFileSync(join(NEW_INC, 'linux', 'fixture.h'), edited);

  const [o, n] = await Promise.all([generate('old', OLD_PKG, { extra: ['--quiet'] }), generate('new', NEW_PKG, { extra: ['--quiet'] })]);
  expect(o.stderr + n.stderr).toBe('');
  expect([o.status, n.status]).toEqual([0, 0]);
  writeFileSync(join(OLD_PKG, LEGACY), readFileSync(join(OLD_PKG, 'src', 'meta.ts'), 'utf8').split('\n')[0] + '\nexport const legacy = 1;\n');
  for (const [p, content] of Object.entries(FOREIGN)) {
    mkdirSync(join(OLD_PKG, p, '..'), { recursive: true });
    writeFileSync(join(OLD_PKG, p), content);
  }
  oldSet = snapshot(OLD_PKG);
  // The new set: the user's files as they were, the package's files as the new run writes them.
  newSet = { ...snapshot(NEW_PKG) };
  for (const p of Object.keys(FOREIGN)) newSet[p] = oldSet[p]!;
  changed = [...new Set([...Object.keys(oldSet), ...Object.keys(newSet)])].filter((p) => oldSet[p] !== newSet[p]).sort();
  // Some files change (the constants, the layout tables...), some do not, and one goes.
  expect(changed).toContain(LEGACY);
  expect(changed).toContain('tables.json');
  expect(changed.length).toBeGreaterThanOrEqual(4);
  expect(changed.length).toBeLessThan(Object.keys(newSet).length);
  writes = changed.length - 1;
  mid = Math.floor(writes / 2);
});

/** A fresh copy of the old package. */
let copies = 0;
function oldCopy(): string {
  const dir = join(work, `pkg-${copies++}`);
  cpSync(OLD_PKG, dir, { recursive: true });
  return dir;
}

/** Exactly one of the two sets, or (with a journal) every changed file at its old or its new version: how many are new. */
function newCount(dir: string): number {
  const now = snapshot(dir);
  for (const p of Object.keys(now)) expect(p in oldSet || p in newSet, `${p}: neither old nor new`).toBe(true);
  let n = 0;
  for (const p of [...new Set([...Object.keys(oldSet), ...Object.keys(newSet)])]) {
    if (now[p] === newSet[p] && now[p] !== oldSet[p]) n++;
    else expect(now[p], `${p}: neither its old nor its new content`).toBe(oldSet[p]);
  }
  return n;
}

function expectKilled(r: Ran, step: string): void {
  expect(r.signal, `generate did not reach step ${step} (exit ${r.status}): ${r.stderr}`).toBe('SIGKILL');
}

/** Run generate with the new input, stopping right after its recovery: DIR must then hold exactly the new set (or `expect`). */
async function recoverAndCheck(dir: string, expected: Which): Promise<Ran> {
  const r = await generate('new', dir, { crashAt: 'recovered' });
  expectKilled(r, 'recovered');
  expect(snapshot(dir)).toEqual(expected === 'new' ? newSet : oldSet);
  expect(bookkeeping(dir)).toEqual(['.uapi-ts-lock']); // the killed run's, taken over by the next
  return r;
}

async function expectCheckReportsJournal(dir: string): Promise<void> {
  const check = await generate('new', dir, { extra: ['--check'] });
  expect(check.status).toBe(1);
  expect(check.stderr).toMatch(/^uapi-ts generate --check: \S+: holds an unfinished update \(\.uapi-ts-journal\.json: \d+ file\(s\), interrupted in pid \d+\); run `uapi-ts generate linux\/fixture\.h .*` to complete it\n$/);
}

describe('generate --out under SIGKILL', () => {
  it('before the journal: the old set, and the next run removes the leftovers', async () => {
    for (const step of ['locked', 'recovered', 'stage-1', 'staged', 'journal-tmp']) {
      const dir = oldCopy();
      expectKilled(await generate('new', dir, { crashAt: step }), step);
      expect(snapshot(dir), step).toEqual(oldSet);
      expect(hasJournal(dir), step).toBe(false);
      const left = bookkeeping(dir);
      if (step.startsWith('stage') || step === 'journal-tmp') expect(staging(dir), step).toHaveLength(1);
      if (step === 'journal-tmp') expect(left.some((n) => n.startsWith('.uapi-ts-journal.json.tmp-')), step).toBe(true);
      if (step === 'staged') {
        // --check names the leftover (a note) and judges the files alone: the old set, whose one
        // difference from the old input's output is the file an older run left.
        const check = await generate('old', dir, { extra: ['--check'] });
        expect(check.stdout).toBe(`stale file (no longer generated): ${LEGACY}\n`);
        expect(check.stderr).toMatch(/^uapi-ts generate: note: \S+\/\.uapi-ts-staging-\w+: left over from an interrupted uapi-ts generate \(the next generate removes it\)$/m);
      }
      const r = await recoverAndCheck(dir, 'old');
      expect(r.stderr, step).toMatch(/note: \S+: took over the lock left by pid \d+, which no longer runs/);
      if (left.some((n) => n.startsWith('.uapi-ts-staging-'))) expect(r.stderr, step).toMatch(/note: \S+: removed \.uapi-ts-staging-\w+, left over from an interrupted run/);
    }
  });

  it('with the journal: each file old or new, --check fails, the next run completes it', async () => {
    const steps = ['journal', ...changed.map((_, k) => `apply-${k + 1}`), 'applied'];
    for (const step of steps) {
      const dir = oldCopy();
      expectKilled(await generate('new', dir, { crashAt: step }), step);
      expect(hasJournal(dir), step).toBe(true);
      // apply-k: exactly k files have their new version; the rest their old one.
      const k = step.startsWith('apply-') ? Number(step.slice(6)) : step === 'journal' ? 0 : changed.length;
      expect(newCount(dir), step).toBe(k);
      await expectCheckReportsJournal(dir);
      const r = await recoverAndCheck(dir, 'new');
      expect(r.stderr, step).toMatch(new RegExp(`note: \\S+: completed an update interrupted in pid \\d+ \\(${changed.length} file\\(s\\)\\)`));
    }
    // One past the last file: the hook never fires and the run completes.
    const dir = oldCopy();
    const r = await generate('new', dir, { crashAt: `apply-${changed.length + 1}` });
    expect(r.status, r.stderr).toBe(0);
    expect(snapshot(dir)).toEqual(newSet);
    expect(bookkeeping(dir)).toEqual([]);
  });

  it('after the journal: the new set, and the next run removes the leftovers', async () => {
    for (const step of ['committed', 'cleaned']) {
      const dir = oldCopy();
      expectKilled(await generate('new', dir, { crashAt: step }), step);
      expect(snapshot(dir), step).toEqual(newSet);
      expect(hasJournal(dir), step).toBe(false);
      expect(staging(dir), step).toHaveLength(step === 'committed' ? 1 : 0);
      if (step === 'committed') {
        const check = await generate('new', dir, { extra: ['--check'] });
        expect(check.status, check.stdout).toBe(0);
        expect(check.stderr).toMatch(/^uapi-ts generate: note: \S+\/\.uapi-ts-staging-\w+: left over from an interrupted uapi-ts generate/m);
        expect(check.stderr).toMatch(/^uapi-ts generate: note: \S+\/\.uapi-ts-lock: left by pid \d+, which no longer runs \(the next generate takes it over\)$/m);
      }
      await recoverAndCheck(dir, 'new');
    }
  });

  it('a run killed while completing a journal leaves it to the next', async () => {
    const dir = oldCopy();
    expectKilled(await generate('new', dir, { crashAt: `apply-${mid}` }), `apply-${mid}`);
    expectKilled(await generate('new', dir, { crashAt: 'recover-apply-1' }), 'recover-apply-1');
    expect(hasJournal(dir)).toBe(true);
    expect(newCount(dir)).toBe(mid + 1);
    await expectCheckReportsJournal(dir);
    expectKilled(await generate('new', dir, { crashAt: 'recover-committed' }), 'recover-committed');
    expect(snapshot(dir)).toEqual(newSet);
    await recoverAndCheck(dir, 'new');
    // Then a whole run: nothing left to change, --check passes, no bookkeeping left.
    const r = await generate('new', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no changes: every file in \S+ was already up to date/);
    expect(bookkeeping(dir)).toEqual([]);
    expect((await generate('new', dir, { extra: ['--check'] })).status).toBe(0);
  });

  it('rolls back, to exactly the old set, a journal whose staged files are gone', async () => {
    const dir = oldCopy();
    expectKilled(await generate('new', dir, { crashAt: `apply-${mid}` }), `apply-${mid}`);
    const stage = join(dir, staging(dir)[0]!);
    const unapplied = readdirSync(stage).filter((n) => n.startsWith('new-'));
    expect(unapplied).toHaveLength(writes - mid); // the removed file stages nothing
    rmSync(join(stage, unapplied[0]!));
    // Killed half-way through the undo, then undone by the next run.
    expectKilled(await generate('new', dir, { crashAt: 'recover-undo-1' }), 'recover-undo-1');
    expect(newCount(dir)).toBe(mid - 1);
    const r = await recoverAndCheck(dir, 'old');
    expect(r.stderr).toMatch(new RegExp(`note: \\S+: undid an update interrupted in pid \\d+ \\(${changed.length} file\\(s\\)\\), whose staged files were gone`));
  });

  it('into a new directory: nothing or the whole package, and an undo removes the dirs it made', async () => {
    const expected = Object.fromEntries(Object.entries(newSet).filter(([p]) => !(p in FOREIGN)));
    for (const step of ['staged', 'apply-3', 'applied']) {
      const dir = join(work, `fresh-${step}`);
      expectKilled(await generate('new', dir, { crashAt: step }), step);
      const now = snapshot(dir);
      for (const [p, h] of Object.entries(now)) expect(h, `${step}: ${p}`).toBe(expected[p]);
      if (step === 'staged') expect(now).toEqual({});
      // apply-3, its staged files lost: the undo removes the package's files and the dirs made for them.
      if (step === 'apply-3') {
        const stage = join(dir, staging(dir)[0]!);
        rmSync(join(stage, readdirSync(stage).find((n) => n.startsWith('new-'))!));
      }
      expectKilled(await generate('new', dir, { crashAt: 'recovered' }), 'recovered');
      if (step === 'applied') expect(snapshot(dir)).toEqual(expected);
      else expect(readdirSync(dir)).toEqual(['.uapi-ts-lock']);
    }
  });
});

describe('generate --out: one writer at a time', () => {
  it('refuses a second generate while one runs, and the first completes', async () => {
    const dir = oldCopy();
    // The first stops itself (SIGSTOP) half-way: its journal written, no file replaced yet.
    const first = generate('new', dir, { stopAt: 'journal' });
    let pid = 0;
    for (let i = 0; i < 600 && pid === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const held = /^(\d+) /.exec(existsSync(join(dir, '.uapi-ts-lock')) ? readFileSync(join(dir, '.uapi-ts-lock'), 'utf8') : '');
      if (held && readFileSync(`/proc/${held[1]}/stat`, 'utf8').replace(/^.*\) /, '').startsWith('T')) pid = Number(held[1]);
    }
    expect(pid, 'the first generate never stopped').toBeGreaterThan(0);
    const [second, check] = [await generate('new', dir), await generate('new', dir, { extra: ['--check'] })];
    expect(snapshot(dir)).toEqual(oldSet);
    process.kill(pid, 'SIGCONT');
    expect(check.status).toBe(1);
    expect(check.stderr).toBe(`uapi-ts generate --check: ${dir}: is being updated now (.uapi-ts-journal.json: ${changed.length} file(s), by pid ${pid}); check again when it is done\n`);
    expect(second.status).toBe(1);
    expect(second.stderr).toBe(
      `uapi-ts generate: --out ${dir}: another uapi-ts generate (pid ${pid}) is writing into it (lock ${join(dir, '.uapi-ts-lock')}); wait for it to finish, or delete the lock file if no generate is running\n`,
    );
    const r = await first;
    expect(r.status, r.stderr).toBe(0);
    expect(snapshot(dir)).toEqual(newSet);
    expect(bookkeeping(dir)).toEqual([]);
  });
});
