/**
 * A private apt: its own sources.list (one Debian suite on the machine's configured mirror), its own
 * state, lists and cache under headers/cache/, signed by the system debian-archive-keyring. The
 * system's apt state is never read for packages nor written: no system `apt-get update`, no dpkg install.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEADER_ABIS } from './abis.js';
import { sha256File } from './tree-fs.js';

export const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';

/** The main Debian archive URI the machine's apt is configured with (deb822 or one-line sources). */
export function systemMirror(): string {
  const env = process.env.UAPI_DEBIAN_MIRROR;
  if (env) return env.replace(/\/+$/, '');
  const files: string[] = [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  const d = '/etc/apt/sources.list.d';
  if (existsSync(d)) for (const f of readdirSync(d).sort()) if (/\.(list|sources)$/.test(f)) files.push(join(d, f));
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    const uris = [
      ...[...text.matchAll(/^\s*URIs:\s*(.+)$/gim)].flatMap((m) => m[1]!.trim().split(/\s+/)),
      ...[...text.matchAll(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)/gm)].map((m) => m[1]!),
    ];
    const main = uris.find((u) => /^https?:\/\/.*\/debian\/?$/.test(u));
    if (main) return main.replace(/\/+$/, '');
  }
  return DEFAULT_MIRROR;
}

export interface AptPackage {
  name: string;
  arch: string;
  version: string;
  sha256: string;
  filename: string;
}

/** The file name apt-get download gives a package's .deb (an epoch's ':' is written %3a). */
function debFileName(pkg: { name: string; arch: string; version: string }): string {
  return `${pkg.name}_${pkg.version.replace(/:/g, '%3a')}_${pkg.arch}.deb`;
}

export class PrivateApt {
  readonly root: string;
  readonly config: string;
  private updated = false;
  /** Indexes of the native architecture only, until a per-arch package is asked for: an
   *  Architecture: all linux-libc-dev (trixie on) then needs no other index, and a mirror in the
   *  middle of a sync of some other arch's index does not stop it. */
  private allArchs = false;

  constructor(
    cacheDir: string,
    readonly suite: string,
    readonly mirror: string = systemMirror(),
  ) {
    this.root = join(cacheDir, 'apt', suite);
    this.config = join(this.root, 'apt.conf');
  }

  private setup(): void {
    for (const d of ['lists/partial', 'archives/partial', 'etc/sources.list.d', 'etc/preferences.d', 'etc/apt.conf.d']) {
      mkdirSync(join(this.root, d), { recursive: true });
    }
    if (!existsSync(join(this.root, 'status'))) writeFileSync(join(this.root, 'status'), '');
    writeFileSync(join(this.root, 'etc', 'sources.list'), `deb [signed-by=${KEYRING}] ${this.mirror} ${this.suite} main\n`);
    const archs = (this.allArchs ? [...new Set(HEADER_ABIS.map((a) => a.debArch))] : ['amd64']).map((a) => `"${a}";`).join(' ');
    const r = this.root;
    writeFileSync(
      this.config,
      [
        `Dir::State "${r}";`,
        `Dir::State::Lists "${r}/lists";`,
        `Dir::State::status "${r}/status";`,
        `Dir::Cache "${r}";`,
        `Dir::Cache::Archives "${r}/archives";`,
        `Dir::Etc::SourceList "${r}/etc/sources.list";`,
        `Dir::Etc::SourceParts "${r}/etc/sources.list.d";`,
        `Dir::Etc::Preferences "${r}/etc/preferences";`,
        `Dir::Etc::PreferencesParts "${r}/etc/preferences.d";`,
        `Dir::Etc::Parts "${r}/etc/apt.conf.d";`,
        `APT::Architecture "amd64";`,
        `APT::Architectures { ${archs} };`,
        `APT::Sandbox::User "root";`,
        `Acquire::Languages "none";`,
        // Signatures are checked; an expired Valid-Until (a frozen or lagging mirror) is not fatal:
        // what the trees are built from is pinned by sha256 in headers/manifest.json anyway.
        `Acquire::Check-Valid-Until "false";`,
        `Acquire::Retries "3";`,
        // Index files by their hash path: consistent with InRelease even while the mirror syncs.
        `Acquire::By-Hash "force";`,
        `Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";`,
        '',
      ].join('\n'),
    );
  }

