/** docs/architecture.md names only paths that exist, and the README links it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/trees.js';

const doc = readFileSync(join(REPO, 'docs', 'architecture.md'), 'utf8');

/** Backticked paths (`generator/src/...`, `test/...`, `docs/...`), and the file names a table row lists after its folder. */
function pathsIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/`((?:generator|runtime|test|docs|generated|scripts|headers|bench)\/[^`\s]*)`/g)) out.add(m[1]!.replace(/\/$/, ''));
  // In the stage table, `x.ts` names in a row are relative to the row's folder (the first backticked path).
  for (const line of text.split('\n').filter((l) => l.startsWith('|'))) {
    const folder = /`((?:generator|runtime)\/[^`]*\/)`/.exec(line)?.[1];
    if (!folder) continue;
    for (const m of line.matchAll(/`([\w-]+(?:\/[\w-]+)*(?:\.ts|\/))`/g)) if (!/^(generator|runtime)\//.test(m[1]!)) out.add(join(folder, m[1]!).replace(/\/$/, ''));
  }
  return [...out];
}

describe('docs/architecture.md', () => {
  const paths = pathsIn(doc);

  it('names the stage folders and files (the check reads what it checks)', () => {
    expect(paths).toContain('generator/src/layout/record.ts');
    expect(paths).toContain('generator/src/emit/files/views.ts');
    expect(paths.length).toBeGreaterThan(60);
  });

  it('every path it names exists', () => {
    expect(paths.filter((p) => !existsSync(join(REPO, p)))).toEqual([]);
  });

  it('the README links it', () => {
    expect(readFileSync(join(REPO, 'README.md'), 'utf8')).toContain('docs/architecture.md');
  });
});
