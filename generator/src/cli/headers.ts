/**
 * `uapi-ts headers sync|verify|list`: real kernel uapi header trees at headers/<major.minor>/include,
 * pinned by headers/manifest.json (packages, .deb sha256, sha256 of every file).
 * Exit codes: 0 ok, 1 error, 2 usage, 3 drift (content differs from the pin; nothing was changed).
 */
import { existsSync, lstatSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HEADER_ABIS, SUITES, compareVersionNames, majorMinor } from '../headers/abis.js';
import { PrivateApt, cachedDeb, fetchByPath, poolUrls } from '../headers/apt.js';
import { type Plan, buildTree, cleanup, fetchPinned, resolvePlan } from '../headers/debian.js';
import { importLocal } from '../headers/local.js';
import {
  type Manifest,
  type TreePin,
  diffFiles,
  diffPackages,
  emptyManifest,
  formatDrift,
  isEmptyDiff,
  parseManifest,
  serializeManifest,
} from '../headers/manifest.js';
import { hashTree, recoverInterrupted, replaceDir, stagingDir } from '../headers/tree-fs.js';
import { UsageError, parseArgs } from './args.js';
import { defaultHeadersDir } from './paths.js';
import { writeAtomic } from './io.js';

export const EXIT_DRIFT = 3;

const USAGE = `usage:
  uapi-ts headers sync [--suite bullseye|bookworm|trixie|sid]... [--update]
  uapi-ts headers sync --from DIR --name NAME [--update]
  uapi-ts headers verify
  uapi-ts headers list
options: --dir D  the headers directory (default: $UAPI_HEADERS_DIR, else headers/ in a uapi-ts checkout,
                 else $XDG_CACHE_HOME/uapi-ts/headers, ~/.cache/uapi-ts/headers without XDG_CACHE_HOME)
`;


interface Ctx {
  dir: string;
  manifestPath: string;
  manifest: Manifest;
  out: (s: string) => void;
  err: (s: string) => void;
}

/** An unreadable or corrupt manifest: one line naming the file, exit 1. */
class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

function loadManifest(path: string): Manifest {
  if (!existsSync(path)) return emptyManifest();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ManifestError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let m: Manifest;
  try {
    m = parseManifest(text, path);
  } catch (e) {
    throw new ManifestError((e as Error).message);
  }
  for (const [name, t] of Object.entries(m.trees)) {
    const pin = t as Partial<TreePin> | null;
    if (!pin || typeof pin !== 'object' || typeof pin.kernel !== 'string' || !pin.files || typeof pin.files !== 'object') {
      throw new ManifestError(`${path}: tree '${name}' is not a pin (needs kernel, files)`);
    }
  }
  return m;
}

function saveManifest(ctx: Ctx): void {
  writeAtomic(ctx.manifestPath, serializeManifest(ctx.manifest));
}

const includeOf = (ctx: Ctx, name: string): string => join(ctx.dir, name, 'include');

/** `headers/latest` -> the newest Debian tree present (a relative symlink, replaced atomically). */
function updateLatest(ctx: Ctx): void {
  const names = Object.entries(ctx.manifest.trees)
    .filter(([n, t]) => t.source === 'debian' && existsSync(includeOf(ctx, n)))
    .map(([n]) => n)
    .sort(compareVersionNames);
  const newest = names.at(-1);
  const link = join(ctx.dir, 'latest');
  if (!newest) return;
  let current: string | undefined;
  try {
    if (lstatSync(link).isSymbolicLink()) current = readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current === newest) return;
  const tmp = join(ctx.dir, `.tmp-latest-${process.pid}`);
  rmSync(tmp, { force: true });
  symlinkSync(newest, tmp);
  renameSync(tmp, link);
}

function treeMatches(ctx: Ctx, name: string, pin: TreePin): { ok: boolean; files?: Record<string, string> } {
  const inc = includeOf(ctx, name);
  if (!existsSync(inc)) return { ok: false };
  const files = hashTree(inc);
  return { ok: isEmptyDiff(diffFiles(pin.files, files)), files };
}

function fileCount(pin: TreePin): number {
  return Object.keys(pin.files).length;
}

