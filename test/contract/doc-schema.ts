/**
 * A schema printed in a doc: the ```json block after `<!-- schema: NAME ... -->` must be the schema
 * object itself as `JSON.stringify(schema, null, 2)`; UAPI_TS_UPDATE_GOLDEN=1 rewrites the block.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

export function expectDocSchema(docPath: string, name: string, schema: unknown): void {
  const doc = readFileSync(docPath, 'utf8');
  const re = new RegExp(`(<!-- schema: ${name}\\b[^\\n]*-->\\n\`\`\`json\\n)([\\s\\S]*?)(\`\`\`\\n)`);
  const m = re.exec(doc);
  expect(m, `${docPath} has no <!-- schema: ${name} --> block`).not.toBeNull();
  const want = JSON.stringify(schema, null, 2) + '\n';
  if (m![2] !== want && process.env.UAPI_TS_UPDATE_GOLDEN === '1') {
    writeFileSync(docPath, doc.replace(re, (_all, open: string, _body: string, close: string) => open + want + close));
    return;
  }
  expect(m![2], `${docPath}: the ${name} block differs from the schema in the code (UAPI_TS_UPDATE_GOLDEN=1 rewrites it)`).toBe(want);
}
