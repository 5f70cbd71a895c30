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
  /** What the layout of tokens accepted with a warning (a struct's last member without its `;`). */
  warnings: { message: string; loc: Loc }[];
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
  const semis = withRecordSemicolons(out);
  const named = withUnnamedBitfieldNames(semis.tokens, semis.from);
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
  // Binary search in the row: a one-line struct of 50k members must not make this quadratic.
  const locate = (r: number, c: number): Loc => {
    const rowToks = byRow[r] ?? byRow[byRow.length - 1] ?? [];
    let lo = 0;
    let hi = rowToks.length - 1;
    let best = rowToks[0];
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rowToks[mid]!.col <= c) {
        best = rowToks[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (!best) return { file: fallbackFile, line: 1, col: 1 };
    return best.token.loc;
  };
  return { text, tokens: outTokens, locate, outPos, end: { row: row + 1, col: 0 }, warnings: semis.warnings };
}

/** Prefix of the names given to unnamed bitfields so the C grammar can parse them. */
export const UNNAMED_BITFIELD_PREFIX = '__uapi_ts_unnamed_';
const TYPE_KEYWORDS = new Set(['int', 'long', 'short', 'char', 'signed', 'unsigned', '_Bool']);

/**
 * tree-sitter-c cannot parse an unnamed bitfield whose type ends in a keyword (`unsigned long : 3;`):
 * give each one a reserved name, which the parser turns back into an unnamed member.
 */
function withUnnamedBitfieldNames(tokens: readonly Token[], origin: readonly number[]): { tokens: Token[]; from: number[] } {
  const out: Token[] = [];
  /** Index in the original list of each token of `out`; -1 for an inserted one. */
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
    from.push(origin[i]!);
  }
  return { tokens: out, from };
}

const ATTRIBUTE_WORDS = new Set(['__attribute__', '__attribute', '__declspec', '__aligned']);

/**
 * GNU C accepts a struct or union whose last member has no `;` ("no semicolon at end of struct
 * or union", a warning); the C grammar does not. Insert the `;` before the closing brace of a
 * record body (not an enum body or an initializer) and say so.
 */
function withRecordSemicolons(tokens: readonly Token[]): { tokens: Token[]; from: number[]; warnings: { message: string; loc: Loc }[] } {
  const out: Token[] = [];
  const from: number[] = [];
  const warnings: { message: string; loc: Loc }[] = [];
  const stack: boolean[] = []; // per open brace: is it a struct/union body?
  const isRecordBody = (i: number): boolean => {
    let j = i - 1;
    const skipAttributes = (): void => {
      while (j >= 0 && tokens[j]!.text === ')') {
        let depth = 0;
        for (; j >= 0; j--) {
          if (tokens[j]!.text === ')') depth++;
          else if (tokens[j]!.text === '(' && --depth === 0) break;
        }
        j--;
        if (j >= 0 && ATTRIBUTE_WORDS.has(tokens[j]!.text)) j--;
        else return;
      }
    };
    skipAttributes();
    if (j >= 0 && tokens[j]!.kind === 'ident' && tokens[j]!.text !== 'struct' && tokens[j]!.text !== 'union') j--;
    skipAttributes();
    return j >= 0 && (tokens[j]!.text === 'struct' || tokens[j]!.text === 'union');
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '{') stack.push(isRecordBody(i));
    else if (t.kind === 'punct' && t.text === '}') {
      const record = stack.pop() ?? false;
      const prev = out[out.length - 1];
      if (record && prev && prev.text !== ';' && prev.text !== '{') {
        out.push({ kind: 'punct', text: ';', loc: t.loc, space: true });
        from.push(-1);
        warnings.push({ message: 'no semicolon at end of struct or union', loc: t.loc });
      }
    }
    out.push(t);
    from.push(i);
  }
  return { tokens: out, from, warnings };
}
