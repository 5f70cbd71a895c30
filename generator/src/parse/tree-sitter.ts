/**
 * Loading tree-sitter and the pinned C grammar (once a process), and parsing text with it.
 */
import { createRequire } from 'node:module';
import type { CursorTree, SyntaxNode } from './syntax-node.js';

interface TsParser {
  setLanguage(lang: unknown): void;
  parse(text: string, old?: unknown, opts?: { bufferSize?: number }): { rootNode: SyntaxNode } & CursorTree;
}

let parser: TsParser | undefined;
function getParser(): TsParser {
  if (!parser) {
    const require = createRequire(import.meta.url);
    const Parser = require('tree-sitter') as (new () => TsParser) & { SyntaxNode?: unknown };
    const C = require('tree-sitter-c') as { nodeSubclasses?: unknown };
    // setLanguage evals one SyntaxNode subclass per grammar node type (~15 ms a process) only to add
    // typed field getters; the walk copies the tree through a cursor and never reads them. Supplying
    // the table first gives every node the plain class (tree-sitter 0.22.4, pinned).
    if (Parser.SyntaxNode && !C.nodeSubclasses) {
      const plain = Parser.SyntaxNode;
      C.nodeSubclasses = new Proxy([], { get: () => plain });
    }
    parser = new Parser();
    parser.setLanguage(C);
  }
  return parser;
}

/** Parse C text with the pinned grammar (exposed for tests of the grammar pin). */
export function parseC(text: string): SyntaxNode {
  return parseTree(text).rootNode;
}

/** Parse a translation unit; the result's cursor copies it (tree.ts). */
export function parseTree(text: string): { rootNode: SyntaxNode } & CursorTree {
  return getParser().parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) });
}
