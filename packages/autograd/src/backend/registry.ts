import type { Backend } from './backend.js';
import { cpuBackend } from './cpu/index.js';

let current: Backend = cpuBackend;

/** Makes `backend` the default for tensors created without an explicit `backend` option. */
export function setBackend(backend: Backend): void {
  current = backend;
}

/** The backend new tensors go to by default (`cpuBackend` until `setBackend` is called). */
export function getBackend(): Backend {
  return current;
}