/** Install the staged include dir as headers/<name>/include and pin it. */
function install(ctx: Ctx, name: string, stagedTop: string, pin: TreePin, replaces?: string): void {
  replaceDir(stagedTop, join(ctx.dir, name));
  if (replaces && replaces !== name) {
    delete ctx.manifest.trees[replaces];
    rmSync(join(ctx.dir, replaces), { recursive: true, force: true });
  }
  ctx.manifest.trees[name] = pin;
  saveManifest(ctx);
}

function asmSummary(pin: TreePin): string {
  return HEADER_ABIS.map((a) => {
    const o = pin.asm[a.abi];
    if (!o) return `${a.abi}=missing`;
    return `${a.abi}=${o.kind}${o.kind === 'derived' ? `(${o.from})` : ''}${o.kernel ? `@${o.kernel}` : ''}`;
  }).join(' ');
}

async function syncSuite(ctx: Ctx, suite: string, update: boolean): Promise<number> {
  const pinned = Object.entries(ctx.manifest.trees).find(([, t]) => t.source === 'debian' && t.suite === suite);
  const [pinName, pin] = pinned ?? [undefined, undefined];
  if (pin && pinName && !update) {
    const m = treeMatches(ctx, pinName, pin);
    if (m.ok) {
      ctx.out(`${pinName}: ok (${suite}, linux ${pin.kernel}, ${fileCount(pin)} files match the manifest)\n`);
      return 0;
    }
    if (m.files) ctx.err(`${pinName}: tree on disk differs from the manifest; rebuilding it from the pinned packages\n`);
  }

  const cacheDir = join(ctx.dir, 'cache');
  const debDir = join(cacheDir, 'debs', suite);
  const apt = new PrivateApt(cacheDir, suite);
  const top = stagingDir(ctx.dir, suite);
  const scratch = join(top, 'x');
  const inc = join(top, 'include');
  try {
    // 1. Pinned, not updating: exactly the pinned .debs (cache first, then the mirror), verified.
    if (pin && pinName && !update) {
      let unavailable: string | undefined;
      const getDeb = (p: (typeof pin.packages & object)[number]): string => {
        const cached = cachedDeb(p, debDir);
        if (cached) return cached;
        const spec = `${p.name}:${p.arch}=${p.version}`;
        const found = apt.show(spec);
        if (found && found.sha256 !== p.sha256) {
          throw Object.assign(new Error(`${spec}: the mirror's sha256 ${found.sha256} differs from the pin ${p.sha256}`), { unavailable: spec });
        }
        if (found) return apt.fetch(p, debDir);
        // The suite lists a newer version now; the pool may still hold the pinned file.
        const byPath = p.filename ? fetchByPath(p, poolUrls(apt.mirror, p.filename), debDir) : undefined;
        if (byPath) {
          ctx.err(`${pinName}: ${spec} is no longer in ${suite}'s index; fetched ${p.filename} from the archive pool (sha256 as pinned)\n`);
          return byPath;
        }
        const where = p.filename ? ` (nor ${p.filename} in its pool or the security archive)` : ' (and the pin has no archive path to try)';
        throw Object.assign(new Error(`${spec} is no longer on ${apt.mirror}${where}`), { unavailable: spec });
      };
      try {
        const roots = fetchPinned(pin.packages ?? [], getDeb, scratch);
        buildTree({ kernel: pin.kernel, packages: pin.packages ?? [], asm: pin.asm }, roots, inc);
        cleanup(scratch);
        const files = hashTree(inc);
        const d = diffFiles(pin.files, files);
        if (!isEmptyDiff(d)) {
          ctx.err(formatDrift(pinName, [], d));
          ctx.err(`${pinName}: the pinned packages build a different tree; run with --update to accept\n`);
          return EXIT_DRIFT;
        }
        install(ctx, pinName, top, pin);
        updateLatest(ctx);
        ctx.out(`${pinName}: installed (${suite}, linux ${pin.kernel}, ${fileCount(pin)} files verified)\n`);
        return 0;
      } catch (e) {
        const u = (e as { unavailable?: string }).unavailable;
        if (!u) throw e;
        unavailable = u;
        ctx.err(`${pinName}: ${(e as Error).message}\n`);
      }
      // The pin can't be had any more: show what the mirror has now, change nothing.
      cleanup(scratch);
      cleanup(inc);
      const { plan, roots } = resolvePlan(apt, debDir, scratch);
      buildTree(plan, roots, inc);
      const files = hashTree(inc);
      ctx.err(formatDrift(pinName, diffPackages(pin.packages ?? [], plan.packages), diffFiles(pin.files, files)));
      ctx.err(`${pinName}: drift (${unavailable} unavailable); tree and manifest left as they were; run with --update to accept\n`);
      return EXIT_DRIFT;
    }

    // 2. New suite, or --update: whatever the suite has now.
    const { plan, roots } = resolvePlan(apt, debDir, scratch);
    buildTree(plan, roots, inc);
    cleanup(scratch);
    const files = hashTree(inc);
    let name = majorMinor(plan.kernel);
    const taken = ctx.manifest.trees[name];
    if (taken && !(taken.source === 'debian' && taken.suite === suite)) name = `${name}-${suite}`;
    const newPin = pinOf(suite, plan, files);
    if (pin && pinName) {
      const pk = diffPackages(pin.packages ?? [], plan.packages);
      const d = diffFiles(pin.files, files);
      if (pk.length === 0 && isEmptyDiff(d) && pinName === name && treeMatches(ctx, pinName, pin).ok) {
        ctx.out(`${pinName}: ok (${suite}, linux ${pin.kernel}, up to date with ${apt.mirror})\n`);
        return 0;
      }
      if (pk.length > 0 || !isEmptyDiff(d)) ctx.out(formatDrift(pinName, pk, d).replace('differs from', 'updated from'));
    }
    install(ctx, name, top, newPin, pinName);
    updateLatest(ctx);
    ctx.out(`${name}: pinned (${suite}, linux ${plan.kernel}, ${Object.keys(files).length} files; asm: ${asmSummary(newPin)})\n`);
    return 0;
  } finally {
    cleanup(top);
  }
}

