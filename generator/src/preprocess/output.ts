/**
 * The expanded tokens laid out as the text the C parser reads, one output line per source line
 * that produced tokens, and the way back from a position of that text to the source.
 */
import type { Loc, Token } from './tokens.js';
import type { OutToken } from './types.js';

export interface OutputText {
  /** The translation unit, ending in a newline. */
  text: string;
  /** Every token of `text` with its position (0-based row and column), in order. */
  tokens: OutToken[];
  /** Source position of the token starting at (row, col) of `text`. */
  locate(row: number, col: number): Loc;
  /** Output position of each token of the input list (names added for unnamed bitfields have none). */
  outPos: { row: number; col: number }[];
  /** Position just past the last token's line, for what comes after every token. */
  end: { row: number; col: number };
}

/**
 * Lay tokens out as text: a new line whenever the source line changes. `fallbackFile` is the file
 * `locate` names when the text has no tokens.
 */
export function outputText(out: readonly Token[], fallbackFile: string): OutputText {
  const outTokens: OutToken[] = [];
  let text = '';
  let row = 0;
  let col = 0;
  let prev: Token | undefined;
  const named = withUnnamedBitfieldNames(out);
  /** Output position of each token of `out` (inserted names excluded). */
  const outPos: { row: number; col: number }[] = [];
  for (let j = 0; j < named.tokens.length; j++) {
    const t = named.tokens[j]!;
    if (prev && (prev.loc.file !== t.loc.file || prev.loc.line !== t.loc.line)) {
      text += '\n';
      row++;
      col = 0;
    } else if (prev) {
      text += ' ';
      col++;
    }
    outTokens.push({ token: t, row, col });
    if (named.from[j]! >= 0) outPos[named.from[j]!] = { row, col };
    text += t.text;
    col += t.text.length;
    prev = t;
  }
  text += '\n';
  const byRow: OutToken[][] = [];
  for (const o of outTokens) (byRow[o.row] ??= []).push(o);
  const locate = (r: number, c: number): Loc => {
    const rowToks = byRow[r] ?? byRow[byRow.length - 1] ?? [];
    let best = rowToks[0];
    for (const o of rowToks) {
      if (o.col <= c) best = o;
      else break;
    }
    if (!best) return { file: fallbackFile, line: 1, col: 1 };
    return best.token.loc;
  };
  return { text, tokens: outTokens, locate, outPos, end: { row: row + 1, col: 0 } };
}

/** Prefix of the names given to unnamed bitfields so the C grammar can parse them. */
export const UNNAMED_BITFIELD_PREFIX = '__uapi_ts_unnamed_';
const TYPE_KEYWORDS = new Set(['int', 'long', 'short', 'char', 'signed', 'unsigned', '_Bool']);

/**
 * tree-sitter-c cannot parse an unnamed bitfield whose type ends in a keyword (`unsigned long : 3;`):
 * give each one a reserved name, which the parser turns back into an unnamed member.
 */
function withUnnamedBitfieldNames(tokens: readonly Token[]): { tokens: Token[]; from: number[] } {
  const out: Token[] = [];
  /** Index in `tokens` of each token of `out`; -1 for an inserted name. */
  const from: number[] = [];
  let n = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (t.kind === 'punct' && t.text === ':' && prev && prev.kind === 'ident' && TYPE_KEYWORDS.has(prev.text)) {
      out.push({ kind: 'ident', text: `${UNNAMED_BITFIELD_PREFIX}${n++}`, loc: t.loc, space: true });
      from.push(-1);
    }
    out.push(t);
    from.push(i);
  }
  return { tokens: out, from };
}
