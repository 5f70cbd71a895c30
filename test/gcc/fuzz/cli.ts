/**
 * Long fuzz runs (scripts/fuzz-headers.mjs compiles this directory and calls `main`). Prints
 * cases/minute as it goes, each new kind of finding once, and writes every finding (minimised) as a
 * reproducible .h with gcc's verdict and ours to the findings directory. docs/fuzzing.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Fuzzer, type Finding } from './fuzz.js';
import type { Tag } from './spec.js';
import { exec } from './gcc.js';

const USAGE = `usage: node scripts/fuzz-headers.mjs --minutes N [--seed S] [--generator DIR] [--out DIR]
       [--abis a,b] [--jobs J] [--batch B] [--timeout-ms T] [--until tag,tag] [--no-minimise]
  --generator DIR  the uapi-ts generator package to judge (a built checkout's generator/; default: this one's)
  --out DIR        where findings go (default .tmp/fuzz-findings/seed-S)
  --until TAGS     stop once a finding with each of these construct tags was seen (rediscovery runs)`;

/** A finding's kind of problem, without the case's names and numbers, to print each one once. */
function signature(f: Finding): string {
  const first = (f.gcc[0] ?? f.ours[0] ?? '').replace(/c\d+_\S*/g, 'N').replace(/\d+/g, '#').replace(/^\S*\.h:#:#: /, '');
  return `${f.kind} [${f.tags.filter((t) => t !== 'macro' && t !== 'utf8').join(' ')}] ${first.slice(0, 120)}`;
}

export async function main(argv: string[], root: string): Promise<number> {
  let a;
  try {
    a = parseArgs({
      args: argv,
      options: {
        minutes: { type: 'string' },
        seed: { type: 'string' },
        generator: { type: 'string' },
        out: { type: 'string' },
        abis: { type: 'string' },
        jobs: { type: 'string' },
        batch: { type: 'string' },
        'timeout-ms': { type: 'string' },
        until: { type: 'string' },
        'no-minimise': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (a.help) {
    console.log(USAGE);
    return 0;
  }
  const minutes = Number(a.minutes);
  if (!(minutes > 0)) {
    console.error(`--minutes N is required (a positive number)\n${USAGE}`);
    return 2;
  }
  const seed = a.seed !== undefined ? Number(a.seed) : Date.now() % 2 ** 31;
  if (!Number.isSafeInteger(seed)) {
    console.error(`--seed must be an integer`);
    return 2;
  }
  const generator = resolve(a.generator ?? join(root, 'generator'));
  const out = resolve(a.out ?? join(root, '.tmp', 'fuzz-findings', `seed-${seed}`));
  const until = new Set((a.until ?? '').split(',').filter(Boolean) as Tag[]);
  const work = mkdtempSync(join(tmpdir(), 'uapi-fuzz-'));
  const fuzzer = new Fuzzer({
    generatorDir: generator,
    seed,
    workDir: work,
    ...(a.abis ? { abis: a.abis.split(',') } : {}),
    jobs: Number(a.jobs ?? 2),
    batch: Number(a.batch ?? 20),
    timeoutMs: Number(a['timeout-ms'] ?? 10_000),
    minimise: !a['no-minimise'],
  });
  const gccs = new Map<string, boolean>();
  await fuzzer.start((abi) => gccs.get(abi.name) ?? true);
  for (const abi of fuzzer.target.abis) gccs.set(abi.name, (await exec(abi.gcc, ['--version'])).status === 0);
  fuzzer.abis = fuzzer.abis.filter((abi) => gccs.get(abi.name) === true);
  const skipped = fuzzer.target.abis.filter((x) => !gccs.get(x.name)).map((x) => x.gcc);
  console.log(`fuzz-headers: seed ${seed}, ${minutes} min, generator ${generator}, ABIs ${fuzzer.abis.map((x) => x.name).join(' ')}${skipped.length ? ` (no ${skipped.join(', ')})` : ''}; findings in ${out}`);
  const t0 = Date.now();
  const deadline = t0 + minutes * 60_000;
  const seen = new Map<string, number>();
  let written = 0;
  let lastReport = t0;
  let n = 0;
  const rate = (): string => `${fuzzer.stats.cases} cases in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${((fuzzer.stats.cases * 60_000) / Math.max(1, Date.now() - t0)).toFixed(0)} cases/minute`;
  try {
    while (Date.now() < deadline) {
      const found = await fuzzer.run(n, 20);
      n += 20;
      for (const f of found) {
        const sig = signature(f);
        const count = (seen.get(sig) ?? 0) + 1;
        seen.set(sig, count);
        if (written < 500 && count <= 3) {
          mkdirSync(out, { recursive: true });
          const file = join(out, `${String(++written).padStart(3, '0')}-${f.kind}-${f.abi}-case${f.caseN}.h`);
          writeFileSync(file, Fuzzer.reproducer(f, generator));
          if (count === 1) console.log(`  [${(f.atMs / 1000).toFixed(1)} s, ${f.atCases} cases] ${sig}  (${f.abi}) -> ${file}`);
        }
      }
      if (Date.now() - lastReport > 60_000) {
        lastReport = Date.now();
        console.log(`  ... ${rate()}, ${fuzzer.stats.findings} findings`);
      }
      if (until.size > 0 && [...until].every((t) => fuzzer.firstByTag.has(t))) break;
    }
  } finally {
    fuzzer.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const s = fuzzer.stats;
  console.log(`done: ${rate()} (${s.malformed} malformed; ${s.judgements} judgements; uapi-ts refused ${s.refusals} that gcc accepts, both rejected ${s.gccRejects})`);
  if (fuzzer.refused.size > 0) {
    console.log('refused where gcc accepts (allowed; the most frequent messages):');
    const top = [...fuzzer.refused].sort((x, y) => y[1] - x[1]);
    for (const [why, count] of top.slice(0, 10)) console.log(`  ${String(count).padStart(5)} x ${why.slice(0, 150)}`);
    // One header per message, to see what each refusal is about.
    mkdirSync(out, { recursive: true });
    const file = join(out, 'refusals.txt');
    writeFileSync(file, top.map(([why, count]) => `===== ${count} x ${why}\n${fuzzer.refusedExample.get(why) ?? ''}\n`).join('\n'));
    console.log(`  (an example header for each message: ${file})`);
  }
  console.log(`findings: ${s.findings} (${seen.size} distinct)`);
  for (const [sig, count] of seen) console.log(`  ${count} x ${sig}`);
  if (fuzzer.firstByTag.size > 0) {
    console.log('first finding per construct tag (minimised):');
    for (const [tag, f] of [...fuzzer.firstByTag].sort((x, y) => x[1].atMs - y[1].atMs)) console.log(`  ${tag.padEnd(14)} ${(f.atMs / 1000).toFixed(1).padStart(7)} s  ${String(f.atCases).padStart(6)} cases  ${f.kind} on ${f.abi} (case ${f.caseN})`);
  }
  return s.findings > 0 ? 1 : 0;
}
