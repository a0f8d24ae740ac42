/**
 * The demo's module worker: answers 'probe' with the backends this browser offers, builds a run
 * on 'configure', steps it on 'run' and posts a frame after a multiple of `postEvery` iterations
 * (at most one per 40 ms), yielding to the message queue between frames so that 'pause' is seen
 * at once.
 */
import type { Backend } from '@keepdist/autograd';
import type { FromWorker, RunConfig, ToWorker } from '../protocol.js';
import { makeBackend, probeBackends, releaseBackend } from './backends.js';
import { Run } from './run.js';

/** The worker global, typed by what this file uses. */
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
};

let run: Run | null = null;
let backend: Backend | null = null;
let running = false;
/** Messages are handled one after another (configure awaits backend creation). */
let queue: Promise<void> = Promise.resolve();

function post(message: FromWorker): void {
  const transfer = message.type === 'frame' && message.frame.positions ? [message.frame.positions.buffer] : [];
  scope.postMessage(message, transfer);
}

/** Resolves after the event loop has run pending messages (a macrotask, unlike a microtask). */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function configure(config: RunConfig): Promise<void> {
  running = false;
  run?.dispose();
  run = null;
  if (backend) await releaseBackend(backend);
  const made = await makeBackend(config.backend);
  backend = made.backend;
  run = new Run(config, made.backend, made.dtype);
  post({ type: 'ready', backend: made.backend.name, dtype: made.dtype });
  post({ type: 'frame', frame: await run.frame() });
}

/** Frames are at least this far apart (ms): fast runs step several `postEvery` batches per frame. */
const MIN_FRAME_MS = 40;

async function loop(current: Run): Promise<void> {
  while (running && run === current) {
    const t0 = performance.now();
    do {
      for (let k = 0; k < current.config.postEvery; k++) current.step();
    } while (performance.now() - t0 < MIN_FRAME_MS);
    post({ type: 'frame', frame: await current.frame() });
    await yieldToMessages();
  }
  if (run === current) post({ type: 'paused', iteration: current.iteration });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'probe':
      post({ type: 'probed', backends: await probeBackends() });
      return;
    case 'configure':
      await configure(msg.config);
      return;
    case 'run':
      if (!run || running) return;
      running = true;
      void loop(run).catch(fail);
      return;
    case 'pause':
      running = false;
      return;
  }
}

function fail(e: unknown): void {
  running = false;
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

scope.onmessage = (e) => {
  if (e.data.type === 'pause') running = false; // at once, not behind a pending configure
  queue = queue.then(() => handle(e.data)).catch(fail);
};
