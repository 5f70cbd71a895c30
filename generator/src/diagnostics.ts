/** Input problems are diagnostics (returned as data); bugs are exceptions. */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'note';
  /** Stable machine-readable code, e.g. "pp-include-not-found", "parse-error", "layout-unsupported". */
  code: string;
  message: string;
  file: string;
  line: number;
  col: number;
}

/** One line, whatever the file name or message holds (both may come from user input). */
export function formatDiagnostic(d: Diagnostic): string {
  return printable(`${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message} [${d.code}]`);
}

/**
 * Characters that would act on a terminal rather than show (C0 and C1 controls, DEL, line and
 * paragraph separators, bidirectional overrides and isolates), and lone surrogates.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text from user input (a label, a path, a name from a file) as it may be shown on a terminal: each
 * character that would act on the terminal instead of showing becomes an escape (`\x1b`, `\n`,
 * `\u202e`); everything else is kept. `keep` lists characters to leave alone (`'\n'` for whole
 * reports).
 */
export function printable(s: string, keep = ''): string {
  return s.replace(UNPRINTABLE, (c) => {
    if (keep.includes(c)) return c;
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = c.charCodeAt(0);
    return named[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
