// koffi is an optional peer of the runtime: a copy of the runtime where no koffi can be resolved
// (a temporary directory outside the workspace) decodes, and loadTransport() rejects with
// TransportUnavailableError saying how to get koffi and where it exists.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../../test/support/proc.js';
import { isTransportUnavailableError } from '../src/index.js';
import { runtimeCopy, type RuntimeCopy } from './support/copy.js';

describe('the runtime without koffi', () => {
  let copy: RuntimeCopy;
  beforeAll(async () => {
    copy = await runtimeCopy();
  });
  afterAll(() => copy.remove());

  it('decodes: struct views and capability chains need nothing native', () => {
    const rt = copy.runtime;
    const where = { argszOffset: 0, flagsOffset: 4, capOffsetOffset: 8, capsFlag: 1 };
    const reply = new rt.ChainBuilder({ infoSize: 16, littleEndian: true }).add(3, 1, new Uint8Array(8)).finish(new Uint8Array(16), { ...where, userArgsz: 64 }).bytes;
    const chain = rt.readCapabilityChain(reply, { ...where, infoEnd: 12, caps: rt.capTable([]), littleEndian: true });
    expect(chain.caps.map((c) => [c.id, c.version, c.offset, c.size])).toEqual([[3, 1, 16, 16]]);
  });

  // In a plain node process: vitest's module loader would resolve 'koffi' from the workspace.
  it.skipIf(process.platform !== 'linux')('loadTransport() rejects with a named error that says how to get koffi and where it has builds', async () => {
    const script = `const rt = await import(${JSON.stringify(pathToFileURL(join(copy.dir, 'dist', 'index.js')).href)});
      const e = await rt.loadTransport().then(() => undefined, (x) => x);
      console.log(JSON.stringify({ instance: e instanceof rt.TransportUnavailableError, guard: rt.isTransportUnavailableError(e), name: e?.name, reason: e?.reason, message: e?.message, platforms: e?.platforms, list: rt.KOFFI_PLATFORMS }));`;
    const r = await runNode(['--input-type=module', '-e', script], { cwd: copy.dir });
    expect(r.status, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as { instance: boolean; guard: boolean; name: string; reason: string; message: string; platforms: string[]; list: string[] };
    expect(e.instance).toBe(true);
    expect(e.guard).toBe(true);
    expect(isTransportUnavailableError(Object.assign(new Error(e.message), { name: e.name }))).toBe(true);
    expect(e.reason).toBe('not installed');
    expect(e.message).toContain('npm install koffi');
    expect(e.message).toContain('linux-x64 (x86_64)');
    expect(e.message).toMatch(/not s390x/);
    expect(e.platforms).toEqual(e.list);
  });
});
