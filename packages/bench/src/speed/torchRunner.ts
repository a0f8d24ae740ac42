// The PyTorch stack's plumbing: find a Python that imports torch, hand it a workload's data, read back its JSON.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LLOYD_CLAMP_EPS, type Workload, type WorkloadData, type WorkloadValues } from './workloads.js';

/** What the torch script reports about the process that ran: versions, threads and the BLAS it loaded. */
export interface TorchInfo {
  readonly python: string;
  readonly torch: string;
  /** torch.get_num_threads(). */
  readonly threads: number;
  /** BLAS_INFO of torch's build configuration (Debian's torch: `generic`, i.e. the system libblas). */
  readonly blas_info: string | null;
  /** The OpenBLAS library in the process, its kernel (core name), build config and thread count. */
  readonly blas: { library: string | null; corename: string | null; config: string | null; threads: number | null };
  /** torch.__config__.show(). */
  readonly config: string;
}

/** A Python interpreter that imports torch, or why none was found. */
export type TorchPython = { readonly python: string; readonly info: TorchInfo } | { readonly reason: string };

/** How lloyd is written on torch: `literal` takes acos of every cosine; `rowmax` only of each sample's largest. */
export type LloydForm = 'literal' | 'rowmax';

/** Interpreters tried in turn when none is given: Debian's (where python3-torch installs), then PATH's. */
export const PYTHON_CANDIDATES: readonly string[] = ['/usr/bin/python3', 'python3', 'python'];

/** Environment variables that pin OpenBLAS's kernel or cache size on this machine; unset for torch's process only. */
export const OPENBLAS_PINS: readonly string[] = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'];

/** The torch process's environment: `env` without {@link OPENBLAS_PINS}, with OpenMP and OpenBLAS at `threads`. */
export function torchEnv(threads: number, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  for (const name of OPENBLAS_PINS) delete out[name];
  return out;
}

/** Path of scripts/torch_speed.py, from src/speed (tsx, vitest) or from dist (the built CLI). */
export function torchScriptPath(): string {
  for (const rel of ['../../scripts/torch_speed.py', '../scripts/torch_speed.py']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('speed: expected scripts/torch_speed.py beside the bench, got none. Run from the keepdist repository.');
}

interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command args` to its end (asynchronously, so Ctrl-C and progress keep working); a spawn error is a result. */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (b: Buffer) => void (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
    child.on('error', (err) => resolve({ code: null, stdout, stderr: err.message }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (text: string): string => text.trim().split('\n').at(-1) ?? '';

/** The JSON object on the last line of the script's stdout. */
function parseOutput(r: ProcessResult, what: string): Record<string, unknown> {
  if (r.code !== 0) throw new Error(`${what}: exit code ${String(r.code)}: ${lastLine(r.stderr) || 'no message'}`);
  try {
    return JSON.parse(lastLine(r.stdout)) as Record<string, unknown>;
  } catch {
    throw new Error(`${what}: expected one JSON line on stdout, got '${lastLine(r.stdout).slice(0, 200)}'.`);
  }
}

/** Asks `python` to run the script's probe at `threads`; throws with the interpreter's message when torch is absent. */
export async function probeTorch(python: string, threads: number): Promise<TorchInfo> {
  const r = await run(python, [torchScriptPath(), '--probe', '--threads', String(threads)], torchEnv(threads));
  return parseOutput(r, python)['info'] as TorchInfo;
}

/** The first of `candidates` whose Python imports torch, with its probe at one thread; else the reasons. */
export async function findTorchPython(candidates: readonly string[] = PYTHON_CANDIDATES): Promise<TorchPython> {
  const tried: string[] = [];
  for (const python of candidates) {
    try {
      return { python, info: await probeTorch(python, 1) };
    } catch (err) {
      tried.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { reason: `no Python with torch found (${tried.join('; ')}). Install it: bash packages/bench/scripts/install-torch.sh` };
}

/** What one torch job measured. */
export interface TorchRun {
  readonly timesMs: number[];
  readonly loss: number | undefined;
  readonly info: TorchInfo;
  /** The last run's gradient (or C), when asked for. */
  readonly values: WorkloadValues | undefined;
}

/** Options of one torch job. */
export interface TorchJobOptions {
  readonly threads: number;
  readonly warmup: number;
  readonly repeats: number;
  readonly form?: LloydForm;
  /** Also read back the last run's gradient (or C). */
  readonly values?: boolean;
}

/**
 * Runs workload `w` on torch in a child process of `python`: writes `data` as raw float32 and a job
 * file to a temporary folder, runs scripts/torch_speed.py (times measured inside Python, so the
 * interpreter's start is not counted), parses its JSON, removes the folder.
 */
export async function runTorchJob(python: string, w: Workload, data: WorkloadData, o: TorchJobOptions): Promise<TorchRun> {
  const dir = mkdtempSync(join(tmpdir(), 'keepdist-torch-'));
  try {
    const dataPath = join(dir, 'data.f32');
    writeFileSync(dataPath, Buffer.concat(data.arrays.map((a) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength))));
    const valuesOut = o.values ? join(dir, 'values.f32') : null;
    const job = {
      kind: w.kind, data: dataPath, arrays: data.arrays.map((a) => ({ name: a.name, shape: a.shape })),
      threads: o.threads, warmup: o.warmup, repeats: o.repeats, clamp_eps: LLOYD_CLAMP_EPS, form: o.form ?? 'literal', values_out: valuesOut,
    };
    const jobPath = join(dir, 'job.json');
    writeFileSync(jobPath, JSON.stringify(job));
    const out = parseOutput(await run(python, [torchScriptPath(), '--job', jobPath], torchEnv(o.threads)), `torch (${python})`);
    const loss = typeof out['loss'] === 'number' ? out['loss'] : undefined;
    let values: WorkloadValues | undefined;
    if (valuesOut !== null) {
      const bytes = readFileSync(valuesOut);
      const array = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      values = loss === undefined ? { kind: 'forward', output: array } : { kind: 'lossGrad', loss, grad: array };
    }
    return { timesMs: out['times_ms'] as number[], loss, info: out['info'] as TorchInfo, values };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
