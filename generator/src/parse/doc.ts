/**
 * Doc comments. A declaration's doc is the comment that ends on the line before it, unless that
 * comment trails the previous line's code (`__u16 id; /* ... *\/` documents `id`, not the member
 * below it); otherwise a comment on the declaration's own line (before or after its code).
 */
import type { Comment } from '../preprocess/tokens.js';

const index = new WeakMap<readonly Comment[], Map<number, Comment>>();

export function docBefore(comments: readonly Comment[] | undefined, line: number): string | undefined {
  if (!comments || comments.length === 0) return undefined;
  let byLine = index.get(comments);
  if (!byLine) {
    byLine = new Map();
    for (const c of comments) {
      if (!c.trailing) byLine.set(-c.endLine, c); // key -endLine: a comment of its own that ends there
      if (!byLine.has(c.line)) byLine.set(c.line, c); // key line: the first comment that starts there
    }
    index.set(comments, byLine);
  }
  const c = byLine.get(-(line - 1)) ?? byLine.get(line);
  return c ? cleanComment(c.text) : undefined;
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
