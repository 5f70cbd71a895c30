/** The `uapi-ts` CLI: the only place that reads or writes files, prints, and sets exit codes. */
import { printable } from '../diagnostics.js';
import { UsageError } from './args.js';
import { CliError } from './io.js';

const USAGE = `uapi-ts: exact C layouts and TypeScript bindings for Linux uapi headers, for every ABI

usage:
  uapi-ts layout <header> -I <dir>... [--abi <abi>|all] [--format text|json]
  uapi-ts layout --all -I <dir> [--abi <abi>|all] [--include GLOB] [--exclude GLOB] [--jobs N] [--format json --out DIR]
  uapi-ts headers sync|verify|list [...]
  uapi-ts generate <header> -I <dir>... --out <dir> [--check] [--quiet] [--kernel X.Y] [--sha256 H] [--package NAME]
  uapi-ts decode <struct> [--abi A] [--caps] [--format json] [--hex] [--policy strict|compat] [FILE|-]
  uapi-ts diff <header> --from <dir> --to <dir> [--abi A] [--format text|json|markdown]
  uapi-ts diff <old.json> <new.json>
  uapi-ts diff --all --from <dir> --to <dir> [--abi A] [--include GLOB] [--format text|json|markdown]
  uapi-ts history <header> --tree <dir>... [--abi A]
  uapi-ts help
  uapi-ts <command> --help      (layout, generate, diff, history, decode)

ABIs: x86_64 i386 aarch64 armhf s390x ppc64 ppc64le riscv64
Each -I dir is searched as gcc's multiarch does: <dir>/<triplet> first, then <dir>.
Exit codes: 0 ok, 1 input errors (diagnostics printed as file:line:col), 2 usage.
`;

type Command = (argv: string[]) => number | Promise<number>;

// Commands load lazily so that `layout` never pays for what `generate` needs (ts-morph).
// The module path is a variable so that a command under construction does not break the build.
function lazy(modulePath: string, exportName: string): () => Promise<Command> {
  return async () => ((await import(modulePath)) as Record<string, Command>)[exportName]!;
}

const COMMANDS: Record<string, () => Promise<Command>> = {
  layout: async () => (await import('./layout.js')).layoutCommand,
  headers: lazy('./headers.js', 'headersCommand'),
  generate: lazy('./generate.js', 'generateCommand'),
  decode: lazy('./decode.js', 'decodeCommand'),
  diff: lazy('./diff.js', 'diffCommand'),
  history: lazy('./history.js', 'historyCommand'),
};

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === 'help' || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE);
    return cmd ? 0 : 2;
  }
  const load = COMMANDS[cmd];
  if (!load) {
    process.stderr.write(`uapi-ts: unknown command '${printable(cmd)}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (e) {
    // Messages may quote what the user typed: shown, never acted on by the terminal.
    if (e instanceof UsageError) {
      process.stderr.write(`uapi-ts ${cmd}: ${printable(e.message, '\n')}\n`);
      return 2;
    }
    if (e instanceof CliError) {
      process.stderr.write(`uapi-ts ${cmd}: ${printable(e.message, '\n')}\n`);
      return 1;
    }
    throw e;
  }
}
