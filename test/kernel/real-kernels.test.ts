/**
 * Real kernels: Debian's 6.1, 6.12 and sid's newest (x86_64) and trixie's 6.12 (s390x) boot
 * under QEMU; inside, the C program (test/kernel/c/vfio-probe.c, built against the kernel's
 * headers) and the TypeScript programs on the public packages drive VFIO devices, and every check
 * compares ours with C's view of the same kernel (test/kernel/checks.ts). The harness runs as its
 * own process (test/kernel/cli.ts: the same code `npm run test:kernels` runs), so the boots never
 * hold this worker's event loop; the results come back as JSON.
 *
 * A kernel that cannot be fetched or booted fails its tests with the reason (QEMU's complaint and
 * the console's last lines), never skips them.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { check, run } from '../support/proc.js';
import { CHECKS, type Check, evaluate, table } from './checks.js';
import { type KernelRun, targets } from './harness.js';
import { HERE, ROOT, RUNS } from './paths.js';

const results = new Map<string, { run: KernelRun; checks: Check[] }>();
let harnessOutput = '';
let harnessSeconds = 0;

beforeAll(async () => {
  const json = join(RUNS, 'results.json');
  rmSync(json, { force: true });
  await check(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', HERE]);
  const started = Date.now();
  const r = await run(process.execPath, [join(HERE, 'dist', 'kernel', 'cli.js'), 'run', '--json', json], { cwd: ROOT });
  harnessSeconds = (Date.now() - started) / 1000;
  harnessOutput = `${r.stdout}${r.stderr}`;
  if (!existsSync(json)) throw new Error(`the kernel harness wrote no results (exit ${r.status}):\n${harnessOutput}`);
  for (const k of JSON.parse(readFileSync(json, 'utf8')) as KernelRun[]) results.set(k.series, { run: k, checks: evaluate(k).checks });
  // Drift is loud: it goes to the test output even when everything passes.
  for (const line of r.stderr.split('\n')) if (line.includes('DRIFT') || line.startsWith('!!!')) console.warn(line);
}, 900_000);

afterAll(() => {
  if (results.size > 0) console.log(`${table([...results.values()])}\n\nwhole harness: ${harnessSeconds.toFixed(1)} s`);
});

function checkOf(series: string, id: (typeof CHECKS)[number]): Check {
  const r = results.get(series);
  if (!r) throw new Error(`no result for kernel ${series}; the harness said:\n${harnessOutput.slice(-4000)}`);
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id} check for ${series}`);
  return c;
}

for (const t of targets()) {
  // s390x runs nothing of ours in the guest (no koffi build): no error paths or edu there.
  const ids = CHECKS.filter((id) => t.arch === 'x86_64' || (id !== 'errors' && id !== 'edu'));
  describe(`kernel ${t.series} (${t.arch})`, () => {
    it.each(ids)('%s', (id) => {
      const c = checkOf(t.series, id);
      expect(c.ok, `${t.series} ${id}: ${c.detail}`).toBe(true);
    });
  });
}
