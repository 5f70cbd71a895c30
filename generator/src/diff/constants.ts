/** Differences between the constants (macros and enumerators) of two versions, on one ABI. */
import type { ConstantJson } from '../contract/layout-json.js';
import { isCapabilityName, isCountName, isMaskName } from './conventions.js';
import { decodeIoctl, describeIoctl, isIoctl } from './ioctl.js';
import type { Change, Subject } from './types.js';

function subjectOf(c: ConstantJson, abi: string): Subject {
  const v = BigInt(c.value);
  if (isCapabilityName(c.name)) return 'capability';
  if (isIoctl(c.name, v, abi)) return 'ioctl';
  return 'constant';
}

const NOUN: Record<Subject, string> = { constant: 'constant', ioctl: 'ioctl', capability: 'capability id', record: 'struct', field: 'field' };

function show(c: ConstantJson, abi: string, subject: Subject): string {
  const v = BigInt(c.value);
  if (subject !== 'ioctl') return c.value;
  const d = decodeIoctl(v, abi)!;
  return `0x${v.toString(16)} = ${describeIoctl(d)}`;
}

export function diffConstants(olds: readonly ConstantJson[], news: readonly ConstantJson[], abi: string, relocated?: ReadonlyMap<string, string>): Change[] {
  const out: Change[] = [];
  const oldBy = new Map(olds.map((c) => [c.name, c]));
  const newBy = new Map(news.map((c) => [c.name, c]));
  for (const o of olds) {
    const n = newBy.get(o.name);
    const s = subjectOf(o, abi);
    const movedTo = relocated?.get(o.name);
    if (!n && movedTo !== undefined) {
      out.push({
        kind: 'api', subject: s, action: 'relocated', abi, constant: o.name, old: { value: o.value }, new: { header: movedTo },
        why: `${NOUN[s]} ${o.name} moved out of this header into ${movedTo}, which it includes; code that includes this header still gets it (its value there is not compared)`,
      });
      continue;
    }
    if (!n) {
      out.push({
        kind: 'breaking', subject: s, action: 'removed', abi, constant: o.name, old: { value: o.value },
        why: `${NOUN[s]} ${o.name} (${show(o, abi, s)}) was removed; userspace that uses it no longer builds${s === 'ioctl' ? ', and binaries that issue it may get ENOTTY' : ''}`,
      });
      continue;
    }
    if (BigInt(o.value) === BigInt(n.value)) continue;
    const sn = subjectOf(n, abi);
    const subject: Subject = s === 'constant' ? sn : s;
    const change: Change = { kind: 'breaking', subject, action: 'value', abi, constant: o.name, old: { value: o.value }, new: { value: n.value }, why: '' };
    if (subject === 'ioctl') {
      const a = decodeIoctl(BigInt(o.value), abi);
      const b = decodeIoctl(BigInt(n.value), abi);
      const detail = a && b ? ioctlDetail(a, b) : '';
      change.why = `ioctl ${o.name} changed ${show(o, abi, s)} -> ${show(n, abi, sn)}${detail}; binaries built against the old header issue a request the new kernel does not know`;
    } else if (subject === 'capability') {
      change.why = `capability id ${o.name} changed ${o.value} -> ${n.value}; binaries built against the old header look for the wrong capability in the chain`;
    } else if (isMaskName(o.name) && BigInt(n.value) > BigInt(o.value) && (BigInt(o.value) & BigInt(n.value)) === BigInt(o.value)) {
      change.kind = 'compatible';
      change.why = `${o.name} gained bits 0x${(BigInt(n.value) & ~BigInt(o.value)).toString(16)} (0x${BigInt(o.value).toString(16)} -> 0x${BigInt(n.value).toString(16)}): a mask of supported or valid flags that grows with new flags; old userspace never sets them`;
    } else if (isCountName(o.name) && BigInt(n.value) > BigInt(o.value)) {
      change.kind = 'compatible';
      change.why = `${o.name} grew ${o.value} -> ${n.value}: a count or limit that grows as entries are added; old userspace knows fewer of them`;
    } else {
      change.why = `${o.name} changed ${o.value} -> ${n.value}; the value is compiled into userspace, so old binaries pass or expect the old one`;
    }
    out.push(change);
  }
  for (const n of news) {
    if (oldBy.has(n.name)) continue;
    const s = subjectOf(n, abi);
    out.push({
      kind: 'compatible', subject: s, action: 'added', abi, constant: n.name, new: { value: n.value },
      why: `new ${NOUN[s]} ${n.name} (${show(n, abi, s)})`,
    });
  }
  return out;
}

function ioctlDetail(a: ReturnType<typeof decodeIoctl> & object, b: ReturnType<typeof decodeIoctl> & object): string {
  const parts: string[] = [];
  if (a.size !== b.size) parts.push(`the argument size encoded in it went ${a.size} -> ${b.size}`);
  if (a.dir !== b.dir) parts.push(`its direction went ${a.dir} -> ${b.dir}`);
  if (a.type !== b.type || a.nr !== b.nr) parts.push(`its type/number went 0x${a.type.toString(16)}/${a.nr} -> 0x${b.type.toString(16)}/${b.nr}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
