/** File-system edges of the CLI: reading sources, writing one file atomically, one-line errors (a set of files: output-swap.ts). */
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
export class CliError extends Error {
  override readonly name = 'CliError';
}

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
