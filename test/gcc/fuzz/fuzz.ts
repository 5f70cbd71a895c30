/**
 * The differential fuzzer: cases from gen.ts, judged on every ABI by gcc (gcc.ts) and by uapi-ts
 * (target.ts). Valid cases share one header per batch (one gcc run per ABI); cases likely to be
 * rejected somewhere, or that declare global names, and malformed ones are judged alone. A finding
 * is any of:
 *   mismatch         gcc and uapi-ts both accept, and gcc disagrees with a size, offset, alignment,
 *                    bit position or constant uapi-ts computed (a silent difference)
 *   accepts-invalid  gcc rejects the header, uapi-ts reports no error (the CLI would exit 0)
 *   exception        uapi-ts threw (a JS trace instead of a diagnostic)
 *   hang             no answer within the time limit
 *   crash            the uapi-ts process died
 *   bad-diagnostic   an error not in `file:line:col: error: message` form
 *   proof            the proof did not compile for a reason of its own (a fuzzer defect)
 * A refusal (uapi-ts errors where gcc accepts) is allowed and counted. Findings are minimised by
 * removing declarations, members and attributes while the same kind reproduces on the same ABI.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCase, malform } from './gen.js';
import { gccAccepts, proveLayout } from './gcc.js';
import { caseTags, renderCase, Rng, type Case, type Node, type Tag } from './spec.js';
import { Target, type AbiInfo } from './target.js';

export type FindingKind = 'mismatch' | 'accepts-invalid' | 'exception' | 'hang' | 'crash' | 'bad-diagnostic' | 'proof';

export interface Finding {
  kind: FindingKind;
  abi: string;
  seed: number;
  caseN: number;
  tags: Tag[];
  /** The (minimised) header. */
  text: string;
  malformed?: string;
  gcc: string[];
  ours: string[];
  /** When it was found: milliseconds since the run started and cases judged before it. */
  atMs: number;
  atCases: number;
}

export interface FuzzOptions {
  generatorDir: string;
  seed: number;
  workDir: string;
  /** ABI names to judge on (default: all the generator knows whose gcc exists). */
  abis?: readonly string[];
  /** Valid cases per shared header. */
  batch?: number;
  /** gcc processes at once. */
  jobs?: number;
  timeoutMs?: number;
  minimise?: boolean;
  /** Share of malformed cases. */
  malformedRate?: number;
}

interface Verdict {
  finding?: { kind: FindingKind; gcc: string[]; ours: string[] };
  /** Proof failures (for mapping a batch's failures back to its cases). */
  failures: string[];
  refused: boolean;
  clean: boolean;
}

export interface Stats {
  cases: number;
  malformed: number;
  judgements: number;
  refusals: number;
  gccRejects: number;
  findings: number;
}

const DIAGNOSTIC = /^[^\n]+:\d+:\d+: error: \S/;

export class Fuzzer {
  readonly target: Target;
  abis: AbiInfo[] = [];
  readonly stats: Stats = { cases: 0, malformed: 0, judgements: 0, refusals: 0, gccRejects: 0, findings: 0 };
  readonly findings: Finding[] = [];
  /** First finding per construct tag (minimised tags), for the rediscovery figures. */
  readonly firstByTag = new Map<Tag, Finding>();
  private started = Date.now();
  private seq = 0;
  private readonly reduced = new Map<string, Case>();
  /** Refusals (uapi-ts errors where gcc accepts) by normalised first message. */
  readonly refused = new Map<string, number>();
  /** The first header refused with each message (to look at what a refusal is about). */
  readonly refusedExample = new Map<string, string>();
  private readonly opts: Required<Omit<FuzzOptions, 'abis'>> & { abis?: readonly string[] };

  constructor(opts: FuzzOptions) {
    this.opts = { batch: 20, jobs: 2, timeoutMs: 10_000, minimise: true, malformedRate: 0.15, ...opts };
    this.target = new Target(opts.generatorDir, this.opts.timeoutMs);
    mkdirSync(join(opts.workDir, 'fz'), { recursive: true });
  }

