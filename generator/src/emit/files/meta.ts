/** src/meta.ts of the package: capability kinds and ioctls (ABI-independent, inferred from the header). */
import type { BindingModel } from '../model/index.js';
import { braces, constStmt, type Stmt } from '../print.js';

export function metaFile(model: BindingModel): Stmt[] {
  const st: Stmt[] = [];
  const kinds = model.capKinds.map((k) => `  ${k.info}: {\n    capsFlag: '${k.capsFlag}',\n    caps: ${k.caps.length ? `[\n${k.caps.map((c) => `      { id: ${c.id}, macro: '${c.macro}', struct: ${c.struct ? `'${c.struct}'` : 'null'}, versions: [${c.versions.join(', ')}] },`).join('\n')}\n    ]` : '[]'},\n  },`);
  st.push(constStmt('CAP_KINDS', `${braces(kinds)} as const`, { docs: [{ description: 'Info structs that carry a capability chain (a cap_offset member and a *_CAPS flag), and the caps each can carry.\nA null struct is a header-only capability (its view is the cap header).' }] }));
  const io = model.ioctls.map((i) => `  ${i.name}: { dir: '${i.dir}', arg: ${i.arg ? `'${i.arg}'` : 'null'}${i.argScalar ? `, argType: '${i.argScalar}'` : ''}${i.byValue ? ', byValue: true' : ''} },`);
  st.push(constStmt('IOCTLS', `${braces(io)} as const`, { docs: [{ description: 'Every ioctl of the header: direction and argument struct, from the doc comment above it.\n`byValue`: the kernel takes the integer argument itself, not a pointer to it (pass a number to Transport.ioctl).' }] }));
  if (model.features.length > 0) {
    const kinds = model.features.map((f) => `  ${f.carrier}: {\n    ioctl: '${f.ioctl}',\n    idMask: ${f.idMask},\n    ids: ${braces(f.ids.map((e) => `      ${e.macro}: { id: ${e.id}, payload: ${e.payload === null ? 'null' : `'${e.payload}'`}${e.bytes !== undefined ? `, bytes: ${e.bytes}` : ''} },`)).replace(/\n\}$/, '\n    }')},\n  },`);
    st.push(constStmt('FEATURES', `${braces(kinds)} as const`, { docs: [{ description: 'Feature carriers (vfio_device_feature): the ioctl, the id bits of flags, and each id with the payload struct its data[] holds\n(null: none, or `bytes` raw bytes). From generator/src/emit/overrides.ts, as the header does not say it.' }] }));
  }
  return st;
}
