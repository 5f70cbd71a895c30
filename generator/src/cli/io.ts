/** File-system edges of the CLI: reading sources, writing outputs atomically. */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Unreadable } from '../preprocess/index.js';

/**
 * Reader for the pipeline: file text; undefined when there is no file at the path (a directory in
 * its place is none, as for gcc); Unreadable, with the reason, when a file is there but cannot be
 * read (permission denied, a symlink loop), which ends an include search as it does in gcc.
 */
export function readSource(path: string): string | Unreadable | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR' || typeof code !== 'string') return undefined;
    return { unreadable: FS_REASONS[code] ?? code };
  }
}

/** Write a file via a temporary sibling and rename, so a crash never leaves it half-written. */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** A file-system or input problem of a command: main prints `uapi-ts <cmd>: <message>` and exits 1. */
export class CliError extends Error {}

const FS_REASONS: Record<string, string> = {
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EEXIST: 'already exists',
  ENOENT: 'no such file or directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'name too long',
};

/** A Node errno error as one line (`<path>: <reason> (<CODE>)`); anything else is rethrown. */
export function fsError(e: unknown, what?: string): CliError {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof CliError) return e;
  if (!(e instanceof Error) || typeof err.code !== 'string') throw e;
  const reason = FS_REASONS[err.code] ?? err.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/, '');
  return new CliError(`${what ?? err.path ?? 'file system'}: ${reason} (${err.code})`);
}

/** The text of a regular file, undefined when there is none; a directory in its place is an error. */
export function readIfFile(path: string): string | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fsError(e, path);
  }
  if (st.isDirectory()) throw new CliError(`${path}: is a directory, where a generated file belongs`);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fsError(e, path);
  }
}

/**
 * Replace a set of files under root as one step, as far as a file system allows: every new content
 * is written to a staging directory inside root first (a failure there touches nothing), then each
 * target is swapped in by rename, its old version kept aside; when a rename fails, the swaps done
 * so far are undone, so the package is either all old or all new. `remove` files are moved aside
 * likewise. Throws a CliError with one line on any file-system error.
 */
export function replaceFiles(root: string, write: ReadonlyMap<string, string>, remove: readonly string[] = []): void {
  let createdRoot: string | undefined;
  try {
    createdRoot = mkdirSync(root, { recursive: true });
  } catch (e) {
    throw fsError(e, root);
  }
  // Before anything is written: no target may be a directory, and no parent a file.
  for (const rel of [...write.keys(), ...remove]) {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = join(root, ...parts.slice(0, i));
      let st;
      try {
        st = lstatSync(p);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') break;
        throw fsError(e, p);
      }
      if (i < parts.length && !st.isDirectory()) throw new CliError(`${p}: is not a directory, but ${rel} belongs inside it (ENOTDIR)`);
      if (i === parts.length && st.isDirectory()) throw new CliError(`${p}: is a directory, where the file ${rel} belongs (EISDIR)`);
    }
  }
  let stage: string;
  try {
    stage = mkdtempSync(join(root, '.uapi-ts-staging-'));
  } catch (e) {
    if (createdRoot) rmSync(createdRoot, { recursive: true, force: true });
    throw fsError(e, root);
  }
  const entries = [...write.entries()];
  const undo: (() => void)[] = [];
  const createdDirs: string[] = [];
  try {
    entries.forEach(([, content], i) => writeFileSync(join(stage, `new-${i}`), content));
    entries.forEach(([rel], i) => {
      const target = join(root, rel);
      const made = mkdirSync(dirname(target), { recursive: true });
      if (made) createdDirs.push(made);
      const aside = join(stage, `old-${i}`);
      let had = true;
      try {
        renameSync(target, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        had = false;
      }
      if (had) undo.push(() => renameSync(aside, target));
      renameSync(join(stage, `new-${i}`), target);
      if (!had) undo.push(() => rmSync(target, { force: true }));
    });
    remove.forEach((rel, i) => {
      const target = join(root, rel);
      const aside = join(stage, `removed-${i}`);
      renameSync(target, aside);
      undo.push(() => renameSync(aside, target));
    });
  } catch (e) {
    for (const u of undo.reverse()) {
      try {
        u();
      } catch {
        // keep undoing the rest
      }
    }
    for (const d of createdDirs.reverse()) rmSync(d, { recursive: true, force: true });
    rmSync(stage, { recursive: true, force: true });
    if (createdRoot) rmSync(createdRoot, { recursive: true, force: true });
    throw fsError(e);
  }
  rmSync(stage, { recursive: true, force: true });
}
