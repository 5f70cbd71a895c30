/**
 * Every command's --help prints its usage on stdout and exits 0 (layout and generate too, like diff
 * and history), and a boolean switch given a value (`--check=false`) is a usage error, not a check.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../generator/src/cli/args.js';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator', 'bin', 'uapi-ts.js');
const INCLUDE = join(REPO, 'test', 'fixtures', 'emit', 'include');

function run(...argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--help', () => {
  it.each(['layout', 'generate', 'diff', 'history'])('uapi-ts %s --help prints its usage on stdout, exit 0', (cmd) => {
    const r = run(cmd, '--help');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage:\\s+uapi-ts ${cmd} `));
  });

  it('generate --help and the usage line name every flag, --quiet too', () => {
    const help = run('generate', '--help').stdout;
    for (const flag of ['--out', '--check', '--quiet', '--kernel', '--sha256', '--package']) expect(help).toContain(flag);
    const usage = run('generate');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('[--quiet]');
    expect(run('help').stdout).toMatch(/uapi-ts generate .*\[--quiet\]/);
  });

  it('--help wins over missing arguments', () => {
    expect(run('layout', 'linux/fixture.h', '--help').status).toBe(0);
    expect(run('generate', '--out', '/nonexistent/x', '--help').status).toBe(0);
  });
});

describe('boolean switches', () => {
  it('reject --switch=value with a usage error', () => {
    expect(() => parseArgs(['--check=false'], { values: [], booleans: ['check'] })).toThrow(UsageError);
    expect(() => parseArgs(['--check='], { values: [], booleans: ['check'] })).toThrow(/--check takes no value/);
    expect(parseArgs(['--check', 'x'], { values: [], booleans: ['check'] })).toEqual({ positional: ['x'], flags: new Map([['check', ['true']]]) });
  });

  it('generate --check=false is exit 2 and writes nothing', () => {
    const r = run('generate', 'linux/fixture.h', '-I', INCLUDE, '--out', '/nonexistent/uapi-ts-out', '--check=false');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("uapi-ts generate: --check takes no value (given 'false')\n");
    expect(run('generate', 'linux/fixture.h', '-I', INCLUDE, '--out', '/nonexistent/uapi-ts-out', '--quiet=1').status).toBe(2);
  });
});
