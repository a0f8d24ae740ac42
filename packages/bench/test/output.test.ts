import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INTERRUPTED_EXIT_CODE, onInterrupt, resolveOutDir, timestamp, writeJson, writeSvg } from '../src/output.js';

describe('resolveOutDir', () => {
  const date = new Date(2025, 0, 2, 3, 4, 5);

  it('defaults to ./keepdist-results/<command>-<timestamp>', () => {
    expect(timestamp(date)).toBe('20250102-030405');
    expect(resolveOutDir('tammes', undefined, date, '/work')).toBe('/work/keepdist-results/tammes-20250102-030405');
  });

  it('resolves --out against the working directory', () => {
    expect(resolveOutDir('speed', 'res/a', date, '/work')).toBe('/work/res/a');
    expect(resolveOutDir('speed', '/abs/b', date, '/work')).toBe('/abs/b');
  });
});

describe('writeJson / writeSvg', () => {
  it('creates the directory, writes typed arrays as arrays', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bench-out-')), 'nested', 'deeper');
    const path = writeJson(dir, 'r.json', { a: new Float64Array([1.5, 2]), b: [1], c: 'x' });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ a: [1.5, 2], b: [1], c: 'x' });
    const svg = writeSvg(dir, 'p.svg', '<svg/>');
    expect(readFileSync(svg, 'utf8')).toBe('<svg/>\n');
  });
});

describe('onInterrupt', () => {
  const setup = () => {
    const target = new EventEmitter();
    const events: string[] = [];
    let resolveExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (resolveExit = r));
    const options = {
      target,
      report: () => undefined,
      exit: (code: number) => {
        events.push(`exit ${code}`);
        resolveExit(code);
      },
    };
    return { target, events, exited, options };
  };

  it('saves, then exits with 130', async () => {
    const { target, events, exited, options } = setup();
    onInterrupt(async () => {
      await new Promise((r) => setTimeout(r, 5));
      events.push('saved');
    }, options);
    target.emit('SIGINT');
    expect(await exited).toBe(INTERRUPTED_EXIT_CODE);
    expect(events).toEqual(['saved', 'exit 130']);
  });

  it('still exits with 130 when saving fails, and reports the failure', async () => {
    const { target, exited, options } = setup();
    const reports: string[] = [];
    onInterrupt(() => {
      throw new Error('disk full');
    }, { ...options, report: (m: string) => void reports.push(m) });
    target.emit('SIGINT');
    expect(await exited).toBe(130);
    expect(reports.join('')).toMatch(/Could not save results: disk full/);
  });

  it('a second Ctrl-C while saving exits at once', () => {
    const { target, events, options } = setup();
    onInterrupt(() => new Promise<void>(() => undefined), options);
    target.emit('SIGINT');
    target.emit('SIGINT');
    expect(events).toEqual(['exit 130']);
  });

  it('the disposer removes the handler', () => {
    const { target, options } = setup();
    const dispose = onInterrupt(() => undefined, options);
    expect(target.listenerCount('SIGINT')).toBe(1);
    dispose();
    expect(target.listenerCount('SIGINT')).toBe(0);
  });
});