  private run(args: string[], cwd?: string): string {
    return execFileSync(args[0]!, args.slice(1), {
      cwd,
      env: { ...process.env, APT_CONFIG: this.config, LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Fetch this suite's package lists into the private state (once per process). */
  update(): void {
    if (this.updated) return;
    this.setup();
    for (let attempt = 1; ; attempt++) {
      try {
        this.run(['apt-get', 'update', '-q']);
        break;
      } catch (e) {
        const err = e as { stderr?: string; stdout?: string };
        const text = `${err.stderr ?? ''}${err.stdout ?? ''}`;
        // "Mirror sync in progress" and other transient index errors: wait and try again.
        if (attempt < 4) {
          process.stderr.write(`${this.suite}: apt-get update failed (attempt ${attempt}), retrying\n`);
          execFileSync('sleep', [String(5 * attempt)]);
          continue;
        }
        throw new Error(`apt-get update (private, ${this.suite}) failed:\n${text}`);
      }
    }
    this.updated = true;
  }

  /** The package `spec` ("name", "name:arch", "name:arch=version") in this suite, or undefined. */
  show(spec: string): AptPackage | undefined {
    const wanted = /:([a-z0-9]+)/.exec(spec)?.[1];
    if (wanted && wanted !== 'amd64' && wanted !== 'all' && !this.allArchs) {
      this.allArchs = true;
      this.updated = false;
    }
    this.update();
    let out: string;
    try {
      out = this.run(['apt-cache', 'show', '--no-all-versions', spec]);
    } catch {
      return undefined;
    }
    const stanza = out.split(/\n\n/)[0] ?? '';
    const field = (k: string): string | undefined => new RegExp(`^${k}:\\s*(.+)$`, 'm').exec(stanza)?.[1]?.trim();
    const name = field('Package');
    const version = field('Version');
    const arch = field('Architecture');
    const sha256 = field('SHA256');
    const filename = field('Filename');
    if (!name || !version || !arch || !sha256 || !filename) return undefined;
    return { name, arch, version, sha256, filename };
  }

  /**
   * The .deb of `pkg` in `debDir`: reused when a file with the expected sha256 is already there,
   * otherwise downloaded with `apt-get download` and checked.
   */
  fetch(pkg: { name: string; arch: string; version: string; sha256: string }, debDir: string): string {
    mkdirSync(debDir, { recursive: true });
    const base = debFileName(pkg);
    const path = join(debDir, base);
    if (existsSync(path) && sha256File(path) === pkg.sha256) return path;
    const spec = pkg.arch === 'all' ? `${pkg.name}=${pkg.version}` : `${pkg.name}:${pkg.arch}=${pkg.version}`;
    try {
      this.run(['apt-get', 'download', '-q', spec], debDir);
    } catch (e) {
      const err = e as { stderr?: string };
      throw new Error(`apt-get download ${spec} failed: ${err.stderr ?? ''}`);
    }
    if (!existsSync(path)) throw new Error(`apt-get download ${spec}: ${base} not found after download`);
    const got = sha256File(path);
    if (got !== pkg.sha256) throw new Error(`${base}: sha256 ${got}, expected ${pkg.sha256}`);
    return path;
  }
}

/**
 * Archive roots that may still hold a pinned .deb after its suite's index moved on: the mirror's
 * pool is shared by every suite (a version dropped from sid often stays while testing lists it),
 * and stable kernels also pass through the security archive (same mirror host, `-security`).
 */
export function poolUrls(mirror: string, filename: string): string[] {
  const m = mirror.replace(/\/+$/, '');
  const urls = [`${m}/${filename}`];
  if (/\/debian$/.test(m)) {
    const sec = `${m}-security`;
    urls.push(`${sec}/${filename}`);
    if (filename.startsWith('pool/') && !filename.startsWith('pool/updates/')) urls.push(`${sec}/pool/updates/${filename.slice('pool/'.length)}`);
  }
  return urls;
}

/**
 * Fetch a pinned .deb by its archive path from the first of `urls` that has it with the pinned
 * sha256 (apt's own downloader checks the hash and keeps nothing that does not match): the path
 * in `debDir`, or undefined when none has it. Needs no package index.
 */
export function fetchByPath(pkg: { name: string; arch: string; version: string; sha256: string }, urls: readonly string[], debDir: string): string | undefined {
  mkdirSync(debDir, { recursive: true });
  const base = debFileName(pkg);
  // apt-helper leaves `<file>.FAILED` behind on a hash mismatch: download into a scratch dir.
  const scratch = mkdtempSync(join(debDir, '.fetch-'));
  try {
    for (const url of urls) {
      const partial = join(scratch, base);
      try {
        execFileSync(APT_HELPER, ['download-file', url, partial, `SHA256:${pkg.sha256}`], {
          env: { ...process.env, LC_ALL: 'C' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
      } catch {
        continue;
      }
      if (existsSync(partial) && sha256File(partial) === pkg.sha256) {
        const path = join(debDir, base);
        renameSync(partial, path);
        return path;
      }
    }
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const APT_HELPER = '/usr/lib/apt/apt-helper';

/** Cached .deb with the pinned hash, without any network: undefined when absent. */
export function cachedDeb(pkg: { name: string; arch: string; version: string; sha256: string }, debDir: string): string | undefined {
  const path = join(debDir, debFileName(pkg));
  return existsSync(path) && sha256File(path) === pkg.sha256 ? path : undefined;
}

export function extractDeb(deb: string, into: string): void {
  mkdirSync(into, { recursive: true });
  execFileSync('dpkg-deb', ['-x', deb, into], { stdio: ['ignore', 'ignore', 'pipe'] });
}
