/**
 * A pool of worker threads for the whole-tree commands: tasks go to whichever worker is free,
 * results come back in completion order with the task's index.
 *
 * Memory ceiling: each worker's JavaScript heap (V8's old generation) is capped at `heapMb`
 * (`resourceLimits.maxOldGenerationSizeMb`). A task that needs more ends its worker with
 * ERR_WORKER_OUT_OF_MEMORY; that task is reported as failed (`outOfMemory`) and a fresh worker
 * takes the remaining tasks. The whole run stays under about jobs x (heapMb + the native memory of
 * tree-sitter and Node's per-thread overhead, ~50 MB) plus the main thread, which keeps only each
 * task's small result.
 */
import { Worker } from 'node:worker_threads';

export interface PoolOptions {
  jobs: number;
  heapMb: number;
  /** Passed to every worker as `workerData`. */
  workerData: unknown;
}

export type TaskOutcome<R> = { ok: true; result: R } | { ok: false; message: string; outOfMemory: boolean };

/** The messages between the pool and a worker script (tree-worker.ts implements the other side). */
export interface TaskMessage<T> {
  index: number;
  task: T;
}
export type ResultMessage<R> = { index: number; result: R } | { index: number; error: string };

export function runPool<T, R>(script: URL, tasks: readonly T[], opts: PoolOptions, onOutcome: (index: number, outcome: TaskOutcome<R>) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    let live = 0;
    if (tasks.length === 0) {
      resolve();
      return;
    }
    const start = (): void => {
      if (next >= tasks.length) return;
      const worker = new Worker(script, { workerData: opts.workerData, resourceLimits: { maxOldGenerationSizeMb: opts.heapMb } });
      live++;
      let current = -1;
      let finished = false;
      const feed = (): void => {
        if (next >= tasks.length) {
          finished = true;
          void worker.terminate();
          return;
        }
        current = next++;
        worker.postMessage({ index: current, task: tasks[current]! } satisfies TaskMessage<T>);
      };
      const complete = (index: number, outcome: TaskOutcome<R>): void => {
        done++;
        try {
          onOutcome(index, outcome);
        } catch (e) {
          reject(e);
        }
      };
      worker.on('message', (m: ResultMessage<R>) => {
        complete(m.index, 'error' in m ? { ok: false, message: m.error, outOfMemory: false } : { ok: true, result: m.result });
        current = -1;
        feed();
      });
      worker.on('error', (e: Error & { code?: string }) => {
        // The task it was working on fails; the others go to a fresh worker.
        if (current >= 0) complete(current, { ok: false, message: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of memory (over the ${opts.heapMb} MB heap ceiling of a worker)` : `worker failed: ${e.message}`, outOfMemory: e.code === 'ERR_WORKER_OUT_OF_MEMORY' });
        current = -1;
        finished = true;
      });
      worker.on('exit', () => {
        live--;
        if (!finished && current >= 0) complete(current, { ok: false, message: 'worker exited', outOfMemory: false });
        if (next < tasks.length) start();
        else if (live === 0) {
          if (done === tasks.length) resolve();
          else reject(new Error(`worker pool: ${tasks.length - done} tasks without a result`));
        }
      });
      feed();
    };
    for (let i = 0; i < Math.min(opts.jobs, tasks.length); i++) start();
  });
}
