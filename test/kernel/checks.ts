/**
 * What the real-kernel tests assert, as data: for each kernel run, a list of checks (ok + why),
 * so the vitest file and the standalone CLI assert and print the same things (a table kernel x
 * check). The expected values come from the C program's view of the same kernel, or from the edu
 * device's specification; never from our own output.
 */
import { bindings as s390x } from '@uapi-ts/vfio/abi/s390x';
import { policyForKernel } from '@uapi-ts/runtime';
import { type Comparison, compareReports, decodeReport, formatMismatches } from './compare.js';
import type { Call, EduReport, ProbeReport } from './guest/report.js';
import { fixtureFor } from './fixtures.js';
import type { KernelRun } from './harness.js';

export const CHECKS = ['boot', 'c=ts', 'chain', 'argsz', 'errors', 'edu', 'fixtures'] as const;
export type CheckId = (typeof CHECKS)[number];

export interface Check {
  id: CheckId;
  ok: boolean;
  /** One line for the table, or why it failed. */
  detail: string;
  /** Not applicable to this kernel (s390x has no edu). */
  na?: boolean;
}

/** A kernel's facts for the table (from C). */
export interface Facts {
  iommuChain?: string;
  deviceChains: string[];
  bootSeconds?: number;
  release?: string;
}

const IOMMU_CAP = { 1: 'IOVA_RANGE', 2: 'MIGRATION', 3: 'DMA_AVAIL' } as const;
const DEVICE_CAP = { 1: 'ZPCI_BASE', 2: 'ZPCI_GROUP', 3: 'ZPCI_UTIL', 4: 'ZPCI_PFIP', 5: 'PCI_ATOMIC_COMP' } as const;
const REGION_CAP = { 1: 'SPARSE_MMAP', 2: 'TYPE', 3: 'MSIX_MAPPABLE' } as const;

/** "MIGRATION@24 -> DMA_AVAIL@56 -> IOVA_RANGE@68, argsz 116" */
export function chainText(call: Call | undefined, names: Record<number, string>): string | undefined {
  if (!call?.caps) return undefined;
  return `${call.caps.map((c) => `${names[c.id] ?? `id${c.id}`}@${c.offset}`).join(' -> ')}, argsz ${String(call.fields?.['argsz'])}`;
}

/** The final reply of a negotiation in a report ("<key> #n" with the highest n). */
export function finalReply(r: ProbeReport, key: string): Call | undefined {
  let best: Call | undefined;
  for (const c of r.calls) if (c.key.startsWith(`${key} #`) && c.ret === 0) best = c;
  return best;
}

export const EDU_SPEC = {
  /** 0xRRrr00ed: the low byte is 0xed (major/minor version above it). */
  idLowByte: 0xed,
  livenessIn: 0x12345678,
  factorialOf: 10,
} as const;

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

