/**
 * Valid GNU C that tree-sitter-c's grammar cannot read, adjusted in the translation unit's text
 * before parsing. Every adjustment keeps the text's length and its rows, so positions map back to
 * the source as before (columns move only inside the adjusted declaration, as said below).
 */

/** A file-scope `_Static_assert(cond, "message");` taken out of the text (C11 6.7.10). */
export interface TakenAssert {
  /** Row and column of `_Static_assert` in the translation unit. */
  row: number;
  col: number;
  /** The condition as written (after macro expansion). */
  expr: string;
  /** The message's string literal(s) as written, or null (C23 allows none). */
  message: string | null;
}

/** Scan state: brace and paren depth at each index, skipping string and character literals. */
function* scan(text: string): Generator<{ i: number; braces: number; parens: number }> {
  let braces = 0;
  let parens = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '{') braces++;
    else if (c === '}') braces = Math.max(0, braces - 1);
    else if (c === '(') parens++;
    else if (c === ')') parens = Math.max(0, parens - 1);
    yield { i, braces, parens };
  }
}

/** Index of the `)` matching the `(` at `open`, skipping literals; -1 if none. */
function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

function rowCol(text: string, index: number): { row: number; col: number } {
  let row = 0;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    last = i;
  }
  return { row, col: index - last - 1 };
}

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

/**
 * tree-sitter-c has no `_Static_assert` (a file-scope one reads as a syntax error that can swallow
 * the declarations after it). File-scope ones are taken out of the text (blanked) and returned, for
 * layout to evaluate per ABI as gcc does; those inside records are left to the grammar.
 */
export function takeStaticAsserts(text: string): { text: string; asserts: TakenAssert[] } {
  if (!text.includes('_Static_assert')) return { text, asserts: [] };
  const asserts: TakenAssert[] = [];
  let out = text;
  const starts: number[] = [];
  for (const { i, braces, parens } of scan(text)) {
    if (braces !== 0 || parens !== 0 || text[i] !== '_' || !text.startsWith('_Static_assert', i)) continue;
    if (/\w/.test(text[i - 1] ?? '') || /\w/.test(text[i + 14] ?? '')) continue;
    starts.push(i);
  }
  for (const start of starts) {
    let open = start + 14;
    while (/\s/.test(text[open] ?? '')) open++;
    if (text[open] !== '(') continue;
    const close = matchParen(text, open);
    if (close < 0) continue;
    let semi = close + 1;
    while (/\s/.test(text[semi] ?? '')) semi++;
    if (text[semi] !== ';') continue;
    const inner = text.slice(open + 1, close);
    // The message is the last top-level argument when it is a string literal.
    let comma = -1;
    for (const { i, parens } of scan(inner)) if (inner[i] === ',' && parens === 0) comma = i;
    const tail = comma >= 0 ? inner.slice(comma + 1).trim() : '';
    const hasMessage = comma >= 0 && /^"/.test(tail);
    asserts.push({ ...rowCol(text, start), expr: (hasMessage ? inner.slice(0, comma) : inner).trim(), message: hasMessage ? tail : null });
    out = out.slice(0, start) + blank(text.slice(start, semi + 1)) + out.slice(semi + 1);
  }
  return { text: out, asserts };
}

/**
 * tree-sitter-c reads no attribute among a typedef's declaration specifiers
 * (`typedef unsigned long __attribute__((aligned(4))) packed_ulong;`, rdma/ib_user_mad.h), which
 * gcc applies to the typedef as one after its declarator. A typedef of plain specifier words, the
 * attributes and one declarator on one line is rewritten as `typedef unsigned long packed_ulong
 * __attribute__((aligned(4)));` (same length; the declarator's column moves to where the
 * attributes began).
 */
