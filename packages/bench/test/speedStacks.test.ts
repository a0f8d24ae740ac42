// Loading the stacks of `speed --suite workloads`: keepdist backends (wasm where this build has it), tfjs, torch
// (skipped with the reason when absent), the torch process's environment and description.
import * as autograd from '@keepdist/autograd';
import { describe, expect, it } from 'vitest';
import { WASM_UNAVAILABLE, resolveBackend, wasmThreads } from '../src/numeric/backends.js';
import { backendLine, speedSuiteCore, timePrepared, torchInfoLine } from '../src/speed/stacks.js';
import { OPENBLAS_PINS, torchEnv, torchScriptPath, type TorchInfo } from '../src/speed/torchRunner.js';
import type { WorkloadValues } from '../src/speed/workloads.js';

const hasWasm = autograd.wasmSupported();

describe('keepdist backends', () => {
  it('wasm:<threads> names', () => {
    expect([wasmThreads('wasm'), wasmThreads('wasm:1'), wasmThreads('wasm:2'), wasmThreads('cpu')]).toEqual([undefined, 1, 2, undefined]);
  });

  it(hasWasm ? 'wasm, wasm:1, wasm:2 resolve to the wasm backend' : `wasm, wasm:1, wasm:2 say '${WASM_UNAVAILABLE}' (no WebAssembly SIMD here)`, async () => {
    for (const name of ['wasm', 'wasm:1', 'wasm:2'] as const) {
      if (hasWasm) expect((await resolveBackend(name)).backend.name).toMatch(/wasm/);
      else await expect(resolveBackend(name)).rejects.toThrow(WASM_UNAVAILABLE);
    }
  });

  it.skipIf(!hasWasm)('a name resolves to one backend per process (a wasm backend per method would keep its memory and workers)', async () => {
    const first = (await resolveBackend('wasm:1')).backend;
    expect((await resolveBackend('wasm:1')).backend).toBe(first);
    expect((await resolveBackend('wasm:2')).backend).not.toBe(first);
    expect((await resolveBackend('cpu')).backend).toBe(autograd.cpuBackend);
  });

  it.skipIf(!hasWasm)('names the wasm backend with its threads and the build of its kernels', () => {
    expect(backendLine(autograd.createWasmBackend({ relaxedSimd: false }))).toBe('wasm backend (1 thread(s), simd128 kernels)');
    const wasm = autograd.createWasmBackend();
    expect(backendLine(wasm)).toBe(wasm.simd === 'relaxed-simd' ? 'wasm backend (1 thread(s), relaxed-simd kernels, fused multiply-add)' : 'wasm backend (1 thread(s), simd128 kernels)');
    expect(backendLine(autograd.cpuBackend)).toBe('cpu backend');
  });

  it('loads keepdist cpu and tfjs-cpu, and skips an unavailable backend and a missing Python with the reasons', async () => {
    const { stacks, skipped } = await speedSuiteCore.loadStacks({
      backends: ['cpu', 'wasm:2'], against: ['tfjs-cpu', 'torch-2'], python: '/nonexistent/python3',
    });
    expect(stacks.map((s) => [s.name, s.keepdist])).toEqual([
      ['keepdist cpu', true], ...(hasWasm ? [['keepdist wasm:2', true]] : []), ['tfjs-cpu', false],
    ]);
    expect(stacks[0]!.info).toBe('@keepdist/autograd cpu backend, float32');
    if (hasWasm) expect(stacks[1]!.info).toMatch(/^@keepdist\/autograd wasm backend \([12] thread\(s\), (simd128 kernels|relaxed-simd kernels, fused multiply-add)\), float32$/);
    expect(stacks.at(-1)!.info).toMatch(/^@tensorflow\/tfjs 4\.22\.0 cpu backend/);
    expect(skipped).toEqual([
      ...(hasWasm ? [] : [{ name: 'keepdist wasm:2', reason: WASM_UNAVAILABLE }]),
      { name: 'torch-2', reason: expect.stringMatching(/^no Python with torch found \(\/nonexistent\/python3: .*ENOENT\)\. Install it: bash packages\/bench\/scripts\/install-torch\.sh$/) },
    ]);
  });
});

describe('timing a prepared workload', () => {
  it('warm-up runs untimed, repeats timed on the clock, the last loss kept, disposed at the end', async () => {
    const events: string[] = [];
    let t = 0, runs = 0;
    const prepared = {
      run: async (): Promise<WorkloadValues> => ({ kind: 'lossGrad', loss: ++runs, grad: new Float32Array(1) }),
      dispose: () => void events.push('dispose'),
    };
    const m = await timePrepared(prepared, { warmup: 2, repeats: 3, now: () => (t += 5), step: async () => void events.push('step') });
    expect(m).toEqual({ timesMs: [5, 5, 5], loss: 5 });
    expect(events).toEqual([...Array(5).fill('step'), 'dispose']);
  });
});

describe('torch process', () => {
  it('unsets the OpenBLAS pins and sets the thread counts in the child environment only', () => {
    const env = { PATH: '/bin', OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', OMP_NUM_THREADS: '8' };
    const child = torchEnv(2, env);
    expect(child).toEqual({ PATH: '/bin', OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' });
    expect(env.OPENBLAS_CORETYPE).toBe('Haswell');
    expect(OPENBLAS_PINS).toEqual(['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']);
    expect(torchScriptPath()).toMatch(/packages\/bench\/scripts\/torch_speed\.py$/);
  });

  it('describes the interpreter, threads, BLAS kernel and the pins it unset', () => {
    const info: TorchInfo = {
      python: '/usr/bin/python3', torch: '1.13.0a0', threads: 2, blas_info: 'generic', config: '',
      blas: { library: '/usr/lib/libblas.so.3', corename: 'Zen', config: 'OpenBLAS 0.3.21 USE_OPENMP', threads: 2 },
    };
    expect(torchInfoLine(info, { OPENBLAS_CORETYPE: 'Haswell' })).toBe(
      'torch 1.13.0a0 (/usr/bin/python3), 2 thread(s), OpenBLAS 0.3.21 kernel Zen, 2 BLAS thread(s) (/usr/lib/libblas.so.3); OPENBLAS_CORETYPE=Haswell unset for torch',
    );
    const noBlas = { ...info, blas: { library: null, corename: null, config: null, threads: null } };
    expect(torchInfoLine(noBlas, {})).toBe('torch 1.13.0a0 (/usr/bin/python3), 2 thread(s), BLAS generic (no OpenBLAS found in the process)');
  });
});
