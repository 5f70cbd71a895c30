/**
 * Doc comments. A declaration's doc is the comment of its own that ends on the line before it (not
 * one trailing the previous line's code: `__u16 id; /* ... *\/` documents `id`, not the member
 * below it) and the first comment on its own line (before or after its code); both when it has both,
 * as in `/* out *\/` over `__u32 drm_format; /* drm format of plane *\/`.
 */
import type { Comment } from '../preprocess/tokens.js';

interface Index {
  /** Comments not trailing code, by the line they end on. */
  ending: Map<number, Comment>;
  /** The first comment starting on each line. */
  starting: Map<number, Comment>;
}

const index = new WeakMap<readonly Comment[], Index>();

export function docBefore(comments: readonly Comment[] | undefined, line: number): string | undefined {
  if (!comments || comments.length === 0) return undefined;
  let ix = index.get(comments);
  if (!ix) {
    ix = { ending: new Map(), starting: new Map() };
    for (const c of comments) {
      if (!c.trailing) ix.ending.set(c.endLine, c);
      if (!ix.starting.has(c.line)) ix.starting.set(c.line, c);
    }
    index.set(comments, ix);
  }
  const lead = ix.ending.get(line - 1);
  const own = ix.starting.get(line);
  const parts = [lead, own === lead ? undefined : own].map((c) => (c ? cleanComment(c.text) : undefined)).filter((t): t is string => t !== undefined);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/** Strip comment markers and the leading " * " of each line; keep paragraphs. */
export function cleanComment(text: string): string | undefined {
  let body = text.startsWith('//') ? text.replace(/^\/\/+/gm, '') : text.replace(/^\/\*+/, '').replace(/\*+\/$/, '');
  body = body
    .split('\n')
    .map((l) => l.replace(/^\s*\*(?!\/) ?/, '').replace(/\s+$/, ''))
    .join('\n')
    .trim();
  return body.length > 0 ? body.replace(/\*\//g, '*\\/') : undefined;
}

/**
 * The member descriptions of a kernel-doc block (`@name: text`, continued on the following lines
 * until a blank line or the next `@`), by member name (`@a.b` under `a.b`). Parameters of a
 * function-like block look the same; callers look up only the members they have.
 */
export function kernelDocMembers(doc: string): Map<string, string> {
  const out = new Map<string, string>();
  let name: string | undefined;
  let text: string[] = [];
  const flush = (): void => {
    if (name !== undefined && text.join('') !== '' && !out.has(name)) out.set(name, text.join('\n'));
    name = undefined;
    text = [];
  };
  for (const line of doc.split('\n')) {
    const t = line.trim();
    const m = /^@([A-Za-z_][\w.]*)\s*:\s*(.*)$/.exec(t);
    if (m) {
      flush();
      name = m[1]!;
      if (m[2]) text.push(m[2]);
    } else if (t === '') flush();
    else if (name !== undefined) text.push(t);
  }
  flush();
  return out;
}
