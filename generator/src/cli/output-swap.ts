/**
 * Crash-safe replacement of the files `uapi-ts generate` owns in an output directory (DIR).
 *
 * Which files are owned is generate's business (cli/generate.ts); this file only replaces a given
 * set as one step, so that an interruption at any instant (SIGKILL, Ctrl-C, power loss once the
 * fsyncs below have returned) leaves DIR with either the complete old set, the complete new set, or
 * a journal that the next `generate` rolls forward or back and that `generate --check` reports.
 * Nothing outside the given paths and the bookkeeping names below is ever touched.
 *
 * Bookkeeping in DIR (every name starts with `.uapi-ts-`):
 *   .uapi-ts-lock             one writer at a time: created with O_EXCL, holds "<pid> <host>"
 *   .uapi-ts-staging-XXXXXX/  new-<i>: the new content of entry i; old-<i>: a hard link to (or,
 *                             where links fail, a copy of) its old content
 *   .uapi-ts-journal.json     the update in flight: each entry's path and the sha256 of its old
 *                             and new content (null = absent), the staging dir, the dirs to create
 *
 * The swap, step by step; `[name]` marks a point where the test-only hooks below can stop or kill
 * the process (test/cli/generate-crash.test.ts kills it at every one):
 *   1. stage: write every new content to new-<i> and fsync it [stage-<k>]; link each existing
 *      target to old-<i>; fsync the staging dir [staged].
 *      Invariant: no owned path has been touched; DIR holds the old set. The staging dir is a
 *      leftover the next run removes.
 *   2. journal: write it to a temp file, fsync [journal-tmp], rename it into place, fsync DIR
 *      [journal]. This rename is the commit point of the intent.
 *   3. apply: create the missing dirs; for each entry, rename new-<i> over its target (or unlink
 *      a removed one) [apply-<k>]; fsync every touched directory [applied].
 *      Invariant from 2 until 4: each owned path holds exactly its old or its new content (a rename
 *      replaces a file atomically, so it is never absent or partial); for every entry not yet
 *      applied new-<i> holds the new content, and old-<i> always holds the old one. So the update
 *      can be completed (forward) or undone (back) from any instant, by the journal alone.
 *   4. commit: unlink the journal, fsync DIR [committed]. DIR holds the new set.
 *   5. clean: remove the staging dir [cleaned]; the caller releases the lock.
 * A file-system error in 1 or 2 removes the staging dir and touches nothing; in 3 it undoes the
 * entries applied so far from the backups [undo-<k>] and then commits the undo as in 4.
 *
 * Recovery, on the next run with the lock held: a journal left behind is rolled forward when every
 * entry either already has its new content or has it staged with the right hash
 * [recover-apply-<k>], else back when every entry has its old content or its backup
 * [recover-undo-<k>]; then committed and cleaned as in 4-5 [recover-committed, recover-cleaned].
 * Recovery is itself a sequence of atomic renames under the same journal, so a crash during it is
 * recovered the same way. Staging dirs and journal temps with no journal naming them are removed.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CliError, fsError } from './io.js';

export const LOCK = '.uapi-ts-lock';
export const JOURNAL = '.uapi-ts-journal.json';
export const STAGING_PREFIX = '.uapi-ts-staging-';
const JOURNAL_TMP = `${JOURNAL}.tmp-`;
const LOCK_STALE = `${LOCK}.stale-`;

/** A name in DIR that belongs to the swap's bookkeeping, not to the package. */
export function isBookkeeping(name: string): boolean {
  return name.startsWith('.uapi-ts-');
}

/**
 * Test-only fault injection; never set outside the tests. UAPI_TS_TEST_CRASH_AT=<step> makes the
 * process SIGKILL itself when it reaches <step> (named in the protocol above), as a power cut or
 * `kill -9` would; UAPI_TS_TEST_STOP_AT=<step> makes it SIGSTOP itself there until the test sends
 * SIGCONT. Both signals take effect before kill(2) returns to this process.
 */
export function testStep(name: string): void {
  if (process.env.UAPI_TS_TEST_CRASH_AT === name) process.kill(process.pid, 'SIGKILL');
  if (process.env.UAPI_TS_TEST_STOP_AT === name) process.kill(process.pid, 'SIGSTOP');
}

