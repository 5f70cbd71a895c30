/**
 * The stamp that lets `generate --check` answer "up to date" without parsing or loading ts-morph.
 *
 * After a full check (or a generate) finds the output equal to the generator's, a stamp records the
 * sha256 of everything the output depends on and of everything it consists of:
 *   - the command: header, include dirs, --kernel/--sha256/--package, budgets, --out, Node's version;
 *   - every path the preprocessor asked for on any ABI, found (its hash) or not (null): the headers
 *     read and every include-search miss, so a header that would now shadow another is seen;
 *   - the generator's own code: every file of generator/dist and of the runtime it imports
 *     (@uapi-ts/runtime's dist and package.json), the package.json of tree-sitter, tree-sitter-c and
 *     ts-morph, and the files generate consults besides the header (headers/manifest.json in the
 *     include dir's parents, the workspace's tsconfig.base.json);
 *   - every file the package owns in --out (the generated paths), and the list of generated files
 *     in src/ (a stale one appearing is a difference).
 * The next `--check` recomputes each hash; all equal proves the full check would pass again, and it
 * says so. Any mismatch, a missing or unreadable stamp, runs the full check. The stamp lives outside
 * --out (never part of the package, never committed): node_modules/.cache/uapi-ts/ of the checkout,
 * or UAPI_TS_CACHE; one file per --out.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAtomic } from './io.js';

export interface Stamp {
  uapiTsCheckStamp: 1;
  /** sha256 of the command (see above). */
  command: string;
  /** path -> sha256, or null for a path that must stay absent. */
  files: Record<string, string | null>;
  /** Generated files in --out's src/ when stamped (relative paths). */
  generated: string[];
}

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function hashFile(path: string): string | null {
  try {
    return sha(readFileSync(path));
  } catch {
    return null;
  }
}

/** Every file under dir (absolute paths), sorted. */
function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)])).sort();
}

/** generator/ (this file is generator/dist/cli/check-stamp.js). */
const GENERATOR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The code and package files `generate` runs on. */
export function codeFiles(): string[] {
  const req = createRequire(join(GENERATOR, 'package.json'));
  const pkgDir = (name: string): string | undefined => {
    try {
      return dirname(req.resolve(`${name}/package.json`));
    } catch {
      return undefined;
    }
  };
  const runtime = pkgDir('@uapi-ts/runtime');
  const out = [...filesUnder(join(GENERATOR, 'dist')).filter((f) => f.endsWith('.js')), join(GENERATOR, 'package.json')];
  if (runtime) out.push(...filesUnder(join(runtime, 'dist')).filter((f) => f.endsWith('.js')), join(runtime, 'package.json'));
  for (const name of ['tree-sitter', 'tree-sitter-c', 'ts-morph']) {
    const d = pkgDir(name);
    if (d) out.push(join(d, 'package.json'));
  }
  const checkout = resolve(GENERATOR, '..');
  out.push(join(checkout, 'tsconfig.base.json'));
  return out;
}

/** headers/manifest.json candidates that generate's --kernel/--sha256 defaults read. */
export function manifestFiles(includeDir: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(resolve(includeDir)), i = 0; i < 4; dir = dirname(dir), i++) out.push(join(dir, 'manifest.json'));
  return out;
}

/** Where the stamp of an --out lives. */
export function stampPath(root: string): string {
  const base = process.env.UAPI_TS_CACHE ?? join(GENERATOR, '..', 'node_modules', '.cache', 'uapi-ts');
  return join(base, `check-${sha(resolve(root)).slice(0, 16)}.json`);
}

export function commandKey(parts: unknown): string {
  return sha(JSON.stringify({ node: process.version, parts }));
}

/**
 * True when the stamp for root proves the output is what the generator makes: same command, every
 * recorded file with the recorded hash (or still absent), the same generated files in src/.
 */
export function stampProves(root: string, command: string, generated: () => string[]): boolean {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(stampPath(root), 'utf8')) as Stamp;
  } catch {
    return false;
  }
  if (stamp.uapiTsCheckStamp !== 1 || stamp.command !== command || typeof stamp.files !== 'object' || !Array.isArray(stamp.generated)) return false;
  // The code may have gained a file (a new module): the list is part of what is proven.
  const code = [...codeFiles()];
  if (code.some((f) => !(f in stamp.files) && existsSync(f))) return false;
  for (const [path, hash] of Object.entries(stamp.files)) if (hashFile(path) !== hash) return false;
  const now = generated();
  return now.length === stamp.generated.length && now.every((p, i) => p === stamp.generated[i]);
}

/**
 * Record a stamp after a check or a generate found root equal to the output: `reads` are the
 * preprocessor's paths (null when absent), `owned` the package's paths relative to root.
 */
export function writeStamp(root: string, command: string, includeDir: string, reads: ReadonlyMap<string, unknown>, owned: Iterable<string>, generated: string[]): void {
  const files: Record<string, string | null> = {};
  for (const p of [...codeFiles(), ...manifestFiles(includeDir), ...reads.keys()]) files[resolve(p)] = hashFile(p);
  for (const p of owned) files[join(resolve(root), p)] = hashFile(join(root, p));
  const stamp: Stamp = { uapiTsCheckStamp: 1, command, files, generated: [...generated] };
  try {
    writeAtomic(stampPath(root), JSON.stringify(stamp) + '\n');
  } catch {
    // A cache: a read-only checkout only loses the fast path.
  }
}

