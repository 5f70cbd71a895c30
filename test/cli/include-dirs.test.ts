/** A `-I` that does not exist is warned about (as gcc -Wmissing-include-dirs does), not silently skipped. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { warnMissingIncludeDirs } from '../../generator/src/cli/load.js';
import { REPO } from '../support/trees.js';

describe('-I directories', () => {
  it('warns once for each -I that is missing or not a directory', () => {
    const lines: string[] = [];
    warnMissingIncludeDirs(['/nonexistent/inc', join(REPO, 'package.json'), REPO, '/nonexistent/inc'], (l) => lines.push(l));
    expect(lines).toEqual([
      'uapi-ts: warning: -I /nonexistent/inc: no such directory (ignored)\n',
      `uapi-ts: warning: -I ${join(REPO, 'package.json')}: not a directory (ignored)\n`,
    ]);
  });

  it('layout says so on stderr and still lays out from the dirs that exist', () => {
    const dir = join(REPO, 'test/fixtures/emit/include');
    const r = spawnSync(process.execPath, [join(REPO, 'generator/bin/uapi-ts.js'), 'layout', 'linux/fixture.h', '-I', '/nonexistent/inc', '-I', dir, '--abi', 'x86_64', '--format', 'json'], { encoding: 'utf8' });
    expect(r.stderr).toContain('-I /nonexistent/inc: no such directory');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).records.length).toBeGreaterThan(0);
  });
});