export function moveTypedefSpecifierAttributes(text: string): string {
  if (!text.includes('typedef')) return text;
  let out = text;
  const re = /\btypedef\b/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const semi = text.indexOf(';', m.index);
    if (semi < 0) break;
    const decl = text.slice(m.index, semi);
    if (decl.includes('\n') || /[{}]/.test(decl)) continue;
    const attr = /^typedef((?:\s+[A-Za-z_]\w*)+?)\s+((?:__attribute(?:__)?\s*\(\s*\(.*?\)\s*\)\s*)+?)(\s+)([A-Za-z_*(][^,]*)$/.exec(decl);
    if (!attr) continue;
    const [, specs, attrs, ws, rest] = attr as unknown as [string, string, string, string, string];
    if (/__attribute|\b(struct|union|enum)\b/.test(specs) || /__attribute/.test(rest) || !balanced(attrs)) continue;
    const at = m.index + decl.length - rest.length - ws.length - attrs.length;
    const moved = `${rest} ${attrs}${' '.repeat(ws.length - 1)}`;
    out = out.slice(0, at) + moved + out.slice(at + moved.length);
  }
  return out;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')' && --d < 0) return false;
  }
  return d === 0;
}

/**
 * tree-sitter-c reads attributes right after `struct` but not after `union` or `enum`
 * (`union __attribute__((packed)) u { ... };`), where gcc applies them to the type defined, as
 * after its closing brace. A definition so written is rewritten with the attributes moved after
 * its closing brace (`union u { ... }__attribute__((packed));`): same length and rows (attributes
 * spanning lines are left alone); columns move on the rows of the keyword and of the brace.
 * Found by the fuzzer.
 */
export function moveTagAttributes(text: string): string {
  if (!/\b(union|enum)\s+__attribute/.test(text)) return text;
  const starts: number[] = [];
  for (const m of text.matchAll(/\b(?:union|enum)(\s+)(?=__attribute)/g)) starts.push(m.index + m[0].length);
  let out = text;
  // Last first: a rewrite only moves text after its own keyword, so earlier positions hold.
  for (const at of starts.reverse()) {
    const end = attributeRun(out, at);
    const attrs = out.slice(at, end);
    if (attrs.includes('\n') || attrs.length === 0) continue;
    // The tag, if any (UTF-8 identifiers too: `union __attribute__((packed)) ß1 {`).
    const head = TAG_THEN_BODY.exec(out.slice(end));
    if (!head) continue;
    const open = end + head[0].length - 1;
    const close = matchBrace(out, open);
    if (close < 0) continue;
    out = out.slice(0, at) + out.slice(end, close + 1) + attrs.trimEnd() + ' '.repeat(attrs.length - attrs.trimEnd().length) + out.slice(close + 1);
  }
  return out;
}

/** Index of the `}` matching the `{` at `open`, skipping literals; -1 if none. */
function matchBrace(text: string, open: number): number {
  for (const { i, braces } of scan(text.slice(open))) if (text[open + i] === '}' && braces === 0) return open + i;
  return -1;
}

/**
 * tree-sitter-c reads one attribute specifier where gcc takes any number in a row
 * (`} __attribute__((packed)) __attribute__((aligned(2)));`, `long l __attribute__((a))
 * __attribute__((b));`): specifiers in a row on one line are merged into one list,
 * `__attribute__((packed, aligned(2)))`, which gcc reads the same (same length and rows; columns
 * move inside the merged list). Found by the fuzzer.
 */
export function mergeAdjacentAttributes(text: string): string {
  if (!/\)\s*__attribute/.test(text)) return text;
  let out = text;
  const re = /\b__attribute(?:__)?\b/g;
  for (let m = re.exec(out); m; m = re.exec(out)) {
    const lists: string[] = [];
    let end = m.index;
    for (;;) {
      const spec = attributeSpecifier(out, end);
      if (!spec) break;
      lists.push(spec.list);
      end = spec.end;
      const gap = /^[ \t]*/.exec(out.slice(end))![0];
      if (!/^__attribute(?:__)?\b/.test(out.slice(end + gap.length, end + gap.length + 14))) break;
      end += gap.length;
    }
    if (lists.length < 2) continue;
    const merged = `__attribute__((${lists.filter((l) => l.trim() !== '').join(', ')}))`;
    out = out.slice(0, m.index) + merged + ' '.repeat(end - m.index - merged.length) + out.slice(end);
    re.lastIndex = m.index + merged.length;
  }
  return out;
}

