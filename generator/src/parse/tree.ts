/**
 * tree-sitter's syntax tree copied into plain objects, one top-level declaration at a time.
 *
 * Every property of a tree-sitter node is a call into the native binding that allocates a fresh
 * wrapper (`children` unmarshals an array each time it is read), and the walk in parse/walk.ts
 * reads the same nodes many times. A single pass with a TreeCursor copies the tree once; the walk
 * then reads plain fields. The eight ABIs of one header preprocess to translation units that
 * differ only in a few declarations from `asm/` headers, so each top-level declaration is kept by
 * its text and copied only the first time any ABI meets it.
 */
import type { Cursor, CursorTree, SyntaxNode } from './syntax-node.js';

/** A node of a copied tree. Rows count from the first line of its top-level declaration. */
export class CNode implements SyntaxNode {
  readonly children: CNode[] = [];
  hasError: boolean;
  private named: CNode[] | undefined;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    /** Field name in the parent (`type`, `declarator`, ...), if any. */
    readonly field: string | undefined,
    readonly startPosition: { readonly row: number; readonly column: number },
    private readonly src: string,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.hasError = type === 'ERROR' || isMissing;
  }

  get text(): string {
    return this.src.slice(this.start, this.end);
  }

  get namedChildren(): CNode[] {
    return (this.named ??= this.children.filter((c) => c.isNamed));
  }

  childForFieldName(name: string): CNode | null {
    for (const c of this.children) if (c.field === name) return c;
    return null;
  }

  childrenForFieldName(name: string): CNode[] {
    return this.children.filter((c) => c.field === name);
  }

  descendantsOfType(type: string): CNode[] {
    const out: CNode[] = [];
    // Iterative pre-order (document order): trees may be deeper than the JS stack.
    const stack: CNode[] = [this];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n.type === type) out.push(n);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
    }
    return out;
  }
}

/** A top-level declaration: its copied tree and the row of `text` it starts on. */
export interface TopLevel {
  node: CNode;
  row: number;
}

/** Copied declarations by (start column, text); shared by every translation unit of a process. */
const copies = new Map<string, CNode>();
const MAX_COPIES = 50_000;

/** Copy the top-level declarations of a tree parsed from `text`. */
export function topLevelNodes(tree: CursorTree, text: string): TopLevel[] {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const rowOf = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  const cursor = tree.walk();
  const out: TopLevel[] = [];
  if (!cursor.gotoFirstChild()) return out;
  do {
    const start = cursor.startIndex;
    const row = rowOf(start);
    const col = start - lineStarts[row]!;
    const src = text.slice(start, cursor.endIndex);
    const key = `${col}\n${src}`;
    let node = copies.get(key);
    if (!node) {
      node = copy(cursor, src, start, (i) => {
        const r = rowOf(i);
        return { row: r - row, column: i - lineStarts[r]! };
      });
      // A declaration tree-sitter could not parse may recover differently in another context.
      if (!node.hasError) {
        if (copies.size >= MAX_COPIES) copies.clear();
        copies.set(key, node);
      }
    }
    out.push({ node, row });
  } while (cursor.gotoNextSibling());
  return out;
}

/**
 * Copy the subtree under the cursor. Iterative: a declaration may nest thousands of levels deep
 * (parenthesised expressions, anonymous structs), deeper than the JS stack.
 */
function copy(cursor: Cursor, src: string, base: number, position: (index: number) => { row: number; column: number }): CNode {
  const make = (): CNode => {
    const start = cursor.startIndex;
    return new CNode(
      cursor.nodeType,
      cursor.nodeIsNamed,
      cursor.nodeIsMissing,
      cursor.currentFieldName,
      position(start),
      src,
      start - base,
      cursor.endIndex - base,
    );
  };
  const root = make();
  // The nodes from root to the cursor's current node.
  const path: CNode[] = [root];
  for (;;) {
    if (cursor.gotoFirstChild()) {
      const child = make();
      path[path.length - 1]!.children.push(child);
      path.push(child);
      continue;
    }
    // Leaving the current node: its subtree is complete.
    let node = path.pop()!;
    while (path.length > 0) {
      const parent = path[path.length - 1]!;
      if (node.hasError) parent.hasError = true;
      if (cursor.gotoNextSibling()) {
        const sibling = make();
        parent.children.push(sibling);
        path.push(sibling);
        break;
      }
      cursor.gotoParent();
      node = path.pop()!;
    }
    if (path.length === 0) return root;
  }
}
