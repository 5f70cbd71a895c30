/**
 * C preprocessing tokens (C11 6.4), with the source position of each token.
 * Comments are dropped from the token stream but kept aside: doc comments become JSDoc later.
 */

import type { Comment, Loc, Token, TokenKind } from '../ir/tokens.js';

export { HideSet } from '../ir/tokens.js';
export type { Comment, Loc, Token, TokenKind } from '../ir/tokens.js';

/** One logical line (after backslash-newline splicing) of tokens. */
export interface TokenLine {
  tokens: Token[];
  /** First physical line of this logical line. */
  line: number;
}

export interface TokenizedFile {
  lines: TokenLine[];
  comments: Comment[];
  /** Lexical errors (an unterminated comment), for the preprocessor to report. */
  errors: { message: string; loc: Loc }[];
}

const PUNCTUATORS = [
  '%:%:', '...', '<<=', '>>=',
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##',
  '<:', ':>', '<%', '%>', '%:',
];

/**
 * Extended characters gcc accepts in identifiers (C11 6.4.2.1, annex D; gcc takes UTF-8 source
 * text as is): letters, combining marks, connector punctuation; digits after the first. A UTF-16
 * surrogate half stands for a character outside the BMP, which gcc accepts alike.
 */
const EXT_IDENT_START = /[\p{L}\p{Nl}\p{Pc}\p{Mn}\p{Mc}\uD800-\uDFFF]/u;
const EXT_IDENT_CHAR = /[\p{L}\p{Nl}\p{Pc}\p{Mn}\p{Mc}\p{Nd}\uD800-\uDFFF]/u;

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$' || (c > '\x7f' && EXT_IDENT_START.test(c));
}
function isIdentChar(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || (c > '\x7f' && EXT_IDENT_CHAR.test(c));
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * Split a file into logical lines of preprocessing tokens.
 * Backslash-newline splices lines (C11 5.1.1.2 phase 2); comments become one space (phase 3).
 */
export function tokenize(text: string, file: string): TokenizedFile {
  const lines: TokenLine[] = [];
  const comments: Comment[] = [];
  const errors: TokenizedFile['errors'] = [];
  // A UTF-8 byte order mark is not part of the text (gcc skips it too); left in, it would be a
  // stray token in front of the first line and hide a directive there.
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let col = 1;
  let current: TokenLine = { tokens: [], line: 1 };
  let space = false;
  /** Physical line of the last token (0: none yet), to tell trailing comments. */
  let lastTokenLine = 0;
  const n = text.length;

  const advance = (count: number): void => {
    for (let k = 0; k < count; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
      i++;
    }
  };
  /** Skip any backslash-newline sequences at i (they are invisible inside tokens). */
  const skipSplices = (): void => {
    while (text[i] === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      advance(text[i + 1] === '\r' ? 3 : 2);
    }
  };
  const peek = (k = 0): string | undefined => {
    // Peek past splices: rare inside tokens, so only handle them at the cursor.
    return text[i + k];
  };

  while (i < n) {
    skipSplices();
    if (i >= n) break;
    const c = text[i]!;
    if (c === '\n') {
      lines.push(current);
      advance(1);
      current = { tokens: [], line };
      space = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      advance(1);
      space = true;
      continue;
    }
    if (c === '/' && peek(1) === '*') {
      const startLine = line;
      const start = i;
      const end = text.indexOf('*/', i + 2);
      // Everything after an unclosed comment would silently vanish: report it where it starts.
      if (end < 0) errors.push({ message: 'unterminated comment', loc: { file, line, col } });
      const stop = end < 0 ? n : end + 2;
      advance(stop - i);
      comments.push({ text: text.slice(start, stop), file, line: startLine, endLine: line, trailing: lastTokenLine === startLine });
      space = true;
      continue;
    }
    if (c === '/' && peek(1) === '/') {
      const startLine = line;
      const start = i;
      while (i < n && text[i] !== '\n') {
        if (text[i] === '\\' && text[i + 1] === '\n') advance(2);
        else advance(1);
      }
      comments.push({ text: text.slice(start, i), file, line: startLine, endLine: line, trailing: lastTokenLine === startLine });
      space = true;
      continue;
    }
    const loc: Loc = { file, line, col };
    const start = i;
    let kind: TokenKind;
    if (isIdentStart(c)) {
      // Wide/UTF prefixes of character and string literals.
      while (i < n && isIdentChar(text[i]!)) advance(1);
      const word = text.slice(start, i);
      if ((text[i] === "'" || text[i] === '"') && /^(L|u|U|u8)$/.test(word)) {
        kind = text[i] === "'" ? 'char' : 'string';
        scanQuoted(text[i]!);
      } else {
        kind = 'ident';
      }
    } else if (isDigit(c) || (c === '.' && isDigit(peek(1)))) {
      // pp-number (C11 6.4.8)
      advance(1);
      while (i < n) {
        const d = text[i]!;
        if ((d === '+' || d === '-') && /[eEpP]/.test(text[i - 1]!)) advance(1);
        else if (isIdentChar(d) || d === '.' || d === "'") advance(1);
        else break;
      }
      kind = 'number';
    } else if (c === "'" || c === '"') {
      kind = c === "'" ? 'char' : 'string';
      scanQuoted(c);
    } else {
      const p = PUNCTUATORS.find((q) => text.startsWith(q, i));
      advance(p ? p.length : 1);
      kind = p || '[](){}.&*+-~!/%<>^|?:;=,#'.includes(c) ? 'punct' : 'other';
    }
    current.tokens.push({ kind, text: text.slice(start, i).replace(/\\\r?\n/g, ''), loc, space });
    lastTokenLine = loc.line;
    space = false;
  }
  if (current.tokens.length > 0) lines.push(current);
  return { lines, comments, errors };

  function scanQuoted(q: string): void {
    advance(1);
    while (i < n && text[i] !== q && text[i] !== '\n') {
      advance(text[i] === '\\' ? 2 : 1);
    }
    if (text[i] === q) advance(1);
  }
}

/** Render tokens as C text with a single space where the source had whitespace. */
export function spell(tokens: readonly Token[]): string {
  let out = '';
  for (const t of tokens) {
    if (out.length > 0 && (t.space || needsSpace(out, t.text))) out += ' ';
    out += t.text;
  }
  return out;
}

function needsSpace(before: string, next: string): boolean {
  const a = before[before.length - 1]!;
  const b = next[0]!;
  return (isIdentChar(a) && isIdentChar(b)) || ('+-&|<>=#'.includes(a) && a === b);
}
