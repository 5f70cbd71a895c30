/**
 * Differential fuzzing against gcc (issue 12), the short deterministic run: a committed seed and
 * a bounded number of cases from test/gcc/fuzz/, judged on every ABI. Where gcc accepts, our
 * layouts and constants equal gcc's or we refuse with a diagnostic; where gcc rejects, we report
 * an error; never a trace, a hang or a crash. Long runs: `node scripts/fuzz-headers.mjs --minutes N`
 * (docs/fuzzing.md). Override here with UAPI_FUZZ_SEED / UAPI_FUZZ_CASES.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ABIS } from '../../generator/src/layout/abi/index.js';
import { lacking, skipReason } from '../support/trees.js';
import { Fuzzer } from './fuzz/fuzz.js';
import { compilerAvailable } from './proof.js';

const SEED = Number(process.env.UAPI_FUZZ_SEED ?? 20261202);
const CASES = Number(process.env.UAPI_FUZZ_CASES ?? 60);
const root = mkdtempSync(join(tmpdir(), 'uapi-fuzz-'));
const generator = join(import.meta.dirname, '..', '..', 'generator');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const missing = ABIS.filter((a) => !compilerAvailable(a));
const available = missing.length === 0;

describe('differential fuzzing against gcc', () => {
  it.skipIf(lacking(available))(`${CASES} cases from seed ${SEED} on every ABI${skipReason(available, missing.map((a) => a.gcc).join(', '))}`, async () => {
    const fuzzer = new Fuzzer({ generatorDir: generator, seed: SEED, workDir: root, jobs: 2 });
    try {
      await fuzzer.start();
      expect(fuzzer.abis.map((a) => a.name)).toEqual(ABIS.map((a) => a.name));
      const found = await fuzzer.run(0, CASES);
      const shown = found.map((f) => Fuzzer.reproducer(f, generator)).join('\n');
      expect(found, shown).toEqual([]);
      expect(fuzzer.stats.cases).toBe(CASES);
      // The run must have compared layouts, not only refusals.
      expect(fuzzer.stats.judgements).toBeGreaterThan(CASES);
    } finally {
      fuzzer.stop();
    }
  }, 300_000);
});
