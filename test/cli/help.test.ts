/**
 * Every command's --help prints its usage on stdout and exits 0 (layout and generate too, like diff
 * and history), and a boolean switch given a value (`--check=false`) is a usage error, not a check.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNode } from '../support/proc.js';
import { parseArgs, UsageError } from '../../generator/src/cli/args.js';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const INCLUDE = join(REPO, 'test', 'fixtures', 'emit', 'include');

async function run(...argv: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runNode([BIN, ...argv]);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--help', () => {
  it.each(['layout', 'generate', 'diff', 'history'])('uapi-ts %s --help prints its usage on stdout, exit 0', async (cmd) => {
    const r = await run(cmd, '--help');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage:\\s+uapi-ts ${cmd} `));
  });

  it('generate --help and the usage line name every flag, --quiet too', async () => {
    const help = (await run('generate', '--help')).stdout;
    for (const flag of ['--out', '--check', '--quiet', '--kernel', '--sha256', '--package']) expect(help).toContain(flag);
    const usage = await run('generate');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('[--quiet]');
    expect((await run('help')).stdout).toMatch(/uapi-ts generate .*\[--quiet\]/);
  });

  it('--help wins over missing arguments', async () => {
    expect((await run('layout', 'linux/fixture.h', '--help')).status).toBe(0);
    expect((await run('generate', '--out', '/nonexistent/x', '--help')).status).toBe(0);
  });
});

describe('boolean switches', () => {
  it('reject --switch=value with a usage error', async () => {
    expect(() => parseArgs(['--check=false'], { values: [], booleans: ['check'] })).toThrow(UsageError);
    expect(() => parseArgs(['--check='], { values: [], booleans: ['check'] })).toThrow(/--check takes no value/);
    expect(parseArgs(['--check', 'x'], { values: [], booleans: ['check'] })).toEqual({ positional: ['x'], flags: new Map([['check', ['true']]]) });
  });

  it('generate --check=false is exit 2 and writes nothing', async () => {
    const r = await run('generate', 'linux/fixture.h', '-I', INCLUDE, '--out', '/nonexistent/uapi-ts-out', '--check=false');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("uapi-ts generate: --check takes no value (given 'false')\n");
    expect((await run('generate', 'linux/fixture.h', '-I', INCLUDE, '--out', '/nonexistent/uapi-ts-out', '--quiet=1')).status).toBe(2);
  });
});
