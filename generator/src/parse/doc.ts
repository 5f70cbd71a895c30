/** Doc comments: the comment that ends on the line before a declaration, or starts on its line. */
import type { Comment } from '../preprocess/tokens.js';

const index = new WeakMap<readonly Comment[], Map<number, Comment>>();

export function docBefore(comments: readonly Comment[] | undefined, line: number): string | undefined {
  if (!comments || comments.length === 0) return undefined;
  let byLine = index.get(comments);
  if (!byLine) {
    byLine = new Map();
    for (const c of comments) {
      byLine.set(-c.endLine, c); // key -endLine: ends there
      if (!byLine.has(c.line)) byLine.set(c.line, c); // key line: starts there
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
