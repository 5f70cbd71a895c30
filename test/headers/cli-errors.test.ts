/**
 * `uapi-ts headers list|verify|sync` on a headers dir that is not there or a manifest that is not
 * one: a one-line error naming the dir or file, exit 1, never a stack trace or an empty table.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../support/proc.js';
import { parseManifest } from '../../generator/src/headers/manifest.js';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const tmp = mkdtempSync(join(tmpdir(), 'uapi-headers-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const r = await runNode([BIN, 'headers', ...args]);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function headersDir(name: string, manifest: string | undefined): string {
  const d = join(tmp, name);
  mkdirSync(d, { recursive: true });
  if (manifest !== undefined) writeFileSync(join(d, 'manifest.json'), manifest);
  return d;
}

describe('uapi-ts headers on a bad headers dir or manifest', () => {
  it('list and verify of a --dir that does not exist (or is a file) are errors, exit 1', async () => {
    const missing = join(tmp, 'nonexistent');
    for (const sub of ['list', 'verify']) {
      const r = await run(sub, '--dir', missing);
      expect(r.code, sub).toBe(1);
      expect(r.out, sub).toBe('');
      expect(r.err, sub).toBe(`uapi-ts headers ${sub}: no headers directory ${missing}\n`);
    }
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    const r = await run('list', '--dir', file);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`uapi-ts headers list: not a directory ${file}\n`);
    // An existing dir with no manifest yet pins nothing: an empty table, as before.
    expect((await run('list', '--dir', headersDir('fresh', undefined))).code).toBe(0);
  });

  it('a corrupt manifest.json is one line naming the file, exit 1, for list, verify and sync', async () => {
    const d = headersDir('corrupt', '{bad\n');
    const path = join(d, 'manifest.json');
    for (const args of [['list'], ['verify'], ['sync', '--suite', 'bookworm']]) {
      const r = await run(...args, '--dir', d);
      expect(r.code, args[0]).toBe(1);
      expect(r.out, args[0]).toBe('');
      expect(r.err, args[0]).toMatch(new RegExp(`^uapi-ts headers ${args[0]}: ${path.replace(/[.]/g, '\\.')}: not valid JSON \\(.*\\)\\n$`));
    }
    // sync left the corrupt file alone.
    expect(readFileSync(path, 'utf8')).toBe('{bad\n');
  });

  it('a manifest of the wrong shape is one line naming the file, exit 1', async () => {
    for (const [name, text, why] of [
      ['null', 'null', /expected \{"version": 1, "trees"/],
      ['v2', '{"version": 2, "trees": {}}', /expected \{"version": 1, "trees"/],
      ['tree', '{"version": 1, "trees": {"6.1": null}}', /tree '6\.1' is not a pin/],
    ] as const) {
      const d = headersDir(`shape-${name}`, text);
      const r = await run('list', '--dir', d);
      expect(r.code, name).toBe(1);
      expect(r.err, name).toMatch(why);
      expect(r.err, name).toContain(join(d, 'manifest.json'));
      expect(r.err.trimEnd().split('\n'), name).toHaveLength(1);
    }
  });

  it('parseManifest names the file it was given', async () => {
    expect(() => parseManifest('{bad', '/x/manifest.json')).toThrow(/^\/x\/manifest\.json: not valid JSON/);
    expect(() => parseManifest('{bad')).toThrow(/^headers\/manifest\.json: not valid JSON/);
  });
});
