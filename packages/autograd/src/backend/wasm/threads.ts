/**
 * The wasm backend's worker pool: worker_threads in Node, Web Workers in a cross-origin isolated
 * browser page, sharing the backend's WebAssembly.Memory, each with its own instance of the
 * kernels. `run` hands part p of P to worker p (p ≥ 1), runs part 0 on the calling thread and
 * waits until every part is done, so ops stay synchronous: with Atomics.wait where the thread may
 * block, by spinning on Atomics.load on a page's main thread (where it may not). There a Web
 * Worker starts only once the page's task yields, so parts meant for a worker that has not said it
 * is ready run on the calling thread instead. Node workers are unref'd: they never keep Node from
 * exiting.
 */
import { KeepdistError, OptionError } from '../../errors.js';

/** Exports a worker may be asked to run (their index is the task code). */
export const parallelExports = [
  'matmul_f32', 'matmul_f64', 'pairwiseSweep_f32', 'pairwiseSweep_f64', 'nearest_f32', 'nearest_f64', 'unary_f32', 'unary_f64',
  'adamRows_f32', 'adamRows_f64', 'sgdRows_f32', 'sgdRows_f64', 'nearestSelf_f32', 'nearestSelf_f64',
  'nearestRows_f32', 'nearestRows_f64',
  'sortedRowLoss_f32', 'sortedRowLoss_f64', 'sortedRowLossOfCoordinates_f32', 'sortedRowLossOfCoordinates_f64',
  'nearestSmall_f32', 'nearestSmall_f64',
] as const;

/** A parallel export's name. */
export type ParallelExport = (typeof parallelExports)[number];

/** How many threads a backend runs on, and why when fewer than asked. */
export interface ThreadInfo {
  /** Threads in use (the calling thread included). */
  threads: number;
  /** Threads asked for. */
  requested: number;
  /** Why `threads` < `requested` (no SharedArrayBuffer, no worker threads…), else null. */
  reason: string | null;
  /**
   * Workers that have started (threads − 1 once all have; 0 on one thread). In a browser page the
   * parts of a worker that has not started yet run on the page's thread.
   */
  ready: number;
}

/** Int32 slots per worker in the control block: seq, done, task, argc, failed, ready. */
const SLOT = 8;
/** Arguments per task. */
const MAX_ARGS = 16;

/** What a worker is started with (Node: workerData; a browser: its first message). */
interface WorkerSetup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
  names: readonly string[];
  slotWords: number;
  maxArgs: number;
  argsOffset: number;
}

/** The worker's loop (shared by both kinds): instantiate, say ready, then run tasks as they come. */
const workerLoop = `
function serve({ module, memory, control, slot, names, slotWords, maxArgs, argsOffset }) {
  const ex = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const ctl = new Int32Array(control, 0, argsOffset / 4);
  const args = new Float64Array(control, argsOffset + slot * maxArgs * 8, maxArgs);
  const base = slot * slotWords;
  Atomics.store(ctl, base + 5, 1);
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
}
`;
/** A Node worker_threads worker (evaluated source). */
const nodeWorkerSource = `${workerLoop}\nserve(require('node:worker_threads').workerData);\n`;
/** A Web Worker (from a blob URL): set up by its first message. */
const webWorkerSource = `${workerLoop}\nself.onmessage = (e) => { self.onmessage = null; serve(e.data); };\n`;

type NodeWorkerCtor = new (src: string, opts: { eval: true; workerData: unknown }) => { unref(): void; terminate(): Promise<number> };
type WebWorkerCtor = new (url: string) => { postMessage(m: unknown): void; terminate(): void };

/** Node's worker_threads Worker class, or null outside Node. */
function nodeWorkers(): NodeWorkerCtor | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = proc?.getBuiltinModule?.('node:worker_threads') as { Worker?: NodeWorkerCtor } | undefined;
  return wt?.Worker ?? null;
}

/** The Web Worker class with blob URLs to start it from, or null (Node, or a runtime without them). */
function webWorkers(): WebWorkerCtor | null {
  const g = globalThis as { Worker?: WebWorkerCtor; Blob?: unknown; URL?: { createObjectURL?: unknown } };
  return typeof g.Worker === 'function' && typeof g.Blob === 'function' && typeof g.URL?.createObjectURL === 'function' ? g.Worker : null;
}