interface JournalEntry {
  /** Relative to DIR, `/`-separated. */
  path: string;
  /** sha256 (hex) of the content before the update; null when the file did not exist. */
  old: string | null;
  /** sha256 (hex) of the content after the update; null when the update removes the file. */
  new: string | null;
}

interface Journal {
  uapiTsJournal: 1;
  /** The process that wrote it (for messages only). */
  pid: number;
  /** Name of the staging dir in DIR holding new-<i> and old-<i> for entry i. */
  staging: string;
  /** Dirs (relative to DIR) that did not exist before the update, parents first. */
  createdDirs: string[];
  files: JournalEntry[];
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Whether path holds content with this hash (null: path does not exist). */
function holds(path: string, hash: string | null): boolean {
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch (e) {
    if (code(e) === 'ENOENT') return hash === null;
    throw e;
  }
  return hash !== null && sha256(content) === hash;
}

/** fsync a file or directory; a file system that cannot sync a directory (EINVAL) is let be. */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } catch (e) {
    if (code(e) !== 'EINVAL') throw e;
  } finally {
    closeSync(fd);
  }
}

/** Create path (it must not exist) with content, on disk before this returns. */
function writeDurable(path: string, content: string | Uint8Array): void {
  const fd = openSync(path, 'wx');
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// The lock

export interface LockHolder {
  pid: number;
  host: string;
  /** False only when the pid is known not to run (same host, kill(pid, 0) says ESRCH). */
  alive: boolean;
}

function parseLock(text: string): { pid: number; host: string } | undefined {
  const m = /^(\d+) (\S*)\n?$/.exec(text);
  return m ? { pid: Number(m[1]), host: m[2]! } : undefined;
}

function isRunning(pid: number, host: string): boolean {
  if (host !== hostname()) return true; // cannot tell: assume it runs
  if (pid === process.pid) return false; // a pid reused by us after a reboot: not our lock
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) !== 'ESRCH';
  }
}

/** Who holds the lock on DIR, if anyone (for --check's notes; reads only). */
export function lockHolder(root: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, LOCK), 'utf8');
  } catch {
    return undefined;
  }
  const p = parseLock(text);
  return p ? { ...p, alive: isRunning(p.pid, p.host) } : { pid: 0, host: '', alive: true };
}

export interface OutputLock {
  release(): void;
  /** Set when a lock left by a process that no longer runs was taken over. */
  tookOverFrom?: number;
}

/**
 * Lock DIR for one writer: create `.uapi-ts-lock` with O_EXCL holding "<pid> <host>". A lock whose
 * pid no longer runs on this host is taken over; one held by a running process (or one that cannot
 * be checked: another host, or empty and younger than 10 s, being written) is a CliError naming it.
 */
export function lockOutput(root: string, out: string): OutputLock {
  const path = join(root, LOCK);
  const mine = `${process.pid} ${hostname()}\n`;
  let tookOverFrom: number | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeFileSync(fd, mine);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      const release = (): void => {
        try {
          if (readFileSync(path, 'utf8') === mine) unlinkSync(path);
        } catch {
          // gone already
        }
      };
      return tookOverFrom === undefined ? { release } : { release, tookOverFrom };
    } catch (e) {
      if (code(e) !== 'EEXIST') throw fsError(e, path);
    }
    let text: string;
    let age: number;
    try {
      text = readFileSync(path, 'utf8');
      age = Date.now() - statSync(path).mtimeMs;
    } catch (e) {
      if (code(e) === 'ENOENT') continue; // released meanwhile: try again
      throw fsError(e, path);
    }
    const held = parseLock(text);
    const stale = held ? !isRunning(held.pid, held.host) : text === '' && age > 10_000;
    if (!stale) {
      const who = held ? `pid ${held.pid}${held.host === hostname() ? '' : ` on ${held.host}`}` : 'a process that is starting';
      throw new CliError(
        `--out ${out}: another uapi-ts generate (${who}) is writing into it (lock ${path}); wait for it to finish, or delete the lock file if no generate is running`,
      );
    }
    // Take the stale lock over: move it aside under a name of our own, and check it is still the
    // one we judged stale (another process may have replaced it meanwhile: then put that one back).
    const aside = `${join(root, LOCK_STALE)}${process.pid}`;
    try {
      renameSync(path, aside);
    } catch (e) {
      if (code(e) === 'ENOENT') continue;
      throw fsError(e, path);
    }
    if (readFileSync(aside, 'utf8') !== text) {
      try {
        linkSync(aside, path);
      } catch {
        // a third process holds it now; ours goes away either way
      }
      unlinkSync(aside);
      continue;
    }
    unlinkSync(aside);
    tookOverFrom = held?.pid ?? 0;
  }
  throw new CliError(`--out ${out}: could not take the lock ${path}: other uapi-ts generate runs keep taking it`);
}

