/**
 * A pinned .deb whose suite has moved on: sync fetches it by its archive path from the pool
 * (checked against the pinned sha256) instead of declaring drift. Unit tests against a local HTTP
 * server; one end-to-end sync against the real mirror, where the sid pin is asked for as if it were
 * trixie's (trixie's index never lists sid's kernel, the pool holds it while sid or testing does).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { headersCommand } from '../../generator/src/cli/headers.js';
import { fetchByPath, poolUrls, systemMirror } from '../../generator/src/headers/apt.js';
import { parseManifest, serializeManifest } from '../../generator/src/headers/manifest.js';
import { hashTree } from '../../generator/src/headers/tree-fs.js';

const repo = join(import.meta.dirname, '../..');
let work: string;
let server: ChildProcess;
let base: string;
const body = Buffer.from('!<arch>\nnot really a deb, but bytes with a known hash\n');
const sha = createHash('sha256').update(body).digest('hex');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'uapi-pool-'));
  // The server runs in its own process: fetchByPath blocks this one while apt-helper downloads.
  const script = `
    const http = require('node:http');
    const body = Buffer.from(${JSON.stringify(body.toString())});
    http.createServer((req, res) => {
      if (req.url === '/debian-security/pool/updates/main/l/linux/x_1_all.deb') { res.end(body); return; }
      res.statusCode = 404; res.end('no');
    }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  server = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => server.stdout!.once('data', (d) => resolve(String(d).trim())));
  base = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

describe('fetching a pinned .deb by archive path', () => {
  it('tries the mirror pool, then the security archive (pool/ and pool/updates/)', () => {
    expect(poolUrls('http://deb.debian.org/debian/', 'pool/main/l/linux/x_1_all.deb')).toEqual([
      'http://deb.debian.org/debian/pool/main/l/linux/x_1_all.deb',
      'http://deb.debian.org/debian-security/pool/main/l/linux/x_1_all.deb',
      'http://deb.debian.org/debian-security/pool/updates/main/l/linux/x_1_all.deb',
    ]);
    // A mirror that is not a .../debian root: only its own pool.
    expect(poolUrls('http://mirror.example/archive', 'pool/main/x.deb')).toEqual(['http://mirror.example/archive/pool/main/x.deb']);
  });

  it('takes the first URL that serves the pinned bytes', () => {
    const dir = join(work, 'debs-ok');
    const urls = poolUrls(`${base}/debian`, 'pool/main/l/linux/x_1_all.deb');
    const got = fetchByPath({ name: 'x', arch: 'all', version: '1', sha256: sha }, urls, dir);
    expect(got).toBe(join(dir, 'x_1_all.deb'));
    expect(readFileSync(got!)).toEqual(body);
    expect(readdirSync(dir)).toEqual(['x_1_all.deb']);
  });

  it('keeps nothing when no URL has it or the bytes do not match the pin', () => {
    const dir = join(work, 'debs-bad');
    const urls = poolUrls(`${base}/debian`, 'pool/main/l/linux/x_1_all.deb');
    expect(fetchByPath({ name: 'x', arch: 'all', version: '1', sha256: '0'.repeat(64) }, urls, dir)).toBeUndefined();
    expect(fetchByPath({ name: 'x', arch: 'all', version: '1', sha256: sha }, [`${base}/debian/pool/nothing.deb`], dir)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('headers sync of a pin its suite no longer lists', () => {
  const real = parseManifest(readFileSync(join(repo, 'headers/manifest.json'), 'utf8'));
  const sid = Object.entries(real.trees).find(([, t]) => t.source === 'debian' && t.suite === 'sid');
  const online = process.env.UAPI_OFFLINE !== '1';

  it.runIf(online && sid !== undefined)('builds the tree from the pool by the pinned path and sha256', async () => {
    const [name, pin] = sid!;
    expect(pin.packages?.every((p) => p.filename)).toBe(true);
    const out = join(work, 'headers');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'manifest.json'), serializeManifest({ version: 1, trees: { [name]: { ...pin, suite: 'trixie' } } }));
    // Reuse the repository's trixie package lists when present (apt then only revalidates them).
    const lists = join(repo, 'headers/cache/apt/trixie');
    if (existsSync(lists)) cpSync(lists, join(out, 'cache/apt/trixie'), { recursive: true });
    let stdout = '';
    let stderr = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
    let rc: number;
    try {
      rc = await headersCommand(['sync', '--suite', 'trixie', '--dir', out]);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    expect(stderr).toContain(`is no longer in trixie's index; fetched ${pin.packages![0]!.filename} from the archive pool`);
    expect(rc, `${stdout}\n${stderr}`).toBe(0);
    expect(stdout).toContain(`${name}: installed (trixie, linux ${pin.kernel}`);
    expect(hashTree(join(out, name, 'include'))).toEqual(pin.files);
    expect(systemMirror()).toMatch(/^https?:\/\//);
  }, 180_000);
});
