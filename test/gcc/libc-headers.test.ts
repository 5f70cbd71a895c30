/**
 * uapi headers that lean on libc types (issue 16 "Done when"): laid out with the built-in libc
 * model and proven against gcc compiled as userspace does, with glibc's real headers included
 * first, on all 8 ABIs and both time_t variants (glibc's default; -D_TIME_BITS=64
 * -D_FILE_OFFSET_BITS=64). Each header also names the records and constants that must be there:
 * a proof that lost them (an unsupported struct, ioctls that are no constants) would prove nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../generator/src/cli/io.js';
import { ABIS, withTime64, type Abi } from '../../generator/src/layout/abi/index.js';
import { analyze } from '../../generator/src/pipeline.js';
import { lacking, newestTree, skipReason } from '../support/trees.js';
import { compilerAvailable, prove } from './proof.js';

/** What a program includes before a uapi header (alsa-lib, evtest, v4l-utils do so). */
const PRELUDE = ['sys/types.h', 'sys/time.h', 'time.h', 'sys/ioctl.h', 'sys/socket.h'];

interface Case {
  header: string;
  /** Records that must be laid out (not unsupported) on every ABI. */
  records: string[];
  /** Constants (a name prefix and the fewest there must be) that must be evaluated. */
  constants: [string, number][];
}

const CASES: Case[] = [
  { header: 'linux/input.h', records: ['input_event', 'input_absinfo', 'ff_effect'], constants: [['EVIOC', 16]] },
  { header: 'linux/videodev2.h', records: ['v4l2_buffer', 'v4l2_event', 'v4l2_format'], constants: [['VIDIOC_', 80]] },
  { header: 'linux/if.h', records: ['ifreq', 'ifconf', 'ifmap'], constants: [['IFF_', 10]] },
  { header: 'sound/asound.h', records: ['snd_pcm_status', 'snd_pcm_mmap_status', 'snd_timer_tread', 'snd_ctl_elem_value'], constants: [['SNDRV_PCM_IOCTL_', 30], ['SNDRV_CTL_IOCTL_', 20]] },
  { header: 'linux/vm_sockets.h', records: ['sockaddr_vm'], constants: [['SO_VM_SOCKETS_', 5]] },
  { header: 'linux/dvb/dmx.h', records: ['dmx_sct_filter_params', 'dmx_buffer'], constants: [['DMX_', 10]] },
  { header: 'linux/auto_fs.h', records: ['autofs_packet_missing'], constants: [['AUTOFS_IOC_', 5]] },
];

const tree = newestTree();
const rows: string[] = [];

afterAll(() => {
  if (rows.length > 0) process.stdout.write(`\nuapi headers on the libc model, proven against gcc + glibc:\n${rows.join('\n')}\n`);
});

const variants: [string, (a: Abi) => Abi][] = [
  ['default', (a) => a],
  ['time64', withTime64],
];

describe.skipIf(lacking(tree !== undefined))(`uapi headers on libc types equal gcc with glibc${skipReason(tree !== undefined, 'headers/')}`, () => {
  for (const c of CASES) {
    it(c.header, async () => {
      for (const base of ABIS) {
        if (lacking(compilerAvailable(base))) continue;
        const sizes: string[] = [];
        for (const [label, variant] of variants) {
          const abi = variant(base);
          const a = analyze({ header: c.header, includeDirs: [tree!.include], read: readSource, prelude: PRELUDE }, abi);
          const what = `${c.header} on ${base.name} (${label})`;
          expect(a.diagnostics.filter((d) => d.severity === 'error'), what).toEqual([]);
          for (const name of c.records) {
            const r = a.ir.records.find((x) => x.name === name && x.complete && x.loc.file === a.ir.headerPath);
            expect(r, `${what}: struct ${name}`).toBeDefined();
            const l = a.laid.records.get(r!.id)!;
            expect(l.unsupported, `${what}: struct ${name}`).toBeUndefined();
            sizes.push(`${name} ${l.size}`);
          }
          for (const [prefix, fewest] of c.constants) {
            expect(a.laid.constants.filter((k) => k.name.startsWith(prefix)).length, `${what}: ${prefix}* constants`).toBeGreaterThanOrEqual(fewest);
          }
          const r = await prove(a.laid, [tree!.include], { prelude: PRELUDE });
          expect(r.failures, what).toEqual([]);
          rows.push(`${c.header.padEnd(20)} ${base.name.padEnd(8)} ${label.padEnd(8)} records ${String(r.records).padStart(3)} constants ${String(r.constants).padStart(4)} checks ${String(r.checks).padStart(5)}  ${sizes.slice(-c.records.length).join(', ')}`);
        }
      }
    });
  }
});
