/**
 * Progress of a long run on stderr: a bar redrawn in place when stderr is a terminal; otherwise
 * (CI logs, pipes) a plain line at every tenth of the work, so logs stay short and readable.
 */
import { printable } from '../diagnostics.js';

export class Progress {
  private count = 0;
  private failed = 0;
  private nextLine = 0;
  private readonly tty: boolean;
  private readonly started = performance.now();
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly noun: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = stream.isTTY === true;
  }

  /** One item finished (`failed`: with errors). */
  step(item: string, failed: boolean): void {
    this.count++;
    if (failed) this.failed++;
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    if (this.tty) {
      const now = performance.now();
      if (now - this.lastDraw < 50 && this.count < this.total) return;
      this.lastDraw = now;
      const width = 30;
      const fill = Math.round((this.count / this.total) * width);
      const cols = this.stream.columns ?? 100;
      const line = `[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${this.count}/${this.total} ${this.noun} ${secs}s, ${this.failed} with errors  ${printable(item)}`;
      this.stream.write(`\r${line.slice(0, cols - 1)}\x1b[K`);
      return;
    }
    if (this.count >= this.nextLine || this.count === this.total) {
      this.stream.write(`${this.count}/${this.total} ${this.noun} (${Math.floor((this.count / this.total) * 100)}%), ${this.failed} with errors, ${secs} s\n`);
      this.nextLine = Math.min(this.total, this.count + Math.max(1, Math.ceil(this.total / 10)));
    }
  }

  /** Clear the bar (a terminal) before the summary is printed. */
  done(): void {
    if (this.tty && this.count > 0) this.stream.write('\r\x1b[K');
  }
}
