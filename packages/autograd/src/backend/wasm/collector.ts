/**
 * A full garbage collection on request, for the wasm heap. Tensors that nobody disposes return their
 * blocks through a FinalizationRegistry, but the engine collects by the pressure on its own heap,
 * where a tensor is a small wrapper: a loop without tidy can pile up hundreds of megabytes of dead
 * blocks between two full collections. Node lets a library run one (the `gc` of a fresh vm context
 * once V8's --expose-gc is set; the page's own global scope is left as it is); browsers do not,
 * and there this returns null.
 */

type Collect = () => void;

let collector: Collect | null | undefined;

/** The engine's full garbage collection where this runtime offers one to a library (Node), else null. */
export function fullCollector(): Collect | null {
  if (collector !== undefined) return collector;
  collector = null;
  try {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const v8 = proc?.getBuiltinModule?.('node:v8') as { setFlagsFromString?: (flags: string) => void } | undefined;
    const vm = proc?.getBuiltinModule?.('node:vm') as { runInNewContext?: (code: string) => unknown } | undefined;
    if (v8?.setFlagsFromString && vm?.runInNewContext) {
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc');
      if (typeof gc === 'function') collector = gc as Collect;
    }
  } catch {
    collector = null;
  }
  return collector;
}

/**
 * Resolves after the event loop has run other tasks: where a finalizer's cleanup waits (V8 posts it
 * as a task of its own, which a loaded Node orders after one timer), a timer and then a check phase
 * (`setImmediate`); elsewhere a timer.
 */
export function yieldToTasks(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => setTimeout(immediate ? () => immediate(resolve) : resolve, 0));
}
