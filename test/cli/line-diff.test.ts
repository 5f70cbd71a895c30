/**
 * The line diff behind `generate`'s "what changed" counts and `generate --check`'s output: the edit
 * script rebuilds both texts, is as short as a longest-common-subsequence says it can be, and its
 * unified output is what GNU diff -u prints where the shortest script is unique.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, splitLines, unifiedDiff } from '../../generator/src/report/line-diff.js';

function lcs(a: readonly string[], b: readonly string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  }
  return t[a.length]![b.length]!;
}

const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 30 }).map((ls) => ls.map((l) => `${l}\n`).join(''));

describe('line diff', () => {
  it('rebuilds both texts with a shortest edit script (fast-check against an LCS table)', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = diffLines(a, b);
        const x = splitLines(a);
        const y = splitLines(b);
        if (a === b) {
          expect(d).toEqual({ added: 0, removed: 0, edits: undefined });
          return;
        }
        expect(d.edits!.filter((e) => e.op !== '+').map((e) => e.line)).toEqual(x);
        expect(d.edits!.filter((e) => e.op !== '-').map((e) => e.line)).toEqual(y);
        const common = lcs(x, y);
        expect([d.added, d.removed]).toEqual([y.length - common, x.length - common]);
      }),
      { numRuns: 500 },
    );
  });

  it('counts the lines a change touches, not the span between the first and last change', () => {
    const a = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const b = a.replace('line 10\n', 'line ten\n').replace('line 990\n', '');
    expect(diffLines(a, b)).toMatchObject({ added: 1, removed: 2 });
  });

  it('prints unified hunks as GNU diff -u does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'uapi-linediff-'));
    try {
      const a = Array.from({ length: 60 }, (_, i) => `l${i}`).join('\n') + '\n';
      const b = a.replace('l3\n', 'l3 changed\n').replace('l7\n', '').replace('l40\n', 'l40\nnew\n').replace('l59\n', 'last\n');
      writeFileSync(join(dir, 'a'), a);
      writeFileSync(join(dir, 'b'), b);
      let gnu = '';
      try {
        execFileSync('diff', ['-u', '--label', 'a', '--label', 'b', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
      } catch (e) {
        gnu = (e as { stdout: string }).stdout;
      }
      expect(gnu).toContain('@@');
      expect(unifiedDiff('a', 'b', diffLines(a, b))).toBe(gnu);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cuts a long diff and says how much there is', () => {
    const a = Array.from({ length: 200 }, (_, i) => `x${i}`).join('\n') + '\n';
    const b = Array.from({ length: 200 }, (_, i) => `y${i}`).join('\n') + '\n';
    const out = unifiedDiff('a', 'b', diffLines(a, b), 3, 10);
    expect(out.split('\n').filter((l) => /^[-+ ]/.test(l) && !/^(---|\+\+\+) /.test(l))).toHaveLength(10);
    expect(out).toContain('200 added and 200 removed lines in all');
  });
});
