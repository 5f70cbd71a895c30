import { describe, expect, it } from 'vitest';
import { compareVersionNames, majorMinor, upstreamVersion } from '../../generator/src/headers/abis.js';
import { kbuildList } from '../../generator/src/headers/local.js';
import {
  type Manifest,
  type PinnedPackage,
  diffFiles,
  diffPackages,
  formatDrift,
  isEmptyDiff,
  parseManifest,
  serializeManifest,
} from '../../generator/src/headers/manifest.js';

const pkg = (version: string, sha256: string, arch = 'amd64'): PinnedPackage => ({
  name: 'linux-libc-dev',
  arch,
  version,
  sha256,
  provides: ['shared', 'x86_64'],
});

describe('manifest diffing', () => {
  it('finds added, removed and changed files, sorted', () => {
    const d = diffFiles({ 'linux/a.h': '1', 'linux/b.h': '2', 'linux/c.h': '3' }, { 'linux/z.h': '9', 'linux/c.h': '4', 'linux/a.h': '1', 'asm/y.h': '0' });
    expect(d).toEqual({ added: ['asm/y.h', 'linux/z.h'], removed: ['linux/b.h'], changed: ['linux/c.h'] });
    expect(isEmptyDiff(d)).toBe(false);
    expect(isEmptyDiff(diffFiles({ a: '1' }, { a: '1' }))).toBe(true);
  });

  it('reports a package version change and a re-uploaded .deb at the same version', () => {
    expect(diffPackages([pkg('6.1.176-1', 'aa')], [pkg('6.1.176-1', 'aa')])).toEqual([]);
    const v = diffPackages([pkg('6.1.176-1', 'aa')], [pkg('6.1.177-1', 'bb')]);
    expect(v).toHaveLength(1);
    expect(v[0]!.key).toBe('linux-libc-dev:amd64');
    expect(v[0]!.from).toContain('6.1.176-1');
    expect(v[0]!.to).toContain('6.1.177-1');
    expect(diffPackages([pkg('6.1.176-1', 'aa')], [pkg('6.1.176-1', 'cc')])).toHaveLength(1);
    const gone = diffPackages([pkg('6.1.176-1', 'aa'), pkg('6.1.176-1', 'dd', 'arm64')], [pkg('6.1.176-1', 'aa')]);
    expect(gone).toEqual([{ key: 'linux-libc-dev:arm64', from: expect.stringContaining('6.1.176-1') as unknown as string }]);
  });

  it('formats drift with the package change and every file list', () => {
    const text = formatDrift('6.1', diffPackages([pkg('1-1', 'aa')], [pkg('2-1', 'bb')]), {
      added: ['linux/new.h'],
      removed: ['linux/old.h'],
      changed: ['linux/vfio.h'],
    });
    expect(text).toMatch(/package linux-libc-dev:amd64: 1-1 .* -> 2-1/);
    expect(text).toContain('added (1):\n    linux/new.h');
    expect(text).toContain('removed (1):\n    linux/old.h');
    expect(text).toContain('changed (1):\n    linux/vfio.h');
  });

  it('serializes deterministically: sorted keys, 2-space indent, trailing newline, round-trips', () => {
    const a: Manifest = {
      version: 1,
      trees: {
        '6.1': { source: 'debian', suite: 'bookworm', kernel: '6.1.1', asm: {}, files: { 'z.h': '1', 'a.h': '2' } },
        '5.10': { source: 'debian', suite: 'bullseye', kernel: '5.10.1', asm: {}, files: {} },
      },
    };
    const b: Manifest = { version: 1, trees: { '5.10': a.trees['5.10']!, '6.1': { ...a.trees['6.1']!, files: { 'a.h': '2', 'z.h': '1' } } } };
    const s = serializeManifest(a);
    expect(s).toBe(serializeManifest(b));
    expect(s.endsWith('}\n')).toBe(true);
    expect(s).toContain('\n  "trees": {\n    "5.10": {');
    expect(s.indexOf('"a.h"')).toBeLessThan(s.indexOf('"z.h"'));
    expect(serializeManifest(parseManifest(s))).toBe(s);
    expect(() => parseManifest('{"version": 2}')).toThrow();
  });
});

describe('versions and Kbuild', () => {
  it('takes the upstream kernel version from Debian versions', () => {
    expect(upstreamVersion('6.1.176-1')).toBe('6.1.176');
    expect(upstreamVersion('6.1.4-1cross1')).toBe('6.1.4');
    expect(upstreamVersion('6.13~rc6-1~exp1')).toBe('6.13');
    expect(majorMinor('6.12.117')).toBe('6.12');
    expect(['6.12', '5.10', 'latest', '6.1'].sort(compareVersionNames)).toEqual(['5.10', '6.1', '6.12', 'latest']);
  });

  it('reads generic-y and mandatory-y lists', () => {
    const kb = '# SPDX\ngeneric-y += kvm_para.h\ngeneric-y += \\\n\tmman.h \\\n\tparam.h\nmandatory-y += ioctl.h # comment\ngeneric-y += ucontext.h\n';
    expect(kbuildList(kb, 'generic-y')).toEqual(['kvm_para.h', 'mman.h', 'param.h', 'ucontext.h']);
    expect(kbuildList(kb, 'mandatory-y')).toEqual(['ioctl.h']);
  });
});
