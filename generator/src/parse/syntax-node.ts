/**
 * The shapes of tree-sitter's nodes and cursor that parse/ relies on (tree-sitter ships CJS with
 * loose typings), and small helpers on nodes.
 */

/** Minimal structural view of tree-sitter's SyntaxNode; tree.ts's copies (CNode) implement it too. */
export interface SyntaxNode {
  type: string;
  text: string;
  isMissing: boolean;
  hasError: boolean;
  startPosition: { row: number; column: number };
  namedChildren: SyntaxNode[];
  children: SyntaxNode[];
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): SyntaxNode[];
  descendantsOfType(type: string): SyntaxNode[];
}

/** tree-sitter's TreeCursor, as tree.ts uses it to copy a tree. */
export interface Cursor {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentFieldName: string | undefined;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

export interface CursorTree {
  walk(): Cursor;
}

/** The same node, by position and type. */
export function sameNode(a: SyntaxNode, b: SyntaxNode): boolean {
  return a.startPosition.row === b.startPosition.row && a.startPosition.column === b.startPosition.column && a.type === b.type;
}

/** Source text on one line (whitespace squeezed), cut to 60 characters, for messages. */
export function short(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