export function facts(run: KernelRun): Facts {
  const out: Facts = { deviceChains: [] };
  if (run.c) {
    const it = chainText(finalReply(run.c, 'container VFIO_IOMMU_GET_INFO'), IOMMU_CAP);
    if (it) out.iommuChain = it;
    for (const c of run.c.calls) {
      if (!c.caps || !/#\d+$/.test(c.key)) continue;
      if (c.ioctl === 'VFIO_DEVICE_GET_INFO') out.deviceChains.push(`${c.key.split(' ')[1]} device: ${chainText(c, DEVICE_CAP)}`);
      if (c.ioctl === 'VFIO_DEVICE_GET_REGION_INFO') out.deviceChains.push(`${c.key.split(' ')[1]} region ${/\((\d+)\)/.exec(c.key)?.[1]}: ${chainText(c, REGION_CAP)}`);
    }
    out.release = run.c.release;
  }
  const s = run.boot?.stamps['poweroff'];
  if (s !== undefined) out.bootSeconds = s;
  return out;
}

/** Ours for this run: the TypeScript program's report, or (s390x) C's bytes decoded on the host. */
export function ours(run: KernelRun): { report?: ProbeReport; decodeErrors: { key: string; error: string }[]; how: string } {
  if (!run.c) return { decodeErrors: [], how: 'none' };
  if (run.arch === 's390x') {
    const d = decodeReport(run.c, s390x, policyForKernel(run.c.release));
    return { report: d, decodeErrors: d.decodeErrors, how: 'host decode with @uapi-ts/vfio/abi/s390x' };
  }
  return run.ts ? { report: run.ts, decodeErrors: [], how: 'TypeScript program in the guest' } : { decodeErrors: [], how: 'none' };
}

export function evaluate(run: KernelRun): { checks: Check[]; comparison?: Comparison } {
  const checks: Check[] = [];
  const add = (id: CheckId, ok: boolean, detail: string, na = false): void => {
    checks.push({ id, ok, detail, ...(na ? { na } : {}) });
  };
  const x86 = run.arch === 'x86_64';
  const wantDevices = x86 ? 2 : 1;

  // boot: the kernel booted, the devices are bound to vfio-pci, the programs reported.
  const bound = run.boot?.lines.filter((l) => /^device .* driver=vfio-pci /.test(l)) ?? [];
  const exits = run.boot?.lines.filter((l) => /^exit /.test(l)) ?? [];
  const bootProblems: string[] = [];
  if (run.error) bootProblems.push(run.error);
  if (bound.length !== wantDevices) bootProblems.push(`${bound.length} of ${wantDevices} devices bound to vfio-pci (${run.boot?.lines.filter((l) => l.startsWith('device')).join('; ') ?? 'no console'})`);
  for (const e of exits) if (!/ 0$/.test(e)) bootProblems.push(`program ${e}`);
  if (!run.c) bootProblems.push('no report from the C program');
  if (x86 && !run.ts) bootProblems.push('no report from the TypeScript program');
  if (x86 && !run.edu) bootProblems.push('no report from the edu driver');
  if (run.ts?.fatal) bootProblems.push(`TypeScript program failed: ${run.ts.fatal.name}: ${run.ts.fatal.message}`);
  if (run.edu?.fatal) bootProblems.push(`edu driver failed: ${run.edu.fatal.name}: ${run.edu.fatal.message}`);
  add('boot', bootProblems.length === 0, bootProblems.length === 0 ? `${bound.length} devices on vfio-pci, ${run.boot?.stamps['poweroff'] ?? '?'} s to power-off` : bootProblems.join('\n'));
  if (!run.c) {
    for (const id of CHECKS.slice(1)) add(id, false, 'no C report (see boot)');
    return { checks };
  }
  const c = run.c;
  const o = ours(run);

  // c=ts: every C call, field and cap equal in ours.
  let comparison: Comparison | undefined;
  if (o.report) {
    comparison = compareReports(c, o.report);
    const errs = o.decodeErrors.map((d) => `  ${d.key}: ${d.error}`);
    const ok = comparison.mismatches.length === 0 && errs.length === 0;
    const untyped = comparison.untyped.length > 0 ? `; ${comparison.untyped.length} caps not typed by the package yet (${[...new Set(comparison.untyped.map((u) => `id ${u.id}`))].join(', ')}: ${comparison.untyped.reduce((n, u) => n + u.fields.length, 0)} C fields pending)` : '';
    add(
      'c=ts',
      ok,
      ok
        ? `${comparison.calls} calls, ${comparison.values} values equal (${o.how})${untyped}`
        : `${comparison.mismatches.length} mismatches (${o.how}):\n${formatMismatches(comparison.mismatches)}${errs.length ? `\ndecode errors:\n${errs.join('\n')}` : ''}`,
    );
  } else {
    add('c=ts', false, 'no report of ours to compare');
  }

  // chain: the IOMMU chain under the policy of this kernel, and what strict does with it.
  const iommu = finalReply(c, 'container VFIO_IOMMU_GET_INFO');
  const cCaps = iommu?.caps ?? [];
  const misaligned = cCaps.filter((x) => x.offset % 8 !== 0);
  const pre66 = policyForKernel(c.release) === 'compat';
  if (!iommu || cCaps.length === 0) add('chain', false, 'C read no IOMMU caps');
  else if (x86 && run.ts) {
    const strict = run.ts.chains?.find((x) => x.key === 'container VFIO_IOMMU_GET_INFO strict');
    const chosen = run.ts.chains?.find((x) => x.key === 'container VFIO_IOMMU_GET_INFO');
    const problems: string[] = [];
    if (pre66) {
      if (misaligned.length === 0) problems.push(`kernel ${c.release} (before 6.6) gave an aligned chain: ${chainText(iommu, IOMMU_CAP)}`);
      if (strict?.error?.name !== 'CapabilityMisalignedError') problems.push(`strict did not refuse the chain (${strict?.error?.name ?? 'no error'})`);
      else if (strict.error.offset !== misaligned[0]?.offset) problems.push(`strict refused offset ${strict.error.offset}, C's first misaligned cap is @${misaligned[0]?.offset}`);
      if (run.ts.policy !== 'compat' || chosen?.error) problems.push(`compat read failed: ${chosen?.error?.message ?? `policy ${run.ts.policy}`}`);
      if (JSON.stringify(chosen?.realigned) !== JSON.stringify(misaligned.map((x) => x.offset))) problems.push(`compat realigned ${JSON.stringify(chosen?.realigned)}, C's misaligned caps are at ${JSON.stringify(misaligned.map((x) => x.offset))}`);
    } else {
      if (misaligned.length > 0) problems.push(`kernel ${c.release} (6.6 or later) gave misaligned caps at ${misaligned.map((x) => x.offset).join(', ')}`);
      if (strict?.error) problems.push(`strict failed: ${strict.error.name}: ${strict.error.message}`);
      if (run.ts.policy !== 'strict') problems.push(`policy ${run.ts.policy} chosen for ${c.release}`);
    }
    // The ranges ours read under the chosen policy are C's (the c=ts check compares every field; this names them).
    const range = (r: ProbeReport): string => JSON.stringify(finalReply(r, 'container VFIO_IOMMU_GET_INFO')?.caps?.find((x) => x.id === 1)?.fields['iova_ranges']);
    if (range(c) !== range(run.ts)) problems.push(`IOVA ranges: C ${range(c)}, ours ${range(run.ts)}`);
    add('chain', problems.length === 0, problems.length === 0 ? `${pre66 ? 'strict refuses @' + String(strict?.error?.offset) + ', compat reads' : 'strict reads'} ${chainText(iommu, IOMMU_CAP)}` : problems.join('\n'));
  } else if (o.report) {
    // s390x: the host decode walked the chain under the kernel's policy; the c=ts check compared it.
    const decoded = finalReply(o.report, 'container VFIO_IOMMU_GET_INFO');
    const ok = decoded?.caps?.length === cCaps.length && (pre66 || misaligned.length === 0);
    add('chain', ok, ok ? `${pre66 ? 'compat' : 'strict'} reads ${chainText(iommu, IOMMU_CAP)}` : `host decode read ${decoded?.caps?.length ?? 0} caps of C's ${cCaps.length}`);
  } else add('chain', false, 'nothing of ours to check');

  // argsz: every negotiation grew argsz exactly once, to the value the kernel asked C for.
  if (x86 && run.ts) {
    const problems: string[] = [];
    let n = 0;
    for (const ch of run.ts.chains ?? []) {
      if (ch.key.endsWith(' strict')) continue;
      const first = c.calls.find((x) => x.key === `${ch.key} #1`);
      const asked = first?.fields?.['argsz'];
      // A reply the kernel refused (VGA region 8 of a device without VGA: EINVAL) negotiates nothing.
      if (first === undefined || first.ret !== 0 || typeof asked !== 'number' || first.argszIn === null) continue;
      n++;
      const grows = asked > first.argszIn;
      const wantAttempts = grows ? 2 : 1;
      if (ch.attempts !== wantAttempts) problems.push(`${ch.key}: ${ch.attempts} attempts (argsz ${ch.argszIns.join(' -> ')}), C's kernel asked for ${asked} after ${first.argszIn}`);
      else if (grows && ch.argszIns[1] !== asked) problems.push(`${ch.key}: grew to ${ch.argszIns[1]}, the kernel asked C for ${asked}`);
    }
    const iommuChain = run.ts.chains?.find((x) => x.key === 'container VFIO_IOMMU_GET_INFO');
    if (iommuChain?.attempts !== 2) problems.push(`IOMMU info negotiated in ${iommuChain?.attempts} attempts, want exactly one growth`);
    add('argsz', problems.length === 0 && n > 0, problems.length === 0 ? `${n} negotiations; IOMMU ${iommuChain?.argszIns.join(' -> ')}` : problems.join('\n'));
  } else {
    // s390x: C's own negotiation (sizeof, then what the kernel asked) is the one decoded.
    const grew = c.calls.filter((x) => / #2$/.test(x.key));
    const bad = grew.filter((x) => c.calls.some((y) => y.key === x.key.replace(/#2$/, '#3')));
    add('argsz', bad.length === 0 && grew.length > 0, `${grew.length} replies grown once (C's negotiation, decoded on the host)${bad.length ? `; grew twice: ${bad.map((x) => x.key).join(', ')}` : ''}`);
  }

  // errors: C's error paths are IoctlErrors (open: IoctlError too) in ours with C's errno and request.
  const errorCalls = c.calls.filter((x) => x.errno !== null && !x.key.includes('FEATURE') && !x.key.includes('IRQ_INFO') && !x.key.includes('REGION_INFO'));
  if (x86 && run.ts) {
    const problems: string[] = [];
    const seen: string[] = [];
    for (const ce of errorCalls) {
      const te = run.ts.calls.find((x) => x.key === ce.key);
      const err = te?.error;
      if (!err) problems.push(`${ce.key}: C ${ce.errno}, ours ${te ? `ret ${te.ret}` : 'missing'}`);
      else if (err.name !== 'IoctlError' || err.code !== ce.errno || (ce.request !== null && err.request !== ce.request)) problems.push(`${ce.key}: C ${ce.errno} ${ce.request ?? ''}, ours ${err.name} ${err.code} ${err.request}`);
      else seen.push(`${ce.errno}`);
    }
    const has = (e: string): boolean => seen.includes(e);
    if (!has('EBUSY') || !has('ENOTTY')) problems.push(`expected EBUSY and ENOTTY among the error paths, saw ${[...new Set(seen)].join(', ')}`);
    add('errors', problems.length === 0, problems.length === 0 ? `${seen.length} error paths: ${[...new Set(seen)].join(', ')} as IoctlError, request and errno as C saw them` : problems.join('\n'));
  } else {
    add('errors', errorCalls.length > 0, `C saw ${[...new Set(errorCalls.map((x) => x.errno))].join(', ')} (nothing of ours runs in this guest)`, true);
  }

  // edu: the device works through the driver, as C and the spec say.
  if (x86) {
    const e: EduReport | undefined = run.edu?.edu;
    const ce = c.edu;
    const problems: string[] = [];
    if (!e || !ce) problems.push(`no edu report (${run.edu?.fatal?.message ?? 'edu driver did not run'})`);
    else {
      if (e.id !== ce.id) problems.push(`ID register: ours 0x${e.id?.toString(16)}, C 0x${ce.id?.toString(16)}`);
      if (((e.id ?? 0) & 0xff) !== EDU_SPEC.idLowByte) problems.push(`ID register 0x${e.id?.toString(16)} is not 0xRRrr00ed`);
      if (e.liveness !== ~EDU_SPEC.livenessIn >>> 0) problems.push(`liveness: wrote 0x12345678, read 0x${e.liveness?.toString(16)}`);
      if (e.factorial10 !== factorial(EDU_SPEC.factorialOf) || ce.factorial10 !== e.factorial10) problems.push(`10!: ours ${e.factorial10}, C ${ce.factorial10}`);
      if (!((e.command ?? 0) & 0x4)) problems.push(`bus master not set in the command register (0x${e.command?.toString(16)})`);
      const drv = run.edu!.edu;
      if (drv.mmapId !== undefined && drv.mmapId !== e.id) problems.push(`ID through mmap 0x${drv.mmapId.toString(16)} != pread 0x${e.id?.toString(16)}`);
      if (drv.mmapLiveness !== undefined && drv.mmapLiveness !== ~0x0badf00d >>> 0) problems.push(`liveness through mmap: 0x${drv.mmapLiveness.toString(16)}`);
      if (e.dmaMapRet !== 0 || e.dmaRoundTrip !== 1 || e.dmaUnmapRet !== 0) problems.push(`DMA: map ${e.dmaMapRet}, round trip ${e.dmaRoundTrip}, unmap ${e.dmaUnmapRet}`);
      if (ce.dmaRoundTrip !== 1) problems.push(`C's own DMA round trip failed (${ce.dmaRoundTrip})`);
      const iova = BigInt(run.edu!.iova ?? '-1');
      if (iova < 0n || iova >= 1n << 28n) problems.push(`IOVA ${run.edu!.iova} not below edu's 28-bit DMA mask`);
    }
    const d = run.edu;
    add(
      'edu',
      problems.length === 0,
      problems.length === 0
        ? `ID 0x${e?.id?.toString(16)}, 10! = ${e?.factorial10}, DMA ${d?.edu.dmaBytes} B each way at IOVA 0x${BigInt(d?.iova ?? 0).toString(16)}${d?.edu.mmapId !== undefined ? ', BAR0 mmap' : ''}`
        : problems.join('\n'),
    );
  } else add('edu', true, 'no edu on this machine', true);

  // fixtures: the committed replies of this very package are what the kernel answered now.
  const f = fixtureFor(run);
  if (!f) {
    add('fixtures', true, run.drift ? 'this build has no committed replies (drift)' : `no committed replies for ${run.series}`, true);
  } else {
    const committed = new Map(f.c.calls.map((x) => [x.key, x]));
    const changed: string[] = [];
    for (const x of c.calls) {
      const y = committed.get(x.key);
      if (!y) changed.push(`${x.key}: not in the fixtures`);
      else if (x.ret !== y.ret || x.errno !== y.errno || x.bytes !== y.bytes) changed.push(`${x.key}: ret ${y.ret} -> ${x.ret}, errno ${y.errno} -> ${x.errno}${x.bytes !== y.bytes ? ', bytes differ' : ''}`);
    }
    for (const k of committed.keys()) if (!c.calls.some((x) => x.key === k)) changed.push(`${k}: in the fixtures, not in this run`);
    add(
      'fixtures',
      changed.length === 0,
      changed.length === 0
        ? `${c.calls.length} replies as committed (${f.dir.replace(/^.*\/test\//, 'test/')})`
        : `${changed.length} replies differ from the committed ones (${f.dir}); if the kernel, QEMU or vfio-probe.c changed on purpose, rewrite them: node test/kernel/dist/kernel/cli.js run --fixtures update\n${changed.slice(0, 15).join('\n')}`,
    );
  }
  return { checks, ...(comparison ? { comparison } : {}) };
}

/** The table: one row per kernel, one column per check (✓, ✗, -), then each kernel's facts. */
export function table(runs: readonly { run: KernelRun; checks: readonly Check[] }[]): string {
  const head = ['kernel', ...CHECKS, 'boot s'];
  const rows = runs.map(({ run, checks }) => [
    `${run.series} (${run.release ?? '?'})`,
    ...CHECKS.map((id) => {
      const c = checks.find((x) => x.id === id);
      return !c ? '?' : c.na ? '-' : c.ok ? 'ok' : 'FAIL';
    }),
    run.boot ? (run.boot.ms / 1000).toFixed(1) : '-',
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((x, i) => x.padEnd(w[i]!)).join('  ');
  const out = [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line), ''];
  for (const { run, checks } of runs) {
    const f = facts(run);
    out.push(`${run.series}: ${run.source}`);
    if (run.drift) out.push(`  !! ${run.drift}`);
    if (run.retried) out.push(`  !! ${run.retried}`);
    if (f.iommuChain) out.push(`  IOMMU info: ${f.iommuChain}`);
    for (const d of f.deviceChains) out.push(`  ${d}`);
    if (run.config) out.push(`  config: ${Object.entries(run.config).map(([k, v]) => `${k.replace(/^CONFIG_/, '')}=${v}`).join(' ')}`);
    for (const c of checks) out.push(`  ${c.na ? '-' : c.ok ? 'ok' : 'FAIL'} ${c.id}: ${c.detail.split('\n').join('\n      ')}`);
    out.push(`  times: ${Object.entries(run.times).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
  }
  return out.join('\n');
}
