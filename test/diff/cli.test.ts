/** `uapi-ts diff` and `uapi-ts history` end to end, through the installed bin. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEW, OLD, run } from './support.js';

const tmp = mkdtempSync(join(tmpdir(), 'uapi-diff-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('uapi-ts diff', () => {
  it('exits with the bitmask: 4 changes, 8 breaking', async () => {
    const r = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64']);
    expect(r.err).toBe('');
    expect(r.code).toBe(12);
    const same = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', OLD]);
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/no layout or constant changes/);
  });

  it('prints plain text when piped, grouped across ABIs', async () => {
    const r = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64,i386,aarch64']);
    expect(r.out).not.toMatch(/\x1b\[/);
    expect(r.out).toMatch(/^linux\/demo\.h: old -> new \[x86_64 i386 aarch64\]/);
    expect(r.out).toContain('struct demo_pad\n  compatible on i386: demo_pad grew 20 -> 24 by appending `pad`; the struct is argsz-versioned, so old userspace still works\n  padding    on x86_64, aarch64: pad: tail padding');
    expect(r.out).toContain('compatible on all 3 ABIs: demo_info grew 12 -> 16');
  });

  it('colors on request and never under NO_COLOR with auto', async () => {
    expect((await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64', '--color', 'always'])).out).toMatch(/\x1b\[1;31mbreaking/);
    expect((await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64'], { NO_COLOR: '1' })).out).not.toMatch(/\x1b\[/);
  });

  it('writes JSON as documented in docs/diff.md', async () => {
    const r = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64,i386', '--format', 'json', '--from-label', 'v1', '--to-label', 'v2']);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['header', 'from', 'to', 'abis', 'summary', 'exit', 'notes', 'changes']);
    expect(j).toMatchObject({ header: 'linux/demo.h', from: 'v1', to: 'v2', abis: ['x86_64', 'i386'], exit: 12 });
    expect(Object.keys(j.summary)).toEqual(['breaking', 'compatible', 'padding', 'api']);
    const info = j.changes.find((c: { record?: string }) => c.record === 'struct demo_info');
    expect(info).toEqual({
      kind: 'compatible', subject: 'record', action: 'grew', record: 'struct demo_info',
      old: { size: 12, align: 4 }, new: { size: 16, align: 4 }, appended: ['extra'],
      why: 'demo_info grew 12 -> 16 by appending `extra`; the struct is argsz-versioned, so old userspace still works',
      abis: ['x86_64', 'i386'],
    });
  });

  it('reports declarations moved into an included header as api, not removed', async () => {
    const j = JSON.parse((await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64', '--format', 'json'])).out);
    const moved = j.changes.filter((c: { action: string }) => c.action === 'relocated');
    expect(moved).toMatchObject([
      { kind: 'api', subject: 'record', record: 'struct demo_reloc', new: { header: 'linux/demo_impl.h' } },
      { kind: 'api', subject: 'constant', constant: 'DEMO_RELOC', new: { header: 'linux/demo_impl.h' } },
    ]);
    expect(moved[0].why).toBe('struct demo_reloc moved out of this header into linux/demo_impl.h, which it includes; code that includes this header still gets it (its layout there is not compared)');
  });

  it('writes Markdown for a PR comment, breaking first, the rest folded', async () => {
    const r = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--format', 'markdown']);
    expect(r.out).toMatch(/^### uapi layout diff: `linux\/demo\.h` old → new\n/);
    expect(r.out).toMatch(/#### :x: Breaking \(\d+\)\n\n\| What \| Field \| ABIs \| Why \|/);
    expect(r.out).toMatch(/<details><summary>:white_check_mark: Compatible extensions/);
    expect(r.out.indexOf('Breaking')).toBeLessThan(r.out.indexOf('Compatible extensions'));
  });

  it('diffs layout JSON files (one object, or an array per ABI)', async () => {
    const oldJson = join(tmp, 'old.json');
    const newJson = join(tmp, 'new.json');
    const one = join(tmp, 'one.json');
    writeFileSync(oldJson, (await run(['layout', 'linux/demo.h', '-I', OLD, '--abi', 'x86_64,i386', '--format', 'json'])).out);
    writeFileSync(newJson, (await run(['layout', 'linux/demo.h', '-I', NEW, '--abi', 'x86_64,i386', '--format', 'json'])).out);
    writeFileSync(one, (await run(['layout', 'linux/demo.h', '-I', NEW, '--abi', 'i386', '--format', 'json'])).out);
    const viaFiles = await run(['diff', oldJson, newJson, '--format', 'json']);
    const viaTrees = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64,i386', '--format', 'json']);
    expect(viaFiles.code).toBe(12);
    // Same changes, except that layout JSON does not say what the header's includes declare: a
    // declaration moved into an included header reads as removed.
    type C = { record?: string; constant?: string; kind: string; action: string };
    const moved = (c: C): boolean => c.record === 'struct demo_reloc' || c.constant === 'DEMO_RELOC';
    const files: C[] = JSON.parse(viaFiles.out).changes;
    const trees: C[] = JSON.parse(viaTrees.out).changes;
    expect(files.filter((c) => !moved(c))).toEqual(trees.filter((c) => !moved(c)));
    expect(files.filter(moved).map((c) => [c.kind, c.action])).toEqual([['breaking', 'removed'], ['breaking', 'removed']]);
    expect(trees.filter(moved).map((c) => [c.kind, c.action])).toEqual([['api', 'relocated'], ['api', 'relocated']]);
    // Only the ABIs in both files are compared, with a note.
    const partial = JSON.parse((await run(['diff', oldJson, one, '--format', 'json'])).out);
    expect(partial.abis).toEqual(['i386']);
    expect(partial.notes).toEqual(['ABI x86_64 is only in ' + oldJson + '; not compared']);
    expect(JSON.parse((await run(['diff', oldJson, one, '--abi', 'all', '--format', 'json'])).out).abis).toEqual(['i386']);
    // Asking for an ABI a file lacks is an error (bit 1) on top of the change bits.
    expect((await run(['diff', oldJson, one, '--abi', 'x86_64'])).code! & 1).toBe(1);
  });

  it('reports bad input as 1 and bad usage as 2', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"nope": 1}');
    const r = await run(['diff', bad, bad]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(['abi', 'header', 'records', 'constants'].map((k) => `uapi-ts diff: ${bad}: /${k}: missing (expected ${k === 'abi' || k === 'header' ? 'string' : 'array'})\n`).join(''));
    const missing = await run(['diff', 'linux/nothere.h', '--from', OLD, '--to', NEW]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/linux\/nothere\.h not found under .* nor /);
    // A header only one side has (a real tree without it): everything in it is new (or removed), with a note.
    mkdirSync(join(tmp, 'empty/linux'), { recursive: true });
    writeFileSync(join(tmp, 'empty/linux/types.h'), '');
    const added = await run(['diff', 'linux/demo.h', '--from', join(tmp, 'empty'), '--to', NEW, '--abi', 'x86_64', '--format', 'json']);
    expect(added.code).toBe(4);
    expect(JSON.parse(added.out).notes[0]).toMatch(/^linux\/demo\.h is not in .*empty: every declaration is new$/);
    expect((await run(['diff', 'linux/demo.h', '--from', OLD])).code).toBe(2);
    expect((await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--format', 'xml'])).code).toBe(2);
    expect((await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'vax'])).code).toBe(2);
  });

  it('documents the exit bitmask in --help', async () => {
    const r = await run(['diff', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/8 {2}a breaking change was found/);
    expect(r.out).toMatch(/status & 11/);
  });
});

describe('uapi-ts history', () => {
  it('tabulates sizes per tree with change markers, ABIs with equal histories on one row', async () => {
    const r = await run(['history', 'linux/demo.h', '--tree', OLD, '--tree', NEW, '--label', 'v1', '--label', 'v2', '--abi', 'x86_64,i386']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[2]).toMatch(/^struct\s+ABIs\s+v1\s+v2$/);
    expect(r.out).toMatch(/\ndemo_info\s+all 2 ABIs\s+12\s+16\+\n/);
    expect(r.out).toMatch(/\ndemo_pad\s+x86_64\s+24\s+24~\n\s+i386\s+20\s+24\+\n/);
    expect(r.out).toMatch(/\ndemo_gone\s+all 2 ABIs\s+4\s+-!\n/);
    expect(r.out).toMatch(/\ndemo_new\s+all 2 ABIs\s+-\s+4\+\n/);
    const j = JSON.parse((await run(['history', 'linux/demo.h', '--tree', OLD, '--tree', NEW, '--abi', 'i386', '--format', 'json'])).out);
    expect(j.rows.find((x: { record: string }) => x.record === 'struct demo_align').cells).toEqual([{ size: 20 }, { size: 24, kind: 'breaking' }]);
  });

  it('needs as many labels as trees', async () => {
    expect((await run(['history', 'linux/demo.h', '--tree', OLD, '--tree', NEW, '--label', 'v1'])).code).toBe(2);
  });
});

describe('uapi-ts diff and history refuse to compare nothing', () => {
  const layoutJson = async (name: string, abis: string): Promise<string> => {
    const p = join(tmp, name);
    writeFileSync(p, (await run(['layout', 'linux/demo.h', '-I', OLD, '--abi', abis, '--format', 'json'])).out);
    return p;
  };

  it('JSON files with no ABI in common, or an empty array, are an error, not "no changes"', async () => {
    const x86 = await layoutJson('x86.json', 'x86_64');
    const i386 = await layoutJson('i386.json', 'i386');
    const none = await run(['diff', x86, i386]);
    expect(none.code).toBe(1);
    expect(none.out).toBe('');
    expect(none.err).toBe(`uapi-ts diff: ${x86} (x86_64) and ${i386} (i386) have no ABI in common: nothing to compare\n`);
    const empty = join(tmp, 'empty-array.json');
    writeFileSync(empty, '[]');
    for (const args of [[x86, empty], [empty, x86], [empty, empty]]) {
      const r = await run(['diff', ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(`uapi-ts diff: ${empty}: an empty array, no layout JSON documents to compare\n`);
    }
    // Only ABIs neither file pairs: nothing compared, no report.
    const onlyMissing = await run(['diff', x86, x86, '--abi', 'i386']);
    expect(onlyMissing.code).toBe(1);
    expect(onlyMissing.out).toBe('');
    expect(onlyMissing.err).toMatch(/ABI i386 is not in both/);
    expect((await run(['diff', x86, x86])).code).toBe(0);
  });

  it('a --from/--to dir that does not exist is an error, not a removed or added header', async () => {
    const to = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', join(tmp, 'nosuchdir'), '--abi', 'x86_64']);
    expect(to.code).toBe(1);
    expect(to.out).toBe('');
    expect(to.err).toBe(`uapi-ts diff: --to ${join(tmp, 'nosuchdir')}: no such directory\n`);
    const from = await run(['diff', 'linux/demo.h', '--from', join(tmp, 'nosuchdir'), '--to', NEW, '--abi', 'x86_64']);
    expect(from.code).toBe(1);
    expect(from.err).toMatch(/--from .*nosuchdir: no such directory/);
    const file = join(tmp, 'a-file');
    writeFileSync(file, '');
    expect((await run(['diff', 'linux/demo.h', '--from', OLD, '--to', file])).err).toMatch(/--to .*a-file: not a directory/);
    // An existing tree without the header is still a removed header.
    mkdirSync(join(tmp, 'existing-empty/linux'), { recursive: true });
    writeFileSync(join(tmp, 'existing-empty/linux/types.h'), '');
    const removed = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', join(tmp, 'existing-empty'), '--abi', 'x86_64', '--format', 'json']);
    expect(removed.code).toBe(12);
    expect(JSON.parse(removed.out).notes[0]).toMatch(/every declaration is removed$/);
  });

  it('a --from/--to dir that is not a uapi include tree is a usage error (2), so status & 11 catches it', async () => {
    // Issue 12: `--from /` exited 4, "every declaration is new", and passed CI.
    const root = await run(['diff', 'linux/demo.h', '--from', '/', '--to', NEW, '--abi', 'x86_64']);
    expect(root.err).toBe('uapi-ts diff: --from /: not a uapi include tree (no linux/types.h, nor linux/demo.h, under it)\n');
    expect(root.code).toBe(2);
    expect(root.code! & 11).not.toBe(0);
    expect(root.out).toBe('');
    const notTree = join(tmp, 'not-a-tree');
    mkdirSync(join(notTree, 'linux'), { recursive: true });
    writeFileSync(join(notTree, 'linux/other.h'), '');
    const both = await run(['diff', 'linux/demo.h', '--from', notTree, '--to', '/', '--abi', 'x86_64']);
    expect(both.err).toBe(`uapi-ts diff: --from ${notTree}: not a uapi include tree (no linux/types.h, nor linux/demo.h, under it); --to /: not a uapi include tree (no linux/types.h, nor linux/demo.h, under it)\n`);
    expect(both.code).toBe(2);
    // A tree that has the header but no linux/types.h of its own (its includes come from -I) is a tree.
    const own = join(tmp, 'own-tree');
    mkdirSync(join(own, 'linux'), { recursive: true });
    writeFileSync(join(own, 'linux/demo.h'), readFileSync(join(OLD, 'linux/demo.h'), 'utf8'));
    const withI = await run(['diff', 'linux/demo.h', '--from', own, '--to', OLD, '-I', OLD, '--abi', 'x86_64', '--format', 'json']);
    expect(withI.err).toBe('');
    expect(withI.code).toBe(0);
  });

  it('control characters in labels, paths and JSON names reach the terminal escaped, never raw', async () => {
    const r = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64', '--from-label', 'v1\x1b[2J', '--to-label', 'v2\u202e\n']);
    expect(r.out.split('\n')[0]).toBe('linux/demo.h: v1\\x1b[2J -> v2\\u202e\\n [x86_64]');
    expect(r.out).not.toMatch(/[\x00-\x09\x0b-\x1f\u202e]/);
    const md = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64', '--format', 'markdown', '--from-label', 'v1\x1b[2J']);
    expect(md.out).toContain('v1\\x1b[2J');
    expect(md.out).not.toMatch(/\x1b/);
    // JSON output is data: the label as given, escaped by JSON itself.
    const j = await run(['diff', 'linux/demo.h', '--from', OLD, '--to', NEW, '--abi', 'x86_64', '--format', 'json', '--from-label', 'v1\x1b[2J']);
    expect(JSON.parse(j.out).from).toBe('v1\x1b[2J');
    expect(j.out).not.toMatch(/\x1b/);
    // Names inside layout JSON files, and the file names in messages.
    const a = join(tmp, 'esc-a.json');
    writeFileSync(a, (await run(['layout', 'linux/demo.h', '-I', OLD, '--abi', 'x86_64', '--format', 'json'])).out);
    const doc = JSON.parse(readFileSync(a, 'utf8'));
    doc.records[0].name = 'evil\x1b]0;title\x07';
    const b = join(tmp, 'esc\x1bb.json');
    writeFileSync(b, JSON.stringify(doc));
    const names = await run(['diff', a, b]);
    expect(names.out).toContain('evil\\x1b]0;title\\x07');
    expect(names.out).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
    doc.records[0].size = 'x';
    writeFileSync(b, JSON.stringify(doc));
    const bad = await run(['diff', a, b]);
    expect(bad.err).toBe(`uapi-ts diff: ${tmp}/esc\\x1bb.json: /records/0/size: expected integer >= 0 and < 2^53, got "x"\n`);
    const hist = await run(['history', 'linux/demo.h', '--tree', OLD, '--tree', NEW, '--label', 'a\x1bb', '--label', 'c\rd', '--abi', 'x86_64']);
    expect(hist.code).toBe(0);
    expect(hist.out).toContain('a\\x1bb');
    expect(hist.out).toContain('c\\rd');
    expect(hist.out).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });

  it('history names a --tree dir that does not exist', async () => {
    const r = await run(['history', 'linux/demo.h', '--tree', OLD, '--tree', join(tmp, 'nosuchdir'), '--abi', 'x86_64']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`uapi-ts history: --tree ${join(tmp, 'nosuchdir')}: no such directory\n`);
  });
});

/**
 * Layout JSON that does not match the contract's schema (issue 12: each of these was a TypeError,
 * SyntaxError or RangeError trace, or a report of a field "moved from offset 0 to abc"): exit 1,
 * nothing on stdout, and one line naming the file and the JSON Pointer of the key.
 */
