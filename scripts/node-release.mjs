// Another release of Node for checks on it (the relaxed-SIMD kernels run by default from Node 22):
// unpacks the npm registry's node-<platform>-<arch>@<version> package once into
// node_modules/.cache/node-<version>/ and prints the path of its `node` binary. Used by the CI
// (the workspace's tests on the current LTS) and by scripts/consumer/run.mjs --also-node.
//
// Usage: node scripts/node-release.mjs <major.minor.patch>
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `node` binary of release `version`, fetched from the npm registry on first use. */
export function nodeRelease(version) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`node-release: expected a version like 24.22.3, got '${version}'.`);
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache', `node-${version}`);
  const bin = join(dir, 'package', 'bin', 'node');
  if (existsSync(bin)) return bin;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pkg = `node-${process.platform}-${process.arch}@${version}`;
  const tgz = execFileSync('npm', ['pack', pkg, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir]);
  rmSync(join(dir, tgz));
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(nodeRelease(process.argv[2] ?? '') + '\n');
