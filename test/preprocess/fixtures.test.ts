import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/src/diagnostics.js';
import { memAnalyze } from '../support/mem.js';
import { REPO } from '../support/trees.js';

/**
 * Preprocessor fixtures: a header whose `// expect: LINE:COL: severity: text` lines list the
 * diagnostics it must produce, as gcc places them. `// expect: none` means no diagnostic at all.
 * Every diagnostic the header gives must be one it expects, so nothing extra slips in either.
 */
describe('preprocess fixtures', () => {
  const dir = join(REPO, 'test/fixtures/preprocess');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.h'))) {
    it(name, () => {
      const text = readFileSync(join(dir, name), 'utf8');
      const expected = [...text.matchAll(/^\/\/ expect: (.*)$/gm)].map((m) => m[1]!).filter((e) => e !== 'none');
      expect(expected.length > 0 || /^\/\/ expect: none$/m.test(text)).toBe(true);
      const a = memAnalyze({ [name]: text }, name);
      const got = a.diagnostics.map((d) => formatDiagnostic(d).replace(`inc/${name}:`, ''));
      for (const e of expected) expect(got.some((g) => g.startsWith(e)), `${e}\n  in\n${got.join('\n')}`).toBe(true);
      for (const g of got) expect(expected.some((e) => g.startsWith(e)), `unexpected ${g}`).toBe(true);
    });
  }
});
