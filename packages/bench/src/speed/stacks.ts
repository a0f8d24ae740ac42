// The stacks of `speed --suite workloads`: keepdist's backends, TensorFlow.js's cpu and wasm backends, PyTorch;
// each loaded only when asked for, and skipped with the reason when it cannot load.
import type { Measurement, SkippedStack, SpeedStack, SpeedSuiteCore, StackRequest, Timing } from '../commands/speedSuite.js';
import { WasmBackend, type Backend } from '@keepdist/autograd';
import { resolveBackend } from '../numeric/backends.js';
import { prepareKeepdistWorkload, type PreparedWorkload } from './keepdistWorkloads.js';
import { prepareTfjsWorkload, type TfModule } from './tfjsWorkloads.js';
import { OPENBLAS_PINS, findTorchPython, probeTorch, runTorchJob, type LloydForm, type TorchInfo } from './torchRunner.js';
import { workloadData } from './workloadData.js';
import type { Workload, WorkloadData } from './workloads.js';

/** Times a prepared workload: `warmup` untimed runs, `repeats` timed ones; frees it at the end. */
export async function timePrepared(prepared: PreparedWorkload, t: Timing): Promise<Measurement> {
  try {
    for (let i = 0; i < t.warmup; i++) {
      await prepared.run();
      await t.step();
    }
    const timesMs: number[] = [];
    let loss: number | undefined;
    for (let i = 0; i < t.repeats; i++) {
      const t0 = t.now();
      const v = await prepared.run();
      timesMs.push(t.now() - t0);
      loss = v.kind === 'lossGrad' ? v.loss : undefined;
      await t.step();
    }
    return { timesMs, loss };
  } finally {
    prepared.dispose();
  }
}

