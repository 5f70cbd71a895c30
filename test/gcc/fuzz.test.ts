/**
 * Differential fuzzing against gcc (issue 12), the short deterministic run: a committed seed and
 * a bounded number of cases from test/gcc/fuzz/, judged on every ABI. Where gcc accepts, our
 * layouts and constants equal gcc's or we refuse with a diagnostic; where gcc rejects, we report
 * an error; never a trace, a hang or a crash. Long runs: `node scripts/fuzz-headers.mjs --minutes N`
 * (docs/fuzzing.md). Override here with UAPI_FUZZ_SEED / UAPI_FUZZ_CASES.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * A uapi-ts that reports no errors at all: the judge must call what gcc rejects accepts-invalid,
 * also when gcc's error lands past the header's end (a header cut after `struct` is "expected '{'
 * at end of input" in the file including it), not a defect of the proof.
 */
function acceptingGenerator(): string {
  const dir = join(root, 'accepting-generator');
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  const real = (f: string): string => pathToFileURL(join(generator, 'dist', f)).href;
  writeFileSync(
    join(dir, 'dist', 'index.js'),
    `import * as real from ${JSON.stringify(real('index.js'))};\nexport * from ${JSON.stringify(real('index.js'))};\nexport function analyze(o, abi) { return { ...real.analyze(o, abi), diagnostics: [] }; }\n`,
  );
  writeFileSync(join(dir, 'dist', 'cli', 'io.js'), `export * from ${JSON.stringify(real('cli/io.js'))};\n`);
  return dir;
}

describe('the fuzzer judge', () => {
  const x86 = ABIS.find((a) => a.name === 'x86_64')!;
  it.skipIf(lacking(compilerAvailable(x86)))(`calls a header cut at end of input accepts-invalid${skipReason(compilerAvailable(x86), x86.gcc)}`, async () => {
    const work = join(root, 'judge');
    mkdirSync(join(work, 'fz'), { recursive: true });
    const fuzzer = new Fuzzer({ generatorDir: acceptingGenerator(), seed: 1, workDir: work, abis: ['x86_64'] });
    try {
      await fuzzer.start();
      const abi = fuzzer.abis.find((a) => a.name === 'x86_64')!;
      for (const text of ['union cut1 {\n} __attribute__((aligned(2)));\nstruct', 'struct cut2 { int a; };\nunion', '    long long\n']) {
        const v = await fuzzer.judge(text, abi);
        expect(v.finding?.kind, text).toBe('accepts-invalid');
        expect(v.finding?.gcc.join('\n'), text).toMatch(/at end of input/);
      }
      // And a valid header is still proven clean by the same judge.
      expect((await fuzzer.judge('struct fine { char c; long l; };\n', abi)).clean).toBe(true);
    } finally {
      fuzzer.stop();
    }
  }, 60_000);
});