  async start(available: (abi: AbiInfo) => boolean = () => true): Promise<void> {
    await this.target.start();
    this.abis = this.target.abis.filter((a) => (this.opts.abis ? this.opts.abis.includes(a.name) : true) && available(a));
    this.started = Date.now();
  }

  stop(): void {
    this.target.stop();
  }

  /** Generate and judge cases [first, first + count); returns the findings they produced. */
  async run(first: number, count: number): Promise<Finding[]> {
    const before = this.findings.length;
    const batch: Case[] = [];
    const alone: Case[] = [];
    for (let n = first; n < first + count; n++) {
      const c = makeCase(this.opts.seed, n);
      if (new Rng((this.opts.seed * 31 + n) >>> 0).chance(this.opts.malformedRate)) alone.push(malform(c, this.opts.seed));
      else if (c.solo || c.risky) alone.push(c);
      else batch.push(c);
    }
    for (let i = 0; i < batch.length; i += this.opts.batch) await this.judgeBatch(batch.slice(i, i + this.opts.batch));
    for (const c of alone) {
      const abis = c.malformed ? [this.abis[0]!, this.abis[1 + (c.n % (this.abis.length - 1))]!].filter(Boolean) : this.abis;
      await this.pool(abis, (abi) => this.judgeAlone(c, abi));
      this.stats.cases++;
      if (c.malformed) this.stats.malformed++;
    }
    return this.findings.slice(before);
  }