// ---------------------------------------------------------------------------------------------
// State of DIR (read only)

export interface PendingUpdate {
  pid: number;
  files: number;
}

/** The update a journal in DIR describes, if there is one (--check reports it). */
export function pendingUpdate(root: string): PendingUpdate | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, JOURNAL), 'utf8');
  } catch (e) {
    if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return undefined;
    throw fsError(e, join(root, JOURNAL));
  }
  const j = parseJournal(text, join(root, JOURNAL));
  return { pid: j.pid, files: j.files.length };
}

/** Staging dirs and journal temps in DIR: what interrupted runs leave that no journal needs. */
export function leftovers(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  // A lock moved aside is in use for the instant of a takeover; only a dead taker's is a leftover.
  const deadTaker = (n: string): boolean => n.startsWith(LOCK_STALE) && !isRunning(Number(n.slice(LOCK_STALE.length)), hostname());
  return names.filter((n) => n.startsWith(STAGING_PREFIX) || n.startsWith(JOURNAL_TMP) || deadTaker(n)).sort();
}

/** A journal as written by writeJournal; anything else is refused, paths that leave DIR first. */
function parseJournal(text: string, where: string): Journal {
  const bad = (why: string): CliError =>
    new CliError(`${where}: not a journal uapi-ts can use (${why}); if no uapi-ts generate is running, check the files in this directory, then delete it`);
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    throw bad('not JSON');
  }
  const o = j as Partial<Journal>;
  const hash = (h: unknown): boolean => h === null || (typeof h === 'string' && /^[0-9a-f]{64}$/.test(h));
  const rel = (p: unknown): boolean => typeof p === 'string' && p !== '' && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..') && !p.includes('\\');
  if (typeof o !== 'object' || o === null || o.uapiTsJournal !== 1) throw bad('no "uapiTsJournal": 1');
  if (typeof o.pid !== 'number') throw bad('no pid');
  if (typeof o.staging !== 'string' || !o.staging.startsWith(STAGING_PREFIX) || o.staging.includes('/')) throw bad('bad staging name');
  if (!Array.isArray(o.createdDirs) || !o.createdDirs.every(rel)) throw bad('bad createdDirs');
  if (!Array.isArray(o.files) || !o.files.every((f: JournalEntry) => typeof f === 'object' && f !== null && rel(f.path) && hash(f.old) && hash(f.new))) throw bad('bad files');
  return o as Journal;
}

// ---------------------------------------------------------------------------------------------
// The swap

/** Before anything is written: no target may be a directory, and no parent a file. */
function checkTargets(root: string, paths: readonly string[]): void {
  for (const rel of paths) {
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = join(root, ...parts.slice(0, i));
      let st;
      try {
        st = lstatSync(p);
      } catch (e) {
        if (code(e) === 'ENOENT') break;
        throw fsError(e, p);
      }
      if (i < parts.length && !st.isDirectory()) throw new CliError(`${p}: is not a directory, but ${rel} belongs inside it (ENOTDIR)`);
      if (i === parts.length && st.isDirectory()) throw new CliError(`${p}: is a directory, where the file ${rel} belongs (EISDIR)`);
    }
  }
}

