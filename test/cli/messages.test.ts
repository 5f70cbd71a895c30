/**
 * Messages that say what happened (issue 12, class 7): an unreadable header is "permission denied"
 * (as gcc says it), not "cannot find"; an absolute header path is opened as gcc opens
 * `#include "/abs/x.h"`; `--abi ''` is an empty ABI, not a missing one; what the user typed is echoed
 * back with control characters escaped.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run as runProcess, runNode } from '../support/proc.js';
import { REPO } from '../support/trees.js';

const BIN = join(REPO, 'generator/bin/uapi-ts.js');
const tmp = mkdtempSync(join(tmpdir(), 'uapi-ts-messages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(...args: string[]) {
  const r = await runNode([BIN, ...args]);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * The CLI as a process that file permissions apply to: root reads a mode-000 file (CAP_DAC_OVERRIDE),
 * so as root it runs without the two capabilities that bypass them (setpriv, util-linux).
 */
async function runUnprivileged(...args: string[]) {
  const asRoot = process.getuid?.() === 0;
  const r = asRoot
    ? await runProcess('setpriv', ['--bounding-set=-dac_override,-dac_read_search', process.execPath, BIN, ...args])
    : await runNode([BIN, ...args]);
  if (r.error) throw new Error(`cannot run the CLI without DAC override: ${r.error.message}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('an unreadable header', () => {
  const inc = join(tmp, 'perm');
  mkdirSync(join(inc, 'linux'), { recursive: true });
  writeFileSync(join(inc, 'linux/secret.h'), 'struct secret { int x; };\n');
  chmodSync(join(inc, 'linux/secret.h'), 0o000);
  writeFileSync(join(inc, 'linux/user.h'), '#include <linux/secret.h>\nstruct user { int y; };\n');
  // A readable copy further down the search path: gcc stops at the unreadable one all the same.
  mkdirSync(join(inc, 'later/linux'), { recursive: true });
  writeFileSync(join(inc, 'later/linux/secret.h'), 'struct secret { int x; };\n');

  it('is "permission denied" when it is the header asked for', async () => {
    const r = await runUnprivileged('layout', 'linux/secret.h', '-I', inc, '--abi', 'x86_64');
    expect(r.err).toBe(`linux/secret.h:1:1: error: ${inc}/linux/secret.h: permission denied [pp-include-unreadable]\n`);
    expect(r.code).toBe(1);
  });

  it('is "permission denied" at the #include that names it, and ends the search as in gcc', async () => {
    const r = await runUnprivileged('layout', 'linux/user.h', '-I', inc, '-I', join(inc, 'later'), '--abi', 'x86_64');
    expect(r.err).toBe(`${inc}/linux/user.h:1:10: error: ${inc}/linux/secret.h: permission denied [pp-include-unreadable]\n`);
    expect(r.code).toBe(1);
  });

  it('a directory where the header would be is skipped, as gcc skips it', async () => {
    const d = join(tmp, 'dir-first');
    mkdirSync(join(d, 'linux/secret.h'), { recursive: true });
    const r = await run('layout', 'linux/secret.h', '-I', d, '-I', join(inc, 'later'), '--abi', 'x86_64', '--format', 'json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).records.map((x: { name: string }) => x.name)).toEqual(['secret']);
  });
});

describe('an absolute header path', () => {
  it('is opened as it is, as gcc opens #include "/abs/x.h"; its own includes use the -I dirs', async () => {
    const d = join(tmp, 'abs');
    mkdirSync(join(d, 'inc/linux'), { recursive: true });
    writeFileSync(join(d, 'inc/linux/types.h'), 'typedef unsigned int __u32;\n');
    writeFileSync(join(d, 'mine.h'), '#include <linux/types.h>\n#include "' + join(d, 'inc/linux/types.h') + '"\nstruct mine { __u32 a; char b; };\n');
    const r = await run('layout', join(d, 'mine.h'), '-I', join(d, 'inc'), '--abi', 'i386', '--format', 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.header).toBe(join(d, 'mine.h'));
    expect(doc.records).toEqual([{ kind: 'struct', name: 'mine', size: 8, align: 4, loc: `${join(d, 'mine.h')}:3`, fields: [
      { name: 'a', offset: 0, size: 4, type: '__u32' },
      { name: 'b', offset: 4, size: 1, type: 'char' },
    ] }]);
    const missing = await run('layout', join(d, 'nothere.h'), '--abi', 'i386');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/nothere\.h:1:1: error: cannot find/);
  });
});

describe('--abi that names nothing', () => {
  it("decode --abi '' says the ABI is empty, not that the host is unsupported (exit 2)", async () => {
    const r = await run('decode', 'vfio_device_info', '--abi', '', '/dev/null');
    expect(r.err).toBe('uapi-ts decode: --abi is empty: name one of x86_64, i386, aarch64, armhf, s390x, ppc64, ppc64le, riscv64\n');
    expect(r.code).toBe(2);
  });

  it("layout and diff refuse --abi '' (or ',') instead of reading it as no --abi", async () => {
    const inc = join(REPO, 'test/fixtures/cli/include');
    for (const v of ['', ',']) {
      const r = await run('layout', 'linux/capdemo.h', '-I', inc, '--abi', v);
      expect(r.err).toBe(`uapi-ts layout: --abi '${v}' names no ABI (known: x86_64, i386, aarch64, armhf, s390x, ppc64, ppc64le, riscv64, all)\n`);
      expect(r.code).toBe(2);
    }
    const json = join(tmp, 'capdemo.json');
    writeFileSync(json, (await run('layout', 'linux/capdemo.h', '-I', inc, '--abi', 'x86_64', '--format', 'json')).out);
    const d = await run('diff', json, json, '--abi', '');
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/--abi '' names no ABI/);
  });
});

describe('what the user typed, echoed back', () => {
  const ESC = '\x1b';
  /** Nothing that would act on a terminal: no C0 control but the newline, no DEL/C1, no bidi override. */
  const inert = (s: string): void => expect(s).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);

  it('in usage errors and unknown commands is escaped', async () => {
    const cmd = await run(`frob${ESC}[2J`);
    expect(cmd.err.split('\n')[0]).toBe("uapi-ts: unknown command 'frob\\x1b[2J'");
    inert(cmd.err);
    const fmt = await run('layout', 'x.h', '--format', `t${ESC}]0;owned\x07`);
    expect(fmt.err).toBe("uapi-ts layout: --format must be text, json, html or svg, not 't\\x1b]0;owned\\x07'\n");
    expect(fmt.code).toBe(2);
    const abi = await run('decode', 'x', '--abi', `x86\u202e`);
    expect(abi.err).toMatch(/unknown ABI 'x86\\u202e'/);
    inert(abi.err);
  });

  it('in diagnostics (file names) and -I warnings is escaped', async () => {
    const r = await run('layout', `linux/${ESC}[31mred.h`, '-I', join(tmp, `no${ESC}dir`), '--abi', 'x86_64');
    expect(r.code).toBe(1);
    expect(r.err).toContain('-I ' + join(tmp, 'no\\x1bdir') + ': no such directory');
    expect(r.err).toContain('linux/\\x1b[31mred.h:1:1: error: cannot find');
    inert(r.err);
  });

  it('in decode, names from a tables file are escaped in the text report', async () => {
    const t = JSON.parse(readFileSync(join(REPO, 'generated/vfio/tables.json'), 'utf8'));
    t.layouts['vfio_device_info$0'].fields[1].name = `flags${ESC}[8m`;
    const p = join(tmp, 'esc-tables.json');
    writeFileSync(p, JSON.stringify(t));
    const bin = join(tmp, 'zeros24.bin');
    writeFileSync(bin, new Uint8Array(24));
    const r = await run('decode', 'vfio_device_info', '--abi', 'x86_64', '--tables', p, bin);
    expect(r.err).toBe('');
    expect(r.out).toContain('  flags\\x1b[8m = 0\n');
    inert(r.out);
  });
});