  private async pool<T>(items: readonly T[], f: (x: T) => Promise<void>): Promise<void> {
    let i = 0;
    const worker = async (): Promise<void> => {
      while (i < items.length) await f(items[i++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.jobs, items.length) }, worker));
  }

  private async judgeBatch(cases: Case[]): Promise<void> {
    const text = cases.map(renderCase).join('\n\n');
    await this.pool(this.abis, async (abi) => {
      const v = await this.judge(text, abi);
      if (v.clean) return;
      let suspects = cases;
      if (v.finding?.kind === 'mismatch') {
        const named = cases.filter((c) => v.failures.some((f) => f.includes(`c${c.n}_`)));
        if (named.length > 0) suspects = named;
      }
      for (const c of suspects) await this.judgeAlone(c, abi);
    });
    this.stats.cases += cases.length;
  }

  private async judgeAlone(c: Case, abi: AbiInfo): Promise<void> {
    const v = await this.judge(renderCase(c), abi);
    if (!v.finding) return;
    const kind = v.finding.kind;
    let found = { c, v };
    if (this.opts.minimise) {
      // The same case usually fails the same way on several ABIs: try the reduction found on the
      // first one before reducing again.
      const key = `${c.n}:${kind}`;
      const known = this.reduced.get(key);
      const kv = known ? await this.judge(renderCase(known), abi) : undefined;
      if (known && kv?.finding?.kind === kind) found = { c: known, v: kv };
      else {
        found = await this.minimise(c, abi, kind, v);
        this.reduced.set(key, found.c);
      }
    }
    const f: Finding = {
      kind,
      abi: abi.name,
      seed: this.opts.seed,
      caseN: c.n,
      tags: caseTags(found.c),
      text: renderCase(found.c),
      gcc: found.v.finding!.gcc,
      ours: found.v.finding!.ours,
      atMs: Date.now() - this.started,
      atCases: this.stats.cases,
    };
    if (c.malformed) f.malformed = c.malformed.how;
    this.findings.push(f);
    this.stats.findings++;
    for (const t of f.tags) if (!this.firstByTag.has(t)) this.firstByTag.set(t, f);
  }

  /** One header on one ABI, judged by both sides. */
  async judge(text: string, abi: AbiInfo): Promise<Verdict> {
    const id = `u${this.seq++}`;
    const header = `fz/${id}.h`;
    const dir = this.opts.workDir;
    writeFileSync(join(dir, header), text);
    this.stats.judgements++;
    try {
      const ours = await this.target.analyze(dir, header, abi.name);
      const none = { failures: [], refused: false, clean: false };
      if (ours.kind === 'exception') return { ...none, finding: { kind: 'exception', gcc: [], ours: ours.stack.split('\n').slice(0, 8) } };
      if (ours.kind === 'hang') return { ...none, finding: { kind: 'hang', gcc: [], ours: [`no answer in ${ours.ms} ms`] } };
      if (ours.kind === 'crash') return { ...none, finding: { kind: 'crash', gcc: [], ours: [ours.detail] } };
      const badForm = ours.errors.filter((e) => !DIAGNOSTIC.test(e));
      if (badForm.length > 0) return { ...none, finding: { kind: 'bad-diagnostic', gcc: [], ours: badForm.slice(0, 4) } };
      if (ours.errors.length > 0) {
        const gcc = await gccAccepts(dir, header, abi, id);
        if (gcc.ok) {
          this.stats.refusals++;
          // What uapi-ts refuses that gcc accepts (allowed, but each is a gap): by message.
          const why = ours.errors[0]!.replace(/^[^\n]*?:\d+:\d+: error: /, '').replace(/c\d+_\S*/g, 'N').replace(/\d+/g, '#');
          this.refused.set(why, (this.refused.get(why) ?? 0) + 1);
          if (!this.refusedExample.has(why)) this.refusedExample.set(why, `/* on ${abi.name}:\n * ${ours.errors.slice(0, 3).join('\n * ')}\n */\n${text}`);
        } else this.stats.gccRejects++;
        return { failures: [], refused: gcc.ok, clean: false };
      }
      const proof = await proveLayout(dir, header, abi, ours.layout, id);
      if (proof.headerRejected) {
        this.stats.gccRejects++;
        return { ...none, finding: { kind: 'accepts-invalid', gcc: proof.headerRejected, ours: ['no error (exit 0)'] } };
      }
      if (proof.failures.length > 0) {
        const kind = proof.failures.every((f) => f.startsWith('gcc disagrees')) ? 'mismatch' : 'proof';
        if (kind === 'proof') {
          // A header gcc rejects where its error lands past the header's end (cut after `struct`:
          // "expected '{' at end of input" in the file that includes it) is uapi-ts accepting
          // invalid input, not a defect of the proof: asked of gcc on the header alone.
          const gcc = await gccAccepts(dir, header, abi, id);
          if (!gcc.ok) {
            this.stats.gccRejects++;
            return { ...none, finding: { kind: 'accepts-invalid', gcc: gcc.errors, ours: ['no error (exit 0)'] } };
          }
        }
        return { failures: proof.failures, refused: false, clean: false, finding: { kind, gcc: proof.failures.slice(0, 8), ours: [] } };
      }
      return { failures: [], refused: false, clean: true };
    } finally {
      for (const f of [header, `syntax-${id}.c`, `proof-${id}.c`, `proof-${id}.o`, `probe-${id}.bin`]) rmSync(join(dir, f), { force: true });
    }
  }

  /** Greedy reduction: drop nodes, then plain-ify leaves, while the same kind reproduces on `abi`. */
  private async minimise(c: Case, abi: AbiInfo, kind: FindingKind, v: Verdict): Promise<{ c: Case; v: Verdict }> {
    let best = { c, v };
    let budget = 150;
    // gcc's complaint must stay the same too, or the reduction drifts to another problem (a
    // truncated header reduced to an empty enum).
    const said = (x: Verdict): string => (x.finding?.kind === 'accepts-invalid' ? (x.finding.gcc[0] ?? '').replace(/^.*?: (fatal )?error: /, '').replace(/c\d+_\S*/g, 'N').replace(/\d+/g, '#') : '');
    const complaint = said(v);
    const still = async (cand: Case): Promise<boolean> => {
      if (budget-- <= 0) return false;
      const cv = await this.judge(renderCase(cand), abi);
      if (cv.finding?.kind !== kind || said(cv) !== complaint) return false;
      best = { c: cand, v: cv };
      return true;
    };
    if (c.malformed) {
      let lines = c.malformed.text.split('\n');
      for (let i = lines.length - 1; i >= 0 && budget > 0; i--) {
        const fewer = [...lines.slice(0, i), ...lines.slice(i + 1)];
        if (await still({ ...best.c, malformed: { how: c.malformed.how, text: fewer.join('\n') } })) lines = fewer;
      }
      return best;
    }
    // Passes over the nodes (whole declarations first), each going on from where a removal
    // succeeded, until a pass removes nothing; then plain forms.
    let progress = true;
    while (progress && budget > 0) {
      progress = false;
      let i = 0;
      for (;;) {
        const paths = nodePaths(best.c.nodes);
        if (i >= paths.length || budget <= 0) break;
        const fewer = removeAt(best.c.nodes, paths[i]!);
        if (fewer && (await still({ ...best.c, nodes: fewer }))) progress = true;
        else i++;
      }
    }
    for (let i = 0; ; i++) {
      const paths = nodePaths(best.c.nodes);
      if (i >= paths.length || budget <= 0) break;
      const simpler = plainAt(best.c.nodes, paths[i]!);
      if (simpler) await still({ ...best.c, nodes: simpler });
    }
    return best;
  }

  /** The header text a finding was judged on, with its verdicts in a comment (a reproducible .h). */
  static reproducer(f: Finding, generatorDir: string): string {
    const esc = (s: string): string => s.replace(/\*\//g, '* /');
    const gcc = f.gcc.length > 0 ? f.gcc.map((l) => ` *   ${esc(l)}`).join('\n') : ' *   (accepts)';
    const ours = f.ours.length > 0 ? f.ours.map((l) => ` *   ${esc(l)}`).join('\n') : ' *   (see gcc)';
    return `/* uapi-ts fuzz finding: ${f.kind} on ${f.abi} (seed ${f.seed}, case ${f.caseN}, tags ${f.tags.join(' ')})\n${f.malformed ? ` * malformed: ${esc(f.malformed)}\n` : ''} * generator: ${esc(generatorDir)}\n * found after ${(f.atMs / 1000).toFixed(1)} s and ${f.atCases} cases\n * gcc:\n${gcc}\n * uapi-ts:\n${ours}\n */\n${f.text}\n`;
  }
}

