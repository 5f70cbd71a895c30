/**
 * tree-sitter-c over the preprocessed translation unit, interpreted by a typed walk into the IR.
 *
 * tree-sitter.ts loads the grammar and parses; tree.ts copies the tree into plain nodes
 * (syntax-node.ts has their shape); walk.ts interprets it; attributes.ts reads GNU attributes;
 * recovery.ts reports syntax errors as gcc does and keeps what a syntax error left; doc.ts finds
 * doc comments.
 */
import type { Limits } from '../limits.js';
import type { PreprocessResult } from '../preprocess/index.js';
import { Walker, type ParseResult } from './walk.js';

export type { SyntaxNode } from './syntax-node.js';
export { parseC } from './tree-sitter.js';
export type { ParseResult } from './walk.js';

export function parse(pp: PreprocessResult, header: string, limits: Partial<Limits> = {}): ParseResult {
  return new Walker(pp, header, limits.maxMembers).run();
}
