/**
 * Code examples in Markdown, as the docs test compiles and runs them: every fenced block whose
 * info string is `ts` (run after compiling) or `ts no-run` (compiled only: it needs a device, root
 * or a kernel module), with the line it starts on so a failure points into the doc.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Example {
  /** The Markdown file, relative to the repository. */
  readonly file: string;
  /** 1-based line of the first line of code (the one after the opening fence). */
  readonly line: number;
  readonly code: string;
  readonly run: boolean;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/;

/** Every `ts` block of `markdown`; other languages are left alone. */
export function extractExamples(markdown: string, file: string): Example[] {
  const lines = markdown.split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang, rest] = open;
    const body: string[] = [];
    let j = i + 1;
    // The block ends at a fence of the same character, at least as long, with nothing after it.
    while (j < lines.length && !new RegExp(`^\\s*${fence![0] === '`' ? '`' : '~'}{${fence!.length},}\\s*$`).test(lines[j]!)) {
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
      j++;
    }
    if (lang === 'ts' || lang === 'typescript') {
      const flags = rest!.split(/\s+/).filter(Boolean);
      out.push({ file, line: i + 2, code: `${body.join('\n')}\n`, run: !flags.includes('no-run') });
    }
    i = j;
  }
  return out;
}

/**
 * The documents whose examples must run: docs/bindings.md, docs/runtime.md and the README.md of
 * every package (runtime/, generator/, generated/*), those that exist.
 */
export function documentedFiles(repo: string): string[] {
  const candidates = [join(repo, 'docs', 'bindings.md'), join(repo, 'docs', 'runtime.md'), join(repo, 'runtime', 'README.md'), join(repo, 'generator', 'README.md')];
  const gen = join(repo, 'generated');
  if (existsSync(gen)) for (const d of readdirSync(gen, { withFileTypes: true })) if (d.isDirectory()) candidates.push(join(gen, d.name, 'README.md'));
  return candidates.filter((f) => existsSync(f)).map((f) => relative(repo, f));
}
