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

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity}: ${d.message} [${d.code}]`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
