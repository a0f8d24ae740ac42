// Entry of the self-contained keepdist-bench bundle for a machine with a GPU but no Node packages
// (see gpu-bundle.sh): installs navigator.gpu from the dawn.node beside the bundle (the `webgpu`
// package's native addon) and gpu.js as the global `GPU` (as a page that loads gpu-browser.js has
// it, so the backend finds it without a require), then runs the CLI as `keepdist-bench` does.
import { createRequire } from 'node:module';
import * as gpujs from 'gpu.js';
import { main } from '../src/main.js';
import { numericCore } from '../src/numericCore.js';

const dawn = createRequire(import.meta.url)('./dawn.node') as { create(flags: string[]): unknown; globals: object };
Object.assign(globalThis, dawn.globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: dawn.create([]) }, configurable: true, writable: true });
Object.assign(globalThis, { GPU: gpujs }); // replaces WebGPU's GPU interface object, as gpu-browser.js does
process.exitCode = await main(process.argv.slice(2), numericCore);
// the GPU device keeps the event loop alive: leave once the command is done
process.exit();
