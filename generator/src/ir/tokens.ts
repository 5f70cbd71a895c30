/**
 * Tokens as every stage after the preprocessor sees them: a C preprocessing token (C11 6.4) with
 * its source position, and a comment kept aside for doc comments. The IR holds tokens (a macro
 * constant's expansion), so the types live here; preprocess/tokens.ts makes them.
 */

export type TokenKind = 'ident' | 'number' | 'char' | 'string' | 'punct' | 'other';

export interface Loc {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export interface Token {
  kind: TokenKind;
  text: string;
  loc: Loc;
  /** Whitespace (or a comment) precedes this token on its line: needed for `#define F(x)` vs `#define F (x)`. */
  space: boolean;
  /** Macro names this token must not be expanded by again (C11 6.10.3.4 "painted blue"). */
  hide?: HideSet;
}

/**
 * A hide set: the macro being expanded added to the hide set of the token that invoked it. Kept as
 * a list sharing its tail with the set it extends, so a macro nested n levels deep costs one node,
 * not a copy of n names; the lists stay short (as deep as macros nest).
 */
export class HideSet {
  readonly size: number;
  constructor(
    readonly name: string,
    readonly parent: HideSet | undefined,
  ) {
    this.size = (parent?.size ?? 0) + 1;
  }
  has(name: string): boolean {
    for (let h: HideSet | undefined = this; h; h = h.parent) if (h.name === name) return true;
    return false;
  }
}

export interface Comment {
  text: string;
  file: string;
  /** Line where the comment starts and ends (1-based). */
  line: number;
  endLine: number;
  /** A token precedes it on its first line: it comments that line's code, as in `__u32 x; // flags`. */
  trailing: boolean;
}
