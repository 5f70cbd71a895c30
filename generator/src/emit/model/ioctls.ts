/**
 * Ioctls of the binding model, and the doc blocks that describe them. An ioctl is a macro defined
 * as `_IO*(...)`; the kernel documents it in a block whose line `NAME - _IOx(type, nr, struct s)`
 * spells its direction and names its argument (iommufd.h instead heads the argument struct's
 * kernel-doc with `struct s - ioctl(NAME)`). That block also documents the request constant,
 * the argument struct and (kernel-doc `@member:` lines) its members.
 */
import type { Diagnostic } from '../../diagnostics.js';
import { inHeader, type IrModule } from '../../ir/types.js';
import { cleanComment, kernelDocMembers } from '../../parse/doc.js';
import type { Overrides } from '../overrides.js';
import type { ConstantModel, IoctlModel, RecordModel } from './types.js';

/**
 * The header's ioctls that have a request number, in header order, with the direction and
 * argument their doc block (or overrides.ts) gives. `records`: the records with a binding by C name.
 */
export function buildIoctls(
  ir: IrModule,
  constants: readonly ConstantModel[],
  records: ReadonlyMap<string, RecordModel>,
  overrides: Overrides,
): { ioctls: IoctlModel[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const docs = ir.comments.map((c) => cleanComment(c.text) ?? '');
  const found: IoctlModel[] = [];
  for (const m of ir.macros) {
    if (!inHeader(ir, m.loc)) continue;
    const def = /^\s*(_IO[RW]*)\s*\(/.exec(m.body);
    if (!def) continue;
    const esc = m.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(?:^|\\n)\\s*${esc}\\s*-\\s*(_IO[RW]*)\\s*\\(([^)]*)\\)`);
    let dir = def[1]!;
    let arg: string | undefined;
    let argScalar: string | undefined;
    let doc: string | undefined;
    for (const d of docs) {
      const hit = re.exec(d);
      if (!hit) continue;
      dir = hit[1]!;
      const params = hit[2]!.split(',').map((s) => s.replace(/\s+/g, ' ').trim());
      const third = params[2];
      if (third) {
        const sm = /^struct (\w+)$/.exec(third);
        if (sm) arg = sm[1]!;
        else argScalar = third;
      }
      doc = d;
      break;
    }
    // iommufd.h's convention: no `NAME - _IOx(...)` line, but a kernel-doc block
    // `struct iommu_ioas_alloc - ioctl(IOMMU_IOAS_ALLOC)` above the argument struct.
    if (arg === undefined && argScalar === undefined) {
      const kdoc = new RegExp(`(?:^|\\n)\\s*struct\\s+(\\w+)\\s*-\\s*ioctl\\(\\s*${esc}\\s*\\)`);
      for (const d of docs) {
        const hit = kdoc.exec(d);
        if (!hit) continue;
        arg = hit[1]!;
        doc ??= d;
        break;
      }
    }
    const ov = overrides.ioctlArg[m.name];
    if (ov) {
      arg = ov.struct;
      argScalar = undefined;
    }
    if (arg && !records.has(arg)) {
      diagnostics.push({ severity: 'warning', code: 'emit-ioctl-arg', message: `${m.name}: its doc names struct ${arg}, which this header does not define`, ...m.loc });
    }
    found.push({ name: m.name, dir, line: m.loc.line, ...(arg ? { arg } : {}), ...(argScalar ? { argScalar } : {}), ...(overrides.ioctlByValue[m.name] ? { byValue: true } : {}), ...(doc ? { doc } : {}) });
  }

  // An ioctl is only bound with its request number: a header that uses _IOWR without including
  // <linux/ioctl.h> (cec.h) leaves the macro unevaluated on every ABI.
  const macros = new Map(ir.macros.map((m) => [m.name, m]));
  const ioctls: IoctlModel[] = [];
  for (const io of found) {
    if (constants.some((c) => c.name === io.name)) {
      ioctls.push(io);
      continue;
    }
    const m = macros.get(io.name);
    diagnostics.push({ severity: 'warning', code: 'emit-ioctl-request', message: `${io.name}: no binding (its request number does not evaluate; does the header include <linux/ioctl.h>?)`, file: m?.loc.file ?? ir.headerPath, line: io.line, col: m?.loc.col ?? 1 });
  }
  return { ioctls, diagnostics };
}

/**
 * Fills in, in place, the docs the ioctl doc blocks give: the request constant's and the argument
 * struct's, where they have none of their own. `records`: the records with a binding by C name.
 */
export function assignIoctlDocs(ioctls: readonly IoctlModel[], constants: readonly ConstantModel[], records: ReadonlyMap<string, RecordModel>): void {
  // An ioctl's request constant without a comment of its own takes the doc block that names it
  // (`NAME - _IOx(...)`), which the kernel puts above the argument struct rather than the #define.
  for (const io of ioctls) {
    const c = constants.find((x) => x.name === io.name);
    if (c && c.doc === undefined && io.doc !== undefined) c.doc = io.doc;
    // The block sits above the first struct after it, which is not always the struct it names
    // (VFIO_DEVICE_GET_PCI_HOT_RESET_INFO's precedes vfio_pci_dependent_device, an element of
    // vfio_pci_hot_reset_info): the named struct gets it too when it has no doc of its own.
    const named = io.arg === undefined ? undefined : records.get(io.arg);
    if (named && named.doc === undefined && io.doc !== undefined) named.doc = io.doc;
  }
}

/**
 * Kernel-doc member lines in a struct's block (`@iommufd: iommufd to bind.`) document those
 * members too, after a comment of the member's own: fills them in, in place. Runs after
 * assignIoctlDocs, which may have given the struct its block.
 */
export function assignMemberDocs(records: readonly RecordModel[]): void {
  for (const r of records) {
    if (r.doc === undefined || !r.doc.includes('@')) continue;
    const kdoc = kernelDocMembers(r.doc);
    for (const m of [...r.members, ...(r.flex ? [r.flex] : [])]) {
      const d = kdoc.get(m.name);
      if (d !== undefined && !(m.doc ?? '').includes(d)) m.doc = m.doc === undefined ? d : `${m.doc}\n\n${d}`;
    }
  }
}
