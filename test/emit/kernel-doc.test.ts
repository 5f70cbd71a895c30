/**
 * Kernel-doc member lines (`@name: text` in a struct's doc block, or in the ioctl block the struct
 * takes its doc from) document those members in the generated views, as the kernel's own
 * scripts/kernel-doc reads them: a description runs until a blank line or the next `@`.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../generator/src/emit/model/index.js';
import { kernelDocMembers } from '../../generator/src/parse/doc.js';
import { memAnalyze } from '../support/mem.js';

describe('kernel-doc member descriptions', () => {
  it('reads @member paragraphs: continued lines, ended by a blank line or the next @, first one wins', () => {
    const doc = [
      'struct thing - what it is',
      '@argsz:\t User filled size.',
      '@flags: Must be 0 or',
      '        a bit of THING_*',
      'THING_A: the first bit.',
      '',
      'Prose after a blank line belongs to no member.',
      '@nested.inner: a member of a member',
      '@empty:',
      '@argsz: a second entry is ignored',
    ].join('\n');
    expect([...kernelDocMembers(doc)]).toEqual([
      ['argsz', 'User filled size.'],
      ['flags', 'Must be 0 or\na bit of THING_*\nTHING_A: the first bit.'],
      ['nested.inner', 'a member of a member'],
    ]);
    expect(kernelDocMembers('no members here').size).toBe(0);
  });

  it('documents struct members from the struct block and from the ioctl block that names the struct', () => {
    const a = memAnalyze(
      {
        'linux/k.h': [
          'typedef unsigned int __u32;',
          '#define _IOC(d, t, n, s) (((d) << 30) | ((t) << 8) | (n) | ((s) << 16))',
          '#define _IOWR(t, n, s) _IOC(3U, (t), (n), sizeof(s))',
          '/**',
          ' * struct k_info - an info struct',
          ' * @argsz: User filled size of this data.',
          ' * @flags: Flags,',
          ' *         two lines.',
          ' */',
          'struct k_info {',
          '\t__u32 argsz;',
          '\t__u32 flags; /* its own comment */',
          '\t__u32 plain;',
          '};',
          '/*',
          ' * K_BIND - _IOWR(0x4b, 1, struct k_bind)',
          ' * @fd:\tthe fd to bind.',
          ' *',
          ' * Binds.',
          ' */',
          'struct k_bind {',
          '\t__u32 fd;',
          '};',
          '#define K_BIND _IOWR(0x4b, 1, struct k_bind)',
        ].join('\n'),
      },
      'linux/k.h',
    );
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const model = buildModel({ header: 'linux/k.h', analyses: [a] });
    const docs = (name: string): Record<string, string | undefined> => Object.fromEntries(model.records.find((r) => r.cName === name)!.members.map((m) => [m.name, m.doc]));
    expect(docs('k_info')).toEqual({ argsz: 'User filled size of this data.', flags: 'its own comment\n\nFlags,\ntwo lines.', plain: undefined });
    expect(docs('k_bind')).toEqual({ fd: 'the fd to bind.' });
  });
});