/** Dirs (relative) that the paths need and that do not exist yet, parents first. */
function missingDirs(root: string, paths: readonly string[]): string[] {
  const missing = new Set<string>();
  for (const rel of paths) {
    const parts = rel.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!missing.has(d)) {
        try {
          lstatSync(join(root, d));
          continue;
        } catch (e) {
          if (code(e) !== 'ENOENT') throw e;
        }
      }
      missing.add(d);
    }
  }
  return [...missing];
}

/** Keep the old content of target at dest (a hard link; a copy where links fail); its hash, or null when target does not exist. */
function backUp(target: string, dest: string): string | null {
  try {
    linkSync(target, dest);
  } catch (e) {
    if (code(e) === 'ENOENT') return null;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS'].includes(code(e) ?? '')) throw e;
    try {
      copyFileSync(target, dest);
    } catch (e2) {
      if (code(e2) === 'ENOENT') return null;
      throw e2;
    }
    fsyncPath(dest);
  }
  return sha256(readFileSync(dest));
}

function writeJournal(root: string, journal: Journal): void {
  const tmp = join(root, `${JOURNAL_TMP}${process.pid}`);
  try {
    writeDurable(tmp, JSON.stringify(journal, null, 1) + '\n');
    testStep('journal-tmp');
    renameSync(tmp, join(root, JOURNAL));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncPath(root);
}

/** fsync the directories whose entries the journal's renames change, deepest first. */
function syncDirs(root: string, j: Journal): void {
  const dirs = new Set<string>();
  for (const f of j.files) dirs.add(dirname(join(root, f.path)));
  for (const d of j.createdDirs) dirs.add(dirname(join(root, d)));
  dirs.add(root);
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    try {
      fsyncPath(d);
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e; // a created dir that an undo removed
    }
  }
}

/** Give every entry its new content (entries that have it already are skipped). */
function rollForward(root: string, j: Journal, prefix: string): void {
  const stage = join(root, j.staging);
  for (const d of j.createdDirs) mkdirSync(join(root, d), { recursive: true });
  let k = 0;
  j.files.forEach((f, i) => {
    const target = join(root, f.path);
    if (holds(target, f.new)) return;
    if (f.new !== null) renameSync(join(stage, `new-${i}`), target);
    else unlinkSync(target);
    testStep(`${prefix}apply-${++k}`);
  });
  syncDirs(root, j);
  testStep(`${prefix}applied`);
}

