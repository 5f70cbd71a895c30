/** File-system helpers for header trees: hashing, copying with symlinks resolved, atomic install. */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every regular file under `root` (symlinks followed), as sorted '/'-separated relative paths. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      const st = e.isSymbolicLink() ? statSync(p) : e;
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/** sha256 of every file under `root`, keyed by relative path, keys sorted. */
export function hashTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of listFiles(root)) out[p] = sha256File(join(root, p));
  return out;
}

/**
 * Copy the directory `src` to `dst` as plain files: a symlink is replaced by what it points to,
 * which must lie inside `jail` (the extracted package root), so a tree never points outside itself.
 */
export function copyResolved(
  src: string,
  dst: string,
  jail: string,
  filter: (rel: string) => boolean = () => true,
  union = false,
): number {
  const jailReal = realpathSync(jail);
  let n = 0;
  const walk = (from: string, to: string): void => {
    for (const e of readdirSync(from, { withFileTypes: true })) {
      const p = join(from, e.name);
      let real = p;
      if (e.isSymbolicLink()) {
        if (!existsSync(p)) throw new Error(`dangling symlink ${p}`);
        real = realpathSync(p);
        if (real !== jailReal && !real.startsWith(jailReal + sep)) throw new Error(`symlink ${p} leaves the package: ${real}`);
      }
      const st = lstatSync(real);
      const q = join(to, e.name);
      if (st.isDirectory()) walk(real, q);
      else if (st.isFile()) {
        const rel = relative(dst, q).split(sep).join('/');
        if (!filter(rel)) continue;
        if (union && existsSync(q)) {
          // Merging packages that share files (Multi-Arch: same): identical is fine, different is an error.
          if (!readFileSync(q).equals(readFileSync(real))) throw new Error(`conflicting contents for ${rel}`);
          continue;
        }
        mkdirSync(dirname(q), { recursive: true });
        copyFileSync(real, q);
        n++;
      }
    }
  };
  walk(src, dst);
  return n;
}

export function writeFileMkdir(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/**
 * Put the finished directory `staged` at `target`: the old one (if any) is moved aside first and
 * removed only after the new one is in place, so at every instant either the old or the new tree exists
 * at a predictable path (a leftover `.old-*` is restored by `recoverInterrupted`).
 */
export function replaceDir(staged: string, target: string): void {
  const old = join(dirname(target), `.old-${relative(dirname(target), target)}-${process.pid}`);
  if (existsSync(target)) renameSync(target, old);
  try {
    renameSync(staged, target);
  } catch (e) {
    if (existsSync(old)) renameSync(old, target);
    throw e;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Clean what an interrupted sync left under `headersDir`: staged temp dirs go, moved-aside trees come back. */
export function recoverInterrupted(headersDir: string): void {
  if (!existsSync(headersDir)) return;
  for (const e of readdirSync(headersDir)) {
    const p = join(headersDir, e);
    if (e.startsWith('.tmp-')) rmSync(p, { recursive: true, force: true });
    const m = /^\.old-(.+)-\d+$/.exec(e);
    if (m) {
      const target = join(headersDir, m[1]!);
      if (existsSync(target)) rmSync(p, { recursive: true, force: true });
      else renameSync(p, target);
    }
  }
}

/** A fresh staging dir under `headersDir` (same file system, so the final rename is atomic). */
export function stagingDir(headersDir: string, name: string): string {
  mkdirSync(headersDir, { recursive: true });
  const p = join(headersDir, `.tmp-${name}-${process.pid}-${Date.now()}`);
  mkdirSync(p);
  return p;
}
