/**
 * Budgets on the work one header may cause, so hostile or runaway input gets a clear error instead
 * of a hang or an exhausted heap (issue 12). Each has a CLI flag to raise it and a diagnostic code
 * of its own; the defaults are far above what any uapi header needs (the largest 7.2 header is
 * ~350 KB, its largest macro expansion a few thousand tokens, its largest struct ~600 members).
 */
export interface Limits {
  /** Bytes of source read for one translation unit, all includes together (`--max-input-bytes`; code pp-budget-input). */
  maxInputBytes: number;
  /** Tokens macro expansion may produce for one translation unit (`--max-macro-tokens`; code pp-budget-macro). */
  maxMacroTokens: number;
  /** Members of one struct or union (`--max-members`; code parse-budget-members). */
  maxMembers: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxInputBytes: 16 * 1024 * 1024,
  maxMacroTokens: 4_000_000,
  maxMembers: 65_536,
};

/** The CLI flags that set each limit, for `parseArgs` and the help texts. */
export const LIMIT_FLAGS: Readonly<Record<keyof Limits, string>> = {
  maxInputBytes: 'max-input-bytes',
  maxMacroTokens: 'max-macro-tokens',
  maxMembers: 'max-members',
};

export const LIMITS_HELP = `Budgets (a header over one is an error with its own code; raise it with the flag):
  --max-input-bytes N    source bytes for one header and its includes (default ${DEFAULT_LIMITS.maxInputBytes}) [pp-budget-input]
  --max-macro-tokens N   tokens macro expansion may produce (default ${DEFAULT_LIMITS.maxMacroTokens}) [pp-budget-macro]
  --max-members N        members of one struct or union (default ${DEFAULT_LIMITS.maxMembers}) [parse-budget-members]`;