/** Give every entry its old content back (last entry first), then remove the dirs the update created. */
function rollBack(root: string, j: Journal, prefix: string): void {
  const stage = join(root, j.staging);
  let k = 0;
  for (let i = j.files.length - 1; i >= 0; i--) {
    const f = j.files[i]!;
    const target = join(root, f.path);
    if (holds(target, f.old)) continue;
    if (f.old !== null) renameSync(join(stage, `old-${i}`), target);
    else unlinkSync(target);
    testStep(`${prefix}undo-${++k}`);
  }
  for (const d of [...j.createdDirs].reverse()) {
    try {
      rmdirSync(join(root, d));
    } catch (e) {
      if (!['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(code(e) ?? '')) throw e; // something else lives there now: keep it
    }
  }
  syncDirs(root, j);
}

/** Steps 4 and 5: the journal goes (the update is done), then the staging dir. */
function commit(root: string, j: Journal, prefix: string): void {
  unlinkSync(join(root, JOURNAL));
  fsyncPath(root);
  testStep(`${prefix}committed`);
  rmSync(join(root, j.staging), { recursive: true, force: true });
  testStep(`${prefix}cleaned`);
}

/**
 * Replace files under root (which exists and is locked by the caller) as one step: `write` maps
 * relative paths to their new content, `remove` lists relative paths to delete. Follows the
 * protocol above. Throws a one-line CliError on a file-system error; after one, root holds the old
 * set, or, when even the undo failed, the journal that the next run completes.
 */
export function swapFiles(root: string, write: ReadonlyMap<string, string | Uint8Array>, remove: readonly string[] = []): void {
  const entries: { path: string; content?: string | Uint8Array }[] = [...[...write].map(([path, content]) => ({ path, content })), ...remove.map((path) => ({ path }))];
  checkTargets(root, entries.map((e) => e.path));
  let stage: string;
  try {
    stage = mkdtempSync(join(root, STAGING_PREFIX));
  } catch (e) {
    throw fsError(e, root);
  }
  let journal: Journal;
  try {
    const files = entries.map((e, i): JournalEntry => {
      let hash: string | null = null;
      if (e.content !== undefined) {
        writeFileSync(join(stage, `new-${i}`), e.content, { flag: 'wx' });
        hash = sha256(e.content);
        testStep(`stage-${i + 1}`);
      }
      return { path: e.path, old: backUp(join(root, e.path), join(stage, `old-${i}`)), new: hash };
    });
    // fsync after all writes, not after each: the file system writes them back together.
    entries.forEach((e, i) => e.content !== undefined && fsyncPath(join(stage, `new-${i}`)));
    fsyncPath(stage);
    testStep('staged');
    journal = { uapiTsJournal: 1, pid: process.pid, staging: basename(stage), createdDirs: missingDirs(root, entries.map((e) => e.path)), files };
    writeJournal(root, journal);
  } catch (e) {
    rmSync(stage, { recursive: true, force: true });
    throw fsError(e);
  }
  testStep('journal');
  try {
    rollForward(root, journal, '');
  } catch (e) {
    const failed = fsError(e);
    try {
      rollBack(root, journal, '');
      commit(root, journal, 'undo-');
    } catch (e2) {
      throw new CliError(`${failed.message}; undoing the update failed too (${fsError(e2).message}): ${join(root, JOURNAL)} records it, and the next uapi-ts generate into this directory completes or undoes it`);
    }
    throw failed;
  }
  try {
    commit(root, journal, '');
  } catch (e) {
    throw new CliError(`${fsError(e).message}: the files are updated, but ${join(root, JOURNAL)} or ${journal.staging} could not be removed; the next uapi-ts generate into this directory removes them`);
  }
}

export interface Recovery {
  /** forward: the interrupted update was completed; back: it was undone. */
  direction?: 'forward' | 'back';
  /** The pid that wrote the journal, and how many files it covered. */
  pid?: number;
  files?: number;
  /** Leftovers of interrupted runs that were removed (names in DIR). */
  removed: string[];
}

/**
 * With the lock held: finish whatever an interrupted run left in root. A journal is rolled forward
 * when it can be, else back (see the protocol above); leftovers no journal needs are removed.
 * Throws a CliError when a journal can be neither completed nor undone (its staging dir is gone).
 */
export function recoverOutput(root: string): Recovery {
  const jpath = join(root, JOURNAL);
  let text: string | undefined;
  try {
    text = readFileSync(jpath, 'utf8');
  } catch (e) {
    if (code(e) !== 'ENOENT') throw fsError(e, jpath);
  }
  const result: Recovery = { removed: [] };
  if (text !== undefined) {
    const j = parseJournal(text, jpath);
    const stage = join(root, j.staging);
    try {
      const target = (f: JournalEntry): string => join(root, f.path);
      const forward = j.files.every((f, i) => holds(target(f), f.new) || f.new === null || holds(join(stage, `new-${i}`), f.new));
      const back = forward || j.files.every((f, i) => holds(target(f), f.old) || f.old === null || holds(join(stage, `old-${i}`), f.old));
      if (!back) {
        throw new CliError(
          `${jpath}: an update interrupted in pid ${j.pid} can be neither completed nor undone: files it staged in ${j.staging} are missing or changed; restore this directory's generated files (from version control, or delete them), then delete ${JOURNAL} and ${j.staging}`,
        );
      }
      if (forward) rollForward(root, j, 'recover-');
      else rollBack(root, j, 'recover-');
      commit(root, j, 'recover-');
      Object.assign(result, { direction: forward ? 'forward' : 'back', pid: j.pid, files: j.files.length });
    } catch (e) {
      throw fsError(e);
    }
  }
  for (const name of leftovers(root)) {
    try {
      rmSync(join(root, name), { recursive: true, force: true });
    } catch (e) {
      throw fsError(e, join(root, name));
    }
    result.removed.push(name);
  }
  return result;
}