/** Paths to every node, parents before children, so whole declarations go first. */
function nodePaths(nodes: readonly Node[], prefix: number[] = []): number[][] {
  const out: number[][] = [];
  nodes.forEach((n, i) => out.push([...prefix, i]));
  nodes.forEach((n, i) => {
    if (n.items) out.push(...nodePaths(n.items, [...prefix, i]));
  });
  return out;
}

function removeAt(nodes: readonly Node[], path: readonly number[]): Node[] | undefined {
  const [i, ...rest] = path;
  if (rest.length === 0) return nodes.length > 1 || path.length === 1 ? nodes.filter((_, j) => j !== i) : undefined;
  const n = nodes[i!]!;
  const items = removeAt(n.items!, rest);
  if (!items || (n.keepOne && items.length === 0)) return undefined;
  return nodes.map((m, j) => (j === i ? { ...n, items } : m));
}

function plainAt(nodes: readonly Node[], path: readonly number[]): Node[] | undefined {
  const [i, ...rest] = path;
  const n = nodes[i!]!;
  if (rest.length === 0) {
    if (n.plain !== undefined) return nodes.map((m, j) => (j === i ? { tags: [], line: n.plain! } : m));
    if (n.plainTail === undefined) return undefined;
    const { plainHead, plainTail, plainTags, ...rest2 } = n;
    return nodes.map((m, j) => (j === i ? { ...rest2, head: plainHead ?? n.head!, tail: plainTail, tags: plainTags ?? n.tags } : m));
  }
  if (!n.items) return undefined;
  const items = plainAt(n.items, rest);
  return items ? nodes.map((m, j) => (j === i ? { ...n, items } : m)) : undefined;
}