/** A C identifier, UTF-8 letters included (gcc takes `ß1` as a tag), as a `u`-flag regex source. */
const IDENT = '[\\p{L}\\p{Nl}_$][\\p{L}\\p{N}\\p{Mn}\\p{Mc}_$]*';
/** An optional tag, then `{`. */
const TAG_THEN_BODY = new RegExp(`^(\\s*${IDENT})?\\s*\\{`, 'u');
/** A name ending the text. */
const NAME_AT_END = new RegExp(`(${IDENT})\\s*$`, 'u');

/** The index past the attribute specifiers at `at` and the blanks after each (`at` when none). */
function attributeRun(text: string, at: number): number {
  let end = at;
  for (let spec = attributeSpecifier(text, end); spec; spec = attributeSpecifier(text, end)) {
    end = spec.end;
    while (text[end] === ' ' || text[end] === '\t') end++;
  }
  return end;
}

/** `__attribute__ ( ( list ) )` at `at`: the list's text and the index after it; undefined if not one. */
function attributeSpecifier(text: string, at: number): { list: string; end: number } | undefined {
  const head = /^__attribute(?:__)?\s*\(\s*\(/.exec(text.slice(at, at + 40));
  if (!head) return undefined;
  const outer = text.indexOf('(', at);
  const inner = at + head[0].length - 1;
  const innerClose = matchParen(text, inner);
  const outerClose = matchParen(text, outer);
  if (innerClose < 0 || outerClose < 0 || text.slice(innerClose + 1, outerClose).trim() !== '') return undefined;
  return { list: text.slice(inner + 1, innerClose), end: outerClose + 1 };
}

/**
 * tree-sitter-c reads no attribute between `typedef` and the type (`typedef __attribute__((packed))
 * struct { ... } T;`), where gcc applies it to the declaration, as after its one declarator (same
 * sizes and alignments; packed is ignored either way). A typedef of one plain name so written is
 * rewritten with the attributes before its `;` (same length and rows, attributes spanning lines
 * left alone; columns move on the rows of `typedef` and of the `;`). Found by the fuzzer.
 */
export function moveTypedefLeadingAttributes(text: string): string {
  if (!/\btypedef\s+__attribute/.test(text)) return text;
  const starts: number[] = [];
  for (const m of text.matchAll(/\btypedef(\s+)(?=__attribute)/g)) starts.push(m.index + m[0].length);
  let out = text;
  for (const at of starts.reverse()) {
    const end = attributeRun(out, at);
    const attrs = out.slice(at, end);
    if (attrs.length === 0 || attrs.includes('\n')) continue;
    // The declaration's `;` at depth 0, past any body; its one declarator a plain name.
    let semi = -1;
    let lastBrace = end - 1;
    for (const { i, braces, parens } of scan(out.slice(end))) {
      const c = out[end + i]!;
      if (c === '}' && braces === 0) lastBrace = end + i;
      if (braces === 0 && parens === 0 && c === ';') {
        semi = end + i;
        break;
      }
    }
    if (semi < 0) continue;
    const tail = out.slice(lastBrace + 1, semi);
    const declarator = NAME_AT_END.exec(tail);
    if (!declarator || /[,()[\]*]/.test(tail)) continue;
    const body = out.slice(end, semi).trimEnd();
    const moved = `${body} ${attrs.trimEnd()}`;
    if (moved.length > semi - at) continue; // no blank to keep the name and the attribute apart
    out = out.slice(0, at) + moved + ' '.repeat(semi - at - moved.length) + out.slice(semi);
  }
  return out;
}
