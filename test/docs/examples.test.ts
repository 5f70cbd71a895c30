/**
 * Docs that run: every `ts` example of docs/bindings.md, docs/runtime.md and the packages'
 * READMEs is compiled against the packages as a user imports them (`@uapi-ts/vfio`,
 * `@uapi-ts/runtime`, strict TypeScript) and run with node, so a documented call that does not
 * exist, or throws, fails here. `ts no-run` blocks (they need a device) are only compiled.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from '../support/proc.js';
import { REPO } from '../support/trees.js';
import { documentedFiles, extractExamples, type Example } from './extract.js';

const OUT = join(REPO, '.tmp', `docs-examples-${process.pid}`);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

const slug = (e: Example): string => `${e.file.replace(/[^a-z0-9]+/gi, '-')}-L${e.line}`;

/** Compile examples (as .mts files under `dir`); diagnostics as `doc.md:line:col: message`. */
function compile(examples: readonly Example[], dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, Example>();
  for (const e of examples) {
    const f = join(dir, `${slug(e)}.mts`);
    writeFileSync(f, e.code);
    byFile.set(f, e);
  }
  const program = ts.createProgram([...byFile.keys()], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    types: ['node'],
    outDir: dir,
    rootDir: dir,
  });
  const emitted = program.emit();
  const diags = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
  return diags.map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const e = d.file ? byFile.get(d.file.fileName) : undefined;
    if (!d.file || d.start === undefined) return msg;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return e ? `${e.file}:${e.line + line}:${character + 1}: ${msg}` : `${d.file.fileName}:${line + 1}:${character + 1}: ${msg}`;
  });
}

describe('extractExamples', () => {
  it('takes ts blocks with the line they start on, marks no-run, leaves other languages', () => {
    const md = ['# t', '```sh', 'npm test', '```', '', '```ts', 'const a = 1;', '```', '  ```ts no-run', '  open();', '  ```', '````ts', '```', '````'].join('\n');
    expect(extractExamples(md, 'x.md')).toEqual([
      { file: 'x.md', line: 7, code: 'const a = 1;\n', run: true },
      { file: 'x.md', line: 10, code: 'open();\n', run: false },
      { file: 'x.md', line: 13, code: '```\n', run: true },
    ]);
  });
});

describe('documented examples compile and run', () => {
  const files = documentedFiles(REPO);
  const examples = files.flatMap((f) => extractExamples(readFileSync(join(REPO, f), 'utf8'), f));
  it('docs/bindings.md is among the documents and has examples', () => {
    expect(files).toContain('docs/bindings.md');
    expect(examples.filter((e) => e.file === 'docs/bindings.md').length).toBeGreaterThanOrEqual(3);
  });
  it('a documented call that does not exist fails to compile (the check can fail)', () => {
    const bad: Example = { file: 'bad.md', line: 5, code: "import { VfioRegionInfo } from '@uapi-ts/vfio';\nVfioRegionInfo.allocate();\n", run: true };
    const problems = compile([bad], join(OUT, 'bad'));
    expect(problems.join('\n')).toMatch(/^bad\.md:6:16: Property 'allocate' does not exist/);
  });
  const dir = join(OUT, 'docs');
  let problems: string[] | undefined;
  it('compile with strict TypeScript against the packages', () => {
    problems = compile(examples, dir);
    expect(problems).toEqual([]);
  });
  for (const e of examples.filter((x) => x.run)) {
    it(`${e.file}:${e.line} runs`, async () => {
      expect(problems, 'compile first').toEqual([]);
      const r = await runNode([join(dir, `${slug(e)}.mjs`)], { cwd: dir });
      expect(r.stderr, `${e.file}:${e.line}`).toBe('');
      expect(r.status, `${e.file}:${e.line}\n${r.stdout}`).toBe(0);
    });
  }
});
