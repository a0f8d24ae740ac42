import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress, type ProgressStream } from '../src/progress.js';
import { createStepHooks } from '../src/stepHooks.js';

function fakeStream(isTTY: boolean): { stream: ProgressStream; written: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as Writable & { isTTY: boolean; columns: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  return { stream, written: () => chunks.join('') };
}

describe('createProgress', () => {
  it('writes nothing when the stream is not a TTY', async () => {
    const { stream, written } = fakeStream(false);
    const bar = createProgress({ total: 10, label: 'tammes', stream });
    bar.update(5, 'mma');
    bar.stop();
    await new Promise((r) => setImmediate(r));
    expect(written()).toBe('');
  });

  it('draws a bar with label, count and status on a TTY', async () => {
    const { stream, written } = fakeStream(true);
    const bar = createProgress({ total: 10, label: 'tammes', stream });
    bar.update(10, 'koleo');
    bar.stop();
    bar.update(3, 'after stop is ignored');
    await new Promise((r) => setImmediate(r));
    expect(written()).toMatch(/tammes \[.*\] 100% \| 10\/10 \| ETA .* \| koleo/);
    expect(written()).not.toContain('after stop');
  });
});

describe('createStepHooks', () => {
  it('moves the bar to offset + iteration and yields only every ~50 ms', async () => {
    const seen: [number, string | undefined][] = [];
    let t = 0;
    const hooks = createStepHooks({ update: (v, s) => void seen.push([v, s]), stop: () => undefined }, 100, 'mma', () => t);
    await hooks.step(1);
    t = 10;
    await hooks.step(2);
    t = 60;
    await hooks.step(3);
    expect(seen).toEqual([
      [101, 'mma'],
      [102, 'mma'],
      [103, 'mma'],
    ]);
  });
});