function pinOf(suite: string, plan: Plan, files: Record<string, string>): TreePin {
  return { source: 'debian', suite, kernel: plan.kernel, packages: plan.packages, asm: plan.asm, files };
}

function syncLocal(ctx: Ctx, from: string, name: string, update: boolean): number {
  if (!/^[\w.+-]+$/.test(name) || name === 'cache' || name === 'latest') throw new UsageError(`bad tree name '${name}'`);
  const src = resolve(from);
  if (!existsSync(src)) throw new UsageError(`--from ${from}: no such directory`);
  const top = stagingDir(ctx.dir, name);
  try {
    const inc = join(top, 'include');
    const r = importLocal(src, inc);
    for (const w of r.warnings) ctx.err(`${name}: warning: ${w}\n`);
    const files = hashTree(inc);
    const pin: TreePin = { source: 'local', path: src, kind: r.kind, kernel: r.kernel, asm: r.asm, files };
    const old = ctx.manifest.trees[name];
    if (old) {
      const d = diffFiles(old.files, files);
      if (!isEmptyDiff(d) && !update) {
        ctx.err(formatDrift(name, [], d));
        ctx.err(`${name}: drift; tree and manifest left as they were; run with --update to accept\n`);
        return EXIT_DRIFT;
      }
      if (isEmptyDiff(d) && treeMatches(ctx, name, old).ok) {
        ctx.out(`${name}: ok (local ${r.kind}, linux ${r.kernel}, ${Object.keys(files).length} files match the manifest)\n`);
        return 0;
      }
    }
    install(ctx, name, top, pin);
    ctx.out(`${name}: pinned (local ${r.kind} ${src}, linux ${r.kernel}, ${Object.keys(files).length} files)\n`);
    return 0;
  } finally {
    cleanup(top);
  }
}

