/**
 * The wasm backend's worker pool: worker_threads in Node sharing the backend's WebAssembly.Memory,
 * each with its own instance of the kernels. `run` hands part p of P to worker p (p ≥ 1), runs
 * part 0 on the calling thread and blocks with Atomics.wait until every part is done, so ops stay
 * synchronous. Workers are unref'd: they never keep Node from exiting.
 */
import { KeepdistError, OptionError } from '../../errors.js';

/** Exports a worker may be asked to run (their index is the task code). */
export const parallelExports = [
  'matmul_f32', 'matmul_f64', 'pairwiseSweep_f32', 'pairwiseSweep_f64', 'nearest_f32', 'nearest_f64', 'unary_f32', 'unary_f64',
  'adamRows_f32', 'adamRows_f64', 'sgdRows_f32', 'sgdRows_f64', 'nearestSelf_f32', 'nearestSelf_f64',
] as const;

/** A parallel export's name. */
export type ParallelExport = (typeof parallelExports)[number];

/** How many threads a backend runs on, and why when fewer than asked. */
export interface ThreadInfo {
  /** Threads in use (the calling thread included). */
  threads: number;
  /** Threads asked for. */
  requested: number;
  /** Why `threads` < `requested` (no SharedArrayBuffer, no worker_threads…), else null. */
  reason: string | null;
}

/** Int32 slots per worker in the control block: seq, done, task, argc, failed. */
const SLOT = 8;
/** Arguments per task. */
const MAX_ARGS = 16;

const workerSource = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, names, slotWords, maxArgs } = workerData;
const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control, 0, workerData.argsOffset / 4);
const args = new Float64Array(control, workerData.argsOffset + slot * maxArgs * 8, maxArgs);
const base = slot * slotWords;
let seen = 0;
for (;;) {
  Atomics.wait(ctl, base, seen);
  seen = Atomics.load(ctl, base);
  let failed = 0;
  try {
    ex[names[ctl[base + 2]]](...args.subarray(0, ctl[base + 3]));
  } catch (e) {
    failed = 1;
  }
  ctl[base + 4] = failed;
  Atomics.store(ctl, base + 1, seen);
  Atomics.notify(ctl, base + 1);
}
`;

/** Why threads cannot run here, or null when they can. */
export function threadsUnavailable(): string | null {
  if (typeof SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is not available (in a browser the page must be cross-origin isolated)';
  if (typeof Atomics?.wait !== 'function') return 'Atomics.wait is not available';
  if (!workerThreads()) return 'worker_threads is not available (worker threads run in Node only for now)';
  return null;
}

type WorkerCtor = new (src: string, opts: { eval: true; workerData: unknown }) => { unref(): void; terminate(): Promise<number> };

/** Node's worker_threads Worker class, or null outside Node. */
function workerThreads(): WorkerCtor | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as { Worker?: WorkerCtor; isMainThread?: boolean } | undefined;
  return wt?.Worker ?? null;
}

/** Checks a requested thread count: an integer ≥ 1. */
export function checkThreads(threads: unknown): number {
  if (typeof threads === 'number' && Number.isInteger(threads) && threads >= 1 && threads <= 64) return threads;
  throw new OptionError(`createWasmBackend: expected threads to be an integer in [1, 64], got ${String(threads)}.`);
}

/** Workers over one shared memory (threads − 1 of them: the calling thread takes part 0). */
export class WorkerPool {
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private readonly seq: number[];
  private readonly workers: { unref(): void; terminate(): Promise<number> }[] = [];

  /**
   * @param module the kernels compiled for a shared memory
   * @param memory the backend's shared memory
   * @param threads total threads, ≥ 2
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, readonly threads: number) {
    const Worker = workerThreads()!;
    const n = threads - 1;
    const argsOffset = Math.ceil((n * SLOT * 4) / 8) * 8;
    const control = new SharedArrayBuffer(argsOffset + n * MAX_ARGS * 8);
    this.ctl = new Int32Array(control, 0, n * SLOT);
    this.args = new Float64Array(control, argsOffset, n * MAX_ARGS);
    this.seq = new Array<number>(n).fill(0);
    for (let slot = 0; slot < n; slot++) {
      const w = new Worker(workerSource, {
        eval: true,
        workerData: { module, memory, control, slot, names: parallelExports, slotWords: SLOT, maxArgs: MAX_ARGS, argsOffset },
      });
      w.unref();
      this.workers.push(w);
    }
  }

  /**
   * Runs `name` with `argsFor(p)` for every part p < parts (≤ threads): parts ≥ 1 on the workers,
   * part 0 through `local` on this thread; returns when all are done.
   */
  run(name: ParallelExport, parts: number, argsFor: (part: number) => number[], local: (...args: number[]) => void): void {
    const code = parallelExports.indexOf(name);
    const used = Math.min(parts, this.threads) - 1;
    for (let w = 0; w < used; w++) {
      const args = argsFor(w + 1);
      this.args.set(args, w * MAX_ARGS);
      this.ctl[w * SLOT + 2] = code;
      this.ctl[w * SLOT + 3] = args.length;
      Atomics.store(this.ctl, w * SLOT, ++this.seq[w]!);
      Atomics.notify(this.ctl, w * SLOT);
    }
    let error: unknown = null;
    try {
      local(...argsFor(0));
    } catch (e) {
      error = e;
    }
    let failed = false;
    for (let w = 0; w < used; w++) {
      const done = w * SLOT + 1;
      for (let v = Atomics.load(this.ctl, done); v !== this.seq[w]; v = Atomics.load(this.ctl, done)) Atomics.wait(this.ctl, done, v);
      failed ||= this.ctl[w * SLOT + 4] !== 0;
    }
    if (error) throw error;
    if (failed) throw new KeepdistError(`wasm backend: expected every worker to finish '${name}', got a worker that failed. Use threads: 1 to see the error.`);
  }

  /** Stops the workers (the pool must not be used afterwards). */
  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
