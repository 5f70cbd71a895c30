/**
 * The real-kernel harness without vitest (compiled: `npx tsc -b test/kernel`):
 *
 *   node test/kernel/dist/kernel/cli.js fetch              fetch and unpack every series' kernel (scripts/setup.sh --kernels)
 *   node test/kernel/dist/kernel/cli.js run [--json FILE]  boot every kernel, check, print the table; exit 1 on a failed check
 *        [--fixtures update]                               and rewrite test/fixtures/kernel-replies/ from this run
 *
 * `npm run test:kernels` runs the second after setup. The environment variables of harness.ts
 * select kernels (UAPI_KERNELS, UAPI_KERNEL_DEB, UAPI_KERNEL_IMAGE...).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { evaluate, table } from './checks.js';
import { writeFixtures } from './fixtures.js';
import { fetchAll, runAll } from './harness.js';

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  const opt = (name: string): string | undefined => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (cmd === 'fetch') {
    const got = await fetchAll();
    for (const g of got) {
      if (g.drift) process.stderr.write(`\n!!! ${g.drift}\n\n`);
      process.stdout.write(`kernels: ${g.series}: ${g.error ?? g.source}\n`);
    }
    return got.some((g) => g.error) ? 1 : 0;
  }
  if (cmd === 'run') {
    const started = Date.now();
    const runs = await runAll();
    const json = opt('json');
    if (json) {
      mkdirSync(dirname(json), { recursive: true });
      writeFileSync(json, JSON.stringify(runs));
    }
    const evaluated = runs.map((run) => ({ run, checks: evaluate(run).checks }));
    process.stdout.write(`${table(evaluated)}\n\nwhole harness: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    for (const r of runs) if (r.drift) process.stderr.write(`\n!!! ${r.drift}\n`);
    if (opt('fixtures') === 'update') {
      for (const r of runs) if (r.c && r.pin) process.stdout.write(`fixtures: ${writeFixtures(r)}\n`);
    }
    return evaluated.every((e) => e.checks.every((c) => c.ok)) ? 0 : 1;
  }
  process.stderr.write('usage: cli.js fetch | run [--json FILE] [--fixtures update]\n');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