/** Why threads cannot run here, or null when they can. */
export function threadsUnavailable(): string | null {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) {
    return 'the page is not cross-origin isolated, so SharedArrayBuffer is not available (serve it with the headers '
      + 'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (typeof SharedArrayBuffer !== 'function') return 'SharedArrayBuffer is not available (in a browser the page must be cross-origin isolated)';
  if (typeof Atomics?.wait !== 'function') return 'Atomics.wait is not available';
  if (!nodeWorkers() && !webWorkers()) return 'no worker threads here (neither Node\'s worker_threads nor Web Workers)';
  return null;
}

/** True where this thread may block in Atomics.wait (not a browser page's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
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
  private readonly workers: { terminate(): unknown }[] = [];
  /** True where the calling thread may block in Atomics.wait; else it spins and skips workers not yet ready. */
  private readonly blocking = canBlock();

  /**
   * @param module the kernels compiled for a shared memory
   * @param memory the backend's shared memory
   * @param threads total threads, ≥ 2
   */
  constructor(module: WebAssembly.Module, memory: WebAssembly.Memory, readonly threads: number) {
    const n = threads - 1;
    const argsOffset = Math.ceil((n * SLOT * 4) / 8) * 8;
    const control = new SharedArrayBuffer(argsOffset + n * MAX_ARGS * 8);
    this.ctl = new Int32Array(control, 0, n * SLOT);
    this.args = new Float64Array(control, argsOffset, n * MAX_ARGS);
    this.seq = new Array<number>(n).fill(0);
    const NodeWorker = nodeWorkers(), WebWorker = NodeWorker ? null : webWorkers();
    const url = WebWorker ? URL.createObjectURL(new Blob([webWorkerSource], { type: 'text/javascript' })) : '';
    for (let slot = 0; slot < n; slot++) {
      const setup: WorkerSetup = { module, memory, control, slot, names: parallelExports, slotWords: SLOT, maxArgs: MAX_ARGS, argsOffset };
      if (NodeWorker) {
        const w = new NodeWorker(nodeWorkerSource, { eval: true, workerData: setup });
        w.unref();
        this.workers.push(w);
      } else {
        const w = new WebWorker!(url);
        w.postMessage(setup);
        this.workers.push(w);
      }
    }
  }

  /** Workers that have instantiated their kernels. */
  ready(): number {
    let r = 0;
    for (let w = 0; w < this.threads - 1; w++) r += Atomics.load(this.ctl, w * SLOT + 5);
    return r;
  }

  /**
   * Runs `name` with `argsFor(p)` for every part p < parts (≤ threads): parts ≥ 1 on the workers,
   * part 0 (and, where the caller cannot block, the parts of workers not yet ready) through `local`
   * on this thread; returns when all are done.
   */
  run(name: ParallelExport, parts: number, argsFor: (part: number) => number[], local: (...args: number[]) => void): void {
    const code = parallelExports.indexOf(name);
    const used = Math.min(parts, this.threads) - 1;
    const sent: number[] = [], mine: number[] = [0];
    for (let w = 0; w < used; w++) {
      if (!this.blocking && Atomics.load(this.ctl, w * SLOT + 5) !== 1) {
        mine.push(w + 1);
        continue;
      }
      const args = argsFor(w + 1);
      this.args.set(args, w * MAX_ARGS);
      this.ctl[w * SLOT + 2] = code;
      this.ctl[w * SLOT + 3] = args.length;
      Atomics.store(this.ctl, w * SLOT, ++this.seq[w]!);
      Atomics.notify(this.ctl, w * SLOT);
      sent.push(w);
    }
    let error: unknown = null;
    try {
      for (const p of mine) local(...argsFor(p));
    } catch (e) {
      error = e;
    }
    let failed = false;
    for (const w of sent) {
      const done = w * SLOT + 1;
      for (let v = Atomics.load(this.ctl, done); v !== this.seq[w]; v = Atomics.load(this.ctl, done)) {
        if (this.blocking) Atomics.wait(this.ctl, done, v);
      }
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
