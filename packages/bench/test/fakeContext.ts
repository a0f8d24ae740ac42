// Test helper: a CommandContext that records output, never draws bars, and captures the Ctrl-C save hook.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandContext } from '../src/commandContext.js';

/** A recording context plus what it recorded. */
export interface FakeContext {
  readonly ctx: CommandContext;
  readonly out: string[];
  readonly err: string[];
  /** The save function most recently installed for Ctrl-C (what a SIGINT would call), if any is installed. */
  interruptSave: (() => void | Promise<void>) | undefined;
  readonly cwd: string;
}

/** A fresh fake context in a new temporary working directory; the clock advances 10 ms per reading. */
export function fakeContext(): FakeContext {
  const cwd = mkdtempSync(join(tmpdir(), 'bench-cmd-'));
  let t = 0;
  const fake: FakeContext = {
    out: [],
    err: [],
    interruptSave: undefined,
    cwd,
    ctx: {
      stdout: (text) => void fake.out.push(text),
      stderr: (text) => void fake.err.push(text),
      createProgress: () => ({ update: () => undefined, stop: () => undefined }),
      onInterrupt: (save) => {
        fake.interruptSave = save;
        return () => {
          fake.interruptSave = undefined;
        };
      },
      now: () => (t += 10),
      date: () => new Date(2025, 5, 6, 7, 8, 9),
      cwd,
    },
  };
  return fake;
}