/** An in-process stack: `activate` runs before each workload (tfjs: selects its backend), `prepare` sets it up. */
function inProcessStack(
  name: string, keepdist: boolean, info: string,
  prepare: (w: Workload, data: WorkloadData) => PreparedWorkload, activate: () => Promise<void> = async () => undefined,
): SpeedStack {
  return {
    name, keepdist, info,
    measure: async (w, data, t) => {
      await activate();
      return timePrepared(prepare(w, data), t);
    },
  };
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A backend as the run's info lines name it; the wasm backend with its threads and the build of its kernels. */
export function backendLine(backend: Backend): string {
  if (!(backend instanceof WasmBackend)) return `${backend.name} backend`;
  const fma = backend.simd === 'relaxed-simd' ? ', fused multiply-add' : '';
  return `wasm backend (${backend.threadInfo().threads} thread(s), ${backend.simd} kernels${fma})`;
}

/** keepdist on each requested backend; a backend that cannot start (no wasm in this build, no GPU) is skipped. */
async function keepdistStacks(req: StackRequest, skipped: SkippedStack[]): Promise<SpeedStack[]> {
  const stacks: SpeedStack[] = [];
  for (const name of req.backends) {
    try {
      const { backend } = await resolveBackend(name);
      stacks.push(inProcessStack(`keepdist ${name}`, true, `@keepdist/autograd ${backendLine(backend)}, float32`, (w, data) => prepareKeepdistWorkload(w, data, backend)));
    } catch (err) {
      skipped.push({ name: `keepdist ${name}`, reason: message(err) });
    }
  }
  return stacks;
}

// Non-literal specifiers: the bundler leaves these dev dependencies out of dist and Node resolves them at run time.
const TFJS = '@tensorflow/tfjs';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';

/** TensorFlow.js's cpu and wasm backends as asked for; skipped with the reason when the packages or the backend are missing. */
async function tfjsStacks(req: StackRequest, skipped: SkippedStack[]): Promise<SpeedStack[]> {
  const wanted = req.against.filter((s) => s === 'tfjs-cpu' || s === 'tfjs-wasm');
  if (wanted.length === 0) return [];
  let tf: TfModule;
  try {
    tf = (await import(TFJS)) as TfModule;
  } catch (err) {
    for (const name of wanted) skipped.push({ name, reason: `${TFJS} is not installed (a dev dependency of @keepdist/bench: run pnpm install): ${message(err)}` });
    return [];
  }
  tf.enableProdMode();
  const stacks: SpeedStack[] = [];
  const use = (backend: string) => async (): Promise<void> => {
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs: the ${backend} backend failed to start`);
  };
  if (wanted.includes('tfjs-cpu')) {
    stacks.push(inProcessStack('tfjs-cpu', false, `@tensorflow/tfjs ${tf.version_core} cpu backend (plain JavaScript)`, (w, data) => prepareTfjsWorkload(tf, w, data), use('cpu')));
  }
  if (wanted.includes('tfjs-wasm')) {
    try {
      const wasm = (await import(TFJS_WASM)) as { version_wasm: string; getThreadsCount(): number };
      await use('wasm')();
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const info = `@tensorflow/tfjs-backend-wasm ${wasm.version_wasm} (XNNPACK${simd ? ', SIMD' : ', no SIMD'}, ${wasm.getThreadsCount()} thread(s))`;
      stacks.push(inProcessStack('tfjs-wasm', false, info, (w, data) => prepareTfjsWorkload(tf, w, data), use('wasm')));
    } catch (err) {
      skipped.push({ name: 'tfjs-wasm', reason: `${TFJS_WASM} did not load: ${message(err)}` });
    }
  }
  return stacks;
}

/** One line on a torch process: versions, threads, the BLAS kernel it used, the pins unset for it. */
export function torchInfoLine(info: TorchInfo, env: NodeJS.ProcessEnv = process.env): string {
  const blas = info.blas.config === null
    ? `BLAS ${info.blas_info ?? 'unknown'} (no OpenBLAS found in the process)`
    : `${info.blas.config.split(' ').slice(0, 2).join(' ')} kernel ${info.blas.corename}, ${info.blas.threads} BLAS thread(s) (${info.blas.library})`;
  const pins = OPENBLAS_PINS.filter((p) => env[p] !== undefined);
  const unset = pins.length === 0 ? '' : `; ${pins.map((p) => `${p}=${env[p]}`).join(', ')} unset for torch`;
  return `torch ${info.torch} (${info.python}), ${info.threads} thread(s), ${blas}${unset}`;
}

/** A torch stack at `threads`; `form` rowmax runs only lloyd, with acos of each sample's largest cosine. */
function torchStack(python: string, threads: number, info: TorchInfo, form: LloydForm): SpeedStack {
  const name = form === 'rowmax' ? `torch-${threads} acos(rowmax)` : `torch-${threads}`;
  const line = form === 'rowmax' ? `${torchInfoLine(info)}; lloyd as mean_s acos(max_i c_si)²` : torchInfoLine(info);
  return {
    name, keepdist: false, info: line, details: { ...info }, ...(form === 'rowmax' ? { kinds: ['lloyd' as const] } : {}),
    measure: async (w, data, t) => {
      const r = await runTorchJob(python, w, data, { threads, warmup: t.warmup, repeats: t.repeats, form });
      for (let i = 0; i < t.warmup + t.repeats; i++) await t.step();
      return { timesMs: r.timesMs, loss: r.loss };
    },
  };
}

/** PyTorch CPU at 1 and/or 2 threads (with the lloyd row-maximum variant of each); skipped with the reason when absent. */
async function torchStacks(req: StackRequest, skipped: SkippedStack[]): Promise<SpeedStack[]> {
  const threads = req.against.flatMap((s) => (s === 'torch-1' ? [1] : s === 'torch-2' ? [2] : []));
  if (threads.length === 0) return [];
  const found = await findTorchPython(req.python === undefined ? undefined : [req.python]);
  if ('reason' in found) {
    for (const k of threads) skipped.push({ name: `torch-${k}`, reason: found.reason });
    return [];
  }
  const infos = new Map<number, TorchInfo>();
  for (const k of threads) infos.set(k, k === 1 ? found.info : await probeTorch(found.python, k));
  const forms: readonly LloydForm[] = ['literal', 'rowmax'];
  const stacks = forms.flatMap((form) => threads.map((k) => torchStack(found.python, k, infos.get(k)!, form)));
  return stacks;
}

/** The suite's numeric side: every requested stack that loads, and the seeded workload inputs. */
export const speedSuiteCore: SpeedSuiteCore = {
  loadStacks: async (req) => {
    const skipped: SkippedStack[] = [];
    const stacks = [
      ...(await keepdistStacks(req, skipped)),
      ...(await tfjsStacks(req, skipped)),
      ...(await torchStacks(req, skipped)),
    ];
    return { stacks, skipped };
  },
  workloadData,
};
