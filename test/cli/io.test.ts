/**
 * replaceFiles: a set of files replaced as one step. When a rename fails half-way (here: injected
 * on the third swap), the files already swapped go back to their old content, new files and new
 * directories disappear, and the error is one line (CliError), not a Node stack.
 */
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

let failAt = -1;
let renames = 0;
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    renameSync: (a: fs.PathLike, b: fs.PathLike): void => {
      if (renames++ === failAt) {
        const e = new Error(`EACCES: permission denied, rename '${String(a)}' -> '${String(b)}'`) as NodeJS.ErrnoException;
        e.code = 'EACCES';
        e.path = String(a);
        throw e;
      }
      real.renameSync(a, b);
    },
  };
});

const { CliError, replaceFiles } = await import('../../generator/src/cli/io.js');

const work = mkdtempSync(join(tmpdir(), 'uapi-ts-io-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tree(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? [`${p}/`, ...tree(dir, p)] : [`${p}=${readFileSync(join(dir, p), 'utf8')}`];
  });
}

describe('replaceFiles', () => {
  it('replaces, creates and removes files', () => {
    const root = join(work, 'ok');
    mkdirSync(root);
    writeFileSync(join(root, 'a'), 'old a');
    writeFileSync(join(root, 'gone'), 'x');
    failAt = -1;
    replaceFiles(root, new Map([['a', 'new a'], ['sub/b', 'new b']]), ['gone']);
    expect(tree(root).sort()).toEqual(['a=new a', 'sub/', 'sub/b=new b']);
  });

  it('undoes every swap when one rename fails half-way', () => {
    const root = join(work, 'undo');
    mkdirSync(root);
    writeFileSync(join(root, 'a'), 'old a');
    writeFileSync(join(root, 'c'), 'old c');
    writeFileSync(join(root, 'gone'), 'x');
    const before = tree(root).sort();
    // Seven renames in all (three files aside and in, one removal): fail each in turn.
    for (const at of [0, 1, 2, 3, 4, 5, 6]) {
      renames = 0;
      failAt = at;
      let err: unknown;
      try {
        replaceFiles(root, new Map([['a', 'new a'], ['sub/b', 'new b'], ['c', 'new c']]), ['gone']);
      } catch (e) {
        err = e;
      }
      failAt = -1;
      expect(err, `failure at rename ${at}`).toBeInstanceOf(CliError);
      expect((err as Error).message).toMatch(/^[^\n]*permission denied \(EACCES\)$/);
      expect(tree(root).sort(), `failure at rename ${at}`).toEqual(before);
    }
    expect(existsSync(join(root, 'sub'))).toBe(false);
  });
});