describe('uapi-ts diff on layout JSON that does not match the schema', () => {
  type Doc = { header: unknown; records: any[]; constants: any[]; unsupported?: unknown };
  const cases: [string, (d: Doc) => void, string][] = [
    ["a record's fields null", (d) => { d.records[0].fields = null; }, '/records/0/fields: expected array, got null'],
    ['a constant value "abc"', (d) => { d.constants[0].value = 'abc'; }, '/constants/0/value: expected decimal integer string, got "abc"'],
    ['a constant value null', (d) => { d.constants[0].value = null; }, '/constants/0/value: expected decimal integer string, got null'],
    ['a constant value 1.5', (d) => { d.constants[0].value = 1.5; }, '/constants/0/value: expected decimal integer string, got 1.5'],
    ['a constant value "1.5"', (d) => { d.constants[0].value = '1.5'; }, '/constants/0/value: expected decimal integer string, got "1.5"'],
    ['a constant value "0x10"', (d) => { d.constants[0].value = '0x10'; }, '/constants/0/value: expected decimal integer string, got "0x10"'],
    ['a field without type', (d) => { delete d.records[0].fields[0].type; }, '/records/0/fields/0/type: missing (expected string)'],
    ['a field offset "abc"', (d) => { d.records[0].fields[1].offset = 'abc'; }, '/records/0/fields/1/offset: expected integer >= 0 and < 2^53, got "abc"'],
    ['a record null', (d) => { d.records[0] = null; }, '/records/0: expected object, got null'],
    ['a constant null', (d) => { d.constants[0] = null; }, '/constants/0: expected object, got null'],
    ['a field null', (d) => { d.records[0].fields[0] = null; }, '/records/0/fields/0: expected object, got null'],
    ["a field's fields a string", (d) => { d.records[0].fields[0].fields = 'x'; }, '/records/0/fields/0/fields: expected array, got "x"'],
    ['a nested field null', (d) => { d.records[0].fields[0].fields = [null]; }, '/records/0/fields/0/fields/0: expected object, got null'],
    ['unsupported a number', (d) => { d.unsupported = 5; }, '/unsupported: expected array, got 5'],
    ['an unsupported entry null', (d) => { d.unsupported = [null]; }, '/unsupported/0: expected object, got null'],
    ['header a number', (d) => { d.header = 5; }, '/header: expected string, got 5'],
    ['a record size "abc"', (d) => { d.records[0].size = 'abc'; }, '/records/0/size: expected integer >= 0 and < 2^53, got "abc"'],
    ['a negative size', (d) => { d.records[0].fields[0].size = -4; }, '/records/0/fields/0/size: expected integer >= 0 and < 2^53, got -4'],
    ['an offset past 2^53', (d) => { d.records[0].fields[0].offset = 2 ** 53; }, '/records/0/fields/0/offset: expected integer >= 0 and < 2^53, got 9007199254740992'],
    ['a record kind "class"', (d) => { d.records[0].kind = 'class'; }, '/records/0/kind: expected "struct" or "union", got "class"'],
    ['a record without name', (d) => { delete d.records[0].name; }, '/records/0/name: missing (expected string)'],
    ['a bitWidth "x"', (d) => { d.records[0].fields[0].bitWidth = 'x'; }, '/records/0/fields/0/bitWidth: expected integer >= 0, got "x"'],
    ['flexible 1', (d) => { d.records[0].fields[0].flexible = 1; }, '/records/0/fields/0/flexible: expected true, got 1'],
  ];

  const a = join(tmp, 'schema-a.json');
  beforeAll(async () => writeFileSync(a, (await run(['layout', 'linux/demo.h', '-I', OLD, '--abi', 'x86_64', '--format', 'json'])).out));

  // Concurrent: each case is one short process.
  it.concurrent.each(cases)('%s', async (name, mutate, problem) => {
    const doc = JSON.parse(readFileSync(a, 'utf8')) as Doc;
    mutate(doc);
    const b = join(tmp, `schema-${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(b, JSON.stringify(doc));
    const r = await run(['diff', a, b]);
    expect(r.err).toBe(`uapi-ts diff: ${b}: ${problem}\n`);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
  });

  it('in an array of documents, the path starts at the document index; problems of both files are listed', async () => {
    const arr = join(tmp, 'schema-array.json');
    const docs = JSON.parse((await run(['layout', 'linux/demo.h', '-I', OLD, '--abi', 'x86_64,i386', '--format', 'json'])).out);
    docs[1].records[2].fields[0].offset = '4';
    docs[1].constants[1].value = 7;
    writeFileSync(arr, JSON.stringify(docs));
    const twice = join(tmp, 'schema-twice.json');
    writeFileSync(twice, JSON.stringify([docs[0], docs[0]]));
    const r = await run(['diff', arr, twice]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `uapi-ts diff: ${arr}: /1/records/2/fields/0/offset: expected integer >= 0 and < 2^53, got "4"\n` +
        `uapi-ts diff: ${arr}: /1/constants/1/value: expected decimal integer string, got 7\n` +
        `uapi-ts diff: ${twice}: ABI x86_64 appears twice: one document per ABI\n`,
    );
  });
});
