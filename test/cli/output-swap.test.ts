/**
 * output-swap.ts in-process: a set of files replaced as one step. A file-system error at any
 * rename or unlink (injected here) leaves the tree exactly as it was, with no bookkeeping left and
 * a one-line CliError; so does a file system without hard links (backups are copies there). A
 * journal that would lead outside the directory, or that can be neither completed nor undone, is
 * refused untouched; a lock held by a running process is refused, one left by a dead one taken over.
 * (Killing the real command at every step: generate-crash.test.ts.)
 */
import * as fs from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { run } from '../support/proc.js';

/** Which call of a function to fail (0-based), and calls made so far. */
const fail = { rename: -1, unlink: -1, link: false };
const calls = { rename: 0, unlink: 0 };
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const errno = (code: string, path: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected, '${path}'`), { code, path });
  return {
    ...real,
    renameSync: (a: fs.PathLike, b: fs.PathLike): void => {
      if (calls.rename++ === fail.rename) throw errno('EACCES', String(a));
      real.renameSync(a, b);
    },
    unlinkSync: (a: fs.PathLike): void => {
      if (calls.unlink++ === fail.unlink) throw errno('EACCES', String(a));
      real.unlinkSync(a);
    },
    linkSync: (a: fs.PathLike, b: fs.PathLike): void => {
      if (fail.link) throw errno('EPERM', String(a));
      real.linkSync(a, b);
    },
  };
});

const { CliError } = await import('../../generator/src/cli/io.js');
const { JOURNAL, LOCK, lockOutput, recoverOutput, swapFiles } = await import('../../generator/src/cli/output-swap.js');

const work = mkdtempSync(join(tmpdir(), 'uapi-ts-output-swap-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tree(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? [`${p}/`, ...tree(dir, p)] : [`${p}=${readFileSync(join(dir, p), 'utf8')}`];
  });
}

let n = 0;
function pkg(): string {
  const root = join(work, `pkg-${n++}`);
  mkdirSync(root);
  writeFileSync(join(root, 'a'), 'old a');
  writeFileSync(join(root, 'c'), 'old c');
  writeFileSync(join(root, 'gone'), 'x');
  writeFileSync(join(root, 'README'), 'mine');
  return root;
}
const WRITE = new Map([
  ['a', 'new a'],
  ['sub/deeper/b', 'new b'],
  ['c', 'new c'],
]);

function swapFailing(root: string, at: Partial<typeof fail>): unknown {
  Object.assign(fail, { rename: -1, unlink: -1, link: false }, at);
  calls.rename = calls.unlink = 0;
  try {
    swapFiles(root, WRITE, ['gone']);
  } catch (e) {
    return e;
  } finally {
    Object.assign(fail, { rename: -1, unlink: -1, link: false });
  }
  return undefined;
}

describe('swapFiles', () => {
  it('replaces, creates and removes files, and leaves no bookkeeping', () => {
    for (const link of [false, true]) {
      const root = pkg();
      expect(swapFailing(root, { link })).toBeUndefined();
      expect(tree(root).sort()).toEqual(['README=mine', 'a=new a', 'c=new c', 'sub/', 'sub/deeper/', 'sub/deeper/b=new b']);
    }
  });

  it('leaves the tree as it was when any rename or unlink fails, with or without hard links', () => {
    // Renames: the journal, then a, sub/deeper/b, c; unlinks: gone, then the journal at commit.
    const cases = [...[0, 1, 2, 3].map((rename) => ({ rename })), { unlink: 0 }];
    for (const link of [false, true]) {
      for (const at of cases) {
        const root = pkg();
        const before = tree(root).sort();
        const err = swapFailing(root, { ...at, link });
        const what = JSON.stringify({ ...at, link });
        expect(err, what).toBeInstanceOf(CliError);
        expect((err as Error).message, what).toMatch(/^[^\n]*: permission denied \(EACCES\)$/);
        expect(tree(root).sort(), what).toEqual(before);
      }
    }
  });

  it('says so when the files are in place but the journal could not be removed, and the next recovery removes it', () => {
    const root = pkg();
    const err = swapFailing(root, { unlink: 1 });
    expect((err as Error).message).toMatch(/: the files are updated, but \S+\.uapi-ts-journal\.json or \.uapi-ts-staging-\w+ could not be removed; the next uapi-ts generate/);
    expect(existsSync(join(root, JOURNAL))).toBe(true);
    const r = recoverOutput(root);
    expect(r.direction).toBe('forward');
    expect(tree(root).sort()).toEqual(['README=mine', 'a=new a', 'c=new c', 'sub/', 'sub/deeper/', 'sub/deeper/b=new b']);
  });
});

describe('recoverOutput', () => {
  it('refuses a journal whose paths leave the directory, and touches nothing', () => {
    const root = pkg();
    writeFileSync(join(work, 'outside'), 'keep');
    const journal = { uapiTsJournal: 1, pid: 1, staging: '.uapi-ts-staging-x', createdDirs: [], files: [{ path: '../outside', old: null, new: null }] };
    writeFileSync(join(root, JOURNAL), JSON.stringify(journal));
    const before = tree(root).sort();
    expect(() => recoverOutput(root)).toThrow(/\.uapi-ts-journal\.json: not a journal uapi-ts can use \(bad files\)/);
    expect(tree(root).sort()).toEqual(before);
    expect(readFileSync(join(work, 'outside'), 'utf8')).toBe('keep');
  });

  it('refuses a journal it can neither complete nor undo, and says what to do', () => {
    const root = pkg();
    const sha = 'f'.repeat(64);
    writeFileSync(join(root, JOURNAL), JSON.stringify({ uapiTsJournal: 1, pid: 42, staging: '.uapi-ts-staging-gone', createdDirs: [], files: [{ path: 'a', old: sha, new: sha.replace(/f/g, 'e') }] }));
    expect(() => recoverOutput(root)).toThrow(/an update interrupted in pid 42 can be neither completed nor undone: files it staged in \.uapi-ts-staging-gone are missing or changed; restore/);
    expect(readFileSync(join(root, 'a'), 'utf8')).toBe('old a');
  });
});

describe('lockOutput', () => {
  it('refuses a lock held by a running process and takes over one whose process is gone', async () => {
    const root = pkg();
    writeFileSync(join(root, LOCK), `${process.ppid} ${hostname()}\n`);
    expect(() => lockOutput(root, 'OUT')).toThrow(new RegExp(`^--out OUT: another uapi-ts generate \\(pid ${process.ppid}\\) is writing into it`));
    // A pid that ran and exited.
    const child = await run('sh', ['-c', 'echo $$']);
    const dead = Number(child.stdout.trim());
    writeFileSync(join(root, LOCK), `${dead} ${hostname()}\n`);
    const lock = lockOutput(root, 'OUT');
    expect(lock.tookOverFrom).toBe(dead);
    expect(readFileSync(join(root, LOCK), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    lock.release();
    expect(existsSync(join(root, LOCK))).toBe(false);
  });
});
