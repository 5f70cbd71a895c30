/** Classification on hand-made headers (test/fixtures/diff/uapi/{old,new}/include/linux/demo.h). */
import { describe, expect, it } from 'vitest';
import { groupChanges, exitBits } from '../../generator/src/diff/index.js';
import type { Change } from '../../generator/src/diff/types.js';
import { diffTrees, NEW, OLD } from './support.js';

const changes = diffTrees('linux/demo.h', OLD, NEW, ['x86_64', 'i386', 'ppc64']);
const on = (abi: string, pred: (c: Change) => boolean): Change[] => changes.filter((c) => c.abi === abi && pred(c));
const rec = (name: string) => (c: Change) => c.record === `struct ${name}`;
const con = (name: string) => (c: Change) => c.constant === name;

describe('diff classification on hand-made headers', () => {
  it('a field moved is breaking', () => {
    const c = on('x86_64', rec('demo_moved'));
    expect(c.map((x) => [x.kind, x.action, x.field, x.old?.offset, x.new?.offset])).toEqual([
      ['breaking', 'moved', 'kind', 6, 4],
      ['breaking', 'moved', 'len', 4, 6],
    ]);
    expect(c[0]!.why).toMatch(/`kind` moved from offset 6 to 4/);
  });

  it('a field appended to an argsz struct is a compatible extension', () => {
    for (const abi of ['x86_64', 'i386']) {
      const c = on(abi, rec('demo_info'));
      expect(c).toHaveLength(1);
      expect(c[0]).toMatchObject({ kind: 'compatible', subject: 'record', action: 'grew', old: { size: 12 }, new: { size: 16 }, appended: ['extra'] });
      expect(c[0]!.why).toBe('demo_info grew 12 -> 16 by appending `extra`; the struct is argsz-versioned, so old userspace still works');
    }
  });

  it('a struct without argsz that grows is breaking, and so is the _IOW number that encodes its size', () => {
    expect(on('x86_64', rec('demo_arg'))).toMatchObject([{ kind: 'breaking', action: 'grew', appended: ['c'] }]);
    const ioc = on('x86_64', con('DEMO_SET_ARG'));
    expect(ioc).toMatchObject([{ kind: 'breaking', subject: 'ioctl', action: 'value' }]);
    expect(ioc[0]!.why).toMatch(/_IOW\(0x44, 2, 8 bytes\) -> .*_IOW\(0x44, 2, 12 bytes\).*size encoded in it went 8 -> 12/);
  });

  it('tail padding named `pad` is padding where the size stays, an argsz append where it grows', () => {
    expect(on('x86_64', rec('demo_pad'))).toMatchObject([{ kind: 'padding', action: 'named-padding', field: 'pad', new: { offset: 20, size: 4 } }]);
    expect(on('x86_64', rec('demo_pad'))[0]!.why).toMatch(/^tail padding \(bytes 20-23 of 24\) made explicit as `__u32 pad`/);
    // i386 aligns __u64 to 4: the struct was 20 bytes, and pad grows it.
    expect(on('i386', rec('demo_pad'))).toMatchObject([{ kind: 'compatible', action: 'grew', old: { size: 20 }, new: { size: 24 }, appended: ['pad'] }]);
  });

  it('reserved fields put to use are padding', () => {
    expect(on('x86_64', rec('demo_resv'))).toMatchObject([{ kind: 'padding', action: 'named-padding', field: 'mode', old: { path: 'reserved' } }]);
    const carve = on('x86_64', rec('demo_carve'));
    expect(carve.map((c) => [c.kind, c.field])).toEqual([
      ['padding', 'reserved'],
      ['padding', 'id'],
    ]);
    expect(on('x86_64', rec('demo_hole'))).toMatchObject([{ kind: 'padding', field: 'pad1' }]);
  });

  it('a rename at the same offset and size is API-only', () => {
    const c = on('x86_64', rec('demo_rename'));
    expect(c).toMatchObject([{ kind: 'api', action: 'renamed', field: 'devid', old: { path: 'group_id' } }]);
    expect(c[0]!.why).toBe('`group_id` was renamed `devid` at the same offset and size; only source code that names it changes');
  });

  it('a union member over existing bytes is compatible; a retyped field is breaking', () => {
    expect(on('x86_64', rec('demo_union'))).toMatchObject([{ kind: 'compatible', action: 'union-member', field: '#0.handle' }]);
    expect(on('x86_64', rec('demo_retype'))).toMatchObject([{ kind: 'breaking', action: 'retyped', field: 'value' }]);
  });

  it('removed constants and structs are breaking; new ones compatible', () => {
    expect(on('x86_64', con('DEMO_OLD'))).toMatchObject([{ kind: 'breaking', action: 'removed', subject: 'constant' }]);
    expect(on('x86_64', rec('demo_gone'))).toMatchObject([{ kind: 'breaking', action: 'removed' }]);
    expect(on('x86_64', rec('demo_new'))).toMatchObject([{ kind: 'compatible', action: 'added' }]);
    expect(on('x86_64', con('DEMO_NEW_FLAG'))).toMatchObject([{ kind: 'compatible', subject: 'constant' }]);
    expect(on('x86_64', con('DEMO_NEW_IOCTL'))).toMatchObject([{ kind: 'compatible', subject: 'ioctl' }]);
  });

  it('without include information (layout JSON alone), a declaration gone from the header is removed', () => {
    expect(on('x86_64', rec('demo_reloc'))).toMatchObject([{ kind: 'breaking', action: 'removed' }]);
  });

  it('a changed ioctl number or capability id is breaking; a growing count or a mask gaining bits is not', () => {
    expect(on('x86_64', con('DEMO_RESET'))).toMatchObject([{ kind: 'breaking', subject: 'ioctl', old: { value: String(0x4403) }, new: { value: String(0x4404) } }]);
    expect(on('x86_64', con('DEMO_CAP_FOO'))).toMatchObject([{ kind: 'breaking', subject: 'capability' }]);
    expect(on('x86_64', con('DEMO_MODE'))).toMatchObject([{ kind: 'breaking', subject: 'constant' }]);
    expect(on('x86_64', con('DEMO_NUM_SLOTS'))).toMatchObject([{ kind: 'compatible' }]);
    const mask = on('x86_64', con('DEMO_FLAGS_MASK'));
    expect(mask).toMatchObject([{ kind: 'compatible', subject: 'constant', action: 'value' }]);
    expect(mask[0]!.why).toMatch(/^DEMO_FLAGS_MASK gained bits 0x8 \(0x3 -> 0xb\)/);
    // DEMO_TYPE ('D' = 68) and small flags are not mistaken for ioctls.
    expect(on('x86_64', con('DEMO_NEW_FLAG'))[0]!.subject).toBe('constant');
  });

  it('__u64 -> __aligned_u64 changes nothing on x86_64 and breaks i386 (realigned and grown)', () => {
    expect(on('x86_64', rec('demo_align'))).toEqual([]);
    const c = on('i386', rec('demo_align'));
    expect(c).toMatchObject([{ kind: 'breaking', action: 'grew', old: { size: 20, align: 4 }, new: { size: 24, align: 8 } }]);
    expect(c[0]!.why).toMatch(/alignment went 4 -> 8/);
  });

  it('groups identical changes across ABIs and sets the exit bits', () => {
    const g = groupChanges(changes).find((x) => x.record === 'struct demo_info');
    expect(g?.abis).toEqual(['x86_64', 'i386', 'ppc64']);
    const pad = groupChanges(changes).filter((x) => x.record === 'struct demo_pad');
    expect(pad.map((x) => [x.kind, x.abis])).toEqual([
      ['padding', ['x86_64', 'ppc64']],
      ['compatible', ['i386']],
    ]);
    expect(exitBits(changes)).toBe(12);
    expect(exitBits(changes.filter((c) => c.kind !== 'breaking'))).toBe(4);
    expect(exitBits([])).toBe(0);
  });
});