function verify(ctx: Ctx): number {
  let bad = 0;
  const names = Object.keys(ctx.manifest.trees).sort(compareVersionNames);
  if (names.length === 0) {
    ctx.err('headers verify: the manifest pins no tree\n');
    return 1;
  }
  for (const name of names) {
    const pin = ctx.manifest.trees[name]!;
    const inc = includeOf(ctx, name);
    if (!existsSync(inc)) {
      ctx.err(`${name}: missing (run \`uapi-ts headers sync\`)\n`);
      bad++;
      continue;
    }
    const d = diffFiles(pin.files, hashTree(inc));
    if (isEmptyDiff(d)) ctx.out(`${name}: ok (${fileCount(pin)} files)\n`);
    else {
      ctx.err(formatDrift(name, [], d));
      bad++;
    }
  }
  return bad === 0 ? 0 : 1;
}

function list(ctx: Ctx): number {
  const rows = Object.keys(ctx.manifest.trees)
    .sort(compareVersionNames)
    .map((name) => {
      const t = ctx.manifest.trees[name]!;
      const inc = includeOf(ctx, name);
      return [name, t.kernel, t.source === 'debian' ? (t.suite ?? '') : `local:${t.kind ?? ''}`, String(fileCount(t)), existsSync(inc) ? inc : `${inc} (not synced)`];
    });
  const all = [['NAME', 'KERNEL', 'SUITE', 'FILES', 'INCLUDE'], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  for (const r of all) ctx.out(`${r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ')}\n`);
  return 0;
}

export async function headersCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help') {
    process.stdout.write(USAGE);
    return sub ? 0 : 2;
  }
  const args = parseArgs(rest, { values: ['suite', 'from', 'name', 'dir'], booleans: ['update'] });
  if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}'\n${USAGE}`);
  const dir = resolve(args.flags.get('dir')?.at(-1) ?? defaultHeadersDir());
  const manifestPath = join(dir, 'manifest.json');
  // sync creates the headers dir; list and verify of a dir that is not there is a mistake.
  const st = statSync(dir, { throwIfNoEntry: false });
  if (st ? !st.isDirectory() : sub === 'list' || sub === 'verify') {
    process.stderr.write(`uapi-ts headers ${sub}: ${st ? 'not a directory' : 'no headers directory'} ${dir}\n`);
    return 1;
  }
  let manifest: Manifest;
  try {
    manifest = loadManifest(manifestPath);
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    process.stderr.write(`uapi-ts headers ${sub}: ${e.message}\n`);
    return 1;
  }
  const ctx: Ctx = {
    dir,
    manifestPath,
    manifest,
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
  };
  recoverInterrupted(dir);
  const update = args.flags.has('update');
  switch (sub) {
    case 'verify':
      return verify(ctx);
    case 'list':
      return list(ctx);
    case 'sync': {
      const from = args.flags.get('from')?.at(-1);
      if (from !== undefined) {
        const name = args.flags.get('name')?.at(-1);
        if (!name) throw new UsageError('--from needs --name NAME');
        return syncLocal(ctx, from, name, update);
      }
      const suites = args.flags.get('suite') ?? [...SUITES];
      for (const s of suites) if (!(SUITES as readonly string[]).includes(s)) throw new UsageError(`unknown suite '${s}' (${SUITES.join(', ')})`);
      let rc = 0;
      for (const s of suites) {
        try {
          const r = await syncSuite(ctx, s, update);
          rc = Math.max(rc, r);
        } catch (e) {
          ctx.err(`${s}: ${(e as Error).message}\n`);
          rc = Math.max(rc, 1);
        }
      }
      if (!args.flags.has('suite')) {
        // Local trees pinned in the manifest: check them too (their source dir may be gone).
        for (const [name, t] of Object.entries(ctx.manifest.trees)) {
          if (t.source !== 'local') continue;
          const m = treeMatches(ctx, name, t);
          if (m.ok) ctx.out(`${name}: ok (local, ${fileCount(t)} files match the manifest)\n`);
          else if (t.path && existsSync(t.path)) rc = Math.max(rc, syncLocal(ctx, t.path, name, false));
          else ctx.err(`${name}: local tree not on disk and ${t.path ?? 'its source'} is gone; skipped\n`);
        }
      }
      return rc;
    }
    default:
      throw new UsageError(`unknown subcommand '${sub}'\n${USAGE}`);
  }
}
