// The bench CLI from its tarball, through the bin npm linked (node_modules/.bin/keepdist-bench).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bin = join(process.cwd(), 'node_modules', '.bin', 'keepdist-bench');
const out = mkdtempSync(join(tmpdir(), 'keepdist-consumer-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('keepdist-bench from the tarball', () => {
  it('is linked as a bin', () => {
    expect(existsSync(bin)).toBe(true);
  });

  it('prints its help', () => {
    const text = execFileSync(bin, ['--help'], { encoding: 'utf8' });
    expect(text).toMatch(/tammes/);
    expect(text).toMatch(/synthetic/);
  });

  it('runs a short Tammes run and writes its results', () => {
    const dir = join(out, 'tammes');
    const text = execFileSync(bin, ['tammes', '--n', '6', '--iters', '100', '--methods', 'mma', '--out', dir], { encoding: 'utf8' });
    expect(text).toMatch(/mma/);
    expect(readdirSync(dir).some((f) => f.endsWith('.json'))).toBe(true);
  }, 120_000);
});
