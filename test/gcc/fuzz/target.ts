/**
 * uapi-ts as the fuzzer sees it: worker.mjs in a child process, loaded from a generator directory
 * (this checkout's `generator/`, or an older checkout's for rediscovery runs), asked one header on
 * one ABI at a time, with a time limit per request. A request that outlives it is a hang (the
 * child is killed by its pid and restarted); a child that dies is a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AbiInfo {
  name: string;
  gcc: string;
  triplet: string;
}

export interface LayoutField {
  name: string;
  offset: number;
  size: number;
  type: string;
  fields?: LayoutField[];
  flexible?: true;
  bitOffset?: number;
  bitWidth?: number;
}

export interface LayoutDoc {
  abi: string;
  header: string;
  records: { kind: 'struct' | 'union'; name: string; size: number; align: number; fields: LayoutField[] }[];
  constants: { name: string; value: string }[];
  unsupported?: { name: string; message: string }[];
}

export type Ours =
  | { kind: 'ok'; errors: string[]; layout: LayoutDoc; ms: number }
  | { kind: 'exception'; stack: string; ms: number }
  | { kind: 'hang'; ms: number }
  | { kind: 'crash'; detail: string; ms: number };

/** worker.mjs lives beside this file's source; compiled copies find it from dist/ too. */
function workerPath(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  while (!existsSync(join(dir, 'worker.mjs'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('worker.mjs not found above the fuzzer');
    dir = up;
  }
  return join(dir, 'worker.mjs');
}

export class Target {
  private child: ChildProcess | undefined;
  private lines: AsyncIterator<string> | undefined;
  private nextId = 1;
  abis: AbiInfo[] = [];

  constructor(
    readonly generatorDir: string,
    readonly timeoutMs = 10_000,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, [workerPath(), this.generatorDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.resume();
    this.child = child;
    this.lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = await this.lines.next();
    if (first.done) throw new Error(`uapi-ts worker for ${this.generatorDir} did not start`);
    this.abis = (JSON.parse(first.value) as { abis: AbiInfo[] }).abis;
  }

  stop(): void {
    if (this.child && this.child.exitCode === null && this.child.pid !== undefined) this.child.kill('SIGKILL');
    this.child = undefined;
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** One request at a time (replies come back in order on one pipe). */
  analyze(dir: string, header: string, abi: string): Promise<Ours> {
    const next = this.queue.then(() => this.ask(dir, header, abi));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async ask(dir: string, header: string, abi: string): Promise<Ours> {
    if (!this.child) await this.start();
    const id = this.nextId++;
    const t0 = Date.now();
    this.child!.stdin!.write(`${JSON.stringify({ id, dir, header, abi })}\n`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((res) => {
      timer = setTimeout(() => res('timeout'), this.timeoutMs);
    });
    const got = await Promise.race([this.lines!.next(), timeout]);
    clearTimeout(timer);
    const ms = Date.now() - t0;
    if (got === 'timeout') {
      this.stop();
      return { kind: 'hang', ms };
    }
    if (got.done) {
      const code = this.child?.exitCode;
      const signal = this.child?.signalCode;
      this.stop();
      return { kind: 'crash', detail: `worker exited (${signal ?? code})`, ms };
    }
    const reply = JSON.parse(got.value) as { id: number; errors?: string[]; layout?: LayoutDoc; exception?: string };
    if (reply.exception !== undefined) return { kind: 'exception', stack: reply.exception, ms };
    return { kind: 'ok', errors: reply.errors!, layout: reply.layout!, ms };
  }
}
