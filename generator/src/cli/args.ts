/** A small flag parser: `--flag value`, `--flag=value`, boolean `--switch` (no value), repeatable flags, `-I dir` / `-Idir`. */
export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string[]>;
}

/** Bad usage of the command line (exit 2), as opposed to bad input (exit 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseArgs(argv: readonly string[], spec: { values: readonly string[]; booleans: readonly string[] }): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string): void => {
    const list = flags.get(k) ?? [];
    list.push(v);
    flags.set(k, list);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-I' || a.startsWith('-I')) {
      const v = a === '-I' ? argv[++i] : a.slice(2);
      if (v === undefined) throw new UsageError('-I needs a directory');
      add('I', v);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (spec.booleans.includes(name)) {
        // `--check=false` must not silently check: a switch takes no value.
        if (eq >= 0) throw new UsageError(`--${name} takes no value (given '${a.slice(eq + 1)}')`);
        add(name, 'true');
        continue;
      }
      if (!spec.values.includes(name)) throw new UsageError(`unknown option --${name}`);
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      add(name, v);
      continue;
    }
    positional.push(a);
  }
  return { positional, flags };
}

export function one(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  return v?.[v.length - 1];
}
